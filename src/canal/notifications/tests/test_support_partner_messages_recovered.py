"""Migration 0004: support and partner notifications stored as Spanish or English words get their message
id back, so an English reader no longer sees "Nueva respuesta en el ticket…"."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils import translation

from canal.accounts.models import OrganisationKind, Role
from canal.notifications.models import Notification

migration = import_module("canal.notifications.migrations.0004_support_partner_messages")


def test_stored_spanish_words_are_shown_in_the_readers_language(make_actor: Any) -> None:
    actor = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    reply = Notification.objects.create(
        recipient=actor.user,
        organisation=actor.organisation,
        title="Nueva respuesta en el ticket T-7: Impresora",
    )
    welcome = Notification.objects.create(
        recipient=actor.user, organisation=actor.organisation, title="Bienvenido al programa de socios"
    )
    written = Notification.objects.create(
        recipient=actor.user, organisation=actor.organisation, title="Algo que escribió una persona"
    )

    migration.words_to_messages(apps, None)

    for row in (reply, welcome, written):
        row.refresh_from_db()
    with translation.override("en"):
        assert reply.heading == "New reply on ticket T-7: Impresora"
        assert welcome.heading == "Welcome to the partner programme"
        assert written.heading == "Algo que escribió una persona"
