"""Demo orders (R1, R2.15): Nube Reseller's orders for Construcciones Ibéricas on the work-management
product (an active subscription, a running trial, one order waiting in the vendor's provisioning queue),
and Hotel Mirador's license servers with their orders list."""

from datetime import timedelta

from django.utils import timezone

from canal.accounts.actor import actor_for
from canal.accounts.models import Organisation, User
from canal.billing.payments import pay_by_card
from canal.catalog.offer import Configuration
from canal.orders.models import Order
from canal.orders.placement import OrderDetails
from canal.orders.services import order_trial, place_order, process_paid_orders
from canal.subscriptions.provisioning import complete_request

TAREO = "tareo-work"


def load() -> None:
    partner = actor_for(
        User.objects.get(email="partner@canal.test"), Organisation.objects.get(name="Nube Reseller S.L.").pk
    )
    vendor = actor_for(User.objects.get(email="vendor@canal.test"))
    ibericas = Organisation.objects.get(name="Construcciones Ibéricas S.A.")
    contact = {"end_customer_name": "Carmen Cliente", "end_customer_email": "carmen@ibericas.example"}
    placed = timezone.now() - timedelta(days=3)

    active = place_order(
        actor=partner,
        configuration=Configuration(
            product=TAREO, plan="business", quantity=20, add_ons=("marketing-pack",), package="onboarding-i"
        ),
        customer_id=ibericas.pk,
        details=OrderDetails(
            accept_terms=True, notify_me=True, contract_id="NUBE-2026-001", name="Oficina central", **contact
        ),
        now=placed,
    )
    complete_request(
        actor=vendor,
        request_id=active.provisioning.pk,
        vendor_account_id="TW-100234",
        now=placed + timedelta(hours=20),
    )

    trial = order_trial(
        actor=partner,
        configuration=Configuration(product=TAREO, plan="enterprise", add_ons=("services-pack",)),
        customer_id=ibericas.pk,
        details=OrderDetails(
            accept_terms=True,
            name="Prueba Enterprise",
            end_customer_name="Iván Técnico",
            end_customer_email="ivan@ibericas.example",
        ),
        now=placed + timedelta(days=1),
    )
    complete_request(
        actor=vendor,
        request_id=trial.provisioning.pk,
        vendor_account_id="TW-TRIAL-5521",
        now=placed + timedelta(days=2),
    )

    # Waiting in the vendor's queue (vendor@canal.test): a second workspace for the site office.
    place_order(
        actor=partner,
        configuration=Configuration(product=TAREO, plan="professional", quantity=10, package="self-start"),
        customer_id=ibericas.pk,
        details=OrderDetails(accept_terms=True, notify_me=True, name="Obra Valencia", **contact),
    )
    _license_servers()


def _license_servers() -> None:
    """R2.15: Hotel Mirador's servers: a paid PRO license, a Freemium one, and an order not paid yet."""
    hotel = actor_for(User.objects.get(email="hotel@canal.test"))
    pro = place_order(
        actor=hotel,
        configuration=Configuration(
            product="redwall-server", plan="pro", quantity=250, modules=("firewall", "qos")
        ),
        details=OrderDetails(name="server1"),
    )
    pay_by_card(actor=hotel, invoice_id=pro.invoice_id, amount=None, card_token="tok_visa")  # noqa: S106 - the offline test gateway's token
    process_paid_orders()
    place_order(
        actor=hotel,
        configuration=Configuration(product="redwall-server", plan="freemium", quantity=100),
        details=OrderDetails(name="server2"),
    )
    place_order(
        actor=hotel,
        configuration=Configuration(product="redwall-server", plan="pro", quantity=100, modules=("hotspot",)),
        details=OrderDetails(name="server3"),
    )
    assert Order.objects.filter(customer=hotel.organisation).count() == 3
