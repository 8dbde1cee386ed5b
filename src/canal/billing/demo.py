"""Demo billing: tax rates, wallets with money in them, issued invoices (one paid from the wallet with the
partner's cashback, one awaiting a notified bank transfer, the R4.9 hostings billed to the paying
partner), a credit note, support credits, and recurring charges for `canal billing-run`.

Everything goes through the billing services, so the demo ledger balances like real data. It prices
with the pricing engine directly and does not need the catalog.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from canal.accounts.actor import actor_for
from canal.accounts.models import Organisation, User
from canal.billing import services
from canal.billing.einvoices import demo as einvoice_demo
from canal.billing.invoicing import Charge, steps_as_json
from canal.billing.models import TaxRate
from canal.billing.periods import add_months
from canal.core.money import Money
from canal.pricing import DiscountTier, Item, PerUnit, VolumeDiscount, quote

TAX_RATES = [
    ("ES", "IVA", Decimal("0.21"), True),
    ("DE", "MwSt.", Decimal("0.19"), True),
    ("FR", "TVA", Decimal("0.20"), True),
    # Services sold from Spain to Swiss businesses: the Swiss buyer accounts for MWST itself.
    ("CH", "MWST", Decimal("0.081"), True),
    ("GB", "VAT", Decimal("0.20"), True),
]

TAREO_BUSINESS = Item(
    code="tareo-business",
    description="Tareo Business, annual subscription (per seat)",
    pricing=PerUnit(Money("237.60", "EUR")),
    quantity=10,
)
CLIENTIA_BASE = Item(
    code="clientia-crm.base",
    description="Clientia CRM, Base license (per user and month)",
    pricing=PerUnit(Money("25.00", "EUR")),
    quantity=4,
)
ALPENHOST_HOSTING = Item(
    code="alpenhost-hosting",
    description="Alpenhost web hosting (monthly)",
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
REDWALL_PRO = Item(
    code="redwall-pro",
    description="Redwall PRO license, 250 clients, one year of updates",
    pricing=PerUnit(Money("890.00", "USD")),
)


def _actor(email: str, organisation: Organisation):
    return actor_for(User.objects.get(email=email), organisation.pk)


def _receipt(text: str) -> ContentFile:
    # A minimal one-page PDF, so the operator's "Open" link shows something.
    body = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
        b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(pdf, name="transfer-receipt.pdf")


def _top_up(operator, email: str, organisation: Organisation, amount: str) -> None:
    payer = _actor(email, organisation)
    payment = services.notify_bank_transfer(
        actor=payer,
        invoice_id=None,
        amount=amount,
        currency=organisation.currency,
        receipt=_receipt(f"Transfer {organisation.currency} {amount}"),
        reference="Wallet top-up",
    )
    services.confirm_payment(actor=operator, payment_id=payment.pk, note="Seen on the bank statement")


def load() -> None:
    for country, name, rate, reverse_charge in TAX_RATES:
        TaxRate.objects.update_or_create(
            country=country,
            defaults={"name": name, "rate": rate, "reverse_charge_for_business": reverse_charge},
        )
    einvoice_demo.load()
    orgs = {organisation.name: organisation for organisation in Organisation.objects.all()}
    operator_org = next(org for org in orgs.values() if org.kind == "operator")
    operator = _actor("operator@canal.test", operator_org)
    ibericas = orgs["Construcciones Ibéricas S.A."]
    norte = orgs["Agencia Norte Marketing S.L."]
    mirador = orgs["Hotel Mirador del Sur S.L."]
    seeblick = orgs["Bäckerei Seeblick AG"]
    nube = orgs["Nube Reseller S.L."]
    webagentur = orgs["Webagentur Limmat GmbH"]
    today = timezone.localdate()

    _top_up(operator, "customer@canal.test", ibericas, "4000.00")
    _top_up(operator, "crm@canal.test", norte, "250.00")
    _top_up(operator, "partner@canal.test", nube, "1000.00")
    _top_up(operator, "partner.ch@canal.test", webagentur, "500.00")

    # R4.6/R4.7: Ibéricas (full access, pays itself) orders; Nube earns cashback on the invoice.
    ibericas_actor = _actor("customer@canal.test", ibericas)
    terms = services.partner_terms(orderer=ibericas, client=ibericas, product_code="tareo")
    priced = services.price_for(terms, [TAREO_BUSINESS], currency="EUR", product_code="tareo")
    services.invoice_and_charge(
        actor=ibericas_actor,
        payer=terms.payer,
        charges=priced.charges,
        customer=ibericas,
        reference="CT-2026-0042",
        issue_date=today - timedelta(days=20),
        pay_with="wallet",
    )
    services.create_recurring_charge(
        actor=None,
        payer=terms.payer,
        beneficiary=ibericas,
        description=TAREO_BUSINESS.description,
        code=TAREO_BUSINESS.code,
        product_code="tareo",
        quantity=TAREO_BUSINESS.quantity,
        unit_price=TAREO_BUSINESS.pricing.unit_price,
        amount=priced.quote.lines[0].amount,
        steps=priced.charges[0].steps,
        period_months=12,
        next_billing_date=add_months(today - timedelta(days=20), 12),
        cashback_partner=terms.cashback_partner,
        cashback_amount=priced.charges[0].cashback_amount,
        reference="CT-2026-0042",
        source_app="demo",
    )

    # R2.15: an invoice waiting for the bank transfer Ibéricas notified with its receipt.
    onboarding = quote(
        [
            Item(
                code="tareo-jumpstart",
                description="Tareo Jumpstart onboarding package",
                pricing=PerUnit(Money("1450.00", "EUR")),
            )
        ],
        currency="EUR",
    )
    waiting = services.invoice_and_charge(
        actor=ibericas_actor,
        payer=ibericas,
        charges=[Charge.from_quote_line(line, product_code="tareo") for line in onboarding.lines],
        issue_date=today - timedelta(days=12),
        pay_with="bank_transfer",
    ).invoice
    services.notify_bank_transfer(
        actor=ibericas_actor,
        invoice_id=waiting.pk,
        amount=str(waiting.total),
        receipt=_receipt(f"Transfer {waiting.code}"),
        reference=waiting.code,
    )

    # R4.8 and R4.9: Webagentur pays for Seeblick (full access, partner's means) and ordering itself pays
    # the discounted price: 35 hostings CHF 347.20, partner discount 277.76, volume discount 208.32.
    webagentur_actor = _actor("partner.ch@canal.test", webagentur)
    terms = services.partner_terms(orderer=webagentur, client=seeblick, product_code="alpenhost-hosting")
    priced = services.price_for(terms, [ALPENHOST_HOSTING], currency="CHF", product_code="alpenhost-hosting")
    services.invoice_and_charge(
        actor=webagentur_actor,
        payer=terms.payer,
        charges=priced.charges,
        customer=seeblick,
        issue_date=today - timedelta(days=10),
        pay_with="wallet",
    )
    first_of_next_month = add_months(today.replace(day=1), 1)
    services.create_recurring_charge(
        actor=None,
        payer=terms.payer,
        beneficiary=seeblick,
        description=ALPENHOST_HOSTING.description,
        code=ALPENHOST_HOSTING.code,
        product_code="alpenhost-hosting",
        quantity=ALPENHOST_HOSTING.quantity,
        unit_price=Money("9.92", "CHF"),
        amount=priced.quote.lines[0].amount,
        steps=priced.charges[0].steps,
        next_billing_date=first_of_next_month,
        source_app="demo",
    )

    # R4.7 under limited access: Norte orders CRM licenses Nube manages, Nube earns cashback.
    norte_actor = _actor("crm@canal.test", norte)
    terms = services.partner_terms(orderer=norte, client=norte, product_code="clientia-crm")
    priced = services.price_for(terms, [CLIENTIA_BASE], currency="EUR", product_code="clientia-crm")
    crm = services.invoice_and_charge(
        actor=norte_actor,
        payer=norte,
        charges=priced.charges,
        issue_date=today - timedelta(days=5),
        pay_with="bank_transfer",
    ).invoice
    services.create_recurring_charge(
        actor=None,
        payer=norte,
        beneficiary=norte,
        description=CLIENTIA_BASE.description,
        code=CLIENTIA_BASE.code,
        product_code="clientia-crm",
        quantity=CLIENTIA_BASE.quantity,
        unit_price=Money("25.00", "EUR"),
        amount=priced.quote.lines[0].amount,
        steps=priced.charges[0].steps,
        next_billing_date=first_of_next_month,
        cashback_partner=terms.cashback_partner,
        cashback_amount=priced.charges[0].cashback_amount,
        source_app="demo",
    )
    services.pay_from_balance(actor=norte_actor, invoice_id=crm.pk, amount="100.00")

    # A correction: the operator credits a license ordered twice by mistake. (Numbers and dates rise together
    # in a series, so each demo invoice is dated on or after the one before it, and before the orders' demo.)
    duplicate = services.invoice_and_charge(
        actor=norte_actor,
        payer=norte,
        charges=[
            Charge.from_quote_line(
                quote([CLIENTIA_BASE], currency="EUR").lines[0], product_code="clientia-crm"
            )
        ],
        issue_date=today - timedelta(days=4),
        pay_with="bank_transfer",
        reference="Duplicate order",
    ).invoice
    services.issue_credit_note(
        actor=operator,
        invoice_id=duplicate.pk,
        reason="Ordered twice by mistake",
        issue_date=today - timedelta(days=2),
    )

    # R2: the hotel's PRO license, paid by card, and a support pack of 100 credits (R2.13).
    mirador_actor = _actor("hotel@canal.test", mirador)
    pro = quote([REDWALL_PRO], currency="USD")
    by_card = services.invoice_and_charge(
        actor=mirador_actor,
        payer=mirador,
        charges=[
            Charge(
                description=line.description,
                code=line.code,
                quantity=line.quantity,
                unit_price=line.unit_list_price,
                amount=line.amount,
                steps=steps_as_json(line),
                product_code="redwall-pro",
            )
            for line in pro.lines
        ],
        issue_date=today - timedelta(days=4),
        pay_with="card",
        card_token="tok_visa",  # noqa: S106 - the offline provider's test card
    )
    assert by_card.payment is not None  # the card intent, charged as checkout does after commit
    services.charge_card_intent(payment_id=by_card.payment.pk, actor=mirador_actor)
    services.add_support_credits(
        actor=None, organisation=mirador, credits=100, document=("demo", "basic-pack")
    )
