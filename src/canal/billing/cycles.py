"""Billing cycles: recurring charges that other apps register, end-of-cycle actions, and the billing run.

The run bills every active recurring charge whose next billing date has come: one invoice per payer and
currency, one line per charge and period, paid from the wallet as far as it goes. It is safe to run
again, after a crash, or on several workers at once:
- a charge's next billing date moves forward in the same transaction as the invoice that bills it, and
  the database refuses a second line for the same charge and period;
- workers claim payers in batches with SELECT ... FOR UPDATE SKIP LOCKED on their billing account, so
  two workers never bill the same payer and neither waits for the other.
"""

from __future__ import annotations

import logging
import socket
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing import invoicing, ledger, payments
from canal.billing.invoicing import Charge, billing_account_of
from canal.billing.memo import run_memo
from canal.billing.models import (
    AccountKind,
    BillingAccount,
    BillingRun,
    BillingRunStatus,
    Invoice,
    RecurringCharge,
)
from canal.billing.periods import add_months
from canal.core import audit
from canal.core.errors import RuleViolation
from canal.core.money import Money

logger = logging.getLogger(__name__)
# A batch takes seconds; a running run silent for this long was killed (kill -9, a lost machine).
RUN_SILENCE_LIMIT = timedelta(minutes=10)


class EndOfCycleAction(Protocol):
    def __call__(self, *, charge: RecurringCharge, cycle_end: date) -> None: ...


@dataclass(frozen=True)
class _Registered:
    action: EndOfCycleAction
    source_app: str | None


_actions: list[_Registered] = []


def register_end_of_cycle_action(action: EndOfCycleAction, *, source_app: str | None = None) -> None:
    """Have `action(charge=, cycle_end=)` called before each renewal of a due charge (of `source_app`
    only, when given). It runs in the run's transaction, may change the charge through
    `update_recurring_charge` or end it with `end_recurring_charge`, and the renewal bills what is left.
    R3.7 uses it: free seat licenses above the contract minimum go before the next cycle is billed."""
    if not any(entry.action is action for entry in _actions):
        _actions.append(_Registered(action, source_app))


def end_of_cycle_actions(source_app: str) -> list[EndOfCycleAction]:
    return [entry.action for entry in _actions if entry.source_app in (None, source_app)]


def create_recurring_charge(
    *,
    actor: Actor | None,
    payer: Organisation,
    beneficiary: Organisation,
    description: str,
    quantity: int,
    unit_price: Money,
    amount: Money,
    next_billing_date: date,
    period_months: int = 1,
    steps: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    code: str = "",
    product_code: str = "",
    source_app: str = "",
    source_id: str = "",
    cashback_partner: Organisation | None = None,
    cashback_amount: Money | None = None,
    reference: str = "",
) -> RecurringCharge:
    """Registers something to bill every `period_months` from `next_billing_date` on, until ended."""
    if amount.currency != unit_price.currency or amount != amount.quantize() or amount.amount < 0:
        raise RuleViolation(
            _("A recurring charge needs a rounded, non-negative amount in one currency."), field="amount"
        )
    with transaction.atomic():
        billing_account_of(payer)
        charge = RecurringCharge.objects.create(
            payer=payer,
            beneficiary=beneficiary,
            description=description[:300],
            code=code,
            product_code=product_code,
            quantity=quantity,
            unit_price=unit_price.amount,
            amount=amount.amount,
            steps=list(steps),
            currency=amount.currency,
            period_months=period_months,
            next_billing_date=next_billing_date,
            cashback_partner=cashback_partner,
            cashback_amount=cashback_amount.amount if cashback_amount else Decimal(0),
            reference=reference,
            source_app=source_app,
            source_id=source_id,
        )
        audit.record(actor=actor, action="recurring_charge.created", obj=charge, after=_snapshot(charge))
    return charge


def update_recurring_charge(
    *,
    actor: Actor | None,
    charge: RecurringCharge,
    quantity: int | None = None,
    unit_price: Money | None = None,
    amount: Money | None = None,
    steps: tuple[dict[str, str], ...] | list[dict[str, str]] | None = None,
    cashback_amount: Money | None = None,
    description: str | None = None,
    payer: Organisation | None = None,
    reason: str = "",
) -> RecurringCharge:
    """Changes what the next renewals bill (a new quantity and its price, or a new payer when a client
    switches who pays, R4.6, R4.13). Nothing billed is touched."""
    before = _snapshot(charge)
    for name, value in (("quantity", quantity), ("description", description), ("payer", payer)):
        if value is not None:
            setattr(charge, name, value)
    for name, money in (("unit_price", unit_price), ("amount", amount), ("cashback_amount", cashback_amount)):
        if money is not None:
            if money.currency != charge.currency:
                raise RuleViolation(_("A recurring charge keeps its currency."), field=name)
            setattr(charge, name, money.amount)
    if steps is not None:
        charge.steps = list(steps)
    charge.save()
    audit.record(
        actor=actor,
        action="recurring_charge.updated",
        obj=charge,
        before=before,
        after=_snapshot(charge),
        reason=reason,
    )
    return charge


