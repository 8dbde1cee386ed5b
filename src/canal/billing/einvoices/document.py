"""One issued invoice or credit note as every structured format needs it: read once, computed never.

Amounts come from the stored lines exactly as the PDF prints them (net, tax per line, totals). A credit
note is stored with negative amounts; here it carries them positive, as UBL CreditNote and CII 381
documents do ("this much is credited"); Facturae turns them negative again (rectificación por
diferencias).

The tax category of each line (EN 16931 BT-151, UNCL 5305) follows from how billing taxed it:
- `S` standard rate: a rate above zero;
- `AE` reverse charge: a business buyer in another EU member state (exemption reason VATEX-EU-AE);
- `G` export: a buyer outside the EU, reverse charged or untaxed (VATEX-EU-G);
- `Z` zero rated: a configured tax rate of zero inside the EU;
- `E` exempt: no tax rate configured for an EU buyer's country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from canal.accounts.models import Organisation, OrganisationKind
from canal.billing.models import BillingAccount, Invoice, InvoiceLine

# EU member states (ISO 3166-1 alpha-2); intra-EU reverse charge only applies between these.
EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
# Greece's VAT numbers start with EL, not its ISO code.
VAT_PREFIX = {"GR": "EL"}
CENT = Decimal("0.01")
# The files' free texts, written in the invoice's language as its PDF is (the note is the PDF's own text).
REVERSE_CHARGE_NOTE = gettext_noop(
    "Reverse charge: the buyer accounts for the tax (%(tax)s) in its own country. "
    "No tax is charged on this invoice."
)
ALLOWANCE_REASON = gettext_noop("Discounts and proration")
CREDITED_ON_ACCOUNT = gettext_noop("Credited to the buyer's account with the seller.")


@dataclass(frozen=True)
class Address:
    street: str = ""
    postcode: str = ""
    city: str = ""
    province: str = ""
    country: str = ""

    @property
    def complete(self) -> bool:
        return all((self.street, self.postcode, self.city, self.province, self.country))


@dataclass(frozen=True)
class Party:
    name: str
    legal_id: str
    country: str
    address: Address

    @property
    def vat_id(self) -> str:
        """The tax id with its country prefix, as EN 16931 wants a VAT identifier (BR-CO-9)."""
        compact = "".join(self.legal_id.split()).upper()
        if not compact:
            return ""
        prefix = VAT_PREFIX.get(self.country, self.country)
        return compact if compact.startswith(prefix) else f"{prefix}{compact}"


@dataclass(frozen=True)
class TaxCategory:
    code: str
    percent: Decimal
    exemption_code: str = ""
    exemption_reason: str = ""


@dataclass(frozen=True)
class Line:
    position: int
    description: str
    code: str
    quantity: int
    unit_price: Decimal
    # The list amount minus the net: partner and volume discounts and proration, as one line allowance.
    allowance: Decimal
    net: Decimal
    tax: Decimal
    category: TaxCategory
    period_start: date | None
    period_end: date | None


@dataclass(frozen=True)
class TaxSubtotal:
    category: TaxCategory
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Corrected:
    code: str
    series: str
    number: int
    issue_date: date


@dataclass(frozen=True)
class Document:
    is_credit_note: bool
    code: str
    series: str
    number: int
    issue_date: date
    due_date: date | None
    currency: str
    language: str
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    subtotals: tuple[TaxSubtotal, ...]
    net: Decimal
    tax: Decimal
    total: Decimal
    tax_name: str
    reference: str
    corrects: Corrected | None
    # Free texts in the invoice's language: document notes, the line allowances' reason, a credit note's
    # payment terms.
    notes: tuple[str, ...]
    allowance_reason: str
    credit_terms: str


def tax_category(
    *, rate: Decimal, reverse_charge: bool, tax_name: str, buyer: str, seller: str
) -> TaxCategory:
    """The EN 16931 category of a line taxed at `rate` for a buyer in `buyer` by a seller in `seller`;
    the exemption reason in the active language."""
    if rate > 0:
        return TaxCategory("S", (rate * 100).quantize(CENT))
    if reverse_charge and buyer in EU and seller in EU:
        return TaxCategory("AE", Decimal("0.00"), "VATEX-EU-AE", gettext("Reverse charge"))
    if buyer not in EU:
        return TaxCategory("G", Decimal("0.00"), "VATEX-EU-G", gettext("Export outside the EU"))
    if tax_name:
        return TaxCategory("Z", Decimal("0.00"))
    return TaxCategory("E", Decimal("0.00"), "", gettext("Exempt from VAT"))


def build(
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    *,
    seller_address: Address,
    buyer_address: Address,
    corrects: Corrected | None,
) -> Document:
    """The document of an issued `invoice` (pure: the caller reads the rows), its texts in the invoice's
    language."""
    with translation.override(invoice.language or "es"):
        # Adding zero turns the -0.00 of a negated zero into 0.00, which schematron sums compare as text.
        sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
        seller_country, buyer_country = invoice.seller_country, invoice.buyer_country
        doc_lines = []
        subtotals: dict[tuple[str, Decimal], list[Decimal]] = {}
        categories: dict[tuple[str, Decimal], TaxCategory] = {}
        for line in sorted(lines, key=lambda row: row.position):
            category = tax_category(
                rate=line.tax_rate,
                reverse_charge=invoice.reverse_charge,
                tax_name=invoice.tax_name,
                buyer=buyer_country,
                seller=seller_country,
            )
            quantity = int(sign) * line.quantity
            net = sign * line.net_amount + 0
            tax = sign * line.tax_amount + 0
            doc_lines.append(
                Line(
                    position=line.position,
                    description=line.description,
                    code=line.code,
                    quantity=quantity,
                    unit_price=line.unit_price,
                    allowance=(quantity * line.unit_price - net).quantize(CENT),
                    net=net,
                    tax=tax,
                    category=category,
                    period_start=line.period_start,
                    period_end=line.period_end,
                )
            )
            key = (category.code, category.percent)
            categories[key] = category
            sums = subtotals.setdefault(key, [Decimal(0), Decimal(0)])
            sums[0] += net
            sums[1] += tax
        reverse_charged = any(category.code == "AE" for category in categories.values())
        return Document(
            is_credit_note=invoice.is_credit_note,
            code=invoice.code or "",
            series=invoice.series,
            number=invoice.number or 0,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            currency=invoice.currency,
            language=invoice.language or "es",
            seller=Party(invoice.seller_name, invoice.seller_legal_id, seller_country, seller_address),
            buyer=Party(invoice.buyer_name, invoice.buyer_legal_id, buyer_country, buyer_address),
            lines=tuple(doc_lines),
            subtotals=tuple(
                TaxSubtotal(categories[key], taxable, tax)
                for key, (taxable, tax) in sorted(subtotals.items())
            ),
            net=sign * invoice.net + 0,
            tax=sign * invoice.tax + 0,
            total=sign * invoice.total + 0,
            tax_name=invoice.tax_name,
            reference=invoice.reference,
            corrects=corrects,
            notes=(gettext(REVERSE_CHARGE_NOTE) % {"tax": invoice.tax_name},) if reverse_charged else (),
            allowance_reason=gettext(ALLOWANCE_REASON),
            credit_terms=gettext(CREDITED_ON_ACCOUNT),
        )


def address_of(account: BillingAccount | None, country: str) -> Address:
    if account is None:
        return Address(country=country)
    return Address(account.address, account.postcode, account.city, account.province, country)


def seller_billing_account() -> BillingAccount | None:
    """The operator's billing settings hold the seller's address (the operator issues every invoice)."""
    operator = Organisation.objects.filter(kind=OrganisationKind.OPERATOR).order_by("id").first()
    if operator is None:
        return None
    return BillingAccount.objects.filter(organisation=operator).first()


def seller_address(country: str) -> Address:
    account = seller_billing_account()
    if account is not None and account.address:
        return address_of(account, country)
    configured = getattr(settings, "BILLING_SELLER_ADDRESS", None) or {}
    return Address(
        configured.get("street", ""),
        configured.get("postcode", ""),
        configured.get("city", ""),
        configured.get("province", ""),
        country,
    )


def document_of(invoice: Invoice, lines: Sequence[InvoiceLine] | None = None) -> Document:
    """Reads what `build` needs: the lines, both addresses and the corrected invoice."""
    if lines is None:
        lines = list(invoice.lines.all())
    corrected = invoice.credited_invoice if invoice.credited_invoice_id else None
    return build(
        invoice,
        lines,
        seller_address=seller_address(invoice.seller_country),
        buyer_address=address_of(
            BillingAccount.objects.filter(organisation_id=invoice.organisation_id).first(),
            invoice.buyer_country,
        ),
        corrects=Corrected(corrected.code, corrected.series, corrected.number, corrected.issue_date)
        if corrected is not None
        else None,
    )
