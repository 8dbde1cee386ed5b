"""A person's language (issue 14): kept on the user, so the portal, e-mails and notifications follow it
on every device and after every login. The ES/EN switch, the profile page and `PATCH /me` all change it
here."""

from django.conf import settings
from django.utils.translation import gettext as _

from canal.accounts.models import User
from canal.core.errors import RuleViolation


def set_user_language(*, user: User, language: str) -> User:
    """Makes `language` the user's language; refuses one the platform does not speak."""
    if language not in dict(settings.LANGUAGES):
        choices = ", ".join(dict(settings.LANGUAGES))
        raise RuleViolation(
            _("“%(language)s” is not a language of Canal; choose one of: %(choices)s.")
            % {"language": language, "choices": choices},
            code="language_unknown",
            field="language",
        )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
