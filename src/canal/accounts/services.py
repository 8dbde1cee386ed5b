"""Every write in accounts: one function per use case, in a transaction, with its audit entry."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
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


def authenticate_token(plaintext: str) -> Actor | None:
    """The actor behind an API token, or None when it is unknown or revoked."""
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(digest=tokens.digest(plaintext), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute so a busy client does not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    try:
        return actor_for(token.user, token.organisation_id)
    except NotFound:
        return None


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
