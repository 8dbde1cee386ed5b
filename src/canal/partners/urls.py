from django.urls import path

from canal.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.clients, name="space"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client, name="client"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:partner_id>/invite/", views.invite_partner, name="invite_partner"),
    path("invitations/<int:invitation_id>/<str:action>/", views.invitation_action, name="invitation_action"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("relationships/<int:relationship_id>/", views.relationship, name="relationship"),
    path("relationships/<int:relationship_id>/managers/", views.managers, name="managers"),
    path("relationships/<int:relationship_id>/end/", views.end, name="end"),
    path("apply/", views.apply, name="apply"),
    path("affiliate/", views.join_affiliates, name="join_affiliates"),
    path("applications/", views.application_queue, name="applications"),
    path(
        "applications/<int:application_id>/<str:decision>/",
        views.decide_application,
        name="decide_application",
    ),
    path("programme/", views.programme, name="programme"),
    path("tenders/", views.tender_list, name="tenders"),
    path("tenders/new/", views.new_tender, name="tender_new"),
    path("tenders/<int:tender_id>/", views.tender, name="tender"),
    path("tenders/confirm/<str:token>/", views.confirm_tender, name="tender_confirm"),
    path("tenders/author/<str:token>/", views.tender_author, name="tender_author"),
    path("support/", views.support, name="support"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:partner_id>/", views.directory_entry, name="directory_entry"),
]
