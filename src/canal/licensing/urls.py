"""License-server pages, mounted at /servers/."""

from django.urls import path

from canal.licensing import views

app_name = "licensing"

urlpatterns = [
    path("", views.server_list, name="list"),
    path("releases/", views.releases, name="releases"),
    path("<int:server_id>/", views.server_detail, name="detail"),
    path("<int:server_id>/key/", views.make_key, name="make_key"),
    path("<int:server_id>/key/revoke/", views.revoke_key, name="revoke_key"),
    path("<int:server_id>/reset/", views.reset_counter, name="reset"),
]
