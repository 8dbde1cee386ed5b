"""Vendors import their catalog file through the API (issue 9, API parity), as `canal import-catalog` does."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from canal.accounts.actor import actor_for
from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory
from canal.catalog.models import Product

from .conftest import demo_text

pytestmark = pytest.mark.django_db


def _vendor_admin(name: str):
    vendor = OrganisationFactory(kind=OrganisationKind.VENDOR, name=name)
    return actor_for(MembershipFactory(organisation=vendor, role=Role.ADMIN).user)


def _upload(api, text: str, name: str = "tareo.yaml"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-yaml")
    return api.client.post("/api/v1/catalog/imports", {"file": upload})


def test_a_vendor_imports_its_catalog_file_and_its_products_appear(api_as):
    text = demo_text("tareo")
    vendor = _vendor_admin(yaml.safe_load(text)["vendor"])

    response = _upload(api_as(vendor), text)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["vendor_id"] == vendor.organisation.pk
    assert body["created"]
    assert set(body["created"]) == set(
        Product.objects.filter(vendor=vendor.organisation).values_list("code", flat=True)
    )


def test_a_vendor_cannot_import_another_vendors_catalog(api_as):
    text = demo_text("tareo")
    OrganisationFactory(kind=OrganisationKind.VENDOR, name=yaml.safe_load(text)["vendor"])
    stranger = _vendor_admin("Another Vendor Ltd.")

    response = _upload(api_as(stranger), text)

    assert response.status_code == 404
    assert not Product.objects.exists()


def test_a_broken_file_is_refused_with_every_problem_and_nothing_is_imported(api_as):
    text = demo_text("tareo")
    vendor = _vendor_admin(yaml.safe_load(text)["vendor"])

    response = _upload(api_as(vendor), text.replace("currencies:", "currencies: [XXX]\n  old_currencies:", 1))
    unreadable = _upload(api_as(vendor), "vendor: [unclosed")

    assert response.status_code == 422
    assert response.json()["code"] == "catalog_file_invalid"
    assert response.json()["errors"]
    assert unreadable.status_code == 422
    assert not Product.objects.filter(vendor__in=Organisation.objects.all()).exists()
