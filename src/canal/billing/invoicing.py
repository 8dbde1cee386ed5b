"""Invoices and credit notes: drafting, gap-free numbering, issuing (with its ledger entry) and correcting.

An issued invoice never changes (the services refuse, and database triggers refuse too); the only
correction is a credit note, a document of its own with its own number in its own series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import ClientRelationship, Organisation, OrganisationKind, RelationshipStatus
from canal.billing import ledger, records
from canal.billing.einvoices.export import validate_on_issue
from canal.billing.einvoices.validation import check_issuable
from canal.billing.ledger import Leg
from canal.billing.memo import remembered
from canal.billing.models import (
    Account,
    AccountKind,
    BillingAccount,
    EntryReason,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    TaxRate,
)
from canal.billing.taxes import TaxRule, TaxTreatment, line_tax, tax_treatment, totals
from canal.core import audit, formats
from canal.core.errors import Conflict, PermissionDenied, RuleViolation
from canal.core.money import Money
from canal.core.state_machine import machine
from canal.pricing import QuoteLine

INVOICE_SERIES = "F"
CREDIT_NOTE_SERIES = "R"  # "rectificativa": credit notes are numbered apart from invoices

INVOICE_MACHINE = machine(
    "invoice",
    {
        InvoiceStatus.DRAFT: {InvoiceStatus.ISSUED, InvoiceStatus.VOID},
        InvoiceStatus.ISSUED: {InvoiceStatus.PAID, InvoiceStatus.VOID},
        InvoiceStatus.PAID: set(),
        InvoiceStatus.VOID: set(),
    },
)


@dataclass(frozen=True)
class Charge:
    """One line to invoice: what, how many, the list unit price and the net amount after the breakdown."""

    description: str
    quantity: int
    unit_price: Money
    amount: Money
    code: str = ""
    steps: tuple[dict[str, str], ...] = ()
    product_code: str = ""
    beneficiary: Organisation | None = None
    period_start: date | None = None
    period_end: date | None = None
    source_app: str = ""
    source_id: str = ""
    cashback_partner: Organisation | None = None
    cashback_amount: Money | None = None
    recurring_charge_id: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.amount != self.amount.quantize():
            raise ValueError(f"{self.description}: {self.amount} is not rounded to the minor unit.")
        if self.unit_price.currency != self.amount.currency:
            raise ValueError(f"{self.description}: unit price and amount are in different currencies.")

    @classmethod
    def from_quote_line(cls, line: QuoteLine, **extra: Any) -> Charge:
        """A charge that keeps the pricing engine's breakdown (list, discounts, proration)."""
        return cls(
            description=line.description,
            code=line.code,
            quantity=line.quantity,
            unit_price=line.unit_list_price,
            amount=line.amount,
            steps=steps_as_json(line),
            **extra,
        )


def steps_as_json(line: QuoteLine) -> tuple[dict[str, str], ...]:
    return tuple(
        {
            "kind": str(step.kind),
            "label": step.label,
            "rate_or_factor": str(step.rate_or_factor),
            "amount_before": str(step.amount_before.amount),
            "amount_after": str(step.amount_after.amount),
        }
        for step in line.steps
    )


@dataclass(frozen=True)
class Seller:
    name: str
    legal_id: str
    country: str


def seller() -> Seller:
    """The operator issues every invoice; settings name it when no operator organisation exists yet."""
    return remembered("seller", _seller)


def _seller() -> Seller:
    operator = Organisation.objects.filter(kind=OrganisationKind.OPERATOR).order_by("id").first()
    if operator is not None:
        return Seller(operator.name, operator.legal_id, operator.country)
    return Seller(
        getattr(settings, "BILLING_SELLER_NAME", "Canal"),
        getattr(settings, "BILLING_SELLER_LEGAL_ID", ""),
        getattr(settings, "BILLING_SELLER_COUNTRY", "ES"),
    )


