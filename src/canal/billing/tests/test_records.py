"""Billing records (VeriFactu): fingerprints as the AEAT computes them, the chain per issuer, its
verification, the QR code on the PDF, the event log, sending through a backend, and dates that rise with
numbers in a series."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from canal.accounts.models import Organisation, OrganisationKind
from canal.billing import invoicing, records
from canal.billing.agency import RecordingBackend
from canal.billing.models import (
    BillingRecord,
    Invoice,
    InvoiceTypeCode,
    RecordChain,
    RecordEvent,
    RecordEventKind,
    RecordState,
)
from canal.billing.pdf import render_invoice_pdf
from canal.billing.records import FingerprintInput, fingerprint
from canal.billing.services import issue_credit_note
from canal.billing.tests.helpers import DAY, charge, issued_invoice, spanish_vat
from canal.core.errors import RuleViolation

RECORDING = "canal.billing.agency.RecordingBackend"


@pytest.fixture
def issuer(operator) -> Organisation:
    """The operator issues every invoice; its NIF names the chain."""
    Organisation.objects.filter(pk=operator.organisation.pk).update(legal_id="ESB12345674")
    return operator.organisation


@pytest.fixture
def recording(settings):
    settings.BILLING_RECORDS_BACKEND = RECORDING
    RecordingBackend.sent.clear()
    RecordingBackend.refuse = ""
    yield RecordingBackend
    RecordingBackend.sent.clear()
    RecordingBackend.refuse = ""


def _tamper(sql: str, params: list) -> None:
    """What someone with database access could do: switch the guard off and rewrite a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are checked at commit; ALTER TABLE needs those checks done first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE billing_billingrecord DISABLE TRIGGER billing_record_frozen")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS billing_record_frozen")
        cursor.execute(sql, params)


def _verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify-invoice-chain", stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


# The fingerprint, with the AEAT's own worked examples.


def test_the_fingerprint_matches_the_agencys_examples_for_a_first_and_a_chained_record():
    first = FingerprintInput(
        issuer_nif="89890001K",
        invoice_number="12345678/G33",
        issue_date=date(2024, 1, 1),
        invoice_type="F1",
        total_tax=Decimal("12.35"),
        total_amount=Decimal("123.45"),
        previous_fingerprint="",
        generated_at="2024-01-01T19:20:30+01:00",
    )
    second = FingerprintInput(
        issuer_nif="89890001K",
        invoice_number="12345679/G34",
        issue_date=date(2024, 1, 1),
        invoice_type="F1",
        total_tax=Decimal("12.35"),
        total_amount=Decimal("123.45"),
        previous_fingerprint=fingerprint(first),
        generated_at="2024-01-01T19:20:35+01:00",
    )

    assert fingerprint(first) == "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"
    assert fingerprint(second) == "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97"


def test_the_issuer_nif_drops_the_spanish_vat_prefix():
    assert records.issuer_nif("ES B-12345674") == "B12345674"
    assert records.issuer_nif("DE123456789") == "DE123456789"


# Records written on issuing.


def test_each_issued_invoice_gets_a_record_chained_to_the_one_before(issuer, customer):
    spanish_vat()
    first = issued_invoice(customer.organisation, "100.00")
    second = issued_invoice(customer.organisation, "50.00")

    one, two = first.billing_record, second.billing_record
    assert (one.issuer_nif, one.sequence, one.previous_fingerprint) == ("B12345674", 1, "")
    assert (two.sequence, two.previous_fingerprint) == (2, one.fingerprint)
    assert (two.previous_number, two.previous_issue_date) == (first.code, first.issue_date)
    assert (one.invoice_number, one.issue_date, one.invoice_type) == (first.code, DAY, InvoiceTypeCode.F1)
    assert (one.total_tax, one.total_amount) == (Decimal("21.00"), Decimal("121.00"))
    assert one.breakdown == [
        {
            "Impuesto": "01",
            "ClaveRegimen": "01",
            "CalificacionOperacion": "S1",
            "TipoImpositivo": "21.00",
            "BaseImponibleOimporteNoSujeto": "100.00",
            "CuotaRepercutida": "21.00",
        }
    ]
    assert one.fingerprint == records.fingerprint_of(one)
    assert len(one.fingerprint) == 64
    assert one.fingerprint.upper() == one.fingerprint
    assert one.generated_at[19:] in {"+01:00", "+02:00"}  # Madrid time with its offset
    assert RecordChain.objects.get(issuer_nif="B12345674").last_fingerprint == two.fingerprint
    assert RecordEvent.objects.filter(kind=RecordEventKind.CREATED).count() == 2