def end_recurring_charge(
    *, actor: Actor | None, charge: RecurringCharge, reason: str = ""
) -> RecurringCharge:
    """Stops future renewals. R3.9: nothing already billed is refunded."""
    if charge.active:
        charge.active = False
        charge.save(update_fields=["active"])
        audit.record(
            actor=actor,
            action="recurring_charge.ended",
            obj=charge,
            before={"active": True},
            after={"active": False},
            reason=reason,
        )
    return charge


def _snapshot(charge: RecurringCharge) -> dict[str, Any]:
    return {
        "payer": charge.payer_id,
        "quantity": charge.quantity,
        "unit_price": str(charge.unit_price),
        "amount": str(charge.amount),
        "next_billing_date": str(charge.next_billing_date),
        "active": charge.active,
    }


@dataclass
class RunResult:
    run: BillingRun
    invoices: list[int]


def _due(run_date: date) -> Q:
    return Q(active=True, next_billing_date__lte=run_date)


def due_payer_count(run_date: date) -> int:
    return RecurringCharge.objects.filter(_due(run_date)).values("payer_id").distinct().count()


def run_billing(
    *,
    run_date: date,
    batch_size: int = 50,
    on_payer_done: Callable[[], None] | None = None,
    worker: str = "",
) -> RunResult:
    """Bills everything due on `run_date`, batch by batch, until this worker can claim nothing more.

    A run that stops early (an error, Ctrl+C, SIGTERM) is marked interrupted on the way out; one killed
    outright is marked by the next run, which resumes it: whatever it had not billed is still due.
    """
    mark_interrupted_runs()
    run = BillingRun.objects.create(
        run_date=run_date,
        worker=worker or socket.gethostname()[:80],
        heartbeat_at=timezone.now(),
        resumes=BillingRun.objects.filter(
            run_date=run_date, status=BillingRunStatus.INTERRUPTED, resumed_by__isnull=True
        ).first(),
    )
    issued: list[int] = []
    failed: set[int] = set()
    try:
        with run_memo():
            _warm_house_accounts(run_date)
            _run_batches(run, run_date, batch_size, on_payer_done, issued, failed)
    except BaseException:
        # Only the status: the counters in memory include the batch that just rolled back.
        BillingRun.objects.filter(pk=run.pk).update(status=BillingRunStatus.INTERRUPTED)
        raise
    run.status = BillingRunStatus.FINISHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return RunResult(run=run, invoices=issued)


def mark_interrupted_runs(*, now: datetime | None = None) -> int:
    """Runs still 'running' whose heartbeat stopped were killed: they are marked interrupted."""
    silent_since = (now or timezone.now()) - RUN_SILENCE_LIMIT
    return BillingRun.objects.filter(status=BillingRunStatus.RUNNING, heartbeat_at__lt=silent_since).update(
        status=BillingRunStatus.INTERRUPTED
    )


def _warm_house_accounts(run_date: date) -> None:
    """Creates the house accounts the run will post to before any batch, so the run can cache them."""
    currencies = RecurringCharge.objects.filter(_due(run_date)).values_list("currency", flat=True).distinct()
    for currency in currencies:
        for kind in (AccountKind.REVENUE, AccountKind.TAX, AccountKind.PARTNER_CASHBACK):
            ledger.house_account(kind, currency)


@dataclass
class _Drafted:
    """A payer's work done in the first half of a batch: its charges moved on, its invoices drafted."""

    billing_account: BillingAccount
    drafts: list[Invoice]
    billed: int


class _IssueFailed(Exception):
    """Issuing a payer's drafts failed at the end of a batch; the batch rolls back and that payer is
    billed again alone, where its failure is reported without holding the others back."""

    def __init__(self, billing_account_id: int) -> None:
        super().__init__(billing_account_id)
        self.billing_account_id = billing_account_id


def _run_batches(
    run: BillingRun,
    run_date: date,
    batch_size: int,
    on_payer_done: Callable[[], None] | None,
    issued: list[int],
    failed: set[int],
) -> None:
    alone: set[int] = set()
    while True:
        try:
            with transaction.atomic():
                claimed = list(_claim_batch(run_date, batch_size, failed | alone))
                if not claimed:
                    break
                done = _bill_batch(run, claimed, run_date, failed, on_payer_done)
                _save_progress(run, done, issued, on_payer_done)
        except _IssueFailed as failure:
            alone.add(failure.billing_account_id)
    for billing_account_id in sorted(alone):
        try:
            with transaction.atomic():
                claimed = list(_claim_batch(run_date, 1, failed, only=billing_account_id))
                if claimed:
                    done = _bill_batch(run, claimed, run_date, failed, on_payer_done)
                    _save_progress(run, done, issued, on_payer_done)
        except _IssueFailed:
            failed.add(billing_account_id)
            run.failures += 1
            _save_progress(run, [], issued, None)
            if on_payer_done is not None:
                on_payer_done()