def treatment_for(buyer: Organisation, seller_country: str) -> TaxTreatment:
    row = remembered(
        ("tax_rate", buyer.country), lambda: TaxRate.objects.filter(country=buyer.country).first()
    )
    rule = (
        TaxRule(row.country, row.name, row.rate, row.reverse_charge_for_business) if row is not None else None
    )
    return tax_treatment(
        seller_country=seller_country,
        buyer_country=buyer.country,
        buyer_is_business=bool(buyer.legal_id),
        rule=rule,
    )


def billing_account_of(organisation: Organisation) -> BillingAccount:
    return remembered(
        ("billing_account", organisation.pk),
        lambda: BillingAccount.objects.get_or_create(organisation=organisation)[0],
    )


def next_number(series: str, year: int, count: int = 1) -> int:
    """The next number in `series` for `year` (the first of the next `count`, for a billing run's batch),
    taken under a row lock: no gaps, no duplicates.

    The counter row is created with INSERT ... ON CONFLICT DO NOTHING, so parallel first invoices of a
    year wait on the unique index instead of failing. The number is taken in the issuing transaction:
    if issuing rolls back, so does the counter.
    """
    table = InvoiceCounter._meta.db_table
    # UPDATE ... RETURNING takes the row lock and the number in one statement (PostgreSQL, SQLite 3.35+).
    sql = (
        f"UPDATE {table} SET last_number = last_number + %s "  # noqa: S608 - the table name is ours
        "WHERE series = %s AND year = %s RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, series, year])
        row = cursor.fetchone()
        if row is None:
            InvoiceCounter.objects.bulk_create(
                [InvoiceCounter(series=series, year=year)], ignore_conflicts=True
            )
            cursor.execute(sql, [count, series, year])
            row = cursor.fetchone()
    return int(row[0]) - count + 1


def check_issue_date(series: str, year: int, number: int, issue_date: date) -> None:
    """Numbers and issue dates rise together in a series: number n may not be dated before number n-1.

    Called with the counter row locked, so number n-1 is committed or issued in this very transaction,
    and the dates before it already rose with their numbers: n-1 holds the series' latest date."""
    last = (
        Invoice.objects.filter(series=series, year=year, number=number - 1)
        .values_list("issue_date", flat=True)
        .first()
    )
    if last is not None and issue_date < last:
        raise RuleViolation(
            _(
                "The last document of series %(series)s%(year)s was issued on %(last)s; a later number "
                "cannot be dated %(date)s. Issue it on %(last)s or later."
            )
            % {"series": series, "year": year, "last": formats.when(last), "date": formats.when(issue_date)},
            code="issue_date_before_series",
            field="issue_date",
        )


def check_may_bill(actor: Actor | None, payer: Organisation, customer: Organisation | None) -> None:
    """Callers invoice for their own organisation, a client they manage, or as operator or system."""
    if actor is None or actor.is_operator:
        return
    mine = actor.organisation.pk
    if mine in {payer.pk, getattr(customer, "pk", None)}:
        return
    manages = ClientRelationship.objects.filter(
        partner_id=mine,
        client_id__in=[payer.pk, getattr(customer, "pk", None)],
        status=RelationshipStatus.ACTIVE,
    ).exists()
    if not manages:
        raise PermissionDenied(_("You may not invoice this organisation."), field="payer")


def draft_rows(
    *,
    payer: Organisation,
    charges: Sequence[Charge],
    customer: Organisation | None = None,
    kind: str = InvoiceKind.INVOICE,
    reference: str = "",
    origin_key: str | None = None,
    credited_invoice: Invoice | None = None,
) -> tuple[Invoice, list[InvoiceLine]]:
    """The unsaved draft and its lines, taxed by the payer's country: one invoice's rows, built the same
    way for a single invoice and for a billing run's batch (canal.billing.batch)."""
    currency = charges[0].amount.currency
    treatment = treatment_for(payer, seller().country)
    invoice = Invoice(
        kind=kind,
        organisation=payer,
        customer=customer if customer is not None and customer.pk != payer.pk else None,
        currency=currency,
        language=payer.language,
        tax_name=treatment.name,
        reverse_charge=treatment.reverse_charge,
        reference=reference,
        origin_key=origin_key,
        credited_invoice=credited_invoice,
    )
    lines = []
    for position, charge in enumerate(charges, start=1):
        tax = line_tax(charge.amount, treatment.rate)
        lines.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                description=charge.description[:300],
                code=charge.code,
                quantity=charge.quantity,
                unit_price=charge.unit_price.amount,
                net_amount=charge.amount.amount,
                tax_rate=treatment.rate,
                tax_amount=tax.amount,
                total_amount=(charge.amount + tax).amount,
                steps=list(charge.steps),
                product_code=charge.product_code,
                beneficiary=charge.beneficiary,
                period_start=charge.period_start,
                period_end=charge.period_end,
                source_app=charge.source_app,
                source_id=charge.source_id,
                recurring_charge_id=charge.recurring_charge_id,
                cashback_partner=charge.cashback_partner,
                cashback_amount=charge.cashback_amount.amount if charge.cashback_amount else Decimal(0),
            )
        )
    summed = totals(
        ((Money(line.net_amount, currency), Money(line.tax_amount, currency)) for line in lines), currency
    )
    invoice.net, invoice.tax, invoice.total = summed.net.amount, summed.tax.amount, summed.total.amount
    return invoice, lines


