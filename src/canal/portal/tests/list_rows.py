"""Rows for every portal list, written in bulk: the list tests compare few and many rows with these, and
bench/bench_lists.py measures the pages at 100 and 10,000 rows with the same rows."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from canal.accounts.models import ClientRelationship, Membership, Organisation, OrganisationKind, Role, User
from canal.billing.models import Invoice, InvoiceKind, InvoiceStatus
from canal.catalog.models import BillingUnit, LicenseType, Product, ProductKind
from canal.licensing.models import Server
from canal.notifications.models import Notification
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.subscriptions.models import SeatPool, Subscription

PASSWORD = "list-rows-password"


@dataclass
class ListWorld:
    customer: User
    partner: User
    operator: User
    stranger: User
    customer_org: Organisation
    partner_org: Organisation


def world(tag: str = "lists") -> ListWorld:
    """A vendor, a partner with one client (the customer), the operator, and a stranger customer."""

    def person(kind: str, name: str, role: str = Role.ADMIN) -> tuple[User, Organisation]:
        organisation = (
            Organisation.objects.filter(kind=OrganisationKind.OPERATOR).first()
            if kind == OrganisationKind.OPERATOR
            else None
        ) or Organisation.objects.create(kind=kind, name=f"{name} {tag}", country="ES")
        user = User.objects.create_user(
            f"{name.lower()}@{tag}.test", PASSWORD, full_name=f"{name} admin", language="en"
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user, organisation

    customer, customer_org = person(OrganisationKind.CUSTOMER, "Customer")
    partner, partner_org = person(OrganisationKind.PARTNER, "Partner", Role.LEGAL_REPRESENTATIVE)
    operator, _operator_org = person(OrganisationKind.OPERATOR, "Operator")
    stranger, _stranger_org = person(OrganisationKind.CUSTOMER, "Stranger")
    ClientRelationship.objects.create(partner=partner_org, client=customer_org)
    return ListWorld(customer, partner, operator, stranger, customer_org, partner_org)


def add_rows(lists: ListWorld, count: int, tag: str = "r") -> None:
    """`count` rows in each list the customer (and the partner, for clients) sees."""
    customer = lists.customer_org
    vendor = Organisation.objects.create(kind=OrganisationKind.VENDOR, name=f"Vendor {tag}", country="ES")
    products = Product.objects.bulk_create(
        Product(
            vendor=vendor,
            code=f"{tag}-product-{number}",
            name=f"Product {tag} {number:05d}",
            kind=(ProductKind.SAAS, ProductKind.HOSTING)[number % 2],
            unit=BillingUnit.USER,
            category=("office", "security")[number % 2],
            # Off sale: the operator lists them all (the catalog's many rows), while the order and
            # invitation forms of partners and customers offer only the few products on sale.
            is_active=False,
        )
        for number in range(count)
    )
    saas, seats_product, server_product = Product.objects.bulk_create(
        [
            Product(
                vendor=vendor,
                code=f"{tag}-saas",
                name=f"SaaS {tag}",
                kind=ProductKind.SAAS,
                unit=BillingUnit.USER,
            ),
            Product(
                vendor=vendor,
                code=f"{tag}-seats",
                name=f"Seats {tag}",
                kind=ProductKind.SEAT_LICENSES,
                unit=BillingUnit.SEAT,
            ),
            Product(
                vendor=vendor,
                code=f"{tag}-server",
                name=f"Server {tag}",
                kind=ProductKind.ON_PREMISE_LICENSE,
                unit=BillingUnit.CLIENT,
            ),
        ]
    )
    del products
    license_type = LicenseType.objects.create(product=seats_product, code="base", name="Base")
    today = date(2026, 12, 1)

    def subscriptions(product: Product, label: str) -> list[Subscription]:
        return Subscription.objects.bulk_create(
            Subscription(
                customer=customer,
                payer=customer,
                product=product,
                currency="EUR",
                quantity=number % 50 + 1,
                name=f"{label} {tag} {number:05d}",
                term_start=today - timedelta(days=number % 300),
                term_end=today + timedelta(days=number % 365 + 1),
            )
            for number in range(count)
        )

    subscriptions(saas, "Subscription")
    SeatPool.objects.bulk_create(
        SeatPool(subscription=subscription, license_type=license_type, total=5)
        for subscription in subscriptions(seats_product, "Seats")
    )
    servers = subscriptions(server_product, "Server")
    Server.objects.bulk_create(Server(subscription=subscription) for subscription in servers[: count // 2])
    now = timezone.now()
    Order.objects.bulk_create(
        Order(
            kind=OrderKind.NEW,
            status=(OrderStatus.PLACED, OrderStatus.COMPLETED)[number % 2],
            placed_by=customer,
            customer=customer,
            payer=customer,
            product=saas,
            currency="EUR",
            net_total=Decimal(number % 997),
            subscription_name=f"Order {tag} {number:05d}",
            placed_at=now - timedelta(minutes=number),
        )
        for number in range(count)
    )
    Invoice.objects.bulk_create(
        Invoice(
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.ISSUED,
            organisation=customer,
            customer=customer,
            currency="EUR",
            series=tag[:10],
            year=2026,
            number=number + 1,
            code=f"{tag}-{number + 1:06d}",
            issue_date=today - timedelta(days=number % 700),
            total=Decimal(number % 1000),
        )
        for number in range(count)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=lists.customer,
            organisation=customer,
            title=f"Notice {tag} {number:05d}",
            read_at=now if number % 2 else None,
        )
        for number in range(count)
    )
    people = User.objects.bulk_create(
        User(email=f"{tag}-{number}@people.test", full_name=f"Person {tag} {number:05d}", password="!")
        for number in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=customer, role=role)
        for user in people
        for role in (Role.MEMBER, Role.BILLING)
    )
    clients = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.CUSTOMER, name=f"Client {tag} {number:05d}", country="ES")
        for number in range(count)
    )
    ClientRelationship.objects.bulk_create(
        ClientRelationship(partner=lists.partner_org, client=client) for client in clients
    )
