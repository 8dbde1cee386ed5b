"""Billing reads, scoped to what the actor may see: an invoice and its payments live in the organisation
that pays them and nowhere else (R4.10): a partner never reads the invoices its client pays, whatever
access it holds, and the client never reads those its partner pays; operator staff see everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.accounts.scope import scoped, visible_organisations
from canal.billing.models import (
    CREDITS,
    VALUE_KINDS,
    Account,
    AccountKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    JournalEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Posting,
    RecurringCharge,
)
from canal.catalog.models import Product
from canal.core.errors import NotFound
from canal.core.money import Money


def invoices_visible_to(actor: Actor) -> QuerySet[Invoice]:
    # Drafts are the operator's work in progress: payers see invoices once issued.
    invoices = scoped(
        Invoice.objects.select_related("organisation", "customer"), actor, through_partners=False
    )
    if not actor.is_operator:
        invoices = invoices.exclude(status=InvoiceStatus.DRAFT)
    return invoices


def invoice_for(actor: Actor, invoice_id: int) -> Invoice:
    invoice = invoices_visible_to(actor).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound(_("No invoice with this id."), field="invoice")
    return invoice


def invoice_lines_visible_to(actor: Actor) -> QuerySet[InvoiceLine]:
    return InvoiceLine.objects.filter(invoice__in=invoices_visible_to(actor)).select_related(
        "invoice", "beneficiary"
    )


def sees_cashback(actor: Actor, line: InvoiceLine) -> bool:
    """R4.7: a line's cashback is the partner's margin; only operator staff and that partner see it."""
    return actor.is_operator or (
        line.cashback_partner_id is not None and line.cashback_partner_id == actor.organisation.pk
    )


def unpaid_invoices(actor: Actor) -> QuerySet[Invoice]:
    """The invoices the actor's organisation still has to pay: issued, with something due."""
    return Invoice.objects.filter(
        organisation=actor.organisation,
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.ISSUED,
        total__gt=F("amount_paid") + F("amount_credited"),
    )


def invoices_to_pay(actor: Actor, invoice_ids: list[int]) -> set[int]:
    """Which of `invoice_ids` the actor's organisation still has to pay, in one query, so a list offers
    "Pay" only where paying is possible."""
    return set(unpaid_invoices(actor).filter(pk__in=invoice_ids).values_list("pk", flat=True))


def invoices_for_client(actor: Actor, client_id: int) -> QuerySet[Invoice]:
    """R4.11: a partner's view of one client's billing: the partner's own invoices for that client's
    products (the invoices the client pays are the client's alone, R4.10)."""
    client = organisation_for(actor, client_id)
    return (
        invoices_visible_to(actor)
        .filter(Q(organisation=client) | Q(customer=client) | Q(lines__beneficiary=client))
        .distinct()
    )


def organisation_for(actor: Actor, organisation_id: int) -> Organisation:
    organisation = visible_organisations(actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("No organisation with this id."), field="organisation")
    return organisation


def payments_visible_to(actor: Actor) -> QuerySet[Payment]:
    return scoped(Payment.objects.select_related("organisation", "invoice"), actor, through_partners=False)