def create_draft(
    *,
    actor: Actor | None,
    payer: Organisation,
    charges: Sequence[Charge],
    customer: Organisation | None = None,
    kind: str = InvoiceKind.INVOICE,
    reference: str = "",
    origin_key: str | None = None,
    credited_invoice: Invoice | None = None,
) -> Invoice:
    """A draft invoice (no number yet) with its lines, taxed by the payer's country."""
    if not charges:
        raise RuleViolation(_("An invoice needs at least one line."), code="no_lines", field="lines")
    currency = charges[0].amount.currency
    if any(charge.amount.currency != currency for charge in charges):
        raise RuleViolation(
            _("All lines of an invoice must be in one currency; invoice each currency separately."),
            code="mixed_currencies",
            field="lines",
        )
    with transaction.atomic(savepoint=False):
        invoice, lines = draft_rows(
            payer=payer,
            charges=charges,
            customer=customer,
            kind=kind,
            reference=reference,
            origin_key=origin_key,
            credited_invoice=credited_invoice,
        )
        invoice.save(force_insert=True)
        for line in lines:
            line.invoice = invoice
        InvoiceLine.objects.bulk_create(lines)
        # Issuing in the same transaction credits cashback from these, without reading them back.
        invoice._draft_lines = lines  # type: ignore[attr-defined]
        audit.record(actor=actor, action="invoice.drafted", obj=invoice, after={"total": str(invoice.total)})
    return invoice


def issued_fields(
    invoice: Invoice, *, series: str, number: int, issue_date: date, terms_days: int
) -> dict[str, Any]:
    """What issuing writes on an invoice: its number and dates, the buyer and seller frozen as they are."""
    payer = invoice.organisation
    issuer = seller()
    return {
        "series": series,
        "year": issue_date.year,
        "number": number,
        "code": f"{series}{issue_date.year}-{number:06d}",
        "issue_date": issue_date,
        "due_date": issue_date + timedelta(days=terms_days),
        "issued_at": timezone.now(),
        "buyer_name": payer.name,
        "buyer_legal_id": payer.legal_id,
        "buyer_country": payer.country,
        "seller_name": issuer.name,
        "seller_legal_id": issuer.legal_id,
        "seller_country": issuer.country,
    }


