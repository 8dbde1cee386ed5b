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
    path("notifications/", include("canal.notifications.urls")),
    path("", include("canal.portal.urls")),
]
