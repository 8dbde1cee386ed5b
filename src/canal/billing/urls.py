from django.urls import path

from canal.billing import records_views, runs_views, views
from canal.billing.einvoices import views as einvoice_views

app_name = "billing"

urlpatterns = [
    path("", views.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/e/<str:fmt>/", einvoice_views.download, name="einvoice"),
    path("e-invoices/", einvoice_views.settings_page, name="einvoice_settings"),
    path("e-invoices/export.zip", einvoice_views.export_zip, name="einvoice_export"),
    path("invoices/<int:invoice_id>/pay/", views.pay_invoice, name="pay_invoice"),
    path("invoices/<int:invoice_id>/card/", views.pay_invoice_by_card, name="pay_invoice_by_card"),
    path(
        "invoices/<int:invoice_id>/transfer/", views.notify_invoice_transfer, name="notify_invoice_transfer"
    ),
    path("invoices/<int:invoice_id>/credit/", views.credit_invoice, name="credit_invoice"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/card/", views.top_up_by_card, name="top_up_by_card"),
    path("wallet/transfer/", views.top_up_by_transfer, name="top_up_by_transfer"),
    path("payments/", views.payment_queue, name="payment_queue"),
    path("payments/<int:payment_id>/receipt/", views.payment_receipt, name="payment_receipt"),
    path("payments/<int:payment_id>/confirm/", views.confirm_payment, name="confirm_payment"),
    path("payments/<int:payment_id>/reject/", views.reject_payment, name="reject_payment"),
    path("export/<str:what>.csv", views.export, name="export"),
    path("runs/", runs_views.runs_page, name="runs"),
    path("runs/start/", runs_views.start_run, name="start_run"),
    path("records/", records_views.records_page, name="records"),
    path("records/verify/", records_views.verify_records, name="verify_records"),
    path("records/send/", records_views.send_records, name="send_records"),
    path("records/export.csv", records_views.export_records, name="export_records"),
]
