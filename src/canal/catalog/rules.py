"""The ordering rules of a catalog: which configurations a product allows, and what to do instead.

`violations()` returns every broken rule at once, so a form can mark each field and an API client can
fix everything in one round trip. Messages are translated in the active language; suggestions are codes
or quantities a client can send back as they are. Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .offer import Configuration, Offer, Option, PlanRules, Violation

# The product kinds whose plan quantity is not chosen: seat licenses are bought per license type.
QUANTITY_BY_LICENSE_TYPE = "seat_licenses"
SUPPORT_CREDITS = "support_credits"

UNIT_NAMES: dict[str, Callable[[int], str]] = {
    "seat": lambda n: ngettext("seat", "seats", n),
    "user": lambda n: ngettext("user", "users", n),
    "license": lambda n: ngettext("license", "licenses", n),
    "client": lambda n: ngettext("client", "clients", n),
    "hosting": lambda n: ngettext("hosting", "hostings", n),
    "pack": lambda n: ngettext("pack", "packs", n),
    "contact": lambda n: ngettext("contact", "contacts", n),
    "row": lambda n: ngettext("row", "rows", n),
    "visitor": lambda n: ngettext("visitor", "visitors", n),
    "automation_credit": lambda n: ngettext("automation credit", "automation credits", n),
}


def unit_name(unit: str, quantity: int) -> str:
    return UNIT_NAMES.get(unit, UNIT_NAMES["license"])(quantity)


def either(values: Sequence[object]) -> str:
    """ "5, 10 or 15" in the active language."""
    words = [str(value) for value in values]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def violations(offer: Offer, configuration: Configuration) -> list[Violation]:
    """Every rule of `offer` that `configuration` breaks, in the order of the form's fields."""
    found: list[Violation] = []
    plan = _check_plan(offer, configuration, found)
    quantity_fits = True
    if offer.kind == SUPPORT_CREDITS:
        _check_support_pack(offer, configuration, found)
    if offer.kind != QUANTITY_BY_LICENSE_TYPE and (plan is not None or not offer.plans):
        quantity_fits = _check_quantity(offer, plan, configuration.quantity, found)
    _check_add_ons(offer, plan, configuration, found)
    _check_package(offer, plan, configuration, found, check_size=quantity_fits)
    _check_modules(offer, configuration, found)
    _check_license_types(offer, configuration, found)
    return found


def _check_plan(offer: Offer, configuration: Configuration, found: list[Violation]) -> PlanRules | None:
    if not offer.plans:
        return None
    names = either([plan.name for plan in offer.plans])
    if not configuration.plan:
        found.append(
            Violation(
                "plan_required",
                "plan",
                _("Choose a plan: %(plans)s.") % {"plans": names},
                offer.plans[0].code,
            )
        )
        return None
    plan = offer.plan(configuration.plan)
    if plan is None:
        found.append(
            Violation(
                "unknown_plan",
                "plan",
                _("%(product)s has no plan “%(plan)s”. Choose %(plans)s.")
                % {"product": offer.name, "plan": configuration.plan, "plans": names},
                offer.plans[0].code,
            )
        )
    return plan


def _plan_name(offer: Offer, code: str | None) -> str:
    plan = offer.plan(code or "")
    return plan.name if plan is not None else str(code)


