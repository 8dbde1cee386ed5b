"""Small builders for billing tests: funded wallets, charges and invoices, through the real services."""

from datetime import date
from decimal import Decimal

from canal.accounts.models import Organisation
from canal.billing import ledger
from canal.billing.invoicing import Charge
from canal.billing.ledger import Leg
from canal.billing.models import AccountKind, EntryReason, TaxRate
from canal.billing.services import invoice_and_charge
from canal.core.money import Money

DAY = date(2026, 3, 16)


def spanish_vat() -> TaxRate:
    return TaxRate.objects.get_or_create(
        country="ES", defaults={"name": "IVA", "rate": Decimal("0.21"), "reverse_charge_for_business": True}
    )[0]


def fund_wallet(organisation: Organisation, amount: str, currency: str | None = None) -> None:
    """Money that arrived by bank transfer, straight into the wallet (as a confirmed top-up would)."""
    currency = currency or organisation.currency
    ledger.post(
        reason=EntryReason.TOP_UP,
        memo="test top-up",
        legs=[
            Leg(ledger.house_account(AccountKind.BANK, currency), -Decimal(amount)),
            Leg(ledger.organisation_account(organisation, AccountKind.WALLET, currency), Decimal(amount)),
        ],
    )


def charge(
    description: str = "Widget", amount: str = "100.00", quantity: int = 1, currency: str = "EUR", **extra
) -> Charge:
    unit = Money(Decimal(amount) / quantity, currency)
    return Charge(
        description=description, quantity=quantity, unit_price=unit, amount=Money(amount, currency), **extra
    )


def issued_invoice(
    payer: Organisation, *amounts: str, pay_with: str = "bank_transfer", issue_date: date = DAY, **extra
):
    charges = [
        charge(f"Line {index}", amount, currency=payer.currency)
        for index, amount in enumerate(amounts or ("100.00",), 1)
    ]
    return invoice_and_charge(
        actor=None, payer=payer, charges=charges, issue_date=issue_date, pay_with=pay_with, **extra
    ).invoice


def wallet_of(organisation: Organisation, currency: str | None = None) -> Decimal:
    account = ledger.organisation_account(organisation, AccountKind.WALLET, currency or organisation.currency)
    return ledger.balance_of(account)


# The first bytes of real files, for receipts.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
