"""Billing cycles: recurring charges that other apps register, end-of-cycle actions, and the billing run.

The run bills every active recurring charge whose next billing date has come: one invoice per payer and
currency, one line per charge and period, paid from the wallet as far as it goes. It is safe to run
again, after a crash, or in several parts at once (processes, machines; runs.py queues them):
- a part walks the payers with charges due in payer order and claims batches of them with SELECT ...
  FOR UPDATE SKIP LOCKED on their billing account, so two parts never bill the same payer and neither
  waits for the other;
- a batch is written in sets (batch.py), a charge's next billing date moving in the same transaction as
  the invoice that bills it, and the database refuses a second line for the same charge and period;
- a payer the batch cannot bill is billed alone afterwards through the single-invoice path.
"""

from __future__ import annotations

import logging
import socket
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing import batch, invoicing, ledger, payments
from canal.billing.invoicing import billing_account_of
from canal.billing.memo import run_memo
from canal.billing.models import (
    AccountKind,
    BillingAccount,
    BillingRun,
    BillingRunStatus,
    RecurringCharge,
)
from canal.core import audit, bulk
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


Progress = Callable[[int], None]


def _due(run_date: date) -> Q:
    # Matches the partial index recurring_charge_due (active charges by date).
    return Q(active=True, next_billing_date__lte=run_date)


def due_payer_count(run_date: date) -> int:
    return RecurringCharge.objects.filter(_due(run_date)).values("payer_id").distinct().count()


def start_run(*, run_date: date, parts: int = 1, worker: str = "") -> BillingRun:
    """Opens a run of everything due on `run_date`, to be billed by `parts` workers (`bill_part`); a
    run that an earlier one left interrupted is resumed: whatever it had not billed is still due."""
    mark_interrupted_runs()
    return BillingRun.objects.create(
        run_date=run_date,
        worker=worker or socket.gethostname()[:80],
        heartbeat_at=timezone.now(),
        payers_due=due_payer_count(run_date),
        parts=parts,
        resumes=BillingRun.objects.filter(
            run_date=run_date, status=BillingRunStatus.INTERRUPTED, resumed_by__isnull=True
        ).first(),
    )


def run_billing(
    *,
    run_date: date,
    batch_size: int = 100,
    on_progress: Progress | None = None,
    worker: str = "",
) -> RunResult:
    """Bills everything due on `run_date` in this process, batch by batch (a run of one part).

    A run that stops early (an error, Ctrl+C, SIGTERM) is marked interrupted on the way out; one killed
    outright is marked by the next run, which resumes it: whatever it had not billed is still due.
    """
    run = start_run(run_date=run_date, worker=worker)
    issued = bill_part(run, batch_size=batch_size, on_progress=on_progress)
    run.refresh_from_db()
    return RunResult(run=run, invoices=issued)


def bill_part(run: BillingRun, *, batch_size: int = 100, on_progress: Progress | None = None) -> list[int]:
    """One worker's share of `run`: batches of payers claimed with SKIP LOCKED until none is left, so
    any number of parts (processes, machines) split the payers without waiting for each other. The
    part that ends last marks the run finished. Returns the ids of the invoices this part issued."""
    issued: list[int] = []
    try:
        with run_memo():
            _warm_house_accounts(run.run_date)
            _run_batches(run, batch_size, on_progress, issued)
    except BaseException:
        # Batches committed so far stay billed; what is left is still due for the run that resumes.
        BillingRun.objects.filter(pk=run.pk).update(status=BillingRunStatus.INTERRUPTED)
        raise
    BillingRun.objects.filter(pk=run.pk).update(parts_done=F("parts_done") + 1, heartbeat_at=timezone.now())
    BillingRun.objects.filter(pk=run.pk, parts_done__gte=F("parts"), status=BillingRunStatus.RUNNING).update(
        status=BillingRunStatus.FINISHED, finished_at=timezone.now()
    )
    return issued


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
class _Done:
    """What one transaction billed, added to the run's counters once it committed."""

    invoices: list[int] = field(default_factory=list)
    charges: int = 0
    payers: int = 0
    failures: int = 0


