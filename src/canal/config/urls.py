from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from canal.accounts.views import set_language
from canal.api.root import api
from canal.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Pages without our <link rel="icon"> (the API docs, the admin): browsers ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=static("canal/favicon.svg"), permanent=True)),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
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
