"""The billing run's batch, in sets: a fixed number of statements per batch, whatever its size.

`plan_payer` and `draft` are pure: they turn a payer's due charges into the invoices' rows in memory (a
payer whose rows cannot be built is set aside by the caller and billed alone). `write` then stores a
whole batch: one UPDATE of the charges, one INSERT of the invoices and one of their lines, the ledger
accounts by one INSERT ... ON CONFLICT and one read, and, last, the invoice numbers taken in ONE
statement, one UPDATE numbering the invoices, one INSERT each of journal entries, postings and audit
rows. The gap-free counter row is locked from that statement to the commit, a few milliseconds, so
another worker's batch numbers right after instead of waiting for this one's whole work.

The invoices are inserted as drafts and issued by the numbering UPDATE (a line can only be added to a
draft, a database trigger says so), which is one statement for the whole batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from canal.accounts.models import Organisation
from canal.billing import invoicing, ledger, payments, records
from canal.billing.einvoices.validation import check_issuable
from canal.billing.invoicing import INVOICE_SERIES, Charge
from canal.billing.models import (
    AccountKind,
    BillingAccount,
    EntryReason,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    RecurringCharge,
)
from canal.billing.periods import add_months
from canal.core import audit, bulk
from canal.core.models import AuditEntry
from canal.core.money import Money


@dataclass(frozen=True)
class InvoicePlan:
    """One invoice a payer gets: its lines (one currency) and the client it is for, if only one."""

    charges: list[Charge]
    customer: Organisation | None


@dataclass
class PayerPlan:
    """A payer's renewal: its active due charges moved past the run date (in memory) and its invoices."""

    billing_account: BillingAccount
    charges: list[RecurringCharge]
    invoices: list[InvoicePlan]


@dataclass
class Drafted:
    """One invoice's rows, built in memory, not stored yet."""

    billing_account: BillingAccount
    invoice: Invoice
    lines: list[InvoiceLine]


def plan_payer(
    billing_account: BillingAccount, charges: Sequence[RecurringCharge], run_date: date
) -> PayerPlan:
    """Every period due up to `run_date` of the payer's active charges, one invoice per currency.
    Moves each charge's next billing date on (in memory; the caller stores it)."""
    lines_by_currency: dict[str, list[Charge]] = defaultdict(list)
    moved = []
    for charge in charges:
        if not charge.active:
            continue
        while charge.next_billing_date <= run_date:
            start = charge.next_billing_date
            next_start = add_months(start, charge.period_months)
            if charge.amount or charge.quantity:
                lines_by_currency[charge.currency].append(line_for(charge, start, next_start))
            charge.next_billing_date = next_start
        moved.append(charge)
    invoices = []
    for currency in sorted(lines_by_currency):
        lines = lines_by_currency[currency]
        beneficiaries = {line.beneficiary.pk for line in lines if line.beneficiary is not None}
        customer = lines[0].beneficiary if len(beneficiaries) == 1 else None
        invoices.append(InvoicePlan(charges=lines, customer=customer))
    return PayerPlan(billing_account=billing_account, charges=moved, invoices=invoices)


def line_for(charge: RecurringCharge, start: date, next_start: date) -> Charge:
    """The invoice line for one period of a recurring charge, with the price breakdown it stores."""
    currency = charge.currency
    return Charge(
        description=charge.description,
        code=charge.code,
        quantity=charge.quantity,
        unit_price=Money(charge.unit_price, currency),
        amount=Money(charge.amount, currency),
        steps=tuple(charge.steps),
        product_code=charge.product_code,
        beneficiary=charge.beneficiary,
        period_start=start,
        period_end=next_start - timedelta(days=1),
        source_app=charge.source_app,
        source_id=charge.source_id,
        cashback_partner=charge.cashback_partner,
        cashback_amount=Money(charge.cashback_amount, currency) if charge.cashback_partner_id else None,
        recurring_charge_id=charge.pk,
    )


def draft(plan: PayerPlan, run_date: date) -> list[Drafted]:
    """The plan's invoices as rows, built exactly as a single invoice's are (`invoicing.draft_rows`),
    with everything issuing writes except the number, which the batch takes last."""
    payer = plan.billing_account.organisation
    drafted = []
    for planned in plan.invoices:
        invoice, lines = invoicing.draft_rows(payer=payer, charges=planned.charges, customer=planned.customer)
        # What `invoicing.issue` refuses before numbering, refused here: the payer is set aside.
        check_issuable(invoice, lines, buyer=payer, seller=invoicing.seller(), account=plan.billing_account)
        fields = invoicing.issued_fields(
            invoice,
            series=INVOICE_SERIES,
            number=0,
            issue_date=run_date,
            terms_days=plan.billing_account.payment_terms_days,
        )
        for name, value in fields.items():
            if name not in NUMBERED:
                setattr(invoice, name, value)
        drafted.append(Drafted(billing_account=plan.billing_account, invoice=invoice, lines=lines))
    return drafted