def issue(
    *, actor: Actor | None, invoice: Invoice, issue_date: date, fresh: bool = False, record: bool = True
) -> Invoice:
    """Number the draft, freeze the buyer and seller, post it to the ledger and credit any cashback.

    `fresh` says the caller created the draft in this very transaction, so it need not be read again
    (and needs no savepoint of its own: the caller's transaction holds the draft). `record=False` is for
    callers issuing a set, who append the set's billing records at once (`records.record_issued`)."""
    with transaction.atomic(savepoint=not fresh):
        if not fresh:
            invoice = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=invoice.pk)
            )
        if invoice.status != InvoiceStatus.DRAFT:
            raise Conflict(
                _("Invoice %(code)s is already issued; correct it with a credit note.") % {"code": invoice},
                code="invoice_immutable",
            )
        # EN 16931 needs these facts of every issued document (billing.einvoices): refuse before numbering.
        drafted = getattr(invoice, "_draft_lines", None)
        check_issuable(
            invoice,
            drafted if drafted is not None else list(invoice.lines.all()),
            buyer=invoice.organisation,
            seller=seller(),
            account=billing_account_of(invoice.organisation),
        )
        series = CREDIT_NOTE_SERIES if invoice.is_credit_note else INVOICE_SERIES
        number = next_number(series, issue_date.year)
        check_issue_date(series, issue_date.year, number, issue_date)
        terms = billing_account_of(invoice.organisation).payment_terms_days
        fields = issued_fields(invoice, series=series, number=number, issue_date=issue_date, terms_days=terms)
        # Issue through the state machine, saving the numbering fields in the same UPDATE.
        INVOICE_MACHINE.transition(invoice, InvoiceStatus.ISSUED, actor=actor, extra=fields)
        if not invoice.is_credit_note:
            _post_invoice(invoice, actor)
        if record:
            records.record_issued([invoice], actor=actor)
    return invoice


INVOICE_MEMO = gettext_noop("Invoice %(code)s")
CASHBACK_MEMO = gettext_noop("Cashback on invoice %(code)s")


def invoice_legs(invoice: Invoice, receivable: Account) -> list[Leg]:
    """The issued invoice's entry: the payer owes the total, revenue and tax take their parts."""
    currency = invoice.currency
    legs = [
        Leg(receivable, -invoice.total),
        Leg(ledger.house_account(AccountKind.REVENUE, currency), invoice.net),
    ]
    if invoice.tax:
        legs.append(Leg(ledger.house_account(AccountKind.TAX, currency), invoice.tax))
    return legs


def cashback_legs(partner_account: Account, amount: Decimal) -> list[Leg]:
    """R4.7: the partner's cashback lands in its cashback account, at the operator's expense."""
    expense = ledger.house_account(AccountKind.PARTNER_CASHBACK, partner_account.currency)
    return [Leg(partner_account, amount), Leg(expense, -amount)]


def cashback_by_partner(lines: Iterable[InvoiceLine]) -> list[tuple[int, Decimal]]:
    """The cashback the lines earn, summed per partner, in partner order."""
    per_partner: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.cashback_amount > 0:
            per_partner[line.cashback_partner_id] += line.cashback_amount
    return sorted(per_partner.items())


def _post_invoice(invoice: Invoice, actor: Actor | None) -> None:
    if invoice.total:
        receivable = ledger.organisation_account(
            invoice.organisation_id, AccountKind.RECEIVABLE, invoice.currency
        )
        ledger.post(
            reason=EntryReason.INVOICE,
            memo=INVOICE_MEMO,
            memo_params={"code": invoice.code},
            legs=invoice_legs(invoice, receivable),
            invoice=invoice,
            user=getattr(actor, "user", None),
        )
    _credit_cashback(invoice, actor)


def _credit_cashback(invoice: Invoice, actor: Actor | None) -> None:
    """R4.7: the partner's cashback lands in its cashback account, referring to this invoice."""
    drafted = getattr(invoice, "_draft_lines", None)
    lines = drafted if drafted is not None else invoice.lines.filter(cashback_amount__gt=0)
    for partner_id, amount in cashback_by_partner(lines):
        ledger.post(
            reason=EntryReason.CASHBACK,
            memo=CASHBACK_MEMO,
            memo_params={"code": invoice.code},
            legs=cashback_legs(
                ledger.organisation_account(partner_id, AccountKind.CASHBACK, invoice.currency), amount
            ),
            invoice=invoice,
            user=getattr(actor, "user", None),
        )


