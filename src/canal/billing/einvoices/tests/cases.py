"""Invoices for every tax case and currency Canal produces, issued through the real billing services.

The same cases as the demo (domestic Spain in EUR and USD, a Swiss partner in CHF reverse charged, a
credit note) plus what the demo lacks: intra-EU reverse charge (AE), an export without a tax rule (G),
a zero rate (Z), an EU country with no rate configured (E) and a Swiss consumer taxed at 8.1 % (S).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from canal.accounts.models import Organisation, OrganisationKind
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import services
from canal.billing.invoicing import Charge
from canal.billing.models import BillingAccount, EInvoiceFormat, Invoice, TaxRate
from canal.core.money import Money

DAY = date(2026, 3, 16)
RATES = [
    ("ES", "IVA", "0.21", True),
    ("DE", "MwSt.", "0.19", True),
    ("CH", "MWST", "0.081", True),
    ("GB", "VAT", "0.20", True),
    ("IE", "VAT", "0", True),
]


@dataclass(frozen=True)
class Case:
    name: str
    country: str
    currency: str
    legal_id: str
    category: str


CASES = [
    Case("domestic-eur", "ES", "EUR", "A28000001", "S"),
    Case("domestic-usd", "ES", "USD", "B41000002", "S"),
    Case("intra-eu-reverse-charge", "DE", "EUR", "DE123456789", "AE"),
    Case("swiss-business-reverse-charge", "CH", "CHF", "CHE-987.654.321", "G"),
    Case("swiss-consumer", "CH", "CHF", "", "S"),
    Case("export-no-rule", "US", "USD", "US-77-1234567", "G"),
    Case("zero-rated", "IE", "EUR", "", "Z"),
    Case("exempt-no-rate", "IT", "EUR", "", "E"),
]


def operator() -> Organisation:
    seller = OrganisationFactory(
        kind=OrganisationKind.OPERATOR, name="Canal Distribución S.L.", legal_id="B12345678", country="ES"
    )
    BillingAccount.objects.update_or_create(
        organisation=seller,
        defaults={
            "address": "Calle de Alcalá 120",
            "postcode": "28009",
            "city": "Madrid",
            "province": "Madrid",
        },
    )
    for country, name, rate, reverse in RATES:
        TaxRate.objects.update_or_create(
            country=country,
            defaults={"name": name, "rate": Decimal(rate), "reverse_charge_for_business": reverse},
        )
    return seller


def buyer(case: Case, *, einvoice_format: str = EInvoiceFormat.PDF) -> Organisation:
    organisation = OrganisationFactory(
        name=f"Buyer {case.name} S.L.", country=case.country, currency=case.currency, legal_id=case.legal_id
    )
    BillingAccount.objects.update_or_create(
        organisation=organisation,
        defaults={
            "address": "Paseo de la Castellana 200",
            "postcode": "28046",
            "city": "Madrid",
            "province": "Madrid",
            "einvoice_format": einvoice_format,
        },
    )
    return organisation


def charges(currency: str) -> list[Charge]:
    """Two lines: one at list price, one with a partner discount and a proration (a line allowance)."""
    return [
        Charge(
            description="Tareo Jumpstart onboarding package",
            code="tareo-jumpstart",
            quantity=1,
            unit_price=Money("1450.00", currency),
            amount=Money("1450.00", currency),
        ),
        Charge(
            description="Clientia CRM, Base license (per user and month)",
            code="clientia-crm.base",
            quantity=4,
            unit_price=Money("25.00", currency),
            amount=Money("53.33", currency),
            period_start=date(2026, 3, 16),
            period_end=date(2026, 3, 31),
        ),
    ]


def issue(payer: Organisation, currency: str, **extra: object) -> Invoice:
    return services.invoice_and_charge(
        actor=None, payer=payer, charges=charges(currency), issue_date=DAY, pay_with="bank_transfer", **extra
    ).invoice