def test_a_credit_note_gets_a_corrective_record_naming_the_invoice(issuer, customer, operator):
    invoice = issued_invoice(customer.organisation, "80.00")

    note = issue_credit_note(actor=operator, invoice_id=invoice.pk, reason="Ordered twice", issue_date=DAY)

    record = BillingRecord.objects.get(invoice=note)
    assert record.invoice_type == InvoiceTypeCode.R1
    assert (record.corrected_number, record.corrected_issue_date) == (invoice.code, invoice.issue_date)
    assert record.total_amount == Decimal("-80.00")
    assert record.previous_fingerprint == invoice.billing_record.fingerprint
    assert record.description == "Ordered twice"
    sent = records.payload(record)
    assert sent["TipoRectificativa"] == "I"
    assert sent["FacturasRectificadas"][0]["NumSerieFactura"] == invoice.code
    assert sent["Encadenamiento"]["RegistroAnterior"]["Huella"] == invoice.billing_record.fingerprint
    event = RecordEvent.objects.get(kind=RecordEventKind.CORRECTION)
    assert invoice.code in event.text


def test_a_set_of_invoices_is_recorded_at_once_in_the_given_order(issuer, customer):
    drafts = [
        invoicing.create_draft(actor=None, payer=customer.organisation, charges=[charge(amount=amount)])
        for amount in ("10.00", "20.00", "30.00")
    ]
    with transaction.atomic():
        issued = [
            invoicing.issue(actor=None, invoice=draft, issue_date=DAY, record=False) for draft in drafts
        ]
        assert not BillingRecord.objects.exists()
        written = records.record_issued(issued)

    assert [record.sequence for record in written] == [1, 2, 3]
    assert [record.invoice_number for record in written] == [invoice.code for invoice in issued]
    assert written[2].previous_fingerprint == written[1].fingerprint
    assert _verify()[0] == 0


