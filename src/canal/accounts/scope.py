"""The one scope function every selector uses: what an actor may see.

- Operator staff see everything.
- Everyone sees its own organisation's rows.
- A partner sees its clients' rows while the relationship is active (R4.12: a partner user who is not a
  legal representative or administrator only for the clients assigned to it): all of them under full access;
  under limited access only the rows of the products the client granted (R4.5), so selectors of
  product-bound rows pass `product_field`.
- A vendor sees rows about its own products when the selector passes `vendor_field`.
- Rows that live only in their owner's organisation (invoices and payments, R4.10: "the partner has no
  access to them") pass `through_partners=False`: a partner never sees its clients' ones.
Anything outside the scope is simply absent, so interfaces answer 404 for it.
"""

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from canal.accounts.actor import Actor
from canal.accounts.models import (
    AccessLevel,
    ClientManager,
    ClientRelationship,
    Organisation,
    ProductGrant,
    RelationshipStatus,
    Role,
)

# R4.12: these partner roles manage every client; other partner users only the clients assigned to them.
ALL_CLIENTS_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)

M = TypeVar("M", bound=Model)


def active_relationships(actor: Actor) -> QuerySet[ClientRelationship]:
    """The active relationships through which the actor sees clients (R4.12: only assigned ones unless
    the actor is one of the partner's legal representatives or administrators)."""
    relationships = ClientRelationship.objects.filter(
        partner=actor.organisation, status=RelationshipStatus.ACTIVE
    )
    if actor.has_role(*ALL_CLIENTS_ROLES):
        return relationships
    assigned = ClientManager.objects.filter(user=actor.user).values("relationship_id")
    return relationships.filter(pk__in=assigned)


def visible_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations whose name and profile the actor sees (a partner sees all its clients)."""
    if actor.is_operator:
        return Organisation.objects.all()
    client_ids = active_relationships(actor).values("client_id")
    return Organisation.objects.filter(Q(pk=actor.organisation.pk) | Q(pk__in=client_ids))


def scoped(
    queryset: QuerySet[M],
    actor: Actor,
    *,
    organisation_field: str = "organisation",
    product_field: str | None = None,
    vendor_field: str | None = None,
    through_partners: bool = True,
) -> QuerySet[M]:
    """Narrow `queryset` to the rows `actor` may see; see the module docstring for the rules."""
    if actor.is_operator:
        return queryset
    visible = Q(**{organisation_field: actor.organisation})
    if not through_partners:
        return queryset.filter(visible)
    relationships = active_relationships(actor)
    visible |= Q(
        **{f"{organisation_field}__in": relationships.filter(access=AccessLevel.FULL).values("client")}
    )
    if product_field is not None:
        for relationship_id, client_id in relationships.filter(access=AccessLevel.LIMITED).values_list(
            "id", "client_id"
        ):
            granted = ProductGrant.objects.filter(relationship_id=relationship_id).values("product_code")
            visible |= Q(**{organisation_field: client_id, f"{product_field}__in": granted})
    if vendor_field is not None:
        visible |= Q(**{vendor_field: actor.organisation})
    return queryset.filter(visible)
