"""Properties of the pure ordering rules: a suggested quantity or package is always accepted."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from canal.catalog.offer import Configuration, Offer, Option, PlanRules
from canal.catalog.rules import violations


@st.composite
def plans(draw) -> PlanRules:
    if draw(st.booleans()):
        allowed = tuple(sorted(draw(st.sets(st.integers(1, 500), min_size=1, max_size=5))))
        return PlanRules("p", "P", 1, "monthly", allowed_quantities=allowed)
    minimum = draw(st.integers(1, 50))
    step = draw(st.integers(1, 10))
    maximum = draw(st.one_of(st.none(), st.integers(minimum, 1000)))
    return PlanRules("p", "P", 1, "monthly", min_quantity=minimum, max_quantity=maximum, quantity_step=step)


def offer_with(plan: PlanRules, packages: tuple[Option, ...] = ()) -> Offer:
    return Offer(code="x", name="X", kind="saas", unit="seat", vendor_id=1, plans=(plan,), packages=packages)


def quantity_violations(offer: Offer, quantity: int) -> list:
    found = violations(offer, Configuration(product="x", plan="p", quantity=quantity))
    return [violation for violation in found if violation.field == "quantity"]


@settings(max_examples=300)
@given(plans(), st.integers(0, 2000))
def test_a_suggested_quantity_is_always_accepted(plan, quantity):
    offer = offer_with(plan)
    found = quantity_violations(offer, quantity)

    if found:
        suggestion = int(found[0].suggestion)
        assert quantity_violations(offer, suggestion) == []


@settings(max_examples=300)
@given(plans(), st.integers(1, 2000))
def test_an_accepted_quantity_keeps_to_the_plan(plan, quantity):
    if quantity_violations(offer_with(plan), quantity):
        return
    if plan.allowed_quantities:
        assert quantity in plan.allowed_quantities
    else:
        assert quantity >= plan.min_quantity
        assert plan.max_quantity is None or quantity <= plan.max_quantity
        assert (quantity - plan.min_quantity) % plan.quantity_step == 0


@settings(max_examples=300)
@given(
    st.lists(st.one_of(st.none(), st.integers(1, 300)), min_size=1, max_size=6),
    st.integers(1, 400),
    st.integers(0, 50),
)
def test_r1_5_the_suggested_package_fits_the_seats(limits, seats, required_above):
    packages = tuple(
        Option(f"k{i}", f"K{i}", plans=frozenset({"p"}), seat_limit=limit) for i, limit in enumerate(limits)
    )
    plan = replace(PlanRules("p", "P", 1, "monthly", min_quantity=1), package_required_above=required_above)
    offer = offer_with(plan, packages)

    found = [
        v
        for v in violations(offer, Configuration(product="x", plan="p", quantity=seats))
        if v.field == "package"
    ]

    if found and found[0].suggestion:
        fixed = Configuration(product="x", plan="p", quantity=seats, package=found[0].suggestion)
        assert [v for v in violations(offer, fixed) if v.field == "package"] == []
