from django.contrib import admin
from django.urls import include, path

from canal.api.root import api
from canal.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("canal.accounts.urls")),
    path("catalog/", include("canal.catalog.urls")),
    path("notifications/", include("canal.notifications.urls")),
    path("licenses/", include("canal.subscriptions.urls")),
    path("orders/", include("canal.orders.urls")),
    path("support/", include("canal.support.urls")),
    path("subscriptions/", include("canal.subscriptions.lifecycle_urls")),
    path("billing/", include("canal.billing.urls")),
    path("partners/", include("canal.partners.urls")),
    path("servers/", include("canal.licensing.urls")),
    path("", include("canal.portal.urls")),
]
