"""Stored notifications are shown in the language of whoever reads them, not of whoever caused them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from canal.billing.services import confirm_payment, notify_bank_transfer
from canal.core.stored_text import recovered
from canal.notifications.models import Notification


def _confirmed_top_up(customer, operator) -> None:
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 transfer", content_type="application/pdf")
    with translation.override("es"):
        payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=receipt)
        confirm_payment(actor=operator, payment_id=payment.pk)


def _reads_in(actor, language: str) -> None:
    actor.user.language = language
    actor.user.save(update_fields=["language"])


def test_a_notification_written_by_a_spanish_operator_reads_in_english_for_an_english_reader(
    api_as, customer, operator
):
    _confirmed_top_up(customer, operator)

    english = api_as(customer, "en").get("/notifications").json()["results"]
    spanish = api_as(customer, "es").get("/notifications").json()["results"]

    assert [row["title"] for row in english] == ["Your payment of €250.00 was confirmed."]
    assert [row["title"] for row in spanish] == ["Se ha confirmado tu pago de 250,00\xa0€."]


def test_the_notifications_page_shows_the_readers_language(portal_login, customer, operator):
    _confirmed_top_up(customer, operator)
    _reads_in(customer, "en")
    client = portal_login(customer.user)

    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Your payment of €250.00 was confirmed." in page
    assert "Se ha confirmado" not in page


def test_what_a_person_wrote_is_shown_as_written(customer):
    from canal.notifications.services import notify

    notification = notify(
        recipient=customer.user,
        organisation=customer.organisation,
        message="Order %(order)s could not be provisioned",
        params={"order": "ORD-7"},
        body="Dominio ocupado",
    )

    with translation.override("en"):
        assert (notification.heading, notification.text) == (
            "Order ORD-7 could not be provisioned",
            "Dominio ocupado",
        )


def test_words_stored_before_messages_come_back_as_a_message_and_money():
    found = recovered(
        "Se ha confirmado tu pago de EUR 30.00.",
        ["Your payment of %(amount)s was rejected.", "Your payment of %(amount)s was confirmed."],
        ["es", "en"],
    )

    assert found == (
        "Your payment of %(amount)s was confirmed.",
        {"amount": {"money": "30.00", "currency": "EUR"}},
    )
    assert recovered("Something else entirely", ["Invoice %(code)s"], ["es", "en"]) is None


def test_a_legacy_notification_keeps_its_words(customer):
    legacy = Notification.objects.create(
        recipient=customer.user, organisation=customer.organisation, title="Hola"
    )

    with translation.override("en"):
        assert legacy.heading == "Hola"
