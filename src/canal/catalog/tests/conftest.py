"""Catalog fixtures: the demo catalog files, and partners with clients at a programme level."""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import translation

from canal.accounts.actor import Actor
from canal.accounts.models import AccessLevel, Organisation, OrganisationKind, PaymentMode
from canal.accounts.services import link_client
from canal.accounts.tests.factories import OrganisationFactory
from canal.catalog.services import import_catalog
from canal.partners.models import PartnerProfile, ProgrammeLevel

DEMO = Path(__file__).resolve().parents[1] / "demo"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services raise messages in the active language; these tests read the English ones."""
    with translation.override("en"):
        yield


def demo_text(name: str) -> str:
    return (DEMO / f"{name}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def load_catalog(db: None) -> Any:
    """Imports a demo catalog file ("tareo", "redwall", ...), creating its vendor; returns the vendor."""

    def load(name: str) -> Organisation:
        text = demo_text(name)
        vendor_name = yaml.safe_load(text)["vendor"]
        vendor = Organisation.objects.filter(kind=OrganisationKind.VENDOR, name=vendor_name).first()
        if vendor is None:
            vendor = OrganisationFactory(kind=OrganisationKind.VENDOR, name=vendor_name)
        import_catalog(actor=None, text=text, source=f"{name}.yaml")
        return vendor

    return load


@pytest.fixture
def client_of(db: None) -> Any:
    """Makes a client of `partner` with the given access and payment mode; sets the partner's level."""

    def make(
        partner: Actor,
        *,
        currency: str = "EUR",
        access: str = AccessLevel.FULL,
        payment_mode: str = PaymentMode.CUSTOMER,
        product_codes: tuple[str, ...] = (),
        discount_rate: str = "0.20",
        cashback_rate: str = "0.10",
    ) -> Organisation:
        client = OrganisationFactory(kind=OrganisationKind.CUSTOMER, currency=currency)
        link_client(
            actor=None,
            partner=partner.organisation,
            client=client,
            access=access,
            payment_mode=payment_mode,
            product_codes=product_codes,
        )
        if not PartnerProfile.objects.filter(organisation=partner.organisation).exists():
            level = ProgrammeLevel.objects.create(
                operator=OrganisationFactory(kind=OrganisationKind.OPERATOR),
                code="gold",
                name="Gold",
                discount_rate=Decimal(discount_rate),
                cashback_rate=Decimal(cashback_rate),
            )
            PartnerProfile.objects.create(organisation=partner.organisation, level=level)
        return client

    return make


# The portal's browser fixtures (system Chromium, live server, screenshots), shared with these tests.
from canal.portal.tests.conftest import (  # noqa: E402, F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)
