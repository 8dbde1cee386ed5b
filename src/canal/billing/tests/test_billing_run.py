from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canal.accounts.models import OrganisationKind
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import batch, cycles, ledger
from canal.billing.invoicing import Charge, steps_as_json
from canal.billing.models import (
    BillingRun,
    BillingRunStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Posting,
    RecurringCharge,
)
from canal.billing.services import (
    create_recurring_charge,
    end_recurring_charge,
    invoice_and_charge,
    update_recurring_charge,
)
from canal.billing.tests.helpers import fund_wallet, spanish_vat, wallet_of
from canal.core.money import Money
from canal.pricing import Item, PerUnit, Proration, quote


def monthly(payer, amount="50.00", starts=date(2026, 4, 1), **extra):
    return create_recurring_charge(
        actor=None,
        payer=payer,
        beneficiary=payer,
        description="Hosting",
        quantity=1,
        unit_price=Money(amount, payer.currency),
        amount=Money(amount, payer.currency),
        next_billing_date=starts,
        **extra,
    )


@pytest.fixture(autouse=True)
def _no_actions_registered(monkeypatch):
    monkeypatch.setattr(cycles, "_actions", [])


def test_the_run_bills_what_is_due_once_per_payer_and_moves_the_next_date(db):
    payer = OrganisationFactory()
    monthly(payer, "50.00")
    monthly(payer, "20.00")
    monthly(OrganisationFactory(), "10.00", starts=date(2026, 5, 1))

    result = cycles.run_billing(run_date=date(2026, 4, 1))

    invoice = Invoice.objects.get()
    assert (invoice.organisation, invoice.net, len(result.invoices)) == (payer, Decimal("70.00"), 1)
    assert set(RecurringCharge.objects.filter(payer=payer).values_list("next_billing_date", flat=True)) == {
        date(2026, 5, 1)
    }


def test_running_twice_issues_each_invoice_once(db):
    for _ in range(3):
        monthly(OrganisationFactory())

    cycles.run_billing(run_date=date(2026, 4, 1))
    again = cycles.run_billing(run_date=date(2026, 4, 1))

    assert again.run.invoices_issued == 0
    assert Invoice.objects.count() == 3


@pytest.mark.parametrize(
    "dies_in",
    [
        pytest.param((batch, "write"), id="before-writing"),
        pytest.param((ledger, "post_many"), id="after-numbering"),
    ],
)
def test_a_run_killed_half_way_and_run_again_issues_each_invoice_once(db, monkeypatch, dies_in):
    payers = [OrganisationFactory() for _ in range(5)]
    for payer in payers:
        monthly(payer)
    module, name = dies_in
    real = getattr(module, name)
    calls = {"count": 0}

    def dies_in_the_second_batch(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise KeyboardInterrupt  # like SIGINT: not caught, the batch rolls back whole
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, dies_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        cycles.run_billing(run_date=date(2026, 4, 1), batch_size=2)
    billed_before = Invoice.objects.count()
    monkeypatch.setattr(module, name, real)

    resumed = cycles.run_billing(run_date=date(2026, 4, 1), batch_size=2).run

    assert billed_before == 2  # the first batch committed, the second rolled back whole
    assert Invoice.objects.count() == 5
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert InvoiceLine.objects.values("recurring_charge", "period_start").distinct().count() == 5
    assert ledger_sums_to_zero()
    assert resumed.resumes.status == BillingRunStatus.INTERRUPTED
    assert resumed.resumes.invoices_issued == 2
    assert (resumed.status, resumed.invoices_issued) == (BillingRunStatus.FINISHED, 3)


def ledger_sums_to_zero() -> bool:
    """Every journal entry balances (summed in Python: SQLite sums decimals through floats)."""
    per_entry: dict[int, Decimal] = {}
    for entry_id, amount in Posting.objects.values_list("entry_id", "amount"):
        per_entry[entry_id] = per_entry.get(entry_id, Decimal(0)) + amount
    return bool(per_entry) and not any(per_entry.values())


def test_a_payer_whose_charge_fails_is_retried_alone_and_reported_while_the_batch_is_billed(db):
    payers = [OrganisationFactory() for _ in range(5)]
    charges = [monthly(payer) for payer in payers]
    # Data no service writes (an amount below the cent): building that payer's invoice fails.
    RecurringCharge.objects.filter(pk=charges[2].pk).update(amount=Decimal("50.005"))

    run = cycles.run_billing(run_date=date(2026, 4, 1), batch_size=5).run

    assert (run.status, run.invoices_issued, run.failures, run.payers_done) == (
        BillingRunStatus.FINISHED,
        4,
        1,
        5,
    )
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3, 4]  # no gap
    assert not Invoice.objects.filter(organisation=payers[2]).exists()
    charges[2].refresh_from_db()
    assert charges[2].next_billing_date == date(2026, 4, 1)  # still due: the next run bills it
    RecurringCharge.objects.filter(pk=charges[2].pk).update(amount=Decimal("50.00"))
    assert cycles.run_billing(run_date=date(2026, 4, 1)).run.invoices_issued == 1
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_when_writing_a_batch_fails_its_payers_are_billed_one_by_one(db, monkeypatch):
    for _ in range(4):
        monthly(OrganisationFactory())

    def refuses(*args, **kwargs):
        raise RuntimeError("the database refused the batch")

    monkeypatch.setattr(batch, "write", refuses)
    run = cycles.run_billing(run_date=date(2026, 4, 1), batch_size=10).run

    assert (run.invoices_issued, run.failures, run.payers_done) == (4, 0, 4)
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert ledger_sums_to_zero()


