"""Who hears about the partner programme, and how: e-mails in the recipient's language (sent on commit)
and in-app notifications kept as message ids, shown in each reader's language. Services decide *when*;
this module only *how*."""

from __future__ import annotations

from typing import Any

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
    message: str,
    url: str = "",
    roles: tuple[str, ...] = CONTACT_ROLES,
) -> None:
    """E-mail and in-app notice to the organisation's people with `roles`, each in its own language.
    `message` is a msgid marked with gettext_noop: the notification keeps it and is shown in the language
    of whoever reads it."""
    for user in people(organisation, roles):
        language = language_of(user, organisation)
        mail_address(user.email, template, {"recipient": user, "url": absolute(url), **context}, language)
        notify(recipient=user, organisation=organisation, message=message, url=url)