def _run_batches(run: BillingRun, batch_size: int, on_progress: Progress | None, issued: list[int]) -> None:
    """Batches in sets; a payer whose rows cannot be built, or every payer of a batch whose writing
    failed, is set aside and billed alone afterwards (the single path), where a failure is reported
    and the rest of the run goes on."""
    run_date = run.run_date
    alone: set[int] = set()
    failed: set[int] = set()
    after = 0  # this part's walk through the due payers, in organisation id order
    while True:
        claimed_ids: list[int] = []
        try:
            with transaction.atomic():
                candidates = due_payers_after(run_date, after, batch_size * 2)
                if not candidates:
                    break
                claimed = _claim_batch(candidates, batch_size, alone | failed)
                # Candidates before the last one claimed are held by other parts (they bill them);
                # those after it are looked at again by the next batch.
                full = len(claimed) == batch_size
                after = claimed[-1].organisation_id if full else candidates[-1]
                if not claimed:
                    continue
                claimed_ids = [billing_account.pk for billing_account in claimed]
                done, set_aside = _bill_batch(run, claimed, run_date)
            alone.update(set_aside)
        except Exception:
            if not claimed_ids:
                raise
            logger.exception("billing run %s: a batch failed; its payers are billed one by one", run.pk)
            alone.update(claimed_ids)
            continue
        _save_progress(run, done, issued, on_progress)
    for billing_account_id in sorted(alone):
        done = _bill_alone(run, billing_account_id, failed)
        _save_progress(run, done, issued, on_progress)


def _bill_batch(run: BillingRun, claimed: list[BillingAccount], run_date: date) -> tuple[_Done, list[int]]:
    """One locked read of the claimed payers' due charges, their end-of-cycle actions, then the whole
    batch written in sets (canal.billing.batch). Returns what was billed and the payers set aside."""
    charges_by_payer: dict[int, list[RecurringCharge]] = defaultdict(list)
    for charge in _locked_due_charges([account.organisation_id for account in claimed], run_date):
        charges_by_payer[charge.payer_id].append(charge)
    plans, drafted, set_aside = [], [], []
    for billing_account in claimed:
        try:
            charges = _after_end_of_cycle_actions(charges_by_payer[billing_account.organisation_id])
            plan = batch.plan_payer(billing_account, charges, run_date)
            drafts = batch.draft(plan, run_date)
        except Exception:
            logger.exception(
                "billing run %s: payer %s set aside, billed alone", run.pk, billing_account.organisation_id
            )
            set_aside.append(billing_account.pk)
            continue
        plans.append(plan)
        drafted.extend(drafts)
    invoices = batch.write(plans, drafted, run_date)
    done = _Done(
        invoices=[invoice.pk for invoice in invoices],
        charges=sum(len(plan.charges) for plan in plans),
        payers=len(plans),
    )
    return done, set_aside


def _locked_due_charges(payer_ids: list[int], run_date: date) -> list[RecurringCharge]:
    return list(
        RecurringCharge.objects.select_for_update(of=("self",))
        .filter(_due(run_date), payer_id__in=payer_ids)
        .select_related("beneficiary", "cashback_partner")
        .order_by("payer_id", "pk")
    )


def _after_end_of_cycle_actions(charges: list[RecurringCharge]) -> list[RecurringCharge]:
    """Runs the registered end-of-cycle actions of a payer's charges (in a savepoint, only when there
    are any, so a failing action leaves nothing behind) and returns the charges as they left them."""
    acting = [(charge, end_of_cycle_actions(charge.source_app)) for charge in charges]
    if not any(actions for _charge, actions in acting):
        return charges
    with transaction.atomic():
        for charge, actions in acting:
            for action in actions:
                action(charge=charge, cycle_end=charge.next_billing_date)
            if actions:
                charge.refresh_from_db()
    return charges


