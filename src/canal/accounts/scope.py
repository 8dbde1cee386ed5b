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

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from canal.accounts.actor import Actor
from canal.accounts.models import (
    AccessLevel,
    ClientManager,
    ClientRelationship,
    Organisation,
    OrganisationKind,
    ProductGrant,
    RelationshipStatus,
    Role,
)
from canal.core.request_context import request_memo

# R4.12: these partner roles manage every client; other partner users only the clients assigned to them.
ALL_CLIENTS_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)

M = TypeVar("M", bound=Model)

# Past this many clients a literal list of ids costs the database more to parse and plan than it saves:
# 10,000 ids took 1.0 s to plan a query that ran in 40 ms. Such partners are scoped by subqueries.
LITERAL_CLIENTS_LIMIT = 500


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


@dataclass(frozen=True)
class Clients:
    """The clients an actor sees through its active relationships, read once: each relationship with its
    client loaded and, under limited access, the product codes the client granted (R4.5)."""

    relationships: tuple[ClientRelationship, ...]
    granted: dict[int, frozenset[str]]  # relationship id -> product codes, limited access only

    @property
    def full_access_ids(self) -> list[int]:
        return [row.client_id for row in self.relationships if row.access == AccessLevel.FULL]

    @property
    def client_ids(self) -> list[int]:
        return [row.client_id for row in self.relationships]

    def relationship_with(self, client_id: int) -> ClientRelationship | None:
        return next((row for row in self.relationships if row.client_id == client_id), None)

    def limited(self) -> list[tuple[int, frozenset[str]]]:
        """(client id, granted product codes) of every limited-access relationship."""
        return [(row.client_id, self.granted[row.pk]) for row in self.relationships if row.pk in self.granted]


NO_CLIENTS = Clients(relationships=(), granted={})


def clients_of(actor: Actor) -> Clients:
    """The actor's clients (only a partner has any), read once per request (`request_memo`): every
    scoped list and look-up of the request filters by these ids instead of a subquery. Two queries for a
    partner with limited-access clients, one for other partners, none for anybody else."""
    if actor.kind != OrganisationKind.PARTNER:
        return NO_CLIENTS  # relationships name a partner organisation on their partner side (link_client)
    memo = request_memo()
    key = ("clients", actor.user.pk, actor.organisation.pk, actor.roles)
    if memo is not None and key in memo:
        return memo[key]
    relationships = tuple(active_relationships(actor).select_related("client").order_by("id"))
    limited = [row.pk for row in relationships if row.access == AccessLevel.LIMITED]
    granted: dict[int, set[str]] = {pk: set() for pk in limited}
    if limited:
        for relationship_id, code in ProductGrant.objects.filter(relationship_id__in=limited).values_list(
            "relationship_id", "product_code"
        ):
            granted[relationship_id].add(code)
    clients = Clients(relationships, {pk: frozenset(codes) for pk, codes in granted.items()})
    if memo is not None:
        memo[key] = clients
    return clients


def _in(field: str, ids: list[int]) -> Q:
    # One id is an equality, so the planner sees the same query as for a single organisation.
    return Q(**{field: ids[0]}) if len(ids) == 1 else Q(**{f"{field}__in": ids})


def _many(clients: Clients) -> bool:
    return len(clients.relationships) > LITERAL_CLIENTS_LIMIT


def visible_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations whose name and profile the actor sees (a partner sees all its clients)."""
    if actor.is_operator:
        return Organisation.objects.all()
    clients = clients_of(actor)
    if _many(clients):
        return Organisation.objects.filter(
            Q(pk=actor.organisation.pk) | Q(pk__in=active_relationships(actor).values("client_id"))
        )
    return Organisation.objects.filter(_in("pk", [actor.organisation.pk, *clients.client_ids]))


def _through_ids(clients: Clients, own: int, organisation_field: str, product_field: str | None) -> Q:
    visible = _in(organisation_field, [own, *clients.full_access_ids])
    if product_field is not None:
        for client_id, codes in clients.limited():
            visible |= Q(**{organisation_field: client_id, f"{product_field}__in": sorted(codes)})
    return visible


def _through_subqueries(actor: Actor, organisation_field: str, product_field: str | None) -> Q:
    """The same rows as the id lists give, for a partner with more clients than a list should hold."""
    relationships = active_relationships(actor)
    full = relationships.filter(access=AccessLevel.FULL).values("client_id")
    visible = Q(**{organisation_field: actor.organisation.pk}) | Q(**{f"{organisation_field}__in": full})
    if product_field is not None:
        granted = ProductGrant.objects.filter(
            relationship__in=relationships.filter(access=AccessLevel.LIMITED),
            relationship__client=OuterRef(organisation_field),
            product_code=OuterRef(product_field),
        )
        visible |= Q(Exists(granted))
    return visible


def scoped(
    queryset: QuerySet[M],
    actor: Actor,
    *,
    organisation_field: str = "organisation",
    product_field: str | None = None,
    vendor_field: str | None = None,
    through_partners: bool = True,
) -> QuerySet[M]:
    """Narrow `queryset` to the rows `actor` may see; see the module docstring for the rules.

    The organisations come as a list of ids (`organisation_id IN (...)`), not a subquery, so the database
    answers from an index on the organisation column whatever the size of the table (issue 15); a
    partner with more than LITERAL_CLIENTS_LIMIT clients is scoped by subqueries instead."""
    if actor.is_operator:
        return queryset
    own = actor.organisation.pk
    if not through_partners:
        return queryset.filter(**{organisation_field: own})
    clients = clients_of(actor)
    if _many(clients):
        visible = _through_subqueries(actor, organisation_field, product_field)
    else:
        visible = _through_ids(clients, own, organisation_field, product_field)
    if vendor_field is not None and actor.kind == OrganisationKind.VENDOR:
        visible |= Q(**{vendor_field: own})
    return queryset.filter(visible)
