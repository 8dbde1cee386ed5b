from django.urls import path

from canal.support import intake_views, priority_views, sla_views, views

app_name = "support"

urlpatterns = [
    path("", views.ticket_list, name="tickets"),
    path("new/", views.new_ticket, name="new"),
    path("help/", views.category_help, name="category_help"),
    path("help/solved/", views.deflect, name="deflect"),
    path("costs/", views.cost_table, name="costs"),
    path("packs/", views.pack_list, name="packs"),
    path("packs/<int:pack_id>/", views.buy_pack, name="buy_pack"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:ticket_id>/quote/", views.quote, name="quote"),
    path("tickets/<int:ticket_id>/accept/", views.accept, name="accept"),
    path("tickets/<int:ticket_id>/reject/", views.move, {"name": "reject"}, name="reject"),
    path("tickets/<int:ticket_id>/refuse/", views.move, {"name": "refuse"}, name="refuse"),
    path("tickets/<int:ticket_id>/assign/", views.assign, name="assign"),
    path("tickets/<int:ticket_id>/finish/", views.move, {"name": "finish"}, name="finish"),
    path("tickets/<int:ticket_id>/close/", views.move, {"name": "close"}, name="close"),
    path("tickets/<int:ticket_id>/reopen/", views.move, {"name": "reopen"}, name="reopen"),
    path("tickets/<int:ticket_id>/reply/", views.reply, name="reply"),
    path("tickets/<int:ticket_id>/hold/", views.move, {"name": "hold"}, name="hold"),
    path("tickets/<int:ticket_id>/resume/", views.move, {"name": "resume"}, name="resume"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("tickets/<int:ticket_id>/identify/", priority_views.identify, name="identify"),
    path("tickets/<int:ticket_id>/severity/", priority_views.severity, name="severity"),
    path("priority/", priority_views.configuration, name="priority"),
    path("priority/sla/", sla_views.settings_page, name="sla"),
    path("priority/report/", sla_views.report, name="sla_report"),
    path("intake/", intake_views.partner_ticket, name="intake"),
    path("intake/access/", intake_views.priority_access, name="intake_access"),
    path("addresses/", intake_views.addresses, name="addresses"),
]