def _check_quantity(offer: Offer, plan: PlanRules | None, quantity: int, found: list[Violation]) -> bool:
    """Checks the quantity against the plan (R1.1-R1.4); True when it fits the plan's range."""
    if plan is None:  # a product without plans (support packs): any positive number of units
        plan = PlanRules(code="", name=offer.name, rank=0, term="")
    unit = offer.unit
    minimum = min(plan.allowed_quantities) if plan.allowed_quantities else plan.min_quantity
    minimum = max(minimum, 1)
    context = {"plan": plan.name, "quantity": quantity, "unit": unit_name(unit, quantity)}
    if quantity < minimum:
        found.append(
            Violation(
                "quantity_below_minimum",
                "quantity",
                _("%(plan)s starts at %(minimum)s %(units)s. Order %(minimum)s or more.")
                % {**context, "minimum": minimum, "units": unit_name(unit, minimum)},
                str(minimum),
            )
        )
        return True
    upper = plan.upper_bound
    if upper is not None and not plan.allowed_quantities:
        # The largest quantity on the plan's steps: with steps of 5 from 5, a maximum of 203 means 200.
        upper = minimum + (upper - minimum) // plan.quantity_step * plan.quantity_step
    if upper is not None and quantity > upper:
        found.append(_above_maximum(offer, plan, quantity, upper))
        return False
    if plan.allowed_quantities:
        if quantity not in plan.allowed_quantities:
            nearest = min(plan.allowed_quantities, key=lambda value: (abs(value - quantity), value))
            found.append(
                Violation(
                    "quantity_not_allowed",
                    "quantity",
                    _("%(plan)s allows only %(allowed)s %(units)s. Choose %(nearest)s.")
                    % {
                        **context,
                        "allowed": either(sorted(plan.allowed_quantities)),
                        "units": unit_name(unit, 2),
                        "nearest": nearest,
                    },
                    str(nearest),
                )
            )
        return True
    step = plan.quantity_step
    if step > 1 and (quantity - minimum) % step:
        lower = minimum + (quantity - minimum) // step * step
        choices = [lower] if upper is not None and lower + step > upper else [lower, lower + step]
        nearest = min(choices, key=lambda value: (abs(value - quantity), -value))
        found.append(
            Violation(
                "quantity_not_in_steps",
                "quantity",
                _("%(plan)s is ordered in steps of %(step)s %(units)s. Choose %(choices)s.")
                % {**context, "step": step, "units": unit_name(unit, step), "choices": either(choices)},
                str(nearest),
            )
        )
    return True


def _above_maximum(offer: Offer, plan: PlanRules, quantity: int, upper: int) -> Violation:
    units = unit_name(offer.unit, quantity)
    if plan.allowed_quantities:
        allowed = _("%(plan)s allows only %(allowed)s %(units)s.") % {
            "plan": plan.name,
            "allowed": either(sorted(plan.allowed_quantities)),
            "units": unit_name(offer.unit, 2),
        }
    else:
        allowed = _("%(plan)s allows at most %(maximum)s %(units)s.") % {
            "plan": plan.name,
            "maximum": upper,
            "units": unit_name(offer.unit, upper),
        }
    if plan.suggest_over_maximum:
        # R1.2, R1.3: the refusal names the plan to buy instead.
        advice = _("For %(quantity)s %(units)s buy %(suggested)s.") % {
            "quantity": quantity,
            "units": units,
            "suggested": _plan_name(offer, plan.suggest_over_maximum),
        }
        return Violation(
            "quantity_above_maximum", "quantity", f"{allowed} {advice}", plan.suggest_over_maximum
        )
    advice = _("Order %(maximum)s or fewer.") % {"maximum": upper}
    return Violation("quantity_above_maximum", "quantity", f"{allowed} {advice}", str(upper))


def _check_support_pack(offer: Offer, configuration: Configuration, found: list[Violation]) -> None:
    names = either([pack.name for pack in offer.support_packs])
    if not configuration.support_pack:
        found.append(
            Violation(
                "support_pack_required",
                "support_pack",
                _("Choose a support pack: %(packs)s.") % {"packs": names},
                offer.support_packs[0].code if offer.support_packs else None,
            )
        )
    elif configuration.support_pack not in {pack.code for pack in offer.support_packs}:
        found.append(
            Violation(
                "unknown_support_pack",
                "support_pack",
                _("%(product)s has no support pack “%(code)s”. Choose %(packs)s.")
                % {"product": offer.name, "code": configuration.support_pack, "packs": names},
            )
        )


def _check_add_ons(
    offer: Offer, plan: PlanRules | None, configuration: Configuration, found: list[Violation]
) -> None:
    offered = {add_on.code: add_on for add_on in offer.add_ons}
    for code in dict.fromkeys(configuration.add_ons):
        add_on = offered.get(code)
        if add_on is None:
            found.append(
                Violation(
                    "unknown_add_on",
                    "add_ons",
                    _("%(product)s has no add-on “%(code)s”.") % {"product": offer.name, "code": code},
                )
            )
        elif plan is not None and not add_on.allowed_on(plan.code):
            # R1.6: vertical add-ons exist on Business and Enterprise, not on Professional.
            allowing = [candidate for candidate in offer.plans if add_on.allowed_on(candidate.code)]
            found.append(
                Violation(
                    "add_on_not_on_plan",
                    "add_ons",
                    _("The add-on %(add_on)s is not available on %(plan)s. Choose %(plans)s to add it.")
                    % {
                        "add_on": add_on.name,
                        "plan": plan.name,
                        "plans": either([candidate.name for candidate in allowing]),
                    },
                    allowing[0].code if allowing else None,
                )
            )