def create_and_issue(
    *,
    actor: Actor | None,
    payer: Organisation,
    charges: Sequence[Charge],
    issue_date: date,
    customer: Organisation | None = None,
    reference: str = "",
    origin_key: str | None = None,
) -> Invoice:
    check_may_bill(actor, payer, customer)
    with transaction.atomic(savepoint=False):
        draft = create_draft(
            actor=actor,
            payer=payer,
            charges=charges,
            customer=customer,
            reference=reference,
            origin_key=origin_key,
        )
        invoice = issue(actor=actor, invoice=draft, issue_date=issue_date, fresh=True)
        # One invoice at a time: its structured files are checked against the schemas before it commits.
        validate_on_issue(invoice, invoice._draft_lines)  # type: ignore[attr-defined]
        return invoice


def credit(
    *,
    actor: Actor | None,
    invoice: Invoice,
    issue_date: date,
    reason: str,
    line_positions: Sequence[int] | None = None,
) -> Invoice:
    """A credit note for the whole invoice or some of its lines: the only correction of an issued invoice.

    What is still unpaid is cancelled; what was already paid goes back to the payer's prepaid wallet
    (money never leaves without a payment); cashback earned on the credited lines is taken back.
    """
    if not reason.strip():
        raise RuleViolation(_("Say why the invoice is corrected."), code="reason_required", field="reason")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.is_credit_note or invoice.status not in {InvoiceStatus.ISSUED, InvoiceStatus.PAID}:
            raise Conflict(
                _("Only an issued invoice can be credited; %(code)s is %(status)s.")
                % {"code": invoice, "status": invoice.get_status_display()},
                code="not_creditable",
            )
        lines = list(invoice.lines.order_by("position"))
        if line_positions is not None:
            lines = [line for line in lines if line.position in set(line_positions)]
        already = {
            line.source_id
            for line in InvoiceLine.objects.filter(
                invoice__credited_invoice=invoice,
                invoice__status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID],
            )
        }
        lines = [line for line in lines if str(line.pk) not in already]
        if not lines:
            raise Conflict(
                _("These lines of %(code)s were already credited.") % {"code": invoice},
                code="already_credited",
            )
        currency = invoice.currency
        note = Invoice.objects.create(
            kind=InvoiceKind.CREDIT_NOTE,
            organisation=invoice.organisation,
            customer=invoice.customer,
            currency=currency,
            language=invoice.language,
            tax_name=invoice.tax_name,
            reverse_charge=invoice.reverse_charge,
            reference=reason[:120],
            credited_invoice=invoice,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=note,
                position=position,
                description=line.description,
                code=line.code,
                quantity=-line.quantity,
                unit_price=line.unit_price,
                net_amount=-line.net_amount,
                tax_rate=line.tax_rate,
                tax_amount=-line.tax_amount,
                total_amount=-line.total_amount,
                steps=line.steps,
                product_code=line.product_code,
                beneficiary_id=line.beneficiary_id,
                period_start=line.period_start,
                period_end=line.period_end,
                # The credited line's id, so a line is never credited twice.
                source_app="billing.invoiceline",
                source_id=str(line.pk),
                cashback_partner_id=line.cashback_partner_id,
                cashback_amount=line.cashback_amount,
            )
            for position, line in enumerate(lines, start=1)
        )
        summed = totals(
            ((Money(-line.net_amount, currency), Money(-line.tax_amount, currency)) for line in lines),
            currency,
        )
        note.net, note.tax, note.total = summed.net.amount, summed.tax.amount, summed.total.amount
        note.save(update_fields=["net", "tax", "total"])
        audit.record(actor=actor, action="credit_note.drafted", obj=note, reason=reason)
        issued = issue(actor=actor, invoice=note, issue_date=issue_date, record=False)
        validate_on_issue(issued)
        _post_credit_note(note, invoice, actor)
        # Recorded after its postings: every issuing path locks ledger accounts before the record chain
        # (a billing run and `issue` post first too), so a credit note and an invoice never deadlock.
        records.record_issued([issued], actor=actor)
    note.refresh_from_db()
    return note


