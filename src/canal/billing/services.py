"""Billing's public writes. Other apps (orders, subscriptions, seat licenses, support) call only these.

- `invoice_and_charge()`: R3.4, charge and invoice at once, in the caller's transaction.
- `create_recurring_charge()`, `update_recurring_charge()`, `end_recurring_charge()`: what the billing
  run renews; `register_end_of_cycle_action()`: code the run calls before each renewal (R3.7).
- `partner_terms()` and `price_for()`: who pays, at which price, and who earns cashback (R4.6-R4.8).
- payments: `pay_from_balance()`, `pay_by_card()`, `charge_card_intent()` (after a card purchase
  committed), `notify_bank_transfer()`, `confirm_payment()`,
  `reject_payment()`; wallet top-ups are the same calls without an invoice.
- `issue_credit_note()`: the only correction of an issued invoice.
- support credits: `add_support_credits()`, `spend_support_credits()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, Role
from canal.billing import invoicing, ledger, payments
from canal.billing.cycles import (
    create_recurring_charge,
    end_recurring_charge,
    register_end_of_cycle_action,
    update_recurring_charge,
)
from canal.billing.invoicing import Charge
from canal.billing.ledger import InsufficientBalance, Leg
from canal.billing.models import (
    CREDITS,
    AccountKind,
    EntryReason,
    Invoice,
    JournalEntry,
    Payment,
)
from canal.billing.partner_money import PartnerTerms, partner_terms, price_for
from canal.billing.payments import (
    charge_card_intent,
    confirm_payment,
    notify_bank_transfer,
    pay_by_card,
    pay_from_balance,
    reject_payment,
)
from canal.core import audit
from canal.core.errors import NotFound, PermissionDenied, RuleViolation

__all__ = [
    "Charge",
    "ChargeResult",
    "InsufficientBalance",
    "PartnerTerms",
    "add_support_credits",
    "charge_card_intent",
    "confirm_payment",
    "create_recurring_charge",
    "end_recurring_charge",
    "invoice_and_charge",
    "issue_credit_note",
    "notify_bank_transfer",
    "partner_terms",
    "pay_by_card",
    "pay_from_balance",
    "price_for",
    "register_end_of_cycle_action",
    "reject_payment",
    "spend_support_credits",
    "update_recurring_charge",
]

PAY_WITH = ("wallet", "cashback", "card", "bank_transfer")


@dataclass(frozen=True)
class ChargeResult:
    invoice: Invoice
    payment: Payment | None


def invoice_and_charge(
    *,
    actor: Actor | None,
    payer: Organisation,
    charges: Sequence[Charge],
    issue_date: date | None = None,
    pay_with: str = "wallet",
    card_token: str = "",
    customer: Organisation | None = None,
    reference: str = "",
    origin_key: str | None = None,
) -> ChargeResult:
    """R3.4: issues the invoice and takes the money at once, or raises and leaves nothing behind.

    Runs inside the caller's transaction, so the caller's own writes (seats, an order) commit with the
    invoice or not at all. `pay_with` is "wallet" or "cashback" (paid now), "card" (a card intent is
    recorded and the invoice waits: the caller charges it with `charge_card_intent()` after its
    transaction committed, never while rows are locked), or "bank_transfer" (the invoice waits for the
    payer's transfer). With `origin_key`, a second call with
    the same key returns the first invoice instead of billing again.
    """
    if pay_with not in PAY_WITH:
        raise RuleViolation(
            _("Choose how to pay: wallet, cashback, card or bank transfer."), field="pay_with"
        )
    if origin_key:
        existing = _invoice_for_origin(payer, origin_key)
        if existing is not None:
            return existing
    try:
        # A savepoint of its own: a caller that catches the refusal keeps a usable transaction, and a
        # concurrent retry that lost the race on the origin key rolls back to here.
        with transaction.atomic():
            invoice = invoicing.create_and_issue(
                actor=actor,
                payer=payer,
                charges=charges,
                issue_date=issue_date or timezone.localdate(),
                customer=customer,
                reference=reference,
                origin_key=origin_key,
            )
            payment = None
            if invoice.total and pay_with in {"wallet", "cashback"}:
                payment = payments.settle_from_balance(
                    actor=actor, invoice=invoice, amount=None, method=pay_with
                )
            elif invoice.total and pay_with == "card":
                # Only the intent here: the caller commits, then charges it (`charge_card_intent`).
                payment = payments.record_card_intent_for(
                    actor=actor,
                    invoice=invoice,
                    card_token=card_token,
                    key=f"org-{payer.pk}-{origin_key}" if origin_key else None,
                )
            invoice.refresh_from_db()
    except IntegrityError:
        existing = _invoice_for_origin(payer, origin_key) if origin_key else None
        if existing is None:
            raise
        return existing
    return ChargeResult(invoice, payment)


def _invoice_for_origin(payer: Organisation, origin_key: str) -> ChargeResult | None:
    # Keys are unique per payer: another organisation's key is simply a different purchase.
    existing = Invoice.objects.filter(organisation=payer, origin_key=origin_key).first()
    if existing is None:
        return None
    return ChargeResult(existing, existing.payments.order_by("id").last())


def issue_credit_note(
    *,
    actor: Actor,
    invoice_id: int,
    reason: str,
    line_positions: Sequence[int] | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Operator staff correct an issued invoice with a credit note (whole, or some lines)."""
    if not actor.is_operator:
        raise NotFound(_("No invoice with this id."))
    if not actor.has_role(Role.ADMIN, Role.BILLING):
        raise PermissionDenied(_("Only operator administrators and billing staff issue credit notes."))
    invoice = Invoice.objects.filter(pk=invoice_id, kind="invoice").first()
    if invoice is None:
        raise NotFound(_("No invoice with this id."))
    return invoicing.credit(
        actor=actor,
        invoice=invoice,
        issue_date=issue_date or timezone.localdate(),
        reason=reason,
        line_positions=line_positions,
    )


def add_support_credits(
    *, actor: Actor | None, organisation: Organisation, credits: int, document: tuple[str, str] = ("", "")
) -> JournalEntry:
    """Credits bought in a support pack (R2.13) land in the organisation's support-credit account."""
    if credits <= 0:
        raise RuleViolation(_("Add a positive number of credits."), field="credits")
    with transaction.atomic():
        entry = ledger.post(
            reason=EntryReason.SUPPORT_CREDITS,
            memo=gettext_noop("%(credits)s support credits added"),
            memo_params={"credits": credits},
            legs=[
                Leg(ledger.organisation_account(organisation, AccountKind.SUPPORT_CREDITS, CREDITS), credits),
                Leg(ledger.house_account(AccountKind.CREDITS_ISSUED, CREDITS), -credits),
            ],
            document=document,
            user=getattr(actor, "user", None),
        )
        audit.record(actor=actor, action="support_credits.added", obj=entry, after={"credits": credits})
    return entry


def spend_support_credits(
    *, actor: Actor | None, organisation: Organisation, credits: int, document: tuple[str, str] = ("", "")
) -> JournalEntry:
    """R2.12: accepting a quoted ticket debits its credits; InsufficientBalance says to buy a pack."""
    if credits <= 0:
        raise RuleViolation(_("Spend a positive number of credits."), field="credits")
    with transaction.atomic():
        entry = ledger.post(
            reason=EntryReason.SUPPORT_CREDITS,
            memo=gettext_noop("%(credits)s support credits spent"),
            memo_params={"credits": credits},
            legs=[
                Leg(
                    ledger.organisation_account(organisation, AccountKind.SUPPORT_CREDITS, CREDITS), -credits
                ),
                Leg(ledger.house_account(AccountKind.CREDITS_ISSUED, CREDITS), credits),
            ],
            document=document,
            user=getattr(actor, "user", None),
        )
        audit.record(actor=actor, action="support_credits.spent", obj=entry, after={"credits": credits})
    return entry
