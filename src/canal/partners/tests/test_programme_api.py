"""R4.3 through the API (issue 9, API parity): the operator sets each level's terms and a partner's level;
the partner's next quote uses them."""

from decimal import Decimal

import pytest

from canal.accounts.models import OrganisationKind
from canal.core.models import AuditEntry
from canal.partners.models import PartnerProfile, ProgrammeLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def level(operator):
    return ProgrammeLevel.objects.create(
        operator=operator.organisation,
        code="silver",
        name="Silver",
        discount_rate=Decimal("0.10"),
        cashback_rate=Decimal("0.05"),
    )


def test_r4_3_the_operator_sets_a_levels_discount_and_cashback_rates(api_as, operator, level):
    response = api_as(operator).client.put(
        f"/api/v1/programme/levels/{level.pk}",
        {"name": "Silver", "discount_rate": "0.25", "cashback_rate": "0.12", "rank": 1},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    level.refresh_from_db()
    assert (level.discount_rate, level.cashback_rate) == (Decimal("0.25"), Decimal("0.12"))
    assert AuditEntry.objects.filter(action="programme_level.terms_set").exists()


@pytest.mark.parametrize("rate", ["0.36", "-0.01", "1", True])
def test_r4_3_rates_above_35_percent_are_refused_and_nothing_changes(api_as, operator, level, rate):
    response = api_as(operator).client.put(
        f"/api/v1/programme/levels/{level.pk}",
        {"name": "Silver", "discount_rate": rate, "cashback_rate": "0.05"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "discount_rate"
    level.refresh_from_db()
    assert level.discount_rate == Decimal("0.10")


def test_r4_3_the_operator_adds_a_level_and_moves_a_partner_to_it(api_as, operator, partner, level):
    PartnerProfile.objects.create(organisation=partner.organisation, level=level)
    api = api_as(operator)

    created = api.post(
        "/programme/levels", {"code": "gold", "name": "Gold", "discount_rate": "0.30", "cashback_rate": "0.1"}
    )
    moved = api.client.put(
        f"/api/v1/programme/partners/{partner.organisation.pk}/level",
        {"level_id": created.json()["id"]},
        content_type="application/json",
    )

    assert created.status_code == 201, created.json()
    assert moved.status_code == 200, moved.json()
    assert moved.json()["level"]["code"] == "gold"
    assert PartnerProfile.objects.get(organisation=partner.organisation).level.code == "gold"


def test_r4_3_a_partner_cannot_change_its_own_level_or_terms(api_as, make_actor, partner, level):
    PartnerProfile.objects.create(organisation=partner.organisation, level=level)
    api = api_as(partner)

    terms = api.client.put(
        f"/api/v1/programme/levels/{level.pk}",
        {"name": "Mine", "discount_rate": "0.35", "cashback_rate": "0.35"},
        content_type="application/json",
    )
    vendor = api_as(make_actor(OrganisationKind.VENDOR)).client.put(
        f"/api/v1/programme/partners/{partner.organisation.pk}/level",
        {"level_id": level.pk},
        content_type="application/json",
    )

    assert terms.status_code == 404
    assert vendor.status_code == 404
    level.refresh_from_db()
    assert level.discount_rate == Decimal("0.10")
