"""The SMTP listener of e-mail intake (R5.7): aiosmtpd takes mail for the vendors' support addresses
only and hands each one to `mail_intake.receive_mail`, answering the sending server with the outcome so
that refused mail bounces to its sender with the reason."""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from canal.support.mail_intake import MailRefused, receive_mail
from canal.support.models import SupportAddress

log = logging.getLogger("canal.support.mail")
# The listener lets mail a little over the limit through so that receive_mail logs why it refuses it;
# anything larger aiosmtpd itself refuses while it arrives (552).
TRANSPORT_MARGIN = 1024 * 1024


def _is_support_address(address: str) -> bool:
    close_old_connections()
    return SupportAddress.objects.filter(email__iexact=address).exists()


def _receive(raw: bytes, recipients: tuple[str, ...]) -> None:
    close_old_connections()
    try:
        receive_mail(raw, recipients=recipients)
    finally:
        close_old_connections()


class IntakeHandler:
    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if not await sync_to_async(_is_support_address, thread_sensitive=False)(address):
            return "550 5.1.1 No support mailbox here: write to your region's support address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        try:
            await sync_to_async(_receive, thread_sensitive=False)(raw, tuple(envelope.rcpt_tos))
        except MailRefused as refused:
            status = "5.3.4" if refused.smtp_code == 552 else "5.6.0"
            return f"{refused.smtp_code} {status} {refused.reason}"
        except Exception:
            log.exception("mail from %s could not be handled; the sender will retry", envelope.mail_from)
            return "451 4.3.0 Temporary failure, try again later"
        return "250 2.0.0 Message accepted"


def listener(host: str | None = None, port: int | None = None) -> Controller:
    """A started-on-demand listener on SMTP_INTAKE_HOST:SMTP_INTAKE_PORT (or the given ones)."""
    return Controller(
        IntakeHandler(),
        hostname=host or settings.SMTP_INTAKE_HOST,
        port=settings.SMTP_INTAKE_PORT if port is None else port,
        data_size_limit=settings.MAIL_INTAKE_MAX_BYTES + TRANSPORT_MARGIN,
        enable_SMTPUTF8=True,
    )