def test_the_database_refuses_changing_a_record_but_lets_its_sending_state_move(issuer, customer):
    record = issued_invoice(customer.organisation).billing_record

    with pytest.raises(IntegrityError), transaction.atomic():
        BillingRecord.objects.filter(pk=record.pk).update(total_amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BillingRecord.objects.filter(pk=record.pk).update(previous_fingerprint="0" * 64)
    BillingRecord.objects.filter(pk=record.pk).update(state=RecordState.SENT, agency_reference="CSV-1")

    record.refresh_from_db()
    assert (record.total_amount, record.state) == (Decimal("100.00"), RecordState.SENT)


# Verification.


def test_verify_invoice_chain_passes_an_intact_chain_and_logs_it(issuer, customer):
    for _ in range(3):
        issued_invoice(customer.organisation)

    code, out, _err = _verify()

    assert code == 0
    assert "B12345674: 3 records, chain intact." in out
    assert RecordEvent.objects.filter(kind=RecordEventKind.CHAIN_VERIFIED).count() == 1


def test_a_tampered_amount_breaks_the_chain_at_that_record_and_names_the_field(issuer, customer):
    invoices = [issued_invoice(customer.organisation, amount) for amount in ("10.00", "20.00", "30.00")]

    _tamper(
        "UPDATE billing_billingrecord SET total_amount = %s WHERE invoice_id = %s", ["2.00", invoices[1].pk]
    )
    code, _out, err = _verify()

    assert code == 1
    assert f"record 2 (invoice {invoices[1].code}), field total_amount" in err
    broken = RecordEvent.objects.get(kind=RecordEventKind.CHAIN_BROKEN)
    assert broken.record.invoice_id == invoices[1].pk


def test_a_rewritten_fingerprint_breaks_the_link_of_the_next_record(issuer, customer):
    invoices = [issued_invoice(customer.organisation) for _ in range(3)]

    _tamper(
        "UPDATE billing_billingrecord SET fingerprint = %s WHERE invoice_id = %s", ["A" * 64, invoices[1].pk]
    )
    code, _out, err = _verify()

    assert code == 1
    assert f"record 2 (invoice {invoices[1].code}), field fingerprint" in err


def test_a_changed_generation_time_breaks_the_fingerprint(issuer, customer):
    invoices = [issued_invoice(customer.organisation) for _ in range(2)]

    _tamper(
        "UPDATE billing_billingrecord SET generated_at = %s WHERE invoice_id = %s",
        ["2020-01-01T00:00:00+01:00", invoices[0].pk],
    )
    code, _out, err = _verify()

    assert code == 1
    assert f"record 1 (invoice {invoices[0].code}), field fingerprint" in err


def test_a_removed_record_breaks_the_chain_at_the_gap(issuer, customer):
    invoices = [issued_invoice(customer.organisation) for _ in range(3)]

    _tamper("DELETE FROM billing_recordevent WHERE record_id = %s", [invoices[1].billing_record.pk])
    _tamper("DELETE FROM billing_billingrecord WHERE invoice_id = %s", [invoices[1].pk])
    code, _out, err = _verify()

    assert code == 1
    assert f"record 3 (invoice {invoices[2].code}), field sequence" in err


def test_an_invoice_issued_without_a_record_is_reported(issuer, customer):
    issued_invoice(customer.organisation)
    draft = invoicing.create_draft(actor=None, payer=customer.organisation, charges=[charge()])
    missed = invoicing.issue(actor=None, invoice=draft, issue_date=DAY, record=False)

    code, _out, err = _verify()

    assert code == 1
    assert f"invoice {missed.code}), field record" in err


# The QR code on the PDF.


def test_the_qr_code_addresses_the_agencys_check_with_the_invoice_data(issuer, customer):
    invoice = issued_invoice(customer.organisation, "100.00")

    url = records.qr_url(invoice.billing_record)

    assert url == (
        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674"
        f"&numserie={invoice.code}&fecha=16-03-2026&importe=100.00"
    )


def test_the_pdf_of_an_issued_invoice_carries_the_qr_code(issuer, customer):
    invoice = issued_invoice(customer.organisation)
    draft = invoicing.create_draft(actor=None, payer=customer.organisation, charges=[charge()])

    assert b"/Subtype /Image" in render_invoice_pdf(invoice)
    assert b"/Subtype /Image" not in render_invoice_pdf(draft)


# Numbers and dates rise together.


def test_an_invoice_dated_before_the_last_of_its_series_is_refused_and_changes_nothing(customer):
    first = issued_invoice(customer.organisation)
    draft = invoicing.create_draft(actor=None, payer=customer.organisation, charges=[charge()])

    with pytest.raises(RuleViolation) as refused:
        invoicing.issue(actor=None, invoice=draft, issue_date=DAY - timedelta(days=1))

    assert refused.value.code == "issue_date_before_series"
    assert "Issue it on" in str(refused.value.message)
    draft.refresh_from_db()
    assert draft.number is None
    later = invoicing.issue(actor=None, invoice=draft, issue_date=DAY)
    assert later.number == first.number + 1


def test_a_credit_note_dated_before_the_last_of_its_series_is_refused(api_as, customer, operator):
    invoice = issued_invoice(customer.organisation, "40.00", "60.00")
    response = api_as(operator).post(
        f"/billing/invoices/{invoice.pk}/credit-notes",
        {"reason": "Line 1", "line_positions": [1]},
        **{"Idempotency-Key": "k1"},
    )
    assert response.status_code == 201  # dated today, after DAY

    with pytest.raises(RuleViolation):
        issue_credit_note(
            actor=operator, invoice_id=invoice.pk, reason="Line 2", line_positions=[2], issue_date=DAY
        )

    assert Invoice.objects.filter(credited_invoice=invoice).count() == 1


# Sending through the backend.


def test_without_a_backend_nothing_is_sent_and_the_command_says_what_to_set(issuer, customer, settings):
    settings.BILLING_RECORDS_BACKEND = ""
    record = issued_invoice(customer.organisation).billing_record

    with pytest.raises(CommandError) as refused:
        call_command("send-billing-records", stdout=StringIO())

    assert "BILLING_RECORDS_BACKEND" in str(refused.value)
    record.refresh_from_db()
    assert record.state == RecordState.PENDING
    assert "not configured" in _verify()[1]


def test_the_recording_backend_receives_the_records_in_chain_order(issuer, customer, recording):
    invoices = [issued_invoice(customer.organisation) for _ in range(2)]

    outcome = records.send_pending()

    assert (outcome.sent, outcome.failed) == (2, 0)
    assert [sent["IDFactura"]["NumSerieFactura"] for sent in recording.sent] == [i.code for i in invoices]
    assert recording.sent[0]["Encadenamiento"] == {"PrimerRegistro": "S"}
    first = BillingRecord.objects.get(invoice=invoices[0])
    assert (first.state, first.agency_reference) == (RecordState.SENT, "REC-1")
    assert RecordEvent.objects.filter(kind=RecordEventKind.SENT).count() == 2
    assert records.send_pending().sent == 0


def test_the_send_command_sends_every_pending_record(issuer, customer, recording):
    for _ in range(2):
        issued_invoice(customer.organisation)
    out = StringIO()

    call_command("send-billing-records", stdout=out)

    assert "2 records sent, 0 refused." in out.getvalue()
    assert not BillingRecord.objects.exclude(state=RecordState.SENT).exists()


def test_a_refused_record_is_logged_and_sent_again_later(issuer, customer, recording):
    invoice = issued_invoice(customer.organisation)
    recording.refuse = "4102: wrong NIF"

    assert records.send_pending().failed == 1
    record = BillingRecord.objects.get(invoice=invoice)
    assert (record.state, record.last_error) == (RecordState.FAILED, "4102: wrong NIF")
    assert "4102" in RecordEvent.objects.get(kind=RecordEventKind.SEND_FAILED).text

    recording.refuse = ""
    assert records.send_pending().sent == 1
    record.refresh_from_db()
    assert record.state == RecordState.SENT


def test_the_task_sends_pending_records(issuer, customer, recording):
    from canal.billing.tasks import send_billing_records

    issued_invoice(customer.organisation)

    result = send_billing_records.enqueue()

    assert result.return_value == {"configured": True, "sent": 1, "failed": 0}


# The operator's page and API; nobody else sees records.


def test_operator_staff_see_the_records_page_with_state_and_the_unconfigured_backend(
    issuer, customer, operator, portal_login, settings
):
    settings.BILLING_RECORDS_BACKEND = ""
    invoice = issued_invoice(customer.organisation)

    page = portal_login(operator.user).get("/billing/records/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert invoice.code in page
    assert "Not sent yet" in page
    assert "BILLING_RECORDS_BACKEND" in page


def test_the_records_page_verifies_and_exports_and_logs_both(issuer, customer, operator, portal_login):
    invoice = issued_invoice(customer.organisation)
    client = portal_login(operator.user)

    verified = client.post("/billing/records/verify/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    exported = b"".join(client.get("/billing/records/export.csv").streaming_content).decode()

    assert "Every chain is intact: 1 records checked." in verified.content.decode()
    assert invoice.billing_record.fingerprint in exported
    kinds = set(RecordEvent.objects.values_list("kind", flat=True))
    assert {RecordEventKind.CHAIN_VERIFIED, RecordEventKind.EXPORTED} <= kinds


def test_customers_and_partners_get_404_for_records(customer, partner, portal_login, api_as):
    record = issued_invoice(customer.organisation).billing_record

    for actor in (customer, partner):
        assert portal_login(actor.user).get("/billing/records/").status_code == 404
        api = api_as(actor)
        assert api.get("/billing/records").status_code == 404
        assert api.get(f"/billing/records/{record.pk}").status_code == 404
        assert api.post("/billing/records/verify").status_code == 404
        assert api.get("/billing/records/export.csv").status_code == 404


def test_the_api_lists_records_and_shows_one_as_it_would_be_sent(issuer, customer, operator, api_as):
    record = issued_invoice(customer.organisation).billing_record
    api = api_as(operator)

    listed = api.get("/billing/records").json()["results"]
    detail = api.get(f"/billing/records/{record.pk}").json()
    verified = api.post("/billing/records/verify").json()
    status = api.get("/billing/records/agency").json()

    assert [row["fingerprint"] for row in listed] == [record.fingerprint]
    assert detail["payload"]["Huella"] == record.fingerprint
    assert detail["verification_url"].startswith("https://prewww2.aeat.es/")
    assert verified == {"intact": True, "checked": {"B12345674": 1}, "breaks": []}
    assert status["configured"] is False


# Concurrency.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_issuances_on_postgres_get_distinct_consecutive_links(make_actor, postgres_only):
    operator = make_actor(OrganisationKind.OPERATOR).organisation
    Organisation.objects.filter(pk=operator.pk).update(legal_id="B12345674")
    payers = [make_actor(OrganisationKind.CUSTOMER).organisation for _ in range(4)]

    def invoice(index: int) -> int:
        try:
            return issued_invoice(payers[index % 4]).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        issued = list(pool.map(invoice, range(40)))

    chain = list(BillingRecord.objects.filter(issuer_nif="B12345674").order_by("sequence"))
    assert [record.sequence for record in chain] == list(range(1, 41))
    assert sorted(record.invoice_id for record in chain) == sorted(issued)
    assert all(b.previous_fingerprint == a.fingerprint for a, b in pairwise(chain))
    assert records.verify_chains().intact


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_invoices_and_credit_notes_for_one_payer_on_postgres_chain_without_deadlock(
    make_actor, postgres_only
):
    staff = make_actor(OrganisationKind.OPERATOR)
    Organisation.objects.filter(pk=staff.organisation.pk).update(legal_id="B12345674")
    payer = make_actor(OrganisationKind.CUSTOMER).organisation
    to_credit = [issued_invoice(payer) for _ in range(10)]

    def work(index: int) -> int:
        try:
            if index % 2:
                return issue_credit_note(
                    actor=staff, invoice_id=to_credit[index // 2].pk, reason="Parallel", issue_date=DAY
                ).pk
            return issued_invoice(payer).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        documents = list(pool.map(work, range(20)))

    chain = list(BillingRecord.objects.filter(issuer_nif="B12345674").order_by("sequence"))
    assert [record.sequence for record in chain] == list(range(1, 31))
    assert {record.invoice_id for record in chain} >= set(documents)
    assert records.verify_chains().intact
