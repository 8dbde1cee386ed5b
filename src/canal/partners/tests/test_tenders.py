import re

from django.core import mail

from canal.accounts.models import OrganisationKind
from canal.partners.models import Tender, TenderStatus
from canal.partners.tenders import TENDERS_PER_EMAIL_PER_DAY


def tender_body(**overrides) -> dict:
    return {
        "title": "New website for a bakery",
        "description": "We need a hosted website with a shop and three mailboxes, in German and French.",
        "contact_name": "Anna Sutter",
        "contact_email": "anna@baeckerei.example",
        "contact_phone": "+41 44 000 00 00",
        "region": "Zürich",
        **overrides,
    }


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def post_and_confirm(api_as, capture):
    from django.test import Client

    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    with capture(execute=True):
        visitor.post("/api/v1/tenders", tender_body(), content_type="application/json")
    confirm, author = links(mail.outbox[-1])
    token = confirm.rstrip("/").rsplit("/", 1)[-1]
    with capture(execute=True):
        confirmed = visitor.post("/api/v1/tenders/confirm", {"token": token}, content_type="application/json")
    assert confirmed.status_code == 200, confirmed.content
    return visitor, author.rstrip("/").rsplit("/", 1)[-1]


def test_r4_14_a_visitor_posts_a_tender_and_opted_in_partners_get_an_excerpt(
    api_as, programme_partner, legal, django_capture_on_commit_callbacks
):
    legal(OrganisationKind.PARTNER)  # not in the programme: gets nothing
    post_and_confirm(api_as, django_capture_on_commit_callbacks)

    to_partner = [message for message in mail.outbox if message.to == [programme_partner.user.email]]
    excerpts = api_as(programme_partner).get("/tenders").json()["results"]

    assert Tender.objects.get().status == TenderStatus.OPEN
    assert len(to_partner) == 1
    assert "anna@baeckerei.example" not in to_partner[0].body
    assert [row["title"] for row in excerpts] == ["New website for a bakery"]
    assert "contact_email" not in excerpts[0]


def test_r4_14_the_partner_sees_the_contact_only_while_the_tender_is_open(
    api_as, programme_partner, django_capture_on_commit_callbacks
):
    visitor, author_token = post_and_confirm(api_as, django_capture_on_commit_callbacks)
    tender = Tender.objects.get()
    api = api_as(programme_partner)

    open_view = api.get(f"/tenders/{tender.pk}").json()
    withdrawn = visitor.post(
        "/api/v1/tenders/withdraw", {"token": author_token}, content_type="application/json"
    )
    after = api.get(f"/tenders/{tender.pk}")

    assert open_view["contact_email"] == "anna@baeckerei.example"
    assert withdrawn.json()["status"] == "withdrawn"
    assert after.status_code == 404
    assert api.get("/tenders").json()["results"] == []


def test_r4_14_an_unconfirmed_tender_reaches_no_partner(api_as, programme_partner):
    api_as(programme_partner).post("/tenders", tender_body())

    assert api_as(programme_partner).get("/tenders").json()["results"] == []


def test_r4_14_a_client_posts_too_and_a_robot_filling_the_honeypot_leaves_nothing(api_as, legal):
    client = api_as(legal(OrganisationKind.CUSTOMER))

    person = client.post("/tenders", tender_body())
    robot = client.post("/tenders", tender_body(website="http://spam.example"))

    assert person.status_code == robot.status_code == 202
    assert Tender.objects.count() == 1


def test_r4_14_posting_is_rate_limited_per_e_mail(api_as, legal):
    client = api_as(legal(OrganisationKind.CUSTOMER))

    answers = [
        client.post("/tenders", tender_body()).status_code for _ in range(TENDERS_PER_EMAIL_PER_DAY + 1)
    ]

    assert answers[-1] == 422
    assert Tender.objects.count() == TENDERS_PER_EMAIL_PER_DAY


def test_r4_18_a_partner_sends_a_proposal_and_the_author_chooses_it(
    api_as, programme_partner, django_capture_on_commit_callbacks
):
    visitor, author_token = post_and_confirm(api_as, django_capture_on_commit_callbacks)
    tender = Tender.objects.get()
    api = api_as(programme_partner)

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(
            f"/tenders/{tender.pk}/proposals", {"message": "A shop on our Web Hosting, CHF 9.92/month."}
        )
    twice = api.post(f"/tenders/{tender.pk}/proposals", {"message": "Again"})
    seen = visitor.post(
        "/api/v1/tenders/author", {"token": author_token}, content_type="application/json"
    ).json()
    chosen = visitor.post(
        "/api/v1/tenders/choose",
        {"token": author_token, "proposal_id": sent.json()["id"]},
        content_type="application/json",
    )

    assert sent.status_code == 201
    assert twice.status_code == 409
    assert [row["partner_name"] for row in seen["proposals"]] == [programme_partner.organisation.name]
    assert any(message.to == ["anna@baeckerei.example"] for message in mail.outbox)
    assert chosen.json()["status"] == "chosen"
    assert Tender.objects.get().status == TenderStatus.CLOSED


def test_a_customer_cannot_read_tenders(api_as, legal, programme_partner, django_capture_on_commit_callbacks):
    post_and_confirm(api_as, django_capture_on_commit_callbacks)

    customer = api_as(legal(OrganisationKind.CUSTOMER))

    assert customer.get("/tenders").json()["results"] == []
    assert customer.get(f"/tenders/{Tender.objects.get().pk}").status_code == 404
