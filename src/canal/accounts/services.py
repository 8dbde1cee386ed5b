"""Every write in accounts: one function per use case, in a transaction, with its audit entry."""

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts import tokens
from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import (
    AccessLevel,
    ApiToken,
    ClientRelationship,
    Membership,
    Organisation,
    OrganisationKind,
    PaymentMode,
    ProductGrant,
    Role,
    User,
)
from canal.accounts.selectors import api_tokens_visible_to
from canal.core import audit
from canal.core.errors import CanalError, NotFound, RuleViolation
from canal.notifications.email import send_email

ADMIN_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


class AuthenticationFailed(CanalError):
    status = 401
    default_code = "authentication_failed"


def create_organisation(
    *,
    actor: Actor | None,
    kind: str,
    name: str,
    country: str,
    currency: str,
    language: str = "es",
    legal_id: str = "",
    region: str = "",
) -> Organisation:
    if actor is not None and not actor.is_operator:
        actor.require_role(*ADMIN_ROLES)
    with transaction.atomic():
        organisation = Organisation(
            kind=kind,
            name=name,
            country=country.upper(),
            currency=currency.upper(),
            language=language,
            legal_id=legal_id,
            region=region,
        )
        organisation.full_clean()
        organisation.save()
        audit.record(
            actor=actor, action="organisation.created", obj=organisation, after={"name": name, "kind": kind}
        )
    return organisation


def add_member(
    *,
    actor: Actor | None,
    organisation: Organisation,
    email: str,
    role: str,
    full_name: str = "",
    password: str | None = None,
    language: str = "",
) -> Membership:
    """Adds a user (created when the e-mail is new) to an organisation with a role."""
    if actor is not None and not actor.is_operator:
        actor.require_role(*ADMIN_ROLES)
        if actor.organisation != organisation:
            raise NotFound(_("No organisation with this id."))
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=full_name, language=language)
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        audit.record(
            actor=actor, action="membership.added", obj=membership, after={"user": user.email, "role": role}
        )
    return membership


def issue_token_for_credentials(
    *, request: HttpRequest | None, email: str, password: str, organisation_id: int | None, name: str
) -> tuple[ApiToken, str]:
    """POST /auth/token: e-mail and password (throttled like the login form) to a new API token."""
    user = authenticate(request, username=email.lower(), password=password)
    if user is None:
        raise AuthenticationFailed(_("E-mail or password is wrong."), field="password")
    actor = actor_for(user, organisation_id)
    return create_api_token(actor=actor, name=name, for_self=True)


def warn_of_failed_logins(*, email: str, failures: int) -> None:
    """Tells the account's user, in its language, that someone keeps failing to log in as it."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    send_email(
        to=[user.email],
        template="accounts/email/failed_logins",
        context={"user": user, "failures": failures},
        language=user.language or _first_organisation_language(user) or settings.LANGUAGE_CODE,
    )


def _first_organisation_language(user: User) -> str:
    membership = Membership.objects.filter(user=user).select_related("organisation").order_by("pk").first()
    return membership.organisation.language if membership else ""


def create_api_token(*, actor: Actor, name: str, for_self: bool = False) -> tuple[ApiToken, str]:
    """A new token of the actor's organisation acting as the actor; the plaintext is returned once."""
    if not for_self:
        actor.require_role(*ADMIN_ROLES, Role.TECHNICAL)
    name = name.strip()
    if not name:
        raise RuleViolation(_("Give the token a name, such as the system that will use it."), field="name")
    plaintext, prefix, digest = tokens.new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=actor.organisation, user=actor.user, name=name, prefix=prefix, digest=digest
        )
        audit.record(
            actor=actor, action="api_token.created", obj=token, after={"name": name, "prefix": prefix}
        )
    return token, plaintext


def revoke_api_token(*, actor: Actor, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = api_tokens_visible_to(actor).select_for_update().filter(pk=token_id).first()
        if token is None:
            raise NotFound(_("No API token with this id."))
        if token.user_id != actor.user.pk:
            actor.require_role(*ADMIN_ROLES, Role.TECHNICAL)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action="api_token.revoked", obj=token, after={"revoked": True})
    return token


# A token's last use is recorded at most this often, so a busy client's reads write nothing (issue 15).
TOKEN_TOUCH_SECONDS = 60


