"""A billing run split into parts through the task queue: started by the operator (page, API, CLI or the
daily job), billed by whichever workers pick the parts up, its progress on the run's row."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import cycles
from canal.billing.models import BillingAccount, BillingRun, BillingRunStatus, Invoice, RecurringCharge
from canal.billing.services import create_recurring_charge
from canal.core.money import Money


@pytest.fixture(autouse=True)
def _no_actions_registered(monkeypatch):
    monkeypatch.setattr(cycles, "_actions", [])


def due_payers(count: int, day: date | None = None) -> None:
    for _ in range(count):
        payer = OrganisationFactory()
        create_recurring_charge(
            actor=None,
            payer=payer,
            beneficiary=payer,
            description="Hosting",
            quantity=1,
            unit_price=Money("50.00", payer.currency),
            amount=Money("50.00", payer.currency),
            next_billing_date=day or timezone.localdate(),
        )


def test_the_operator_starts_a_run_in_parts_through_the_api_and_follows_its_progress(
    make_actor, api_as, django_capture_on_commit_callbacks
):
    due_payers(3)
    api = api_as(make_actor(OrganisationKind.OPERATOR, Role.BILLING))

    with django_capture_on_commit_callbacks(execute=True):  # the parts run as the queue's tasks
        started = api.post("/billing/runs", {"parts": 2})

    assert started.status_code == 201, started.content
    run = api.get(f"/billing/runs/{started.json()['id']}").json()
    assert (run["status"], run["payers_due"], run["payers_done"], run["percent_done"]) == (
        "finished",
        3,
        3,
        100,
    )
    assert (run["parts"], run["parts_done"], run["invoices_issued"]) == (2, 2, 3)
    assert Invoice.objects.count() == 3
    assert [row["id"] for row in api.get("/billing/runs").json()["results"]] == [run["id"]]


def test_billing_runs_are_invisible_to_everyone_but_the_operator(make_actor, api_as, portal_login):
    customer = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    run = BillingRun.objects.create(run_date=date(2026, 4, 1))
    api = api_as(customer)

    assert api.get("/billing/runs").status_code == 404
    assert api.get(f"/billing/runs/{run.pk}").status_code == 404
    assert api.post("/billing/runs", {"parts": 2}).status_code == 404
    assert portal_login(customer.user).get("/billing/runs/").status_code == 404
    assert BillingRun.objects.count() == 1


def test_only_admin_or_billing_staff_of_the_operator_start_a_run(make_actor, api_as):
    refused = api_as(make_actor(OrganisationKind.OPERATOR, Role.TECHNICAL)).post("/billing/runs", {})

    assert refused.status_code == 403
    assert not BillingRun.objects.exists()


def test_a_run_for_a_future_date_is_refused_with_what_to_do(make_actor, api_as):
    api = api_as(make_actor(OrganisationKind.OPERATOR, Role.ADMIN))

    refused = api.post("/billing/runs", {"run_date": "2999-01-01"})

    assert refused.status_code == 422
    assert "choose today or an earlier date" in refused.content.decode()
    assert not BillingRun.objects.exists()


def test_the_runs_page_shows_each_runs_progress_and_starts_one(
    make_actor, portal_login, django_capture_on_commit_callbacks
):
    due_payers(2)
    operator = make_actor(OrganisationKind.OPERATOR, Role.ADMIN)
    operator.user.language = "en"
    operator.user.save(update_fields=["language"])
    page = portal_login(operator.user)

    assert "2 payers have charges due today." in page.get("/billing/runs/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = page.post(
            "/billing/runs/start/", {"run_date": timezone.localdate().isoformat(), "parts": 2}
        )
    shown = page.get(started.url).content.decode()

    assert "Billing run started: 2 payers due, split into 2 parts" in shown
    assert "2 of 2 payers · parts ended 2 of 2" in shown
    assert BillingRun.objects.get().status == BillingRunStatus.FINISHED


@pytest.mark.django_db(transaction=True)
def test_the_command_splits_a_run_into_parts_and_waits_for_them():
    due_payers(3, date(2026, 4, 1))
    out = StringIO()

    call_command("billing-run", "--date", "2026-04-01", "--parts", "3", "--no-progress", stdout=out)

    assert "3 payers due, 3 parts queued" in out.getvalue()
    assert "3 invoices issued" in out.getvalue()
    assert BillingRun.objects.get().parts_done == 3


def test_the_daily_job_queues_a_run_in_parts(db, settings, django_capture_on_commit_callbacks):
    from canal.billing.tasks import daily_billing_run

    settings.BILLING_RUN_PARTS = 3
    due_payers(2)

    with django_capture_on_commit_callbacks(execute=True):
        daily_billing_run.call()

    run = BillingRun.objects.get()
    assert (run.parts, run.parts_done, run.status, run.invoices_issued) == (
        3,
        3,
        BillingRunStatus.FINISHED,
        2,
    )


@pytest.mark.postgres
def test_the_claim_reads_the_due_charges_through_their_partial_index(postgres_only, db):
    """The claim of every batch does not grow with the table: 5,000 payers whose 10,000 charges are
    billed ahead (next billing in the future) or ended, and 20 payers due today."""
    others = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.CUSTOMER, name=f"Customer {index}", country="ES")
        for index in range(5_000)
    )
    BillingAccount.objects.bulk_create(BillingAccount(organisation=payer) for payer in others)
    RecurringCharge.objects.bulk_create(
        RecurringCharge(
            payer=payer,
            beneficiary=payer,
            description="Hosting",
            quantity=1,
            unit_price=1,
            amount=1,
            currency="EUR",
            next_billing_date=date(2026, 5, 1) if active else date(2025, 1, 1),
            active=active,
        )
        for payer in others
        for active in (True, False)
    )
    due_payers(20, date(2026, 4, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_recurringcharge, billing_billingaccount, accounts_organisation")

    plan = cycles.due_payer_ids(date(2026, 4, 1))[:200].explain()

    assert "Index Only Scan using recurring_charge_due" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert "Sort" not in plan, plan  # walked in payer order, stopped by the limit