def _smallest_fitting(packages: list[Option], quantity: int) -> Option | None:
    return next((p for p in packages if p.seat_limit is None or p.seat_limit >= quantity), None)


def _check_package(
    offer: Offer,
    plan: PlanRules | None,
    configuration: Configuration,
    found: list[Violation],
    *,
    check_size: bool,
) -> None:
    """R1.5: packages by seat count; a package too small is refused; above N seats one is required."""
    quantity = configuration.quantity
    package = next((p for p in offer.packages if p.code == configuration.package), None)
    if configuration.package and package is None:
        found.append(
            Violation(
                "unknown_package",
                "package",
                _("%(product)s has no onboarding package “%(code)s”.")
                % {"product": offer.name, "code": configuration.package},
            )
        )
        return
    if plan is None:
        return
    on_plan = offer.packages_for(plan.code)
    fitting = _smallest_fitting(on_plan, quantity)
    suggestion = fitting.code if fitting is not None else None
    if package is not None and not package.allowed_on(plan.code):
        found.append(
            Violation(
                "package_not_on_plan",
                "package",
                _("%(plan)s offers only these onboarding packages: %(packages)s.")
                % {"plan": plan.name, "packages": either([p.name for p in on_plan])},
                suggestion,
            )
        )
        return
    if not check_size:
        return
    if package is not None and package.seat_limit is not None and package.seat_limit < quantity:
        if fitting is not None:
            advice = _("Choose %(package)s.") % {"package": fitting.name}
        else:
            advice = _("No package of %(plan)s covers that many.") % {"plan": plan.name}
        found.append(
            Violation(
                "package_too_small",
                "package",
                _("%(package)s covers up to %(limit)s %(limit_units)s, not %(quantity)s.")
                % {
                    "package": package.name,
                    "limit": package.seat_limit,
                    "limit_units": unit_name(offer.unit, package.seat_limit),
                    "quantity": quantity,
                }
                + " "
                + advice,
                suggestion,
            )
        )
    elif (
        package is None and plan.package_required_above is not None and quantity > plan.package_required_above
    ):
        found.append(
            Violation(
                "package_required",
                "package",
                (
                    _("Above %(threshold)s %(threshold_units)s an onboarding package is required.")
                    + " "
                    + _("Choose %(package)s.")
                )
                % {
                    "threshold": plan.package_required_above,
                    "threshold_units": unit_name(offer.unit, plan.package_required_above),
                    "package": fitting.name if fitting is not None else "—",
                },
                suggestion,
            )
        )


def _check_modules(offer: Offer, configuration: Configuration, found: list[Violation]) -> None:
    if not configuration.modules:
        return
    if not offer.modules:
        found.append(
            Violation(
                "modules_not_offered",
                "modules",
                _("%(product)s has no modules to choose.") % {"product": offer.name},
            )
        )
        return
    offered = {module.code for module in offer.modules}
    for code in dict.fromkeys(configuration.modules):
        if code not in offered:
            found.append(
                Violation(
                    "unknown_module",
                    "modules",
                    _("%(product)s has no module “%(code)s”. Choose %(modules)s.")
                    % {
                        "product": offer.name,
                        "code": code,
                        "modules": either([m.name for m in offer.modules]),
                    },
                )
            )


def _check_license_types(offer: Offer, configuration: Configuration, found: list[Violation]) -> None:
    offered = {license_type.code: license_type for license_type in offer.license_types}
    for code, quantity in configuration.license_types:
        if code not in offered:
            found.append(
                Violation(
                    "unknown_license_type",
                    "license_types",
                    _("%(product)s has no license type “%(code)s”.") % {"product": offer.name, "code": code},
                )
            )
        elif quantity < 0:
            found.append(
                Violation(
                    "invalid_quantity",
                    "license_types",
                    _("The number of %(license_type)s licenses cannot be negative.")
                    % {"license_type": offered[code].name},
                    "0",
                )
            )
    if offer.kind == QUANTITY_BY_LICENSE_TYPE and not any(
        quantity > 0 for _code, quantity in configuration.license_types
    ):
        found.append(
            Violation(
                "license_types_required",
                "license_types",
                _("Choose how many licenses of at least one type to buy: %(types)s.")
                % {"types": either([lt.name for lt in offer.license_types])},
            )
        )