def authenticate_token(plaintext: str) -> Actor | None:
    """The actor behind an API token, or None when it is unknown or revoked (or its user no longer
    belongs to the token's organisation). Every API request asks this: see `_token_rows`."""
    rows = _token_rows(tokens.digest(plaintext))
    if not rows:
        return None
    token_id, last_used, user, organisation = rows[0][1:]
    now = timezone.now()
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return Actor(user=user, organisation=organisation, roles=frozenset(row[0] for row in rows))


def _token_rows(digest: str) -> list[tuple[str, int, Any, User, Organisation]]:
    """(role, token id, last used, user, organisation) per membership of the token's user in the token's
    organisation, in one statement. Written once as SQL instead of through the ORM: building and
    compiling the equivalent queryset cost about as much as the rest of a small API request (issue 15).
    Values go through the same database converters the ORM applies (SQLite's dates and booleans)."""
    user_fields, organisation_fields = User._meta.concrete_fields, Organisation._meta.concrete_fields
    sql = _token_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        found = cursor.fetchall()
    if not found:
        return []
    converted = [_converted(connection.vendor, row[2:]) for row in found]
    split = 1 + len(user_fields)
    return [
        (
            row[0],
            row[1],
            values[0],
            User.from_db(connection.alias, [field.attname for field in user_fields], values[1:split]),
            Organisation.from_db(
                connection.alias, [field.attname for field in organisation_fields], values[split:]
            ),
        )
        for row, values in zip(found, converted, strict=True)
    ]


@cache
def _token_sql(vendor: str) -> str:
    """The statement of `_token_rows` (table and column names from our models), built once."""
    q = connection.ops.quote_name
    columns = [
        "m." + q("role"),
        "t." + q("id"),
        "t." + q("last_used_at"),
        *("u." + q(field.column) for field in User._meta.concrete_fields),
        *("o." + q(field.column) for field in Organisation._meta.concrete_fields),
    ]
    tables = {model: q(model._meta.db_table) for model in (ApiToken, User, Membership, Organisation)}
    return (
        f"SELECT {', '.join(columns)} FROM {tables[ApiToken]} t "  # noqa: S608 - no input in it
        f"JOIN {tables[User]} u ON u.id = t.user_id "
        f"JOIN {tables[Membership]} m ON m.user_id = t.user_id AND m.organisation_id = t.organisation_id "
        f"JOIN {tables[Organisation]} o ON o.id = t.organisation_id "
        "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
    )


@cache
def _converters(vendor: str) -> list[tuple[Any, list[Any]]]:
    """(column, converters) for the values after the role and token id, as the ORM would convert them."""
    fields = [ApiToken._meta.get_field("last_used_at"), *User._meta.concrete_fields]
    fields += Organisation._meta.concrete_fields
    columns = [field.get_col(field.model._meta.db_table) for field in fields]
    return [
        (column, [*connection.ops.get_db_converters(column), *column.field.get_db_converters(connection)])
        for column in columns
    ]


def _converted(vendor: str, values: tuple) -> list[Any]:
    result = []
    for (column, converters), value in zip(_converters(vendor), values, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        result.append(value)
    return result


def link_client(
    *,
    actor: Actor | None,
    partner: Organisation,
    client: Organisation,
    access: str = AccessLevel.FULL,
    payment_mode: str = PaymentMode.CUSTOMER,
    product_codes: Iterable[str] = (),
) -> ClientRelationship:
    """Records an accepted partner-client relationship (the invitation flow of R4.4 ends here)."""
    if actor is not None and not actor.is_operator:
        raise NotFound(_("No organisation with this id."))
    if partner.kind != OrganisationKind.PARTNER:
        raise RuleViolation(_("Only a partner organisation can manage clients."), field="partner")
    if client.kind != OrganisationKind.CUSTOMER:
        raise RuleViolation(_("Only a customer organisation can be a partner's client."), field="client")
    codes = sorted(set(product_codes))
    if access == AccessLevel.LIMITED and not codes:
        raise RuleViolation(
            _("Limited access needs at least one product; choose products or grant full access."),
            field="product_codes",
        )
    with transaction.atomic():
        relationship = ClientRelationship.objects.create(
            partner=partner, client=client, access=access, payment_mode=payment_mode
        )
        if access == AccessLevel.LIMITED:
            ProductGrant.objects.bulk_create(
                ProductGrant(relationship=relationship, product_code=code) for code in codes
            )
        audit.record(
            actor=actor,
            action="client_relationship.created",
            obj=relationship,
            after={"access": access, "payment_mode": payment_mode, "products": codes},
        )
    return relationship
