"""Demo support desk (R2.10-R2.14, R2.17, R2.18): Hotel Mirador's tickets in every state, with a
conversation, an internal note and a balance that covers one open quote and not another; Redwall's queue
for the operator's agent (agent@canal.test) and Redwall's own administrator (vendor.redwall@canal.test)."""

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, User
from canal.catalog.models import TicketCategory
from canal.subscriptions.models import Subscription
from canal.support import priority, tickets
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
    """R5.1, R5.3: Flowdesk's large accounts. The source document names no thresholds: these are invented
    (100 user licenses in EMEA, 250 elsewhere). Exclusions are the catalog's: products billed by contacts,
    rows processed, visitors or automation credits."""
    vendor = Organisation.objects.filter(name="Flowdesk Software Ltd.").first()
    if vendor is None:
        return
    priority.configure(
        actor=_actor("vendor.flowdesk@canal.test", vendor.name),
        default_severity="s3",
        tiers=[("EMEA", 100), ("", 250)],
    )
