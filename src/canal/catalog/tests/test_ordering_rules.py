"""Ordering rules through the validation service (R1.1-R1.6, R2.5): every violation at once, with a fix."""

import pytest

from canal.catalog.offer import Configuration
from canal.catalog.services import validate_configuration

pytestmark = pytest.mark.django_db


@pytest.fixture
def tareo(load_catalog):
    load_catalog("tareo")


def check(actor, **requested):
    return validate_configuration(actor=actor, configuration=Configuration(product="tareo-work", **requested))


def codes(violations):
    return [(violation.code, violation.field, violation.suggestion) for violation in violations]


def test_r1_1_seats_come_in_steps_of_5_and_the_nearest_step_is_suggested(tareo, partner):
    violations = check(partner, plan="business", quantity=12)

    assert codes(violations) == [("quantity_not_in_steps", "quantity", "10")]
    assert "steps of 5" in violations[0].message
    assert "10 or 15" in violations[0].message


def test_r1_1_a_product_offers_its_three_base_plans(tareo, partner):
    violations = check(partner, plan="starter", quantity=5)

    assert codes(violations) == [("unknown_plan", "plan", "professional")]
    assert "Professional, Business or Enterprise" in violations[0].message


def test_r1_2_professional_refuses_twenty_seats_and_suggests_business(tareo, partner):
    violations = check(partner, plan="professional", quantity=20)

    assert codes(violations) == [("quantity_above_maximum", "quantity", "business")]
    assert violations[0].message == "Professional allows only 5, 10 or 15 seats. For 20 seats buy Business."


@pytest.mark.parametrize("seats", [5, 10, 15])
def test_r1_2_professional_accepts_5_10_or_15_seats(tareo, partner, seats):
    assert check(partner, plan="professional", quantity=seats) == []


def test_r1_2_professional_refuses_a_quantity_between_its_values(tareo, partner):
    assert codes(check(partner, plan="professional", quantity=12)) == [
        ("quantity_not_allowed", "quantity", "10")
    ]


def test_r1_3_business_takes_5_to_200_seats_and_names_enterprise_above(tareo, partner):
    assert check(partner, plan="business", quantity=200, package="onboarding-v") == []

    violations = check(partner, plan="business", quantity=205)

    assert codes(violations) == [("quantity_above_maximum", "quantity", "enterprise")]
    assert "at most 200 seats" in violations[0].message
    assert "buy Enterprise" in violations[0].message


def test_r1_3_business_refuses_fewer_than_5_seats(tareo, partner):
    assert codes(check(partner, plan="business", quantity=3)) == [("quantity_below_minimum", "quantity", "5")]


def test_r1_4_enterprise_has_no_upper_bound_and_adds_a_custom_package(tareo, partner):
    assert check(partner, plan="enterprise", quantity=5000, package="custom") == []


def test_r1_4_the_custom_package_is_enterprise_only(tareo, partner):
    violations = check(partner, plan="business", quantity=100, package="custom")

    assert codes(violations) == [("package_not_on_plan", "package", "onboarding-iv")]


def test_r1_5_a_package_below_the_seats_is_refused_with_the_smallest_that_fits(tareo, partner):
    violations = check(partner, plan="business", quantity=40, package="onboarding-i")

    assert codes(violations) == [("package_too_small", "package", "onboarding-ii")]
    assert violations[0].message == "Onboarding I covers up to 30 seats, not 40. Choose Onboarding II."


def test_r1_5_above_15_seats_a_package_is_required(tareo, partner):
    violations = check(partner, plan="business", quantity=20)

    assert codes(violations) == [("package_required", "package", "onboarding-i")]


def test_r1_5_up_to_15_seats_onboarding_is_optional(tareo, partner):
    assert check(partner, plan="business", quantity=15) == []


def test_r1_5_professional_offers_only_self_start_and_jumpstart(tareo, partner):
    assert check(partner, plan="professional", quantity=15, package="jumpstart") == []

    violations = check(partner, plan="professional", quantity=10, package="onboarding-i")

    assert codes(violations) == [("package_not_on_plan", "package", "self-start")]
    assert "Self-start or Jumpstart" in violations[0].message


def test_r1_6_vertical_add_ons_are_refused_on_professional_and_suggest_business(tareo, partner):
    violations = check(partner, plan="professional", quantity=10, add_ons=("marketing-pack",))

    assert codes(violations) == [("add_on_not_on_plan", "add_ons", "business")]
    assert check(partner, plan="business", quantity=10, add_ons=("marketing-pack", "product-pack")) == []


def test_every_violation_is_returned_at_once(tareo, partner):
    violations = check(
        partner, plan="professional", quantity=20, add_ons=("marketing-pack", "nope"), package="onboarding-i"
    )

    assert [violation.code for violation in violations] == [
        "quantity_above_maximum",
        "add_on_not_on_plan",
        "unknown_add_on",
        "package_not_on_plan",
    ]


def test_r2_5_freemium_is_100_clients_and_more_suggests_pro(load_catalog, customer):
    load_catalog("redwall")
    configuration = Configuration(product="redwall-server", plan="freemium", quantity=200)

    violations = validate_configuration(actor=customer, configuration=configuration)

    assert codes(violations) == [("quantity_above_maximum", "quantity", "pro")]


def test_r2_5_a_module_the_license_does_not_offer_is_refused(load_catalog, customer):
    load_catalog("redwall")
    configuration = Configuration(product="redwall-server", plan="pro", quantity=100, modules=("qos", "vpn"))

    violations = validate_configuration(actor=customer, configuration=configuration)

    assert codes(violations) == [("unknown_module", "modules", None)]


def test_r3_1_license_types_are_bought_in_any_combination(load_catalog, customer):
    load_catalog("clientia")
    both = Configuration(product="clientia-crm", plan="crm", license_types=(("base", 3), ("voip", 2)))
    none = Configuration(product="clientia-crm", plan="crm", license_types=(("base", 0),))

    assert validate_configuration(actor=customer, configuration=both) == []
    assert [v.code for v in validate_configuration(actor=customer, configuration=none)] == [
        "license_types_required"
    ]


def test_an_unknown_product_is_not_found(partner):
    from canal.core.errors import NotFound

    with pytest.raises(NotFound):
        check(partner, plan="business", quantity=5)
