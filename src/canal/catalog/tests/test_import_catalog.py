"""The declarative catalog file: import, export back, and errors that name the file, path and field."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory
from canal.catalog import catalog_file
from canal.catalog.catalog_file import CatalogFileError
from canal.catalog.models import Plan, Price, Product
from canal.catalog.services import export_catalog, import_catalog
from canal.core.errors import NotFound
from canal.core.models import AuditEntry

from .conftest import DEMO, demo_text

pytestmark = pytest.mark.django_db

DEMO_FILES = ["tareo", "redwall", "clientia", "alpenhost", "flowdesk"]


@pytest.mark.parametrize("name", DEMO_FILES)
def test_each_demo_catalog_imports_cleanly_and_exports_back_to_an_equivalent_file(load_catalog, name):
    vendor = load_catalog(name)

    exported = export_catalog(actor=None, vendor=vendor)

    original = catalog_file.parse(demo_text(name), source=name)
    assert catalog_file.parse(exported, source="export").model_dump() == original.model_dump()


def test_importing_the_same_file_twice_updates_and_creates_nothing_new(load_catalog):
    load_catalog("tareo")
    counts = (Product.objects.count(), Plan.objects.count(), Price.objects.count())

    result = import_catalog(actor=None, text=demo_text("tareo"), source="tareo.yaml")

    assert (result.created, result.updated) == ([], ["tareo-work"])
    assert (Product.objects.count(), Plan.objects.count(), Price.objects.count()) == counts


def test_an_import_writes_an_audit_entry_per_product(load_catalog):
    load_catalog("redwall")

    entries = AuditEntry.objects.filter(action="catalog.product_imported")

    assert sorted(entry.after["code"] for entry in entries) == ["redwall-server", "redwall-support"]


def test_items_a_file_no_longer_lists_are_removed(load_catalog):
    vendor = load_catalog("tareo")
    text = demo_text("tareo")
    start = text.index("      - code: product-pack")
    end = text.index("    packages:")

    import_catalog(actor=None, text=text[:start] + text[end:], source="tareo.yaml")

    product = Product.objects.get(code="tareo-work", vendor=vendor)
    assert [add_on.code for add_on in product.add_ons.all()] == ["marketing-pack", "services-pack"]
    assert not Price.objects.filter(item_code="product-pack").exists()


def test_errors_name_the_file_the_path_and_the_field_and_all_are_reported(db):
    OrganisationFactory(kind=OrganisationKind.VENDOR, name="Acme")
    text = """
vendor: Acme
products:
  - code: Widget
    name: Widget
    kind: saas
    unit: seat
    currencies: [EUR]
    plans:
      - code: basic
        name: Basic
        quantity: {minimum: 10, maximum: 5, step: 0}
        price: {model: per_unit, amount: {EUR: -1}}
"""
    with pytest.raises(CatalogFileError) as error:
        import_catalog(actor=None, text=text, source="acme.yaml")

    assert error.value.errors == [
        "acme.yaml: products[0].code: String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'",
        "acme.yaml: products[0].plans[0].quantity.step: Input should be greater than 0",
        "acme.yaml: products[0].plans[0].price.amount.EUR: Input should be greater than or equal to 0",
    ]
    assert not Product.objects.exists()


def test_references_currencies_and_tiers_are_checked(db):
    OrganisationFactory(kind=OrganisationKind.VENDOR, name="Acme")
    text = """
vendor: Acme
products:
  - code: widget
    name: Widget
    kind: saas
    unit: seat
    currencies: [EUR, USD]
    plans:
      - code: basic
        name: Basic
        quantity: {maximum: 10, suggest_over_maximum: premium}
        price:
          model: volume
          tiers:
            - {up_to: null, price: {EUR: 1}}
            - {up_to: 10, price: {EUR: 2, USD: 2}}
    add_ons:
      - code: extra
        name: Extra
        plans: [gold]
        price: {model: flat, amount: {EUR: 5}}