# Written by the numbering UPDATE at the end of the batch, with the status.
NUMBERED = ("number", "code", "issued_at")


def write(plans: Sequence[PayerPlan], drafted: Sequence[Drafted], run_date: date) -> list[Invoice]:
    """Stores one batch: the charges moved on, the invoices issued and numbered with their lines, their
    ledger entries (and cashback), audit rows, and payments from the wallets that hold money."""
    bulk.update_rows([charge for plan in plans for charge in plan.charges], ["next_billing_date"])
    if not drafted:
        return []
    invoices = [work.invoice for work in drafted]
    Invoice.objects.bulk_create(invoices)
    for work in drafted:
        for line in work.lines:
            line.invoice = work.invoice
    InvoiceLine.objects.bulk_create([line for work in drafted for line in work.lines])
    accounts = _accounts(drafted)

    # From here to the commit the gap-free counter row is locked: only a handful of statements follow.
    first = invoicing.next_number(INVOICE_SERIES, run_date.year, count=len(invoices))
    invoicing.check_issue_date(INVOICE_SERIES, run_date.year, first, run_date)  # the block shares one date
    issued_at = timezone.now()
    for offset, invoice in enumerate(invoices):
        invoice.status = InvoiceStatus.ISSUED
        invoice.number = first + offset
        invoice.code = f"{INVOICE_SERIES}{invoice.year}-{invoice.number:06d}"
        invoice.issued_at = issued_at
    bulk.update_rows(invoices, ["status", *NUMBERED])
    ledger.post_many(_entries(drafted, accounts))
    AuditEntry.objects.bulk_create(
        audit.entry(
            actor=None,
            action="invoice.issued",
            obj=invoice,
            before={"status": InvoiceStatus.DRAFT},
            after={"status": InvoiceStatus.ISSUED, "code": invoice.code, "total": str(invoice.total)},
        )
        for invoice in invoices
    )
    issued(invoices)
    _pay_from_wallets(drafted, accounts)
    return invoices


def issued(invoices: list[Invoice]) -> None:
    """Everything that follows issuing, for all of a batch's invoices at once: the place where work
    other parts of billing do on every issued invoice (`invoicing.issue`) is called in bulk."""
    records.record_issued(invoices)  # VeriFactu: one chained record per invoice, in number order


def _accounts(drafted: Sequence[Drafted]) -> dict[ledger.AccountKey, object]:
    """The payers' receivable accounts and the partners' cashback accounts, created where missing, and
    the wallets of payers who pay from them, read once for the batch."""
    receivable, cashback, wallets = set(), set(), set()
    for work in drafted:
        invoice = work.invoice
        receivable.add((invoice.organisation_id, AccountKind.RECEIVABLE, invoice.currency))
        for partner_id, _amount in invoicing.cashback_by_partner(work.lines):
            cashback.add((partner_id, AccountKind.CASHBACK, invoice.currency))
        if work.billing_account.pay_from_wallet:
            wallets.add((invoice.organisation_id, AccountKind.WALLET, invoice.currency))
    return ledger.organisation_accounts(receivable | cashback, existing_only=wallets)


def _entries(drafted: Sequence[Drafted], accounts: dict) -> list[ledger.NewEntry]:
    """The journal entries issuing writes (`invoicing._post_invoice`): the invoice's, then one per
    partner earning cashback on it."""
    entries = []
    for work in drafted:
        invoice = work.invoice
        params = {"code": invoice.code}
        if invoice.total:
            receivable = accounts[(invoice.organisation_id, AccountKind.RECEIVABLE, invoice.currency)]
            entries.append(
                ledger.NewEntry(
                    reason=EntryReason.INVOICE,
                    memo=invoicing.INVOICE_MEMO,
                    memo_params=params,
                    legs=invoicing.invoice_legs(invoice, receivable),
                    invoice=invoice,
                )
            )
        for partner_id, amount in invoicing.cashback_by_partner(work.lines):
            partner_account = accounts[(partner_id, AccountKind.CASHBACK, invoice.currency)]
            entries.append(
                ledger.NewEntry(
                    reason=EntryReason.CASHBACK,
                    memo=invoicing.CASHBACK_MEMO,
                    memo_params=params,
                    legs=invoicing.cashback_legs(partner_account, amount),
                    invoice=invoice,
                )
            )
    return entries


def _pay_from_wallets(drafted: Sequence[Drafted], accounts: dict) -> None:
    """Renewals are paid from the wallet as far as it goes; only payers whose wallet holds money (read
    with the batch's accounts) cost statements here."""
    for work in drafted:
        invoice = work.invoice
        wallet = accounts.get((invoice.organisation_id, AccountKind.WALLET, invoice.currency))
        if wallet is not None and wallet.balance > 0 and invoice.total > 0:
            payments.pay_what_the_wallet_covers(invoice=invoice)
