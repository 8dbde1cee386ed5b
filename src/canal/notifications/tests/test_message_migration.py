"""Rows stored as words before notifications kept message ids get their id back when the words match a
known message, so they too read in each reader's language (migration 0003)."""

from importlib import import_module

from django.apps import apps
from django.utils import translation

from canal.notifications.models import Notification

migration = import_module("canal.notifications.migrations.0003_notification_message_params")


def test_a_spanish_row_becomes_a_message_and_a_persons_words_stay(customer):
    known = Notification.objects.create(
        recipient=customer.user,
        organisation=customer.organisation,
        title="Se ha confirmado tu pago de EUR 30.00.",
        body="Transferencia recibida el lunes",
    )
    unknown = Notification.objects.create(
        recipient=customer.user, organisation=customer.organisation, title="Aviso escrito a mano"
    )

    migration.words_to_messages(apps, None)

    known.refresh_from_db()
    unknown.refresh_from_db()
    with translation.override("en"):
        assert (known.heading, known.text) == (
            "Your payment of €30.00 was confirmed.",
            "Transferencia recibida el lunes",
        )
        assert unknown.heading == "Aviso escrito a mano"
