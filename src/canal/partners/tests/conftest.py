"""Partner programme fixtures: English messages, the programme's levels, the Alpenhost catalog, and the
portal's browser fixtures."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import member
from canal.catalog.tests.conftest import load_catalog  # noqa: F401
from canal.partners.models import PartnerProfile, ProgrammeLevel
from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services raise messages in the active language; these tests read the English ones."""
    with translation.override("en"):
        yield


@pytest.fixture
def gold(operator: Actor) -> ProgrammeLevel:
    return ProgrammeLevel.objects.create(
        operator=operator.organisation,
        code="gold",
        name="Gold",
        discount_rate=Decimal("0.20"),
        cashback_rate=Decimal("0.10"),
        rank=2,
    )


@pytest.fixture
def legal(db: None) -> Any:
    """A legal representative of a new organisation of `kind` (a programme partner when kind is partner)."""

    def make(
        kind: str = OrganisationKind.CUSTOMER, level: ProgrammeLevel | None = None, **organisation
    ) -> Actor:
        user = member(kind=kind, role=Role.LEGAL_REPRESENTATIVE, **organisation)
        user.language = "en"  # e-mails and pages are in the reader's language; these tests read English
        user.save(update_fields=["language"])
        actor = actor_for(user)
        if level is not None:
            PartnerProfile.objects.create(
                organisation=actor.organisation, level=level, listed_in_directory=True, receives_tenders=True
            )
        return actor

    return make


@pytest.fixture
def programme_partner(legal, gold) -> Actor:
    return legal(OrganisationKind.PARTNER, gold, name="Webagentur Limmat GmbH")


def colleague(actor: Actor, role: str = Role.TECHNICAL) -> Actor:
    """Another user of the same organisation, holding `role`."""
    from canal.accounts.models import Membership
    from canal.accounts.tests.factories import UserFactory

    user = UserFactory()
    Membership.objects.create(user=user, organisation=actor.organisation, role=role)
    return actor_for(user, actor.organisation.pk)
