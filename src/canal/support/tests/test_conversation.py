"""R2.17: public replies from both sides, internal notes customers never see, attachments; each public
reply tells the other side by e-mail and in the app, in the reader's language."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from canal.billing.tests.helpers import PNG
from canal.core.errors import RuleViolation
from canal.notifications.models import Notification
from canal.support import tickets
from canal.support.models import MessageKind
from canal.support.tests.conftest import customer_actor


def test_r2_17_both_sides_reply_and_the_history_is_shown_newest_last(desk, api_as):
    ticket = desk.open()
    tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Which version?")
    tickets.reply(actor=desk.customer, ticket_id=ticket.pk, body="7.4")

    shown = api_as(desk.customer).get(f"/support/tickets/{ticket.pk}").json()["messages"]

    assert [(message["body"], message["from_support"]) for message in shown] == [
        ("Which version?", True),
        ("7.4", False),
    ]


def test_r2_17_internal_notes_are_for_support_only(desk, api_as):
    ticket = desk.open()
    api_as(desk.agent).post(
        f"/support/tickets/{ticket.pk}/replies", {"body": "Known bug 4411", "internal": True}
    )

    seen_by_customer = api_as(desk.customer).get(f"/support/tickets/{ticket.pk}").json()["messages"]
    seen_by_vendor = api_as(desk.vendor_agent).get(f"/support/tickets/{ticket.pk}").json()["messages"]
    refused = api_as(desk.customer).post(
        f"/support/tickets/{ticket.pk}/replies", {"body": "x", "internal": True}
    )

    assert seen_by_customer == []
    assert [message["kind"] for message in seen_by_vendor] == [MessageKind.INTERNAL]
    assert refused.status_code == 403


def test_r2_17_a_public_reply_mails_the_other_side_in_its_language(desk, django_capture_on_commit_callbacks):
    desk.customer.user.language = "es"
    desk.customer.user.save()
    ticket = desk.open()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Please send the log.")

    [message] = [m for m in mail.outbox if desk.customer.user.email in m.to]
    assert "Nueva respuesta en el ticket" in message.body
    assert "Please send the log." in message.body
    notification = Notification.objects.get(recipient=desk.customer.user)
    # Kept as a message id: each reader sees it in its own language.
    with translation.override("es"):
        assert notification.heading.startswith("Nueva respuesta")
    with translation.override("en"):
        assert notification.heading.startswith("New reply")


def test_r2_17_replies_carry_checked_attachments_served_only_to_those_who_see_the_ticket(
    desk, api_as, portal_login
):
    ticket = desk.open()
    screenshot = SimpleUploadedFile("error.png", PNG, content_type="image/png")
    message = tickets.reply(
        actor=desk.customer, ticket_id=ticket.pk, body="See the screenshot", attachments=[screenshot]
    )
    attachment = message.attachments.get()

    mine = api_as(desk.agent).get(f"/support/attachments/{attachment.pk}")
    theirs = api_as(customer_actor()).get(f"/support/attachments/{attachment.pk}")

    assert mine.status_code == 200
    assert mine["Content-Disposition"].startswith("attachment")
    assert theirs.status_code == 404


def test_r2_17_a_page_disguised_as_an_image_is_refused(desk, api_as):
    ticket = desk.open()
    fake = SimpleUploadedFile("error.png", b"<html><script>alert(1)</script>", content_type="image/png")

    answer = api_as(desk.customer).client.post(
        f"/api/v1/support/tickets/{ticket.pk}/attachments", {"file": fake}
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == "attachment_type"
    assert not ticket.attachments.exists()


def test_r2_17_a_text_log_is_accepted_but_not_binary_in_disguise(desk):
    ticket = desk.open()
    log = SimpleUploadedFile("system.log", b"eth0 link down\n", content_type="text/plain")
    binary = SimpleUploadedFile("system.log", b"\x00\x01\x02", content_type="text/plain")
    stored = tickets.attach_files(actor=desk.customer, ticket_id=ticket.pk, attachments=[log])
    assert stored[0].content_type.startswith("text/plain")
    with pytest.raises(RuleViolation) as refused:
        tickets.attach_files(actor=desk.customer, ticket_id=ticket.pk, attachments=[binary])
    assert refused.value.code == "attachment_type"
    assert ticket.attachments.count() == 1


def test_r2_17_a_retried_reply_with_the_same_key_is_posted_once(desk, api_as):
    ticket = desk.open()
    api = api_as(desk.customer)
    body = {"body": "The log is attached."}

    first = api.post(f"/support/tickets/{ticket.pk}/replies", body, **{"Idempotency-Key": "reply-1"})
    again = api.post(f"/support/tickets/{ticket.pk}/replies", body, **{"Idempotency-Key": "reply-1"})

    assert first.status_code == 201
    assert again.json() == first.json()
    assert ticket.messages.count() == 1
