from datetime import timedelta

from django.utils import timezone

from canal.accounts.models import OrganisationKind, Role
from canal.core.models import AuditEntry
from canal.partners.models import SupportAccess
from canal.partners.tests.conftest import colleague


def test_r4_16_support_staff_identify_a_caller_by_support_code_or_vip_code(api_as, operator, legal):
    caller = legal(OrganisationKind.CUSTOMER, name="Premium AG", premium_support=True, vip_code="VIP-7777")
    desk = api_as(operator)

    by_support_code = desk.get("/partners/support-callers", code=caller.user.support_code.lower())
    by_vip_code = desk.get("/partners/support-callers", code="VIP-7777")
    unknown = desk.get("/partners/support-callers", code="NOPE-NOPE")

    assert (by_support_code.json()["kind"], by_support_code.json()["user_email"]) == (
        "support_code",
        caller.user.email,
    )
    assert by_vip_code.json()["kind"] == "vip_code"
    assert [row["name"] for row in by_vip_code.json()["organisations"]] == ["Premium AG"]
    assert unknown.status_code == 404


def test_r4_16_nobody_but_support_staff_looks_callers_up(api_as, legal):
    caller = legal(OrganisationKind.CUSTOMER)
    stranger = legal(OrganisationKind.CUSTOMER)

    response = api_as(stranger).get("/partners/support-callers", code=caller.user.support_code)

    assert response.status_code == 404


def test_r4_16_the_vip_code_is_shown_on_the_premium_support_page(portal_login, legal):
    customer = legal(OrganisationKind.CUSTOMER, premium_support=True, vip_code="VIP-4242")

    page = portal_login(customer.user).get("/partners/support/").content.decode()

    assert "VIP-4242" in page
    assert customer.user.support_code in page


def test_r4_16_a_customer_grants_support_temporary_access_revocable_and_audited(
    api_as, portal_login, operator, legal
):
    customer = legal(OrganisationKind.CUSTOMER)
    api = api_as(customer)

    granted = api.post("/partners/support-access", {"hours": 4})
    banner = portal_login(customer.user).get("/partners/support/").content.decode()
    seen = api_as(operator).get("/partners/support-callers", code=customer.user.support_code).json()
    revoked = api.post(f"/partners/support-access/{granted.json()['id']}/revoke")

    assert granted.status_code == 201
    expires = SupportAccess.objects.get().expires_at
    assert timedelta(hours=3, minutes=59) < expires - timezone.now() <= timedelta(hours=4)
    assert "Support staff may access your services until" in banner
    assert seen["support_access_until"] is not None
    assert revoked.json()["revoked_at"] is not None
    assert set(
        AuditEntry.objects.filter(action__startswith="support_access").values_list("action", flat=True)
    ) == {
        "support_access.granted",
        "support_access.revoked",
    }


def test_r4_16_hours_are_bounded_and_only_administrators_grant(api_as, legal):
    customer = legal(OrganisationKind.CUSTOMER)
    member = colleague(customer, Role.MEMBER)

    for hours in (0, 169, True, "4"):
        assert api_as(customer).post("/partners/support-access", {"hours": hours}).status_code == 422
    assert api_as(member).post("/partners/support-access", {"hours": 4}).status_code == 403
    assert not SupportAccess.objects.exists()
