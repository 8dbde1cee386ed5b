"""Demo programme levels (R4.3) and the demo partners' places in them."""

from decimal import Decimal

from canal.accounts.models import Organisation, OrganisationKind
from canal.partners.models import PartnerProfile, ProgrammeLevel

LEVELS = [
    ("silver", "Silver", Decimal("0.10"), Decimal("0.05"), 1),
    ("gold", "Gold", Decimal("0.20"), Decimal("0.10"), 2),
    ("platinum", "Platinum", Decimal("0.35"), Decimal("0.15"), 3),
]
PARTNER_LEVELS = {"Nube Reseller S.L.": "gold", "Webagentur Limmat GmbH": "gold"}


def load() -> None:
    operator = Organisation.objects.get(kind=OrganisationKind.OPERATOR)
    levels = {
        code: ProgrammeLevel.objects.create(
            operator=operator, code=code, name=name, discount_rate=discount, cashback_rate=cashback, rank=rank
        )
        for code, name, discount, cashback, rank in LEVELS
    }
    for name, level in PARTNER_LEVELS.items():
        PartnerProfile.objects.create(
            organisation=Organisation.objects.get(name=name), level=levels[level], listed_in_directory=True
        )
