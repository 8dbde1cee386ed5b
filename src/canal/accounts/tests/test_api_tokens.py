from canal.accounts.models import ApiToken, OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, member
from canal.core.models import AuditEntry


def test_email_and_password_give_a_token_that_authenticates(client, db):
    user = member(kind=OrganisationKind.PARTNER)

    response = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == user.email


def test_wrong_password_is_refused_with_a_clear_message(client, db):
    user = member()

    response = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": "nope"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "E-mail or password is wrong.",
        "field": "password",
    }
    assert not ApiToken.objects.exists()


def test_a_user_of_several_organisations_chooses_one(client, db):
    user = member(kind=OrganisationKind.PARTNER)
    other = MembershipFactory(user=user, role=Role.MEMBER).organisation

    response = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": PASSWORD, "organisation_id": other.pk},
        content_type="application/json",
    )

    assert response.json()["organisation_id"] == other.pk


def test_token_is_stored_only_as_a_digest_and_never_listed(api_as, partner):
    api = api_as(partner)

    listed = api.get("/tokens").json()["results"]

    assert api.token not in str(listed)
    assert not ApiToken.objects.filter(digest=api.token).exists()
    assert listed[0]["prefix"] in api.token


def test_revoked_token_is_refused(api_as, partner):
    api = api_as(partner)
    token_id = api.get("/tokens").json()["results"][0]["id"]

    assert api.delete(f"/tokens/{token_id}").status_code == 200
    response = api.get("/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_creating_a_token_is_audited(api_as, partner):
    api = api_as(partner)

    api.post("/tokens", {"name": "ERP"})

    entry = AuditEntry.objects.filter(action="api_token.created").latest("id")
    assert entry.user == partner.user
    assert entry.organisation == partner.organisation
    assert entry.after["name"] == "ERP"


def test_a_plain_member_may_not_create_tokens_for_the_organisation(api_as, make_actor):
    actor = make_actor(OrganisationKind.CUSTOMER, Role.MEMBER)
    api = api_as(actor)

    response = api.post("/tokens", {"name": "ERP"})

    assert response.status_code == 403
    assert "Legal representative" in response.json()["message"]


def test_another_organisations_token_cannot_be_revoked(api_as, partner, customer):
    their_token_id = api_as(customer).get("/tokens").json()["results"][0]["id"]

    response = api_as(partner).delete(f"/tokens/{their_token_id}")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=their_token_id).revoked_at is None
