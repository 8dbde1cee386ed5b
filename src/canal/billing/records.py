"""Tamper-evident billing records (VeriFactu: Royal Decree 1007/2023, Orden HAC/1177/2024).

Every issued invoice and credit note gets a record ("registro de facturación de alta"; a credit note's
is corrective, R1, naming the invoice it corrects) carrying a SHA-256 fingerprint computed as the AEAT
specifies: the text `IDEmisorFactura=...&NumSerieFactura=...&FechaExpedicionFactura=...&TipoFactura=...&
CuotaTotal=...&ImporteTotal=...&Huella=<previous fingerprint>&FechaHoraHusoGenRegistro=...`, hashed and
written in uppercase hexadecimal. Each fingerprint includes the previous record's of the same issuer, so
changing, removing or inserting a record breaks every later link (`verify_chains`).

Writes: `record_issued` (issuing calls it, in the issuing transaction, under the chain head's row lock),
`send_pending` (to the tax agency through canal.billing.agency), `verify_chains`, `export_csv`; every one
leaves events in `RecordEvent`. Reads for the operator: `records_visible_to`, `record_for`, `events_for`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.billing import agency
from canal.billing.exports import _csv
from canal.billing.models import (
    BillingRecord,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    InvoiceTypeCode,
    RecordChain,
    RecordEvent,
    RecordEventKind,
    RecordState,
)
from canal.core import stored_text
from canal.core.errors import NotFound

# The AEAT's checking page for VeriFactu invoices; the test environment unless settings say otherwise.
QR_TEST_URL = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR"
QR_PRODUCTION_URL = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"
FINGERPRINT_TYPE = "01"  # TipoHuella 01: SHA-256
SEND_BATCH = 500  # the AEAT accepts up to 1,000 records per submission


# Pure functions: the fingerprint and the values as the regulation writes them.


def issuer_nif(legal_id: str) -> str:
    """The issuer's NIF as the records name it: no spaces or dashes, without a Spanish VAT prefix."""
    nif = "".join(legal_id.split()).replace("-", "").upper()
    return nif[2:] if nif.startswith("ES") and len(nif) == 11 else nif