def _bill_alone(run: BillingRun, billing_account_id: int, failed: set[int]) -> _Done:
    """The single path: one payer in a transaction of its own, each invoice drafted and issued by
    `invoicing` as any other invoice is. A failure here is the payer's own: it is logged and counted,
    and its charges stay due for the next run."""
    try:
        with transaction.atomic():
            claimed = _claim_alone(run.run_date, billing_account_id, failed)
            if claimed is None:
                return _Done()  # billed meanwhile by another worker, or no longer due
            return _bill_payer(claimed, run.run_date)
    except Exception:
        logger.exception("billing run %s: billing account %s failed", run.pk, billing_account_id)
        failed.add(billing_account_id)
        return _Done(payers=1, failures=1)


def _bill_payer(billing_account: BillingAccount, run_date: date) -> _Done:
    charges = _after_end_of_cycle_actions(_locked_due_charges([billing_account.organisation_id], run_date))
    plan = batch.plan_payer(billing_account, charges, run_date)
    bulk.update_rows(plan.charges, ["next_billing_date"])
    payer = billing_account.organisation
    invoices = []
    for planned in plan.invoices:
        draft = invoicing.create_draft(
            actor=None, payer=payer, charges=planned.charges, customer=planned.customer
        )
        invoice = invoicing.issue(actor=None, invoice=draft, issue_date=run_date, fresh=True)
        if billing_account.pay_from_wallet:
            payments.pay_what_the_wallet_covers(invoice=invoice)
        invoices.append(invoice.pk)
    return _Done(invoices=invoices, charges=len(plan.charges), payers=1)


def _save_progress(run: BillingRun, done: _Done, issued: list[int], on_progress: Progress | None) -> None:
    """Adds a committed transaction's counts to the run, in a statement of its own after the commit:
    parts of one run update the same row, so it is never held for a whole batch."""
    issued.extend(done.invoices)
    BillingRun.objects.filter(pk=run.pk).update(
        invoices_issued=F("invoices_issued") + len(done.invoices),
        charges_billed=F("charges_billed") + done.charges,
        payers_done=F("payers_done") + done.payers,
        failures=F("failures") + done.failures,
        heartbeat_at=timezone.now(),
    )
    if on_progress is not None and done.payers:
        on_progress(done.payers)


def due_payer_ids(run_date: date, after: int = 0) -> QuerySet[RecurringCharge]:
    """The ids of payers (above `after`, in order) with charges due: a walk of the partial index of
    active charges by payer (recurring_charge_due) that a LIMIT stops early, so a batch's read does
    not grow with the table, however many charges ended or are paid ahead."""
    return (
        RecurringCharge.objects.filter(_due(run_date), payer_id__gt=after)
        .order_by("payer_id")
        .values_list("payer_id", flat=True)
        .distinct()
    )


def due_payers_after(run_date: date, after: int, limit: int) -> list[int]:
    return list(due_payer_ids(run_date, after)[:limit])


def claimable(payer_ids: list[int], excluded: set[int] | None = None) -> QuerySet[BillingAccount]:
    """The billing accounts of these payers, locked as they are read; payers another worker holds
    are skipped, not waited for (that worker bills them)."""
    rows = (
        BillingAccount.objects.filter(organisation_id__in=payer_ids)
        .exclude(pk__in=excluded or set())
        .select_related("organisation")
        .order_by("organisation_id")
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return rows


def _claim_batch(payer_ids: list[int], batch_size: int, excluded: set[int]) -> list[BillingAccount]:
    return list(claimable(payer_ids, excluded)[:batch_size])


def _claim_alone(run_date: date, billing_account_id: int, failed: set[int]) -> BillingAccount | None:
    payer_id = (
        BillingAccount.objects.filter(pk=billing_account_id).values_list("organisation_id", flat=True).first()
    )
    if payer_id is None or not due_payer_ids(run_date).filter(payer_id=payer_id).exists():
        return None
    return next(iter(_claim_batch([payer_id], 1, failed)), None)