def payment_for(actor: Actor, payment_id: int) -> Payment:
    payment = payments_visible_to(actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No payment with this id."), field="payment")
    return payment


def payments_to_confirm(actor: Actor) -> QuerySet[Payment]:
    """The operator's queue: notified bank transfers waiting for a decision, oldest first."""
    if not actor.is_operator:
        return Payment.objects.none()
    return (
        Payment.objects.filter(method=PaymentMethod.BANK_TRANSFER, status=PaymentStatus.PENDING)
        .select_related("organisation", "invoice", "created_by")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class Balance:
    kind: str
    label: str
    currency: str
    amount: Decimal

    @property
    def money(self) -> Money | None:
        return None if self.currency == CREDITS else Money(self.amount, self.currency)


def balances_of(actor: Actor, organisation: Organisation | None = None) -> list[Balance]:
    """Wallet, cashback and support-credit balances of the actor's organisation (or a visible one); the
    wallet in the organisation's currency shows even before its first movement."""
    organisation = organisation or actor.organisation
    if organisation.pk != actor.organisation.pk:
        organisation = organisation_for(actor, organisation.pk)
    accounts = Account.objects.filter(organisation=organisation, kind__in=sorted(VALUE_KINDS))
    found = {(account.kind, account.currency): account.balance for account in accounts}
    found.setdefault((AccountKind.WALLET, organisation.currency), Decimal(0))
    order = [AccountKind.WALLET, AccountKind.CASHBACK, AccountKind.SUPPORT_CREDITS]
    return [
        Balance(kind=kind, label=str(AccountKind(kind).label), currency=currency, amount=amount)
        for (kind, currency), amount in sorted(
            found.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
        )
    ]


def wallet_balance(organisation: Organisation, currency: str | None = None) -> Money:
    """The prepaid wallet's balance (zero before its first movement). For other apps' pages and checks."""
    currency = currency or organisation.currency
    account = Account.objects.filter(
        organisation=organisation, kind=AccountKind.WALLET, currency=currency
    ).first()
    return Money(account.balance if account else 0, currency)


def support_credit_balance(organisation: Organisation) -> int:
    """R2.2: the support-credit balance the portal header shows."""
    account = Account.objects.filter(
        organisation=organisation, kind=AccountKind.SUPPORT_CREDITS, currency=CREDITS
    ).first()
    return int(account.balance) if account else 0


def movements_visible_to(
    actor: Actor, kinds: tuple[str, ...] = tuple(sorted(VALUE_KINDS))
) -> QuerySet[Posting]:
    """Postings on the value accounts (wallet, cashback, credits) of organisations the actor sees."""
    return (
        scoped(Posting.objects.all(), actor, organisation_field="account__organisation")
        .filter(account__kind__in=kinds)
        .select_related("entry", "entry__invoice", "account")
        .order_by("-entry__booked_at", "-id")
    )


def own_movements(actor: Actor) -> QuerySet[Posting]:
    """Movements of the actor's own organisation's balances (wallet page and API)."""
    return movements_visible_to(actor).filter(account__organisation=actor.organisation)


def journal_visible_to(actor: Actor) -> QuerySet[JournalEntry]:
    """The whole journal is the operator's books; nobody else reads it."""
    if not actor.is_operator:
        return JournalEntry.objects.none()
    return JournalEntry.objects.prefetch_related("postings__account__organisation").order_by(
        "booked_at", "id"
    )


def active_recurring_charge(*, source_app: str, source_id: str) -> RecurringCharge | None:
    """The active recurring charge another app registered for one of its objects (a seat pool, ...)."""
    return RecurringCharge.objects.filter(source_app=source_app, source_id=source_id, active=True).first()


def active_recurring_charges(*, beneficiary: Organisation, payer: Organisation) -> QuerySet[RecurringCharge]:
    """The active recurring charges `payer` pays for `beneficiary` (the partner programme moves them to
    the new payer when a client switches who pays or a partnership ends, R4.6, R4.13)."""
    return RecurringCharge.objects.filter(beneficiary=beneficiary, payer=payer, active=True).order_by("id")


def monthly_net_invoiced(actor: Actor, since: date) -> QuerySet:
    """Net invoiced per month and currency, credit notes deducted: the operator's revenue, or what a
    partner or customer was invoiced. Rows: {"month", "currency", "amount"}."""
    # A fully credited invoice turns void but was invoiced: its credit note is what deducts it.
    invoices = invoices_visible_to(actor).exclude(status=InvoiceStatus.DRAFT).filter(issue_date__gte=since)
    if not actor.is_operator:
        invoices = invoices.filter(organisation=actor.organisation)
    return (
        invoices.annotate(month=TruncMonth("issue_date"))
        .values("month", "currency")
        .annotate(amount=Sum("net"))
        .order_by("month", "currency")
    )


def monthly_cashback_earned(actor: Actor, since: date) -> QuerySet:
    """R4.7: the cashback a partner's sales earned per month (only that partner sees it)."""
    return (
        InvoiceLine.objects.exclude(invoice__status=InvoiceStatus.DRAFT)
        .filter(
            cashback_partner=actor.organisation,
            invoice__issue_date__gte=since,
        )
        .annotate(month=TruncMonth("invoice__issue_date"))
        .values("month", currency=F("invoice__currency"))
        .annotate(amount=Sum("cashback_amount"))
        .order_by("month", "currency")
    )


def monthly_vendor_sales(actor: Actor, since: date) -> QuerySet:
    """Net sales of the vendor's own products per month (lines by product code), credit notes deducted."""
    return (
        InvoiceLine.objects.exclude(invoice__status=InvoiceStatus.DRAFT)
        .filter(
            product_code__in=Product.objects.filter(vendor=actor.organisation).values("code"),
            invoice__issue_date__gte=since,
        )
        .annotate(month=TruncMonth("invoice__issue_date"))
        .values("month", currency=F("invoice__currency"))
        .annotate(amount=Sum("net_amount"))
        .order_by("month", "currency")
    )
