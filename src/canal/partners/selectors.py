from canal.accounts.models import Organisation
from canal.partners.models import ProgrammeLevel


def programme_level_of(partner: Organisation) -> ProgrammeLevel | None:
    """The partner's programme level, or None for an organisation outside the programme."""
    profile = getattr(partner, "partner_profile", None)
    return profile.level if profile is not None else None