"""
    with pytest.raises(CatalogFileError) as error:
        import_catalog(actor=None, text=text, source="acme.yaml")

    currencies = "give exactly the product's currencies ['EUR', 'USD'], not ['EUR']"
    assert error.value.errors == [
        "acme.yaml: products[0].plans[0].quantity.suggest_over_maximum: "
        "'premium' is not another plan of 'widget'",
        "acme.yaml: products[0].plans[0].price.tiers: "
        "bounds must go up and only the last tier may be open (up_to: null)",
        f"acme.yaml: products[0].plans[0].price.tiers[0].price: {currencies}",
        "acme.yaml: products[0].add_ons[0].plans: 'gold' is not a plan of 'widget'",
        f"acme.yaml: products[0].add_ons[0].price.amount: {currencies}",
    ]


def test_a_yaml_syntax_error_names_the_line(db):
    with pytest.raises(CatalogFileError) as error:
        import_catalog(actor=None, text="vendor: Acme\nproducts: [\n", source="broken.yaml")

    assert error.value.errors[0].startswith("broken.yaml: line 3, column 1: not valid YAML")


def test_an_unknown_vendor_is_refused(db):
    with pytest.raises(CatalogFileError, match="vendor: no vendor organisation is named 'Nobody'"):
        import_catalog(
            actor=None, text=demo_text("clientia").replace("Clientia CRM S.L.", "Nobody"), source="x.yaml"
        )


def test_a_product_code_of_another_vendor_is_refused(load_catalog):
    load_catalog("clientia")
    OrganisationFactory(kind=OrganisationKind.VENDOR, name="Copycat")
    text = demo_text("clientia").replace("vendor: Clientia CRM S.L.", "vendor: Copycat")

    with pytest.raises(
        CatalogFileError, match=r"products\[0\].code: 'clientia-crm' already belongs to Clientia"
    ):
        import_catalog(actor=None, text=text, source="copycat.yaml")


def test_a_vendor_imports_its_own_catalog_but_not_anothers(load_catalog):
    clientia = load_catalog("clientia")
    own = actor_for(MembershipFactory(organisation=clientia, role=Role.ADMIN).user)
    other = actor_for(MembershipFactory(organisation__kind=OrganisationKind.VENDOR, role=Role.ADMIN).user)

    assert import_catalog(actor=own, text=demo_text("clientia"), source="c.yaml").updated == ["clientia-crm"]
    with pytest.raises(NotFound):
        import_catalog(actor=other, text=demo_text("clientia"), source="c.yaml")


def test_the_import_command_loads_files_and_the_export_command_writes_them_back(db, tmp_path):
    OrganisationFactory(kind=OrganisationKind.VENDOR, name="Alpenhost SA")
    out = io.StringIO()

    call_command("import-catalog", str(DEMO / "alpenhost.yaml"), stdout=out)
    call_command("export-catalog", "--output", str(tmp_path), stdout=io.StringIO())

    assert "2 created" in out.getvalue()
    exported = catalog_file.parse((tmp_path / "alpenhost-sa.yaml").read_text(), source="export")
    assert exported.model_dump() == catalog_file.parse(demo_text("alpenhost")).model_dump()


def test_the_import_command_reports_every_problem_and_imports_nothing(db, tmp_path):
    OrganisationFactory(kind=OrganisationKind.VENDOR, name="Alpenhost SA")
    bad = tmp_path / "bad.yaml"
    bad.write_text("vendor: Alpenhost SA\nproducts: []\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-catalog", str(DEMO / "alpenhost.yaml"), str(bad), stderr=err)

    assert f"{bad}: products: List should have at least 1 item" in err.getvalue()
    assert not Product.objects.exists()


def test_the_check_option_only_validates(db):
    out = io.StringIO()

    call_command("import-catalog", "--check", str(DEMO / "tareo.yaml"), stdout=out)

    assert "valid, 1 product(s)" in out.getvalue()
    assert not Product.objects.exists()


def test_amounts_never_pass_through_float():
    catalog = catalog_file.parse(demo_text("alpenhost"))

    amount = catalog.products[0].plans[0].price.amount["CHF"]

    assert str(amount) == "9.92"
