from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from canal.accounts.models import ClientRelationship, Membership, OrganisationKind, Role
from canal.partners.models import Invitation, InvitationStatus
from canal.partners.tests.conftest import colleague


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def invite(api, **overrides):
    body = {"email": "ceo@client.example", "access": "full", "payment_mode": "customer", **overrides}
    return api.post("/partners/invitations/clients", body)


def test_r4_4_only_the_partners_legal_representative_invites_a_client(api_as, programme_partner):
    admin = colleague(programme_partner, Role.ADMIN)

    refused = invite(api_as(admin))
    sent = invite(api_as(programme_partner))

    assert refused.status_code == 403
    assert sent.status_code == 201
    assert Invitation.objects.count() == 1


def test_r4_4_the_client_is_mailed_a_single_use_link(
    api_as, programme_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(api_as(programme_partner)).json()

    assert [message.to for message in mail.outbox] == [["ceo@client.example"]]
    assert sent["link"] in mail.outbox[0].body


def test_r4_4_r4_17_the_clients_legal_representative_accepts_granting_other_rights_than_asked(
    api_as, programme_partner, legal, load_catalog
):
    load_catalog("alpenhost")
    client = legal(OrganisationKind.CUSTOMER)
    token = token_of(invite(api_as(programme_partner), payment_mode="partner").json()["link"])

    accepted = api_as(client).post(
        "/partners/invitations/accept",
        {"token": token, "access": "limited", "product_codes": ["alpenhost-mail"]},
    )

    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert (body["access"], body["payment_mode"], body["products"]) == (
        "limited",
        "customer",
        ["alpenhost-mail"],
    )
    seen = api_as(programme_partner).get("/partners/relationships").json()["results"]
    assert [row["client_id"] for row in seen] == [client.organisation.pk]


def test_r4_17_on_the_clients_side_only_a_legal_representative_accepts(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    admin = colleague(client, Role.ADMIN)
    token = token_of(invite(api_as(programme_partner)).json()["link"])

    refused = api_as(admin).post("/partners/invitations/accept", {"token": token})

    assert refused.status_code == 403
    assert not ClientRelationship.objects.exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_r4_4_the_client_refuses_and_the_link_is_spent(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    token = token_of(invite(api_as(programme_partner)).json()["link"])
    api = api_as(client)

    refused = api.post("/partners/invitations/refuse", {"token": token})
    again = api.post("/partners/invitations/accept", {"token": token})

    assert refused.json()["status"] == "refused"
    assert again.status_code == 409
    assert not ClientRelationship.objects.exists()


def test_r4_4_a_link_works_once(api_as, programme_partner, legal):
    token = token_of(invite(api_as(programme_partner)).json()["link"])

    first = api_as(legal(OrganisationKind.CUSTOMER)).post("/partners/invitations/accept", {"token": token})
    second = api_as(legal(OrganisationKind.CUSTOMER)).post("/partners/invitations/accept", {"token": token})

    assert (first.status_code, second.status_code) == (200, 409)
    assert ClientRelationship.objects.count() == 1


def test_r4_4_a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(
    api_as, programme_partner, legal
):
    api = api_as(programme_partner)
    sent = invite(api).json()

    resent = api.post(f"/partners/invitations/{sent['invitation']['id']}/resend").json()
    client = api_as(legal(OrganisationKind.CUSTOMER))
    old = client.post("/partners/invitations/accept", {"token": token_of(sent["link"])})
    new = client.post("/partners/invitations/accept", {"token": token_of(resent["link"])})

    assert resent["invitation"]["sent_count"] == 2
    assert (old.status_code, new.status_code) == (404, 200)


def test_r4_4_a_withdrawn_invitation_cannot_be_accepted(api_as, programme_partner, legal):
    api = api_as(programme_partner)
    sent = invite(api).json()

    withdrawn = api.post(f"/partners/invitations/{sent['invitation']['id']}/withdraw")
    late = api_as(legal(OrganisationKind.CUSTOMER)).post(
        "/partners/invitations/accept", {"token": token_of(sent["link"])}
    )

    assert withdrawn.json()["status"] == "withdrawn"
    assert late.status_code == 409


def test_r4_4_an_invitation_expires(api_as, programme_partner, legal):
    sent = invite(api_as(programme_partner)).json()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    late = api_as(legal(OrganisationKind.CUSTOMER)).post(
        "/partners/invitations/accept", {"token": token_of(sent["link"])}
    )

    assert late.status_code == 409
    assert "Expired" in late.json()["message"]


def test_r4_4_another_partner_cannot_resend_or_withdraw_my_invitation(api_as, programme_partner, legal, gold):
    sent = invite(api_as(programme_partner)).json()
    stranger = api_as(legal(OrganisationKind.PARTNER, gold))

    for action in ("resend", "withdraw"):
        assert stranger.post(f"/partners/invitations/{sent['invitation']['id']}/{action}").status_code == 404


def test_r4_4_a_client_invites_a_partner_found_by_name_or_email(api_as, programme_partner, legal):
    programme_partner.organisation.partner_profile.contact_email = "hello@limmat.example"
    programme_partner.organisation.partner_profile.save()
    client = legal(OrganisationKind.CUSTOMER)
    api = api_as(client)

    by_name = api.get("/directory", q="Limmat").json()["results"]
    by_email = api.get("/directory", q="hello@limmat.example").json()["results"]
    sent = api.post(
        "/partners/invitations/partners",
        {"partner_id": by_name[0]["partner_id"], "access": "full", "payment_mode": "partner"},
    )
    accepted = api_as(programme_partner).post(
        "/partners/invitations/accept", {"token": token_of(sent.json()["link"])}
    )

    assert [row["partner_id"] for row in by_email] == [programme_partner.organisation.pk]
    assert sent.status_code == 201
    assert accepted.status_code == 200
    assert (accepted.json()["client_id"], accepted.json()["payment_mode"]) == (
        client.organisation.pk,
        "partner",
    )


def test_r4_17_a_partner_already_linked_as_an_external_user_is_upgraded(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    technician = colleague(programme_partner, Role.TECHNICAL)
    Membership.objects.create(user=technician.user, organisation=client.organisation, role=Role.TECHNICAL)
    token = token_of(invite(api_as(programme_partner)).json()["link"])

    relationship = api_as(client).post("/partners/invitations/accept", {"token": token}).json()

    assert not Membership.objects.filter(user=technician.user, organisation=client.organisation).exists()
    assert relationship["managers"] == [technician.user.pk]
    seen = api_as(colleague(programme_partner, Role.TECHNICAL)).get(
        f"/organisations/{client.organisation.pk}"
    )
    assert seen.status_code == 404  # not assigned: that colleague does not reach the client (R4.12)


@pytest.mark.parametrize(
    "body", [{"email": "x@y.example", "access": "limited"}, {"email": "x", "access": "full"}]
)
def test_a_bad_invitation_changes_nothing(api_as, programme_partner, body):
    response = api_as(programme_partner).post("/partners/invitations/clients", body)

    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_r4_4_the_hourly_sweep_marks_late_invitations_expired(api_as, programme_partner):
    from canal.core.models import AuditEntry
    from canal.partners.tasks import expire_invitations

    invite(api_as(programme_partner))
    invite(api_as(programme_partner), email="other@client.example")
    Invitation.objects.filter(email="other@client.example").update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    expire_invitations.call()

    statuses = dict(Invitation.objects.values_list("email", "status"))
    assert statuses == {"ceo@client.example": "pending", "other@client.example": "expired"}
    assert AuditEntry.objects.filter(action="invitation.expired").count() == 1