def date_text(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def amount_text(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def moment_text(moment: datetime) -> str:
    """FechaHoraHusoGenRegistro: local time to the second with its UTC offset (2024-01-01T19:20:30+01:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class FingerprintInput:
    issuer_nif: str
    invoice_number: str
    issue_date: date
    invoice_type: str
    total_tax: Decimal
    total_amount: Decimal
    previous_fingerprint: str
    generated_at: str


def fingerprint_text(values: FingerprintInput) -> str:
    fields = [
        ("IDEmisorFactura", values.issuer_nif),
        ("NumSerieFactura", values.invoice_number),
        ("FechaExpedicionFactura", date_text(values.issue_date)),
        ("TipoFactura", values.invoice_type),
        ("CuotaTotal", amount_text(values.total_tax)),
        ("ImporteTotal", amount_text(values.total_amount)),
        ("Huella", values.previous_fingerprint),
        ("FechaHoraHusoGenRegistro", values.generated_at),
    ]
    return "&".join(f"{name}={value.strip()}" for name, value in fields)


def fingerprint(values: FingerprintInput) -> str:
    return hashlib.sha256(fingerprint_text(values).encode("utf-8")).hexdigest().upper()


def fingerprint_of(record: BillingRecord) -> str:
    """The fingerprint the record's stored fields give (what `verify_chains` compares with the stored one)."""
    return fingerprint(
        FingerprintInput(
            issuer_nif=record.issuer_nif,
            invoice_number=record.invoice_number,
            issue_date=record.issue_date,
            invoice_type=record.invoice_type,
            total_tax=record.total_tax,
            total_amount=record.total_amount,
            previous_fingerprint=record.previous_fingerprint,
            generated_at=record.generated_at,
        )
    )


def qr_url(record: BillingRecord) -> str:
    """The verification address printed as a QR code on the invoice (nif, numserie, fecha, importe)."""
    base = getattr(settings, "BILLING_RECORDS_QR_URL", "") or QR_TEST_URL
    query = urlencode(
        {
            "nif": record.issuer_nif,
            "numserie": record.invoice_number,
            "fecha": date_text(record.issue_date),
            "importe": amount_text(record.total_amount),
        }
    )
    return f"{base}?{query}"


def system_info() -> dict[str, str]:
    """SistemaInformatico: who produced the billing software and which installation wrote the record."""
    return {
        "NombreRazon": getattr(settings, "BILLING_RECORDS_PRODUCER_NAME", "Canal"),
        "NIF": getattr(settings, "BILLING_RECORDS_PRODUCER_NIF", ""),
        "NombreSistemaInformatico": "Canal",
        "IdSistemaInformatico": "CN",
        "Version": "1.0",
        "NumeroInstalacion": getattr(settings, "BILLING_RECORDS_INSTALLATION", "1"),
        "TipoUsoPosibleSoloVerifactu": "N",
        "TipoUsoPosibleMultiOT": "S",
        "IndicadorMultiplesOT": "N",
    }


def breakdown(lines: Iterable[InvoiceLine], *, reverse_charge: bool) -> list[dict[str, str]]:
    """Desglose: one row per tax rate. Taxed lines are subject and not exempt (S1); lines without Spanish
    tax (reverse charge for a business abroad, exports) are not subject by the place-of-supply rules (N2)."""
    per_rate: dict[Decimal, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        per_rate[line.tax_rate][0] += line.net_amount
        per_rate[line.tax_rate][1] += line.tax_amount
    rows = []
    for rate, (base, tax) in sorted(per_rate.items()):
        subject = rate > 0 and not reverse_charge
        rows.append(
            {
                "Impuesto": "01",
                "ClaveRegimen": "01",
                "CalificacionOperacion": "S1" if subject else "N2",
                "TipoImpositivo": f"{rate * 100:.2f}",
                "BaseImponibleOimporteNoSujeto": amount_text(base),
                "CuotaRepercutida": amount_text(tax),
            }
        )
    return rows


# Writes.


def _event(
    kind: str,
    message: str,
    params: dict[str, Any] | None = None,
    *,
    record: BillingRecord | None = None,
    issuer: str = "",
    actor: Actor | None = None,
) -> RecordEvent:
    return RecordEvent(
        kind=kind,
        record=record,
        issuer_nif=record.issuer_nif if record is not None else issuer,
        message=message,
        message_params=stored_text.stored_params(params),
        user=getattr(actor, "user", None),
    )


def _locked_head(nif: str) -> RecordChain:
    """The issuer's chain head, locked until the transaction ends (created on the issuer's first record;
    parallel first records wait on the unique index instead of failing)."""
    head = RecordChain.objects.select_for_update().filter(issuer_nif=nif).first()
    if head is None:
        RecordChain.objects.bulk_create([RecordChain(issuer_nif=nif)], ignore_conflicts=True)
        head = RecordChain.objects.select_for_update().get(issuer_nif=nif)
    return head


def record_issued(invoices: Sequence[Invoice], *, actor: Actor | None = None) -> list[BillingRecord]:
    """Append the records of just-issued invoices and credit notes, in the given order, to their issuer's
    chain: the chain head is locked once per issuer and the records written in one insert.

    Call it inside the transaction that issues them (issuing does, for one invoice; a caller issuing a
    set passes `record=False` to `invoicing.issue` and calls this once for the set before committing)."""
    if not invoices:
        return []
    with transaction.atomic(savepoint=False):
        lines_of: dict[int, list[InvoiceLine]] = defaultdict(list)
        for line in InvoiceLine.objects.filter(invoice_id__in=[invoice.pk for invoice in invoices]).order_by(
            "invoice_id", "position"
        ):
            lines_of[line.invoice_id].append(line)
        corrected = {
            row.pk: row
            for row in Invoice.objects.filter(
                pk__in={invoice.credited_invoice_id for invoice in invoices if invoice.credited_invoice_id}
            ).only("code", "issue_date")
        }
        by_issuer: dict[str, list[Invoice]] = defaultdict(list)
        for invoice in invoices:
            by_issuer[issuer_nif(invoice.seller_legal_id)].append(invoice)
        records: list[BillingRecord] = []
        generated_at = moment_text(timezone.now())
        system = system_info()
        for nif in sorted(by_issuer):
            head = _locked_head(nif)
            previous = (
                BillingRecord.objects.filter(issuer_nif=nif, sequence=head.last_sequence)
                .only("invoice_number", "issue_date")
                .first()
            )
            for invoice in by_issuer[nif]:
                if invoice.status == InvoiceStatus.DRAFT:
                    raise ValueError(f"{invoice.pk} is a draft: only issued invoices get a record.")
                fixed = corrected.get(invoice.credited_invoice_id or 0)
                record = BillingRecord(
                    issuer_nif=nif,
                    sequence=head.last_sequence + 1,
                    invoice=invoice,
                    issuer_name=invoice.seller_name,
                    invoice_number=invoice.code or "",
                    issue_date=invoice.issue_date,
                    invoice_type=InvoiceTypeCode.R1 if invoice.is_credit_note else InvoiceTypeCode.F1,
                    corrected_number=fixed.code if fixed is not None else "",
                    corrected_issue_date=fixed.issue_date if fixed is not None else None,
                    description=_description(invoice, lines_of[invoice.pk]),
                    buyer_name=invoice.buyer_name,
                    buyer_tax_id=invoice.buyer_legal_id,
                    buyer_country=invoice.buyer_country,
                    breakdown=breakdown(lines_of[invoice.pk], reverse_charge=invoice.reverse_charge),
                    currency=invoice.currency,
                    total_tax=invoice.tax,
                    total_amount=invoice.total,
                    previous_sequence=head.last_sequence or None,
                    previous_number=previous.invoice_number if previous is not None else "",
                    previous_issue_date=previous.issue_date if previous is not None else None,
                    previous_fingerprint=head.last_fingerprint,
                    generated_at=generated_at,
                    system=system,
                )
                record.fingerprint = fingerprint_of(record)
                records.append(record)
                head.last_sequence, head.last_fingerprint, previous = (
                    record.sequence,
                    record.fingerprint,
                    record,
                )
            head.save(update_fields=["last_sequence", "last_fingerprint"])
        BillingRecord.objects.bulk_create(records)
        RecordEvent.objects.bulk_create(_written(record, actor) for record in records)
    return records


def _description(invoice: Invoice, lines: list[InvoiceLine]) -> str:
    """DescripcionOperacion: a credit note's reason, else what the lines sell."""
    if invoice.is_credit_note and invoice.reference:
        return invoice.reference[:500]
    return "; ".join(line.description for line in lines)[:500] or invoice.code or ""


def _written(record: BillingRecord, actor: Actor | None) -> RecordEvent:
    if record.corrected_number:
        return _event(
            RecordEventKind.CORRECTION,
            gettext_noop("Record %(number)s of %(invoice)s written; it corrects %(corrected)s."),
            {
                "number": record.sequence,
                "invoice": record.invoice_number,
                "corrected": record.corrected_number,
            },
            record=record,
            actor=actor,
        )
    return _event(
        RecordEventKind.CREATED,
        gettext_noop("Record %(number)s of %(invoice)s written."),
        {"number": record.sequence, "invoice": record.invoice_number},
        record=record,
        actor=actor,
    )


@dataclass(frozen=True)
class SendOutcome:
    configured: bool
    sent: int = 0
    failed: int = 0
    message: str = ""


def send_pending(*, limit: int = SEND_BATCH) -> SendOutcome:
    """Send records not sent yet (or whose sending failed) through the configured backend, oldest first
    per issuer. Records are claimed with SKIP LOCKED, so two workers never send the same record."""
    backend = agency.backend()
    if not backend.configured:
        return SendOutcome(configured=False, message=agency.not_configured_message())
    with transaction.atomic():
        claimed = list(
            BillingRecord.objects.select_for_update(skip_locked=True)
            .filter(state__in=[RecordState.PENDING, RecordState.FAILED])
            .order_by("issuer_nif", "sequence")[:limit]
        )
        if not claimed:
            return SendOutcome(configured=True)
        try:
            replies = backend.send([payload(record) for record in claimed])
        except agency.AgencyUnavailable as error:
            replies = [agency.AgencyReply(accepted=False, error=str(error))] * len(claimed)
        now = timezone.now()
        events = []
        for record, reply in zip(claimed, replies, strict=True):
            if reply.accepted:
                record.state, record.sent_at = RecordState.SENT, now
                record.agency_reference, record.last_error = reply.reference[:120], ""
                events.append(
                    _event(
                        RecordEventKind.SENT,
                        gettext_noop(
                            "Record of %(invoice)s sent to the tax agency (reference %(reference)s)."
                        ),
                        {"invoice": record.invoice_number, "reference": reply.reference},
                        record=record,
                    )
                )
            else:
                record.state, record.last_error = RecordState.FAILED, reply.error[:500]
                events.append(
                    _event(
                        RecordEventKind.SEND_FAILED,
                        gettext_noop("The tax agency did not take the record of %(invoice)s: %(error)s"),
                        {"invoice": record.invoice_number, "error": reply.error[:200]},
                        record=record,
                    )
                )
        BillingRecord.objects.bulk_update(claimed, ["state", "sent_at", "agency_reference", "last_error"])
        RecordEvent.objects.bulk_create(events)
    sent = sum(1 for reply in replies if reply.accepted)
    return SendOutcome(configured=True, sent=sent, failed=len(claimed) - sent)


def payload(record: BillingRecord) -> dict[str, Any]:
    """The record in the AEAT's RegistroAlta structure and field names (what a backend sends)."""
    body: dict[str, Any] = {
        "IDVersion": "1.0",
        "IDFactura": {
            "IDEmisorFactura": record.issuer_nif,
            "NumSerieFactura": record.invoice_number,
            "FechaExpedicionFactura": date_text(record.issue_date),
        },
        "NombreRazonEmisor": record.issuer_name,
        "TipoFactura": record.invoice_type,
        "DescripcionOperacion": record.description,
        "Desglose": record.breakdown,
        "CuotaTotal": amount_text(record.total_tax),
        "ImporteTotal": amount_text(record.total_amount),
        "SistemaInformatico": record.system,
        "FechaHoraHusoGenRegistro": record.generated_at,
        "TipoHuella": FINGERPRINT_TYPE,
        "Huella": record.fingerprint,
    }
    if record.buyer_name:
        buyer: dict[str, Any] = {"NombreRazon": record.buyer_name}
        if record.buyer_country in {"", "ES"}:
            buyer["NIF"] = issuer_nif(record.buyer_tax_id)
        else:
            buyer["IDOtro"] = {"CodigoPais": record.buyer_country, "IDType": "02", "ID": record.buyer_tax_id}
        body["Destinatarios"] = [buyer]
    if record.invoice_type == InvoiceTypeCode.R1:
        body["TipoRectificativa"] = "I"  # by difference: the credit note carries the negative amounts
        body["FacturasRectificadas"] = [
            {
                "IDEmisorFactura": record.issuer_nif,
                "NumSerieFactura": record.corrected_number,
                "FechaExpedicionFactura": date_text(record.corrected_issue_date)
                if record.corrected_issue_date
                else "",
            }
        ]
    if record.previous_sequence is None:
        body["Encadenamiento"] = {"PrimerRegistro": "S"}
    else:
        body["Encadenamiento"] = {
            "RegistroAnterior": {
                "IDEmisorFactura": record.issuer_nif,
                "NumSerieFactura": record.previous_number,
                "FechaExpedicionFactura": date_text(record.previous_issue_date)
                if record.previous_issue_date
                else "",
                "Huella": record.previous_fingerprint,
            }
        }
    return body


# Verification.


@dataclass(frozen=True)
class ChainBreak:
    issuer_nif: str
    sequence: int | None
    invoice_number: str
    invoice_id: int | None
    field: str
    detail: str

    def describe(self) -> str:
        return _(
            "Chain of %(issuer)s broken at record %(sequence)s (invoice %(invoice)s), field %(field)s: "
            "%(detail)s"
        ) % {
            "issuer": self.issuer_nif or "-",
            "sequence": self.sequence if self.sequence is not None else "-",
            "invoice": self.invoice_number or "-",
            "field": self.field,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ChainReport:
    checked: dict[str, int]
    breaks: list[ChainBreak]

    @property
    def intact(self) -> bool:
        return not self.breaks


# The record's hashed fields and the invoice columns they copy: a difference names the tampered field.
COPIED_FROM_INVOICE = [
    ("invoice_number", "code"),
    ("issue_date", "issue_date"),
    ("total_tax", "tax"),
    ("total_amount", "total"),
]


def _first_break(nif: str, head: RecordChain | None) -> tuple[int, ChainBreak | None]:
    previous: BillingRecord | None = None
    count = 0
    records = (
        BillingRecord.objects.filter(issuer_nif=nif)
        .select_related("invoice")
        .order_by("sequence")
        .iterator(chunk_size=2000)
    )
    for record in records:
        count += 1

        def broken(field: str, detail: str, record: BillingRecord = record) -> ChainBreak:
            return ChainBreak(nif, record.sequence, record.invoice_number, record.invoice_id, field, detail)

        expected = previous.sequence + 1 if previous is not None else 1
        if record.sequence != expected:
            return count, broken(
                "sequence", _("expected record %(n)s: a record is missing.") % {"n": expected}
            )
        for field, column in COPIED_FROM_INVOICE:
            if getattr(record, field) != getattr(record.invoice, column):
                return count, broken(
                    field,
                    _("the record says %(record)s, the invoice %(invoice)s.")
                    % {"record": getattr(record, field), "invoice": getattr(record.invoice, column)},
                )
        if record.issuer_nif != issuer_nif(record.invoice.seller_legal_id):
            return count, broken("issuer_nif", _("the record names another issuer than the invoice."))
        linked = previous.fingerprint if previous is not None else ""
        if record.previous_fingerprint != linked:
            return count, broken(
                "previous_fingerprint", _("it does not chain to the fingerprint of the record before it.")
            )
        if fingerprint_of(record) != record.fingerprint:
            return count, broken(
                "fingerprint", _("its fingerprint does not match its fields: the record was changed.")
            )
        previous = record
    last = (previous.sequence, previous.fingerprint) if previous is not None else (0, "")
    if head is not None and (head.last_sequence, head.last_fingerprint) != last:
        return count, ChainBreak(
            nif, head.last_sequence, "", None, "chain_head", _("the last record of the chain is missing.")
        )
    return count, None


def _unrecorded(nif: str) -> ChainBreak | None:
    """An invoice issued after the issuer's first record but without a record of its own."""
    first = BillingRecord.objects.filter(issuer_nif=nif, sequence=1).select_related("invoice").first()
    if first is None or first.invoice.issued_at is None:
        return None
    candidates = Invoice.objects.exclude(status=InvoiceStatus.DRAFT).filter(
        issued_at__gte=first.invoice.issued_at, billing_record__isnull=True
    )
    for invoice in candidates.order_by("issued_at", "id").only("code", "seller_legal_id").iterator():
        if issuer_nif(invoice.seller_legal_id) == nif:
            return ChainBreak(
                nif, None, invoice.code or "", invoice.pk, "record", _("this issued invoice has no record.")
            )
    return None


def verify_chains(*, actor: Actor | None = None) -> ChainReport:
    """Recompute every fingerprint and link per issuer; the first break of each chain is reported and
    logged (a chain verified intact is logged too)."""
    heads = {head.issuer_nif: head for head in RecordChain.objects.all()}
    issuers = sorted(set(heads) | set(BillingRecord.objects.values_list("issuer_nif", flat=True).distinct()))
    checked: dict[str, int] = {}
    breaks: list[ChainBreak] = []
    events = []
    for nif in issuers:
        count, found = _first_break(nif, heads.get(nif))
        found = found or _unrecorded(nif)
        checked[nif] = count
        if found is None:
            events.append(
                _event(
                    RecordEventKind.CHAIN_VERIFIED,
                    gettext_noop("Chain of %(issuer)s verified: %(count)s records intact."),
                    {"issuer": nif or "-", "count": count},
                    issuer=nif,
                    actor=actor,
                )
            )
            continue
        breaks.append(found)
        record = (
            BillingRecord.objects.filter(issuer_nif=nif, sequence=found.sequence).first()
            if found.sequence is not None
            else None
        )
        events.append(
            _event(
                RecordEventKind.CHAIN_BROKEN,
                gettext_noop(
                    "Chain of %(issuer)s broken at record %(sequence)s (%(invoice)s), field %(field)s."
                ),
                {
                    "issuer": nif or "-",
                    "sequence": found.sequence if found.sequence is not None else "-",
                    "invoice": found.invoice_number or "-",
                    "field": found.field,
                },
                record=record,
                issuer=nif,
                actor=actor,
            )
        )
    RecordEvent.objects.bulk_create(events)
    return ChainReport(checked=checked, breaks=breaks)


# Reads (operator staff only; anyone else sees nothing and gets 404 for one record).


def require_operator(actor: Actor) -> None:
    """Records are the operator's books: anyone else is told they do not exist."""
    if not actor.is_operator:
        raise NotFound(_("No such billing record."))


def records_visible_to(actor: Actor) -> QuerySet[BillingRecord]:
    if not actor.is_operator:
        return BillingRecord.objects.none()
    return BillingRecord.objects.select_related("invoice").order_by("issuer_nif", "-sequence")


def record_for(actor: Actor, record_id: int) -> BillingRecord:
    record = records_visible_to(actor).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("No such billing record."))
    return record


def events_for(actor: Actor) -> QuerySet[RecordEvent]:
    if not actor.is_operator:
        return RecordEvent.objects.none()
    return RecordEvent.objects.select_related("record", "user").order_by("-at", "-id")


EXPORT_HEADER = [
    "issuer_nif",
    "sequence",
    "invoice_number",
    "issue_date",
    "invoice_type",
    "corrected_number",
    "currency",
    "total_tax",
    "total_amount",
    "previous_fingerprint",
    "generated_at",
    "fingerprint",
    "state",
    "agency_reference",
]


def export_csv(actor: Actor) -> Iterator[str]:
    """Every record as CSV, the export logged in the event log (operator staff only)."""
    require_operator(actor)
    records = records_visible_to(actor)
    _event(
        RecordEventKind.EXPORTED,
        gettext_noop("%(count)s billing records exported as CSV."),
        {"count": records.count()},
        actor=actor,
    ).save()
    rows = (
        [
            record.issuer_nif,
            record.sequence,
            record.invoice_number,
            record.issue_date.isoformat(),
            record.invoice_type,
            record.corrected_number,
            record.currency,
            amount_text(record.total_tax),
            amount_text(record.total_amount),
            record.previous_fingerprint,
            record.generated_at,
            record.fingerprint,
            record.state,
            record.agency_reference,
        ]
        for record in records.order_by("issuer_nif", "sequence").iterator(chunk_size=2000)
    )
    return _csv(EXPORT_HEADER, rows)
