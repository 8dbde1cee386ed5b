"""A CRM like the one of R3: four license types, a customer subscription with a pool of each."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, OrganisationKind, Role, User
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory
from canal.catalog.models import (
    BillingUnit,
    ItemKind,
    LicenseType,
    Plan,
    Price,
    PriceList,
    PriceModel,
    Product,
    ProductKind,
    Term,
)
from canal.subscriptions.models import SeatPool, Subscription

LICENSE_TYPES = [
    ("base", "Base"),
    ("voip", "VoIP calls"),
    ("messaging", "Messaging"),
    ("gsm", "GSM integration"),
]

MONTHLY_PRICES = {
    "base": Decimal("30.00"),
    "voip": Decimal("12.00"),
    "messaging": Decimal("9.00"),
    "gsm": Decimal("6.00"),
}


@dataclass
class Crm:
    product: Product
    customer: Organisation
    admin: Actor
    subscription: Subscription

    def pool(self, code: str) -> SeatPool:
        return self.subscription.seat_pools.get(license_type__code=code)

    def new_user(self, email: str) -> User:
        return MembershipFactory(organisation=self.customer, role=Role.MEMBER, user__email=email).user


def crm_with_seats(totals: dict[str, int] | None = None, minimums: dict[str, int] | None = None) -> Crm:
    totals = totals if totals is not None else {"base": 3, "voip": 1, "messaging": 1, "gsm": 0}
    vendor = OrganisationFactory(kind=OrganisationKind.VENDOR, name="Clientia")
    product = Product.objects.create(
        vendor=vendor,
        code="clientia-crm",
        name="Clientia CRM",
        kind=ProductKind.SEAT_LICENSES,
        unit=BillingUnit.SEAT,
    )
    plan = Plan.objects.create(
        product=product, code="crm", name="Clientia CRM", term=Term.MONTHLY, min_quantity=0
    )
    price_list = PriceList.objects.create(product=product, currency="EUR")
    for position, (code, name) in enumerate(LICENSE_TYPES):
        LicenseType.objects.create(product=product, code=code, name=name, position=position)
        Price.objects.create(
            price_list=price_list,
            item_kind=ItemKind.LICENSE_TYPE,
            item_code=code,
            model=PriceModel.PER_UNIT,
            amount=MONTHLY_PRICES[code],
        )
    customer = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Agencia Norte")
    admin = MembershipFactory(organisation=customer, role=Role.ADMIN).user
    subscription = Subscription.objects.create(
        customer=customer,
        payer=customer,
        product=product,
        plan=plan,
        currency="EUR",
        term_start=date(2026, 11, 1),
        term_end=date(2026, 12, 1),
    )
    for license_type in product.license_types.all():
        SeatPool.objects.create(
            subscription=subscription,
            license_type=license_type,
            total=totals.get(license_type.code, 0),
            contract_minimum=(minimums or {}).get(license_type.code, 0),
        )
    return Crm(product=product, customer=customer, admin=actor_for(admin), subscription=subscription)