def test_a_batch_stores_what_a_single_invoice_stores(db, monkeypatch):
    """The set-based batch and the single path (invoicing.create_draft + issue) write the same lines,
    price breakdown, ledger entries and cashback for the same charge."""
    partner = OrganisationFactory(kind=OrganisationKind.PARTNER)
    line = quote(
        [Item(code="crm.base", description="CRM Base", pricing=PerUnit(Money("30.00", "EUR")), quantity=3)],
        currency="EUR",
    ).lines[0]
    in_batch, alone = OrganisationFactory(country="ES"), OrganisationFactory(country="ES")
    spanish_vat()
    for payer in (in_batch, alone):
        create_recurring_charge(
            actor=None,
            payer=payer,
            beneficiary=payer,
            description="CRM Base",
            quantity=3,
            unit_price=line.unit_list_price,
            amount=line.amount,
            steps=steps_as_json(line),
            next_billing_date=date(2026, 4, 1) if payer == in_batch else date(2026, 5, 1),
            cashback_partner=partner,
            cashback_amount=Money("9.00", "EUR"),
        )
    cycles.run_billing(run_date=date(2026, 4, 1))
    monkeypatch.setattr(batch, "write", lambda *args, **kwargs: 1 / 0)  # the next run bills alone
    cycles.run_billing(run_date=date(2026, 5, 1))

    def stored(payer):
        invoice = Invoice.objects.filter(organisation=payer).earliest("id")  # in_batch: its April one
        lines = list(
            invoice.lines.values(
                "description",
                "quantity",
                "unit_price",
                "net_amount",
                "tax_rate",
                "tax_amount",
                "total_amount",
                "steps",
                "cashback_partner",
                "cashback_amount",
                "position",
            )
        )
        postings = sorted(
            (posting.entry.reason, posting.account.kind, posting.amount)
            for posting in Posting.objects.filter(entry__invoice=invoice).select_related("entry", "account")
        )
        frozen = (
            invoice.status,
            invoice.tax_name,
            invoice.net,
            invoice.tax,
            invoice.total,
            invoice.seller_name,
        )
        return lines, postings, frozen, invoice.due_date - invoice.issue_date

    assert stored(in_batch) == stored(alone)
    assert stored(in_batch)[0][0]["steps"] == list(steps_as_json(line))
    assert ledger_sums_to_zero()


def test_a_batch_costs_the_same_statements_for_5_payers_as_for_25(db):
    def statements_for(payers: int, run_date: date) -> int:
        for _ in range(payers):
            monthly(OrganisationFactory(), starts=run_date)
        with CaptureQueriesContext(connection) as queries:
            cycles.run_billing(run_date=run_date, batch_size=100)
        return len(queries)

    statements_for(1, date(2026, 3, 1))  # the first run creates the counter and house accounts
    assert statements_for(5, date(2026, 4, 1)) == statements_for(25, date(2026, 5, 1))


def test_a_run_killed_outright_is_marked_interrupted_and_resumed_by_the_next(db):
    monthly(OrganisationFactory())
    killed = BillingRun.objects.create(
        run_date=date(2026, 4, 1), heartbeat_at=timezone.now() - timedelta(minutes=11)
    )  # like kill -9: status still running, no end, its heartbeat stopped

    resumed = cycles.run_billing(run_date=date(2026, 4, 1)).run

    killed.refresh_from_db()
    assert killed.status == BillingRunStatus.INTERRUPTED
    assert killed.finished_at is None
    assert resumed.resumes == killed
    assert resumed.status == BillingRunStatus.FINISHED


def test_a_run_still_beating_on_another_worker_is_left_running(db):
    busy = BillingRun.objects.create(run_date=date(2026, 4, 1), heartbeat_at=timezone.now())

    cycles.run_billing(run_date=date(2026, 4, 1))

    busy.refresh_from_db()
    assert busy.status == BillingRunStatus.RUNNING


