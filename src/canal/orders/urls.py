from django.urls import path

from canal.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.checkout, name="checkout"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/cancel/", views.cancel, name="cancel"),
    path("provisioning/", views.provisioning_queue, name="provisioning_queue"),
    path("provisioning/<int:request_id>/", views.provisioning_detail, name="provisioning_detail"),
    path(
        "provisioning/<int:request_id>/<str:action>/",
        views.provisioning_action,
        name="provisioning_action",
    ),
]
