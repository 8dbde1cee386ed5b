"""Updates until a date (R2.8): expired maintenance withholds newer releases and never disables."""

from datetime import timedelta

import pytest

from canal.licensing import licenses
from canal.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases(redwall, api_as, license_):
    api = api_as(redwall.vendor_actor)
    until = licenses.updatable_until(license_)
    for version, day in (
        ("7.4.0", until - timedelta(days=200)),
        ("7.5.0", until),
        ("8.0.0", until + timedelta(days=1)),
    ):
        response = api.post(
            "/licensing/releases",
            {"product": "redwall-server", "version": version, "published_on": day.isoformat()},
        )
        assert response.status_code == 201, response.json()


def test_r2_8_a_server_receives_the_newest_release_published_by_its_updatable_until(appliance, releases):
    appliance.activate()

    answer = appliance.updates("7.4.0").json()

    assert answer["latest"]["version"] == "7.5.0"
    assert answer["newer_withheld"] is True


def test_r2_8_a_server_past_updatable_until_still_activates_and_gets_only_older_releases(
    appliance, license_, redwall
):
    from canal.licensing.services import publish_release

    Subscription.objects.filter(pk=license_.pk).update(
        term_start=license_.term_start - timedelta(days=800),
        term_end=license_.term_start - timedelta(days=400),
    )
    until = licenses.updatable_until(Subscription.objects.get(pk=license_.pk))
    for version, day in (("7.4.0", until - timedelta(days=10)), ("7.5.0", until + timedelta(days=10))):
        publish_release(
            actor=redwall.vendor_actor, product_code="redwall-server", version=version, published_on=day
        )

    activation = appliance.activate()
    heartbeat = appliance.heartbeat()
    answer = appliance.updates("7.0.0").json()

    assert activation.status_code == 200  # expired maintenance never disables the license
    assert heartbeat.status_code == 200
    assert answer["latest"]["version"] == "7.4.0"  # published before the old updatable-until
    assert answer["newer_withheld"] is True


def test_r2_8_a_vendor_publishes_releases_only_for_its_own_products(make_actor, api_as, redwall):
    from canal.accounts.models import OrganisationKind

    other_vendor = make_actor(OrganisationKind.VENDOR)

    response = api_as(other_vendor).post(
        "/licensing/releases", {"product": "redwall-server", "version": "9.0", "published_on": "2026-01-01"}
    )
    bad = api_as(redwall.vendor_actor).post(
        "/licensing/releases", {"product": "redwall-server", "version": "nine", "published_on": "2026-01-01"}
    )

    assert response.status_code == 404
    assert bad.status_code == 422
    assert bad.json()["field"] == "version"


def test_r2_8_customers_see_the_releases_of_their_licensed_products(releases, customer, api_as, make_actor):
    from canal.accounts.models import OrganisationKind

    mine = api_as(customer).get("/licensing/releases")
    operator = api_as(make_actor(OrganisationKind.OPERATOR)).get("/licensing/releases")
    stranger = api_as(make_actor(OrganisationKind.CUSTOMER)).get("/licensing/releases")

    assert mine.status_code == 200
    assert sorted(row["version"] for row in mine.json()["results"]) == ["7.4.0", "7.5.0", "8.0.0"]
    assert {row["product"] for row in operator.json()["results"]} == {"redwall-server"}
    assert stranger.json()["results"] == []
