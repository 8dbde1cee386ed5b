"""Subscription lifecycle pages, mounted at /subscriptions/ (the seat-license pages live at /licenses/)."""

from django.urls import path

from canal.subscriptions import lifecycle_views as views

app_name = "lifecycle"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("<int:subscription_id>/", views.subscription_detail, name="detail"),
    path("<int:subscription_id>/change/", views.change, name="change"),
    path("<int:subscription_id>/upgrade/", views.upgrade, name="upgrade"),
    path("<int:subscription_id>/renewal/", views.renewal, name="renewal"),
    path("<int:subscription_id>/renew/", views.renew, name="renew"),
    path("<int:subscription_id>/trial/", views.modify_trial, name="modify_trial"),
    path("<int:subscription_id>/terminate/", views.terminate_trial, name="terminate_trial"),
]
