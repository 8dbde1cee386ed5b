"""Demo support desk (R2.10-R2.14, R2.17, R2.18): Hotel Mirador's tickets in every state, with a
conversation, an internal note and a balance that covers one open quote and not another; Redwall's queue
for the operator's agent (agent@canal.test) and Redwall's own administrator (vendor.redwall@canal.test);
Flowdesk's partner priority support (R5, vendor.flowdesk@canal.test)."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, User
from canal.catalog.models import Product, TicketCategory
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.support import breaches, holds, intake, priority, sla, sla_config, tickets
from canal.support.models import Ticket


def _actor(email: str, organisation: str) -> Actor:
    return actor_for(User.objects.get(email=email), Organisation.objects.get(name=organisation).pk)


def load() -> None:
    hotel = _actor("hotel@canal.test", "Hotel Mirador del Sur S.L.")
    agent = _actor("agent@canal.test", "Canal Distribución S.L.")
    redwall = _actor("vendor.redwall@canal.test", "Redwall Networks S.L.")
    server1 = Subscription.objects.filter(customer=hotel.organisation, name="server1").first()
    categories = {
        category.code: category for category in TicketCategory.objects.filter(product__code="redwall-support")
    }

    def open_ticket(code: str, title: str, description: str) -> Ticket:
        return tickets.open_ticket(
            actor=hotel,
            category_id=categories[code].pk,
            title=title,
            description=description,
            subscription_id=server1.pk if server1 else None,
        )

    def accepted(code: str, title: str, description: str) -> Ticket:
        ticket = open_ticket(code, title, description)
        tickets.quote_ticket(actor=agent, ticket_id=ticket.pk)
        return tickets.accept_quote(actor=hotel, ticket_id=ticket.pk)

    # The hotel starts with the 100 credits of a Basic pack (billing's demo); licensed prices apply.
    closed = accepted(
        "upgrade", "Actualizar server1 a la versión 7.4", "Queremos actualizar antes de la temporada alta."
    )
    tickets.reply(
        actor=agent, ticket_id=closed.pk, body="Actualizado a 7.4.2; el servidor reinició sin errores."
    )
    tickets.finish_ticket(actor=agent, ticket_id=closed.pk)
    tickets.reply(actor=hotel, ticket_id=closed.pk, body="Perfecto, todo funciona. ¡Gracias!")
    tickets.close_ticket(actor=hotel, ticket_id=closed.pk)

    finished = accepted(
        "hardware-fault",
        "El código de licencia cambió dos veces este mes",
        "El contador de cambios de código está en 2 de 3 y no hemos cambiado hardware.",
    )
    tickets.reply(
        actor=redwall,
        ticket_id=finished.pk,
        body="La tarjeta eth1 se reinicia; la hemos excluido del código.",
    )
    tickets.reply(
        actor=redwall, ticket_id=finished.pk, body="Revisar la fuente de alimentación.", internal=True
    )
    tickets.finish_ticket(actor=redwall, ticket_id=finished.pk)

    reopened = accepted(
        "configuration",
        "Colas de QoS por planes",
        "¿Cómo limitamos el plan Huéspedes a 5 Mbps por habitación?",
    )
    tickets.reply(actor=agent, ticket_id=reopened.pk, body="En Colas > Planes, límite por cliente de 5 Mbps.")
    tickets.finish_ticket(actor=agent, ticket_id=reopened.pk)
    tickets.reopen_ticket(actor=hotel, ticket_id=reopened.pk)
    tickets.reply(
        actor=hotel, ticket_id=reopened.pk, body="El límite no se aplica a los dispositivos nuevos."
    )

    assigned = accepted(
        "installation", "Instalar el servidor del edificio anexo", "Servidor nuevo con dos tarjetas de red."
    )
    tickets.reply(
        actor=agent, ticket_id=assigned.pk, body="El cliente pide sesión remota el martes.", internal=True
    )

    rejected = open_ticket(
        "network-issue", "Cortes de wifi en la terraza", "Los clientes pierden conexión al anochecer."
    )
    tickets.quote_ticket(actor=agent, ticket_id=rejected.pk)
    tickets.reject_quote(
        actor=hotel, ticket_id=rejected.pk, reason="Era el punto de acceso, ya lo cambiamos."
    )

    # Open quotes: 40 credits left cover the first (10) and not the second (60), which links to the packs.
    covered = open_ticket(
        "configuration", "Usuarios del portal cautivo", "¿Se puede pedir el número de habitación?"
    )
    tickets.quote_ticket(actor=agent, ticket_id=covered.pk)
    not_covered = open_ticket(
        "network-issue", "Balanceo entre las dos líneas", "La segunda línea no recibe tráfico desde el lunes."
    )
    tickets.quote_ticket(
        actor=redwall, ticket_id=not_covered.pk, credits=60, reason="Requiere una sesión remota de dos horas"
    )
    open_ticket(
        "hardware-fault",
        "Reinicios por la noche",
        "El servidor se reinicia sobre las 03:00; adjuntaremos el log.",
    )

    _flowdesk_priority_support()


def _flowdesk_priority_support() -> None:
    """R5: Flowdesk's partner priority support as the source document sets it. Large accounts: the
    document names no thresholds, so these are invented (100 user licenses in EMEA, 250 elsewhere);
    exclusions are the catalog's (the five services billed by contacts, rows, visitors or automation
    credits, and the support packs). SLA: the document's S1 on the 24x7 clock, first response 1-3 h,
    problem determination 2-8 h, resolution 24-48 h (the lower bound warns, the upper one breaches),
    timely updates every 4 h (our figure; the document asks for them without one). Escalations reach
    Flowdesk's administrator. Partners open three tickets: one for a large account (answered, then waiting
    for the customer: the clock is paused), one for a small account (S3), and one for the large account
    without the customer's e-mail, opened four hours ago and already breached."""
    vendor = Organisation.objects.filter(name="Flowdesk Software Ltd.").first()
    if vendor is None:
        return
    admin = _actor("vendor.flowdesk@canal.test", vendor.name)
    priority.configure(actor=admin, default_severity="s3", tiers=[("EMEA", 100), ("", 250)])
    sla_config.configure_sla(
        actor=admin,
        targets=[sla_config.TargetSpec(severity="s1", **sla.DOCUMENT_S1)],
        calendar=sla_config.CalendarSpec(time_zone="Europe/London"),
        escalation_contact_ids=[admin.user.pk],
    )
    crm = Product.objects.get(code="flowdesk-crm")
    today = timezone.localdate()
    for customer, users, account in (
        ("Construcciones Ibéricas S.A.", 150, "FD-ORG-40112"),  # EMEA, 150 >= 100: large
        ("Bäckerei Seeblick AG", 20, "FD-ORG-77120"),  # small
    ):
        organisation = Organisation.objects.get(name=customer)
        Subscription.objects.create(
            customer=organisation,
            payer=organisation,
            product=crm,
            plan=crm.plans.order_by("position", "pk").first(),
            quantity=users,
            currency="EUR",
            status=SubscriptionStatus.ACTIVE,
            term_start=today.replace(day=1),
            term_end=today.replace(day=1, year=today.year + 1),
            vendor_account_id=account,
            name=f"Flowdesk CRM {account}",
        )
    nube = _actor("partner@canal.test", "Nube Reseller S.L.")
    webagentur = _actor("partner.ch@canal.test", "Webagentur Limmat GmbH")
    large = intake.open_partner_ticket(
        actor=nube,
        product_id=crm.pk,
        account_ref="FD-ORG-40112",
        customer_email="customer@canal.test",
        title="Nadie puede iniciar sesión en el CRM",
        description="Desde las 9:00 los 150 usuarios reciben un error al iniciar sesión.",
    )
    tickets.reply(
        actor=admin,
        ticket_id=large.pk,
        body="We are on it. Which login method do your users use (SSO or password)?",
    )
    holds.put_on_hold(actor=admin, ticket_id=large.pk)
    intake.open_partner_ticket(
        actor=webagentur,
        product_id=crm.pk,
        account_ref="FD-ORG-77120",
        customer_email="seeblick@canal.test",
        title="Export to spreadsheet misses the phone column",
        description="Since last week the contact export leaves the phone column empty.",
    )
    missing = intake.open_partner_ticket(
        actor=nube,
        product_id=crm.pk,
        account_ref="FD-ORG-40112",
        title="Las exportaciones programadas fallan",
        description="Las exportaciones nocturnas no llegan desde el lunes.",
        centre=intake.GENERAL,
    )
    # Opened four hours ago and never answered: first response and the timely update are breached.
    shift = timedelta(hours=4)
    Ticket.objects.filter(pk=missing.pk).update(
        **{field: F(field) - shift for field in ["created_at", *sla.DUE_FIELDS]}
    )
    breaches.flag_sla_breaches()