def test_a_late_run_catches_up_every_missed_period(db):
    charge = monthly(OrganisationFactory(), starts=date(2026, 1, 1))

    cycles.run_billing(run_date=date(2026, 3, 15))

    charge.refresh_from_db()
    periods = list(InvoiceLine.objects.order_by("period_start").values_list("period_start", "period_end"))
    assert periods == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    ]
    assert charge.next_billing_date == date(2026, 4, 1)


def test_renewals_are_paid_from_the_wallet_as_far_as_it_goes(db):
    payer = OrganisationFactory()
    fund_wallet(payer, "30.00")
    monthly(payer, "50.00")

    cycles.run_billing(run_date=date(2026, 4, 1))

    invoice = Invoice.objects.get()
    assert (invoice.amount_paid, invoice.amount_due, wallet_of(payer)) == (
        Decimal("30.00"),
        Decimal("20.00"),
        0,
    )


def test_end_of_cycle_actions_run_before_the_renewal_and_shape_it(db):
    payer = OrganisationFactory()
    charge = monthly(payer, "50.00", source_app="subscriptions", source_id="7")
    seen = []

    def trim(*, charge: RecurringCharge, cycle_end: date) -> None:
        seen.append((charge.source_id, cycle_end))
        update_recurring_charge(actor=None, charge=charge, quantity=2, amount=Money("30.00", "EUR"))

    cycles.register_end_of_cycle_action(trim, source_app="subscriptions")
    cycles.run_billing(run_date=date(2026, 4, 1))

    assert seen == [("7", date(2026, 4, 1))]
    line = InvoiceLine.objects.get(recurring_charge=charge)
    assert (line.quantity, line.net_amount) == (2, Decimal("30.00"))


def test_r3_8_a_license_bought_mid_cycle_costs_the_days_left_then_the_full_price(db):
    payer = OrganisationFactory()
    item = Item(
        code="crm.base", description="CRM Base license", pricing=PerUnit(Money("30.00", "EUR")), quantity=1
    )
    proration = Proration(
        purchase_date=date(2026, 4, 16), cycle_start=date(2026, 4, 1), next_cycle_start=date(2026, 5, 1)
    )
    now = quote([item], currency="EUR", proration=proration).lines[0]

    bought = invoice_and_charge(
        actor=None,
        payer=payer,
        charges=[Charge.from_quote_line(now)],
        issue_date=date(2026, 4, 16),
        pay_with="bank_transfer",
    ).invoice
    monthly(payer, "30.00", starts=date(2026, 5, 1))
    cycles.run_billing(run_date=date(2026, 5, 1))

    assert bought.net == Decimal("15.00")
    assert bought.lines.get().steps[-1]["kind"] == "proration"
    assert Invoice.objects.exclude(pk=bought.pk).get().net == Decimal("30.00")


def test_r3_9_a_license_ended_mid_cycle_is_not_refunded_and_not_renewed(db):
    payer = OrganisationFactory()
    fund_wallet(payer, "100.00")
    charge = monthly(payer, "30.00", starts=date(2026, 4, 1))
    cycles.run_billing(run_date=date(2026, 4, 1))

    end_recurring_charge(actor=None, charge=charge, reason="bought by mistake")
    cycles.run_billing(run_date=date(2026, 5, 1))

    assert Invoice.objects.count() == 1
    assert not Invoice.objects.filter(kind="credit_note").exists()
    assert wallet_of(payer) == Decimal("70.00")


def test_the_command_bills_the_given_date_and_reports(db):
    monthly(OrganisationFactory())
    out = StringIO()

    call_command("billing-run", "--date", "2026-04-01", "--no-progress", stdout=out)

    assert "1 invoices issued" in out.getvalue()
    assert Invoice.objects.get().issue_date == date(2026, 4, 1)


def test_the_daily_job_is_registered():
    from canal.core.scheduler import registered_jobs

    assert "billing-run" in {job.name for job in registered_jobs()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgres_claim_separate_payers_and_bill_each_once(postgres_only):
    payers = [OrganisationFactory(kind=OrganisationKind.CUSTOMER) for _ in range(40)]
    for payer in payers:
        monthly(payer)

    def work(worker: int) -> int:
        try:
            return cycles.run_billing(
                run_date=date(2026, 4, 1), batch_size=3, worker=f"w{worker}"
            ).run.invoices_issued
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        issued = list(pool.map(work, range(4)))

    assert sum(issued) == 40
    assert Invoice.objects.count() == 40
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(range(1, 41))
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 40
