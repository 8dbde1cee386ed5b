from django.test import Client

from canal.accounts.models import OrganisationKind


def test_r4_15_the_public_directory_lists_approved_partners_who_opted_in(programme_partner, legal, gold):
    hidden = legal(OrganisationKind.PARTNER, gold, name="Quiet Partner AG")
    hidden.organisation.partner_profile.listed_in_directory = False
    hidden.organisation.partner_profile.save()
    legal(OrganisationKind.PARTNER, name="Not In The Programme GmbH")
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")

    listed = visitor.get("/api/v1/directory").json()["results"]
    page = visitor.get("/partners/directory/")

    assert [row["name"] for row in listed] == ["Webagentur Limmat GmbH"]
    assert page.status_code == 200
    assert "Webagentur Limmat GmbH" in page.content.decode()
    assert "Quiet Partner AG" not in page.content.decode()


def test_r4_15_the_directory_searches_by_name_region_language_and_product(programme_partner):
    profile = programme_partner.organisation.partner_profile
    profile.regions, profile.languages, profile.products = "Zürich, Basel", "de, fr", "Web Hosting, Mail"
    profile.save()
    visitor = Client()

    def names(**query):
        return [row["name"] for row in visitor.get("/api/v1/directory", query).json()["results"]]

    assert names(q="limmat") == names(region="Basel") == names(language="fr") == names(product="mail")
    assert names(region="Madrid") == names(language="ja") == names(product="CRM") == []


def test_r4_15_each_partner_has_a_public_profile_page(programme_partner):
    visitor = Client()

    page = visitor.get(f"/partners/directory/{programme_partner.organisation.pk}/")
    missing = visitor.get("/partners/directory/999999/")

    assert page.status_code == 200
    assert (missing.status_code, visitor.get("/api/v1/directory/999999").status_code) == (404, 404)
