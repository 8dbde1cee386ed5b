from django.urls import path

from canal.subscriptions import purchase_views, views

app_name = "subscriptions"

urlpatterns = [
    path("", views.license_subscriptions, name="licenses"),
    path("<int:subscription_id>/", views.license_summary, name="license_summary"),
    path("<int:subscription_id>/users/", views.seat_users, name="seat_users"),
    path(
        "<int:subscription_id>/users/<int:user_id>/<slug:license_type>/",
        views.toggle_seat,
        name="toggle_seat",
    ),
    path("<int:subscription_id>/buy/", purchase_views.buy_seats_page, name="buy_seats"),
]
