"""Who may order: a partner's ordering roles for its clients, a customer's for itself."""

from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role
from canal.core.errors import PermissionDenied

PARTNER_ORDER_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING, Role.MEMBER)
CUSTOMER_ORDER_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING)


def check_may_order(actor: Actor) -> None:
    """Partners order for their clients, customers for themselves; vendors and operators do not."""
    if actor.kind == OrganisationKind.PARTNER:
        actor.require_role(*PARTNER_ORDER_ROLES)
    elif actor.kind == OrganisationKind.CUSTOMER:
        actor.require_role(*CUSTOMER_ORDER_ROLES)
    else:
        raise PermissionDenied(
            _("Orders are placed by partners for their clients, or by customers themselves.")
        )
