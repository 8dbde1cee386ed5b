"""Who hears about the partner programme, and how: e-mails in the recipient's language (sent on commit)
and in-app notifications. Services decide *when*; this module only *how*."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from canal.accounts.models import Membership, Organisation, Role, User
from canal.notifications.email import send_email
from canal.notifications.services import notify
from canal.orders.notices import absolute, language_of

LEGAL_ROLES = (Role.LEGAL_REPRESENTATIVE,)
CONTACT_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


def people(organisation: Organisation, roles: tuple[str, ...] = CONTACT_ROLES) -> list[User]:
    ids = Membership.objects.filter(organisation=organisation, role__in=list(roles)).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("email"))


def mail_address(email: str, template: str, context: dict[str, Any], language: str) -> None:
    send_email(to=[email], template=f"partners/email/{template}", context=context, language=language)


def tell(
    organisation: Organisation,
    template: str,
    context: dict[str, Any],
    *,
    title: Any,
    url: str = "",
    roles: tuple[str, ...] = CONTACT_ROLES,
) -> None:
    """E-mail and in-app notice to the organisation's people with `roles`, each in its own language.
    `title` is a lazy translatable string, rendered per reader."""
    for user in people(organisation, roles):
        language = language_of(user, organisation)
        mail_address(user.email, template, {"recipient": user, "url": absolute(url), **context}, language)
        with translation.override(language):
            notify(recipient=user, organisation=organisation, title=str(title), url=url)
