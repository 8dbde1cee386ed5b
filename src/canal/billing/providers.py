"""Card payments through a provider interface, so a real gateway plugs in without touching billing.

The setting BILLING_CARD_PROVIDER names the class (default: the offline test provider). A provider
charges a token that the browser obtained from the gateway (Canal never sees card numbers) and
answers with a reference or a decline. django-payments was considered: it brings its own payment
model, checkout forms and redirect callbacks, which would duplicate our Payment and ledger; an adapter
from this interface to one of its backends is a few lines when a gateway is chosen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from canal.core.money import Money


@dataclass(frozen=True)
class CardResult:
    approved: bool
    reference: str = ""
    message: str = ""


class ProviderUnavailable(Exception):
    """The gateway did not answer (timeout, connection): the charge may or may not have happened."""


class CardProvider(Protocol):
    name: str

    def charge(self, *, amount: Money, token: str, description: str, idempotency_key: str) -> CardResult: ...


class OfflineTestProvider:
    """Approves every token except the test tokens that decline, like a gateway's test mode.

    `tok_visa` (or any other token) is approved; `tok_declined` and `tok_insufficient_funds` decline.
    The reference is derived from the idempotency key, so a retried charge answers the same reference.
    """

    name = "offline-test"
    DECLINES = {
        "tok_declined": "The card was declined.",
        "tok_insufficient_funds": "The card has insufficient funds.",
    }

    def charge(self, *, amount: Money, token: str, description: str, idempotency_key: str) -> CardResult:
        # Like a gateway, it refuses what no card can pay: nothing, or more than the configured maximum.
        if not Decimal(0) < amount.amount <= Decimal(settings.BILLING_CARD_MAX_AMOUNT):
            return CardResult(approved=False, message="The amount is outside what a card payment accepts.")
        if token in self.DECLINES:
            return CardResult(approved=False, message=self.DECLINES[token])
        digest = hashlib.sha256(f"{idempotency_key}:{token}:{amount}".encode()).hexdigest()[:16]
        return CardResult(approved=True, reference=f"test_ch_{digest}")


def card_provider() -> CardProvider:
    path = getattr(settings, "BILLING_CARD_PROVIDER", "canal.billing.providers.OfflineTestProvider")
    return import_string(path)()
