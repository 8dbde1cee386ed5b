from decimal import Decimal

import pytest

from canal.accounts.models import AccessLevel, OrganisationKind, PaymentMode
from canal.accounts.services import link_client
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import ledger
from canal.billing.models import AccountKind, EntryReason, JournalEntry
from canal.billing.services import invoice_and_charge, issue_credit_note, partner_terms, price_for
from canal.billing.tests.helpers import DAY, fund_wallet
from canal.core.errors import NotFound
from canal.core.money import Money
from canal.partners.models import PartnerProfile, ProgrammeLevel
from canal.pricing import Benefit, DiscountTier, Item, PerUnit, VolumeDiscount

HOSTING = Item(
    code="hosting",
    description="Web hosting",
    quantity=35,
    pricing=VolumeDiscount(
        unit_price=Money("9.92", "CHF"),
        tiers=(
            DiscountTier(up_to=9, rate=Decimal("0")),
            DiscountTier(up_to=24, rate=Decimal("0.15")),
            DiscountTier(up_to=None, rate=Decimal("0.25")),
        ),
    ),
)
CRM = Item(code="crm", description="CRM license", pricing=PerUnit(Money("100.00", "EUR")), quantity=2)


@pytest.fixture
def gold_partner(db, operator):
    partner = OrganisationFactory(kind=OrganisationKind.PARTNER)
    level = ProgrammeLevel.objects.create(
        operator=operator.organisation,
        code="gold",
        name="Gold",
        discount_rate=Decimal("0.20"),
        cashback_rate=Decimal("0.10"),
    )
    PartnerProfile.objects.create(organisation=partner, level=level)
    return partner


def client_of(partner, **relationship):
    client = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    link_client(actor=None, partner=partner, client=client, **relationship)
    return client


def cashback_of(partner, currency="EUR") -> Decimal:
    return ledger.balance_of(ledger.organisation_account(partner, AccountKind.CASHBACK, currency))


def test_without_a_partner_the_client_pays_the_public_price(db):
    client = OrganisationFactory()

    terms = partner_terms(orderer=client, client=client, product_code="crm")

    assert (terms.payer, terms.benefit, terms.cashback_partner) == (client, Benefit.NONE, None)


def test_r4_6_r4_7_full_access_paid_by_the_client_earns_the_partner_cashback_with_its_invoice(gold_partner):
    client = client_of(gold_partner)
    terms = partner_terms(orderer=client, client=client, product_code="crm")
    priced = price_for(terms, [CRM], currency="EUR")

    invoice = invoice_and_charge(
        actor=None, payer=terms.payer, charges=priced.charges, issue_date=DAY, pay_with="bank_transfer"
    ).invoice

    assert terms.payer == client
    assert invoice.organisation == client
    assert invoice.net == Decimal("200.00")  # the public price
    assert cashback_of(gold_partner) == Decimal("20.00")
    assert JournalEntry.objects.get(reason=EntryReason.CASHBACK).invoice == invoice


def test_r4_7_the_partner_ordering_with_the_clients_means_also_earns_cashback(gold_partner):
    client = client_of(gold_partner)

    terms = partner_terms(orderer=gold_partner, client=client, product_code="crm")

    assert (terms.payer, terms.benefit, terms.cashback_partner) == (client, Benefit.CASHBACK, gold_partner)


def test_r4_6_r4_7_full_access_paid_by_the_partner_the_client_ordering_earns_cashback(gold_partner):
    client = client_of(gold_partner, payment_mode=PaymentMode.PARTNER)

    terms = partner_terms(orderer=client, client=client, product_code="crm")

    assert (terms.payer, terms.benefit, terms.cashback_partner) == (
        gold_partner,
        Benefit.CASHBACK,
        gold_partner,
    )


def test_r4_8_r4_9_r4_10_the_partner_paying_and_ordering_pays_the_discounted_price_on_its_own_invoice(
    gold_partner,
):
    client = client_of(gold_partner, payment_mode=PaymentMode.PARTNER)
    client.currency = "CHF"
    terms = partner_terms(orderer=gold_partner, client=client, product_code="hosting")
    priced = price_for(terms, [HOSTING], currency="CHF")
    fund_wallet(gold_partner, "500.00", "CHF")

    result = invoice_and_charge(
        actor=None,
        payer=terms.payer,
        charges=priced.charges,
        customer=client,
        issue_date=DAY,
        pay_with="wallet",
    )

    steps = [step["amount_after"] for step in result.invoice.lines.get().steps]
    assert terms.benefit == Benefit.DISCOUNT
    assert steps == ["347.20", "277.76", "208.32"]  # R4.9, to the cent
    assert result.invoice.organisation == gold_partner
    assert result.invoice.customer == client
    assert cashback_of(gold_partner, "CHF") == 0


def test_r4_7_limited_access_earns_cashback_only_on_products_the_partner_manages(gold_partner):
    client = client_of(gold_partner, access=AccessLevel.LIMITED, product_codes=["crm"])

    managed = partner_terms(orderer=client, client=client, product_code="crm")
    other = partner_terms(orderer=client, client=client, product_code="hosting")

    assert (managed.payer, managed.cashback_partner) == (client, gold_partner)
    assert (other.payer, other.cashback_partner, other.benefit) == (client, None, Benefit.NONE)


def test_a_partner_cannot_order_for_an_organisation_it_does_not_manage(gold_partner):
    stranger = OrganisationFactory()

    with pytest.raises(NotFound):
        partner_terms(orderer=gold_partner, client=stranger, product_code="crm")


def test_a_credit_note_takes_the_cashback_back(gold_partner, operator):
    client = client_of(gold_partner)
    terms = partner_terms(orderer=client, client=client, product_code="crm")
    invoice = invoice_and_charge(
        actor=None,
        payer=client,
        charges=price_for(terms, [CRM], currency="EUR").charges,
        issue_date=DAY,
        pay_with="bank_transfer",
    ).invoice

    issue_credit_note(actor=operator, invoice_id=invoice.pk, reason="Cancelled", issue_date=DAY)

    assert cashback_of(gold_partner) == 0
