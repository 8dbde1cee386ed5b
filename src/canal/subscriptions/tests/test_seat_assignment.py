"""Assigning and releasing seat licenses (R3.1, R3.3, R3.5, R3.6) through the service and the API."""

import pytest

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.services import link_client
from canal.core.errors import RuleViolation
from canal.core.models import AuditEntry
from canal.subscriptions import seats
from canal.subscriptions.models import SeatAssignment
from canal.subscriptions.tests.factories import crm_with_seats


@pytest.fixture
def crm(db):
    return crm_with_seats()


def test_r3_1_a_user_can_hold_any_combination_of_license_types(crm):
    ana = crm.new_user("ana@norte.test")

    for code in ("base", "voip", "messaging"):
        seats.assign_seat(actor=crm.admin, pool=crm.pool(code), user=ana)

    held = set(SeatAssignment.objects.filter(user=ana).values_list("pool__license_type__code", flat=True))
    assert held == {"base", "voip", "messaging"}
    assert crm.pool("voip").assigned == 1


def test_r3_3_assigning_without_a_free_license_is_refused_with_a_link_to_buy(crm):
    ana, bea = crm.new_user("ana@norte.test"), crm.new_user("bea@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=ana)

    with pytest.raises(RuleViolation) as refused:
        seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=bea)

    assert refused.value.code == "no_free_license"
    assert refused.value.suggestion == f"/licenses/{crm.subscription.pk}/buy/"
    assert crm.pool("voip").assigned == 1
    assert not SeatAssignment.objects.filter(user=bea).exists()


def test_r3_3_the_api_answers_422_with_the_purchase_link(crm, api_as):
    bea = crm.new_user("bea@norte.test")

    response = api_as(crm.admin).post(
        f"/subscriptions/{crm.subscription.pk}/seats/gsm/assignments", {"user_id": bea.pk}
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "no_free_license"
    assert body["suggestion"].endswith(f"/licenses/{crm.subscription.pk}/buy/")
    assert "GSM integration" in body["message"]


def test_r3_5_a_new_user_is_active_only_once_it_holds_a_license(crm, api_as):
    ana = crm.new_user("ana@norte.test")
    api = api_as(crm.admin)

    def ana_row() -> dict:
        users = api.get(f"/subscriptions/{crm.subscription.pk}/users").json()["results"]
        return next(row for row in users if row["email"] == "ana@norte.test")

    before = ana_row()
    api.post(f"/subscriptions/{crm.subscription.pk}/seats/messaging/assignments", {"user_id": ana.pk})
    after = ana_row()

    assert before["active"] is False
    assert before["licenses"] == []
    assert after["active"] is True
    assert after["licenses"] == ["messaging"]


def test_r3_6_releasing_frees_the_license_for_another_user_at_once(crm):
    ana, bea = crm.new_user("ana@norte.test"), crm.new_user("bea@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=ana)

    seats.release_seat(actor=crm.admin, pool=crm.pool("voip"), user=ana)
    seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=bea)

    assert not seats.holds_any_license(ana, crm.subscription.pk)
    assert seats.holds_any_license(bea, crm.subscription.pk)
    assert crm.pool("voip").assigned == 1


def test_assigning_twice_keeps_one_seat(crm):
    ana = crm.new_user("ana@norte.test")

    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=ana)
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=ana)

    assert crm.pool("base").assigned == 1


def test_every_change_is_audited_and_counted(crm):
    ana = crm.new_user("ana@norte.test")

    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=ana)
    seats.release_seat(actor=crm.admin, pool=crm.pool("base"), user=ana)

    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["seat.assigned", "seat.released"]
    assert list(crm.pool("base").history.values_list("assigned", flat=True)) == [1, 0]


def test_a_user_of_another_organisation_cannot_get_a_seat(crm, make_actor, api_as):
    outsider = make_actor(OrganisationKind.CUSTOMER).user

    response = api_as(crm.admin).post(
        f"/subscriptions/{crm.subscription.pk}/seats/base/assignments", {"user_id": outsider.pk}
    )

    assert response.status_code == 404
    assert crm.pool("base").assigned == 0


def test_another_customer_cannot_see_or_touch_the_pools(crm, make_actor, api_as):
    stranger = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    api = api_as(stranger)

    assert api.get(f"/subscriptions/{crm.subscription.pk}/seats").status_code == 404
    assert (
        api.post(f"/subscriptions/{crm.subscription.pk}/seats/base/assignments", {"user_id": 1}).status_code
        == 404
    )


def test_a_partner_with_full_access_manages_its_clients_seats(crm, make_actor, api_as):
    partner = make_actor(OrganisationKind.PARTNER, Role.ADMIN)
    link_client(actor=None, partner=partner.organisation, client=crm.customer)
    ana = crm.new_user("ana@norte.test")

    response = api_as(partner).post(
        f"/subscriptions/{crm.subscription.pk}/seats/base/assignments", {"user_id": ana.pk}
    )

    assert response.status_code == 201
    assert crm.pool("base").assigned == 1


def test_a_plain_member_may_not_assign_seats(crm, api_as):
    from canal.accounts.actor import actor_for

    member = crm.new_user("member@norte.test")

    response = api_as(actor_for(member)).post(
        f"/subscriptions/{crm.subscription.pk}/seats/base/assignments", {"user_id": member.pk}
    )

    assert response.status_code == 403


def test_a_vendor_sees_the_pools_but_cannot_assign_seats(crm, api_as):
    from canal.accounts.actor import actor_for
    from canal.accounts.models import Role
    from canal.accounts.tests.factories import MembershipFactory

    vendor_admin = actor_for(MembershipFactory(organisation=crm.product.vendor, role=Role.ADMIN).user)
    ana = crm.new_user("ana@norte.test")
    api = api_as(vendor_admin)

    assert api.get(f"/subscriptions/{crm.subscription.pk}/seats").status_code == 200
    response = api.post(f"/subscriptions/{crm.subscription.pk}/seats/base/assignments", {"user_id": ana.pk})

    assert response.status_code == 404
    assert crm.pool("base").assigned == 0
