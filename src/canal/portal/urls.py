from django.urls import path

from canal.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clients/", views.clients, name="clients"),
    path("partners/", views.partners, name="partners"),
    path("team/", views.team, name="team"),
]