def _post_credit_note(note: Invoice, invoice: Invoice, actor: Actor | None) -> None:
    currency = invoice.currency
    credited = -note.total  # positive
    cancels = min(credited, invoice.amount_due)
    refund = credited - cancels
    user = getattr(actor, "user", None)
    receivable = ledger.organisation_account(invoice.organisation_id, AccountKind.RECEIVABLE, currency)
    legs = [Leg(receivable, credited), Leg(ledger.house_account(AccountKind.REVENUE, currency), note.net)]
    if note.tax:
        legs.append(Leg(ledger.house_account(AccountKind.TAX, currency), note.tax))
    ledger.post(
        reason=EntryReason.CREDIT_NOTE,
        memo=gettext_noop("Credit note %(note)s for %(code)s"),
        memo_params={"note": note.code, "code": invoice.code},
        legs=legs,
        invoice=note,
        user=user,
    )
    if refund:
        ledger.post(
            reason=EntryReason.REFUND_TO_WALLET,
            memo=gettext_noop("Paid amount of %(code)s returned to the wallet"),
            memo_params={"code": invoice.code},
            legs=[
                Leg(receivable, -refund),
                Leg(
                    ledger.organisation_account(invoice.organisation_id, AccountKind.WALLET, currency), refund
                ),
            ],
            invoice=note,
            user=user,
        )
    _reverse_cashback(note, actor)
    before = {"amount_credited": str(invoice.amount_credited), "status": invoice.status}
    invoice.amount_credited += cancels
    invoice.save(update_fields=["amount_credited"])
    if invoice.status == InvoiceStatus.ISSUED and invoice.amount_due == 0:
        target = InvoiceStatus.PAID if invoice.amount_paid else InvoiceStatus.VOID
        INVOICE_MACHINE.transition(
            invoice,
            target,
            actor=actor,
            reason=f"credit note {note.code}",
            extra={"settled_at": timezone.now()},
        )
    audit.record(
        actor=actor,
        action="invoice.credited",
        obj=invoice,
        before=before,
        after={"amount_credited": str(invoice.amount_credited), "credit_note": note.code},
    )


def _reverse_cashback(note: Invoice, actor: Actor | None) -> None:
    """Cashback on credited lines is taken back; what the partner already spent it owes (receivable)."""
    per_partner: dict[int, Decimal] = {}
    for partner_id, amount in note.lines.filter(cashback_amount__gt=0).values_list(
        "cashback_partner_id", "cashback_amount"
    ):
        per_partner[partner_id] = per_partner.get(partner_id, Decimal(0)) + amount
    for partner_id, amount in sorted(per_partner.items()):
        account = ledger.organisation_account(partner_id, AccountKind.CASHBACK, note.currency)
        held = ledger.locked_balance(account)
        from_balance = min(held, amount)
        legs = [Leg(ledger.house_account(AccountKind.PARTNER_CASHBACK, note.currency), amount)]
        if from_balance:
            legs.append(Leg(account, -from_balance))
        if amount - from_balance:
            legs.append(
                Leg(
                    ledger.organisation_account(partner_id, AccountKind.RECEIVABLE, note.currency),
                    -(amount - from_balance),
                )
            )
        ledger.post(
            reason=EntryReason.CASHBACK_REVERSAL,
            memo=gettext_noop("Cashback reversed by credit note %(code)s"),
            memo_params={"code": note.code},
            legs=legs,
            invoice=note,
            user=getattr(actor, "user", None),
        )
