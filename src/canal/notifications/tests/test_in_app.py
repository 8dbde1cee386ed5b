from canal.accounts.models import OrganisationKind
from canal.accounts.tests.factories import member
from canal.notifications import services
from canal.notifications.models import Notification


def test_unread_notifications_show_in_the_menu_until_read(portal_login, db):
    user = member(kind=OrganisationKind.PARTNER)
    organisation = user.memberships.get().organisation
    services.notify(recipient=user, organisation=organisation, title="Account provisioned")
    client = portal_login(user)

    before = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/notifications/read-all/")
    after = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'class="unread-count"' in before
    assert 'class="unread-count"' not in after


def test_notifications_are_listed_only_for_their_recipient(api_as, partner, make_actor):
    services.notify(recipient=partner.user, organisation=partner.organisation, title="Yours")
    other = make_actor(OrganisationKind.PARTNER)
    theirs = services.notify(recipient=other.user, organisation=other.organisation, title="Theirs")

    titles = [row["title"] for row in api_as(partner).get("/notifications").json()["results"]]

    assert titles == ["Yours"]
    assert api_as(partner).post(f"/notifications/{theirs.pk}/read").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
