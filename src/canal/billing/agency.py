"""Sending billing records to the tax agency, through a backend the setting BILLING_RECORDS_BACKEND names.

A backend has `configured` and `send(payloads)`, which answers one `AgencyReply` per payload in order
(or raises `AgencyUnavailable` when nothing could be delivered). Without the setting the backend is
`NotConfigured`: records are kept as "not sent yet", and the operator's records page and the commands say
so. `RecordingBackend` keeps what would be sent, for tests and demos. The real AEAT web service (SOAP
with the issuer's certificate) plugs in here as a further backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class AgencyReply:
    accepted: bool
    reference: str = ""
    error: str = ""


class AgencyUnavailable(Exception):
    """Nothing was delivered (no connection, the service is down): every record stays to be sent."""


class AgencyBackend(Protocol):
    configured: bool

    def send(self, payloads: Sequence[dict[str, Any]]) -> list[AgencyReply]: ...


class NotConfigured:
    configured = False

    def send(self, payloads: Sequence[dict[str, Any]]) -> list[AgencyReply]:
        raise AgencyUnavailable(not_configured_message())


class RecordingBackend:
    """Accepts everything and keeps it in `sent` (per process); `refuse` makes it reject with that error."""

    configured = True
    sent: ClassVar[list[dict[str, Any]]] = []
    refuse: ClassVar[str] = ""

    def send(self, payloads: Sequence[dict[str, Any]]) -> list[AgencyReply]:
        if self.refuse:
            return [AgencyReply(accepted=False, error=self.refuse) for _payload in payloads]
        replies = []
        for payload in payloads:
            self.sent.append(payload)
            replies.append(AgencyReply(accepted=True, reference=f"REC-{len(self.sent)}"))
        return replies


def backend_path() -> str:
    return getattr(settings, "BILLING_RECORDS_BACKEND", "") or ""


def backend() -> AgencyBackend:
    path = backend_path()
    return import_string(path)() if path else NotConfigured()


def not_configured_message() -> str:
    return _(
        "Sending billing records to the tax agency is not configured: set BILLING_RECORDS_BACKEND to a "
        "backend (docs/billing.md, Billing records). Records are kept and will be sent once it is set."
    )