def _bill_batch(
    run: BillingRun,
    claimed: list[BillingAccount],
    run_date: date,
    failed: set[int],
    on_payer_done: Callable[[], None] | None,
) -> list[_Drafted]:
    """Drafts every claimed payer's invoices first, each payer in a savepoint of its own, and only then
    issues them: the gap-free counter row is locked from the batch's first number to its commit, so
    drafting (the end-of-cycle actions, the charges, the lines) happens before and another worker's
    numbering does not wait for it."""
    drafted: list[_Drafted] = []
    for billing_account in claimed:
        try:
            with transaction.atomic():
                drafted.append(_draft_payer(billing_account, run_date))
        except Exception:
            logger.exception("billing run %s: payer %s failed", run.pk, billing_account.organisation_id)
            failed.add(billing_account.pk)
            run.failures += 1
            if on_payer_done is not None:
                on_payer_done()
    for work in drafted:
        try:
            with transaction.atomic(savepoint=False):
                _issue_payer(work, run_date)
        except Exception as error:
            logger.exception("billing run %s: issuing for payer %s failed", run.pk, work.billing_account.pk)
            raise _IssueFailed(work.billing_account.pk) from error
    return drafted


def _save_progress(
    run: BillingRun, done: list[_Drafted], issued: list[int], on_payer_done: Callable[[], None] | None
) -> None:
    for work in done:
        issued.extend(invoice.pk for invoice in work.drafts)
        run.invoices_issued += len(work.drafts)
        run.charges_billed += work.billed
        if on_payer_done is not None:
            on_payer_done()
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["invoices_issued", "charges_billed", "failures", "heartbeat_at"])


def _claim_batch(
    run_date: date, batch_size: int, failed: set[int], only: int | None = None
) -> Iterator[BillingAccount]:
    due_payers = RecurringCharge.objects.filter(_due(run_date)).values("payer_id")
    rows = (
        BillingAccount.objects.filter(organisation_id__in=due_payers)
        .exclude(pk__in=failed)
        .select_related("organisation")
        .order_by("pk")
    )
    if only is not None:
        rows = rows.filter(pk=only)
    if connection.features.has_select_for_update_skip_locked:
        # Payers another worker holds are skipped, not waited for: that worker bills them.
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    yield from rows[:batch_size]


def _draft_payer(billing_account: BillingAccount, run_date: date) -> _Drafted:
    """Runs the end-of-cycle actions of the payer's due charges, moves the charges on and drafts an
    invoice per currency for every period due."""
    payer = billing_account.organisation
    charges = list(
        RecurringCharge.objects.select_for_update(of=("self",))
        .filter(_due(run_date), payer=payer)
        .select_related("beneficiary", "cashback_partner")
        .order_by("pk")
    )
    for charge in charges:
        actions = end_of_cycle_actions(charge.source_app)
        for action in actions:
            action(charge=charge, cycle_end=charge.next_billing_date)
        if actions:
            charge.refresh_from_db()
    lines_by_currency: dict[str, list[Charge]] = defaultdict(list)
    billed = 0
    for charge in charges:
        if not charge.active:
            continue
        while charge.next_billing_date <= run_date:
            start = charge.next_billing_date
            next_start = add_months(start, charge.period_months)
            if charge.amount or charge.quantity:
                lines_by_currency[charge.currency].append(_line_for(charge, start, next_start))
            charge.next_billing_date = next_start
        charge.save(update_fields=["next_billing_date"])
        billed += 1
    drafts = []
    for currency in sorted(lines_by_currency):
        lines = lines_by_currency[currency]
        beneficiaries = {line.beneficiary.pk for line in lines if line.beneficiary is not None}
        customer = lines[0].beneficiary if len(beneficiaries) == 1 else None
        invoicing.check_may_bill(None, payer, customer)
        drafts.append(invoicing.create_draft(actor=None, payer=payer, charges=lines, customer=customer))
    return _Drafted(billing_account=billing_account, drafts=drafts, billed=billed)


def _issue_payer(work: _Drafted, run_date: date) -> None:
    """Numbers, posts and (from the wallet, when the payer asked for it) pays the payer's drafts."""
    for draft in work.drafts:
        invoice = invoicing.issue(actor=None, invoice=draft, issue_date=run_date, fresh=True)
        if work.billing_account.pay_from_wallet:
            payments.pay_what_the_wallet_covers(invoice=invoice)


def _line_for(charge: RecurringCharge, start: date, next_start: date) -> Charge:
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
