"""Priority support: large accounts (R5.1-R5.3), classification on receipt (R5.4, R5.5), ids (R5.8)."""

from datetime import timedelta
from typing import Any

import pytest

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.catalog.models import Product
from canal.core.errors import NotFound, PermissionDenied, RuleViolation
from canal.core.models import AuditEntry
from canal.support import priority, sla
from canal.support.models import Severity
from canal.support.tests.conftest import customer_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor_admin(desk: Any):
    return actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)


def configure(vendor_admin, *, tiers=(("EMEA", 100), ("", 250)), excluded=(), default="s3"):
    return priority.configure(
        actor=vendor_admin, default_severity=default, tiers=list(tiers), excluded_product_ids=list(excluded)
    )


def test_r5_1_a_customer_reaching_its_region_tier_is_a_large_account(desk: Any, vendor_admin) -> None:
    configure(vendor_admin)
    desk.customer.organisation.region = "EMEA"
    desk.customer.organisation.save()
    desk.license()  # 100 licenses: the EMEA threshold

    ticket = desk.open()

    assert ticket.large_account is True
    assert ticket.severity == Severity.S1


def test_r5_1_the_same_licenses_in_a_region_with_a_higher_tier_are_not_large(desk: Any, vendor_admin) -> None:
    configure(vendor_admin)
    desk.customer.organisation.region = "AMER"  # falls to the default tier of 250
    desk.customer.organisation.save()
    desk.license()

    ticket = desk.open()

    assert ticket.large_account is False
    assert ticket.severity == Severity.S3  # the vendor's default


def test_r5_3_excluded_products_do_not_count_towards_a_large_account(desk: Any, vendor_admin) -> None:
    server = Product.objects.get(code="redwall-server")
    configure(vendor_admin, tiers=(("", 50),), excluded=[server.pk])
    desk.license()  # 100 licenses, all of an excluded product

    ticket = desk.open()

    assert ticket.large_account is False
    assert ticket.severity == Severity.S3


def test_r5_3_by_default_products_not_billed_per_user_are_excluded(load_catalog: Any) -> None:
    flowdesk = load_catalog("flowdesk")
    admin = actor_for(MembershipFactory(organisation=flowdesk, role=Role.ADMIN).user, flowdesk.pk)

    config = priority.configure(actor=admin, default_severity="s3", tiers=[("", 100)])

    excluded = set(config.excluded_products.values_list("code", flat=True))
    assert {"flowdesk-campaigns", "flowdesk-data-prep", "flowdesk-site-insights"} <= excluded
    assert "flowdesk-crm" not in excluded


def test_r5_2_an_agent_identifies_the_account_by_its_super_admin_email(desk: Any, vendor_admin) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    ticket = desk.open()  # opened before the licenses arrived: not classified as large
    desk.license()
    assert ticket.large_account is False

    identified = priority.identify_customer(
        actor=desk.agent, ticket_id=ticket.pk, email=desk.customer.user.email.upper()
    )

    assert identified.large_account is True
    assert identified.severity == Severity.S1


def test_r5_2_the_domain_of_the_email_identifies_the_account(desk: Any, vendor_admin) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    desk.license()
    ticket = desk.open()
    domain = desk.customer.user.email.split("@")[1]

    identified = priority.identify_customer(
        actor=desk.agent, ticket_id=ticket.pk, email=f"someone.else@{domain}"
    )

    assert identified.customer_email == f"someone.else@{domain}"


def test_r5_2_details_of_another_customer_are_refused_and_nothing_changes(desk: Any, vendor_admin) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    other = customer_actor()
    desk.license(customer=other)
    ticket = desk.open()

    with pytest.raises(RuleViolation) as error:
        priority.identify_customer(actor=desk.agent, ticket_id=ticket.pk, email=other.user.email)

    assert error.value.code == "account_mismatch"
    ticket.refresh_from_db()
    assert (ticket.customer_email, ticket.large_account) == ("", False)


def test_r5_4_a_large_account_ticket_is_s1_and_flagged_at_creation(desk: Any, vendor_admin) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    desk.license()

    ticket = desk.open()
    ticket.refresh_from_db()

    assert (ticket.severity, ticket.get_severity_label(), ticket.large_account) == ("s1", "S1-Critical", True)


def test_r5_4_a_vendor_without_priority_support_leaves_tickets_unclassified(desk: Any) -> None:
    desk.license()

    ticket = desk.open()

    assert (ticket.severity, ticket.large_account) == ("", False)


def test_r5_5_filling_in_the_email_later_classifies_the_ticket_and_is_audited(
    desk: Any, vendor_admin
) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    ticket = desk.open()
    desk.license()

    priority.identify_customer(actor=desk.vendor_agent, ticket_id=ticket.pk, email=desk.customer.user.email)

    actions = set(AuditEntry.objects.filter(object_id=str(ticket.pk)).values_list("action", flat=True))
    assert {"ticket.customer_identified", "ticket.classified"} <= actions


def test_r5_5_only_support_may_identify_the_customer(desk: Any, vendor_admin) -> None:
    configure(vendor_admin)
    ticket = desk.open()

    with pytest.raises(PermissionDenied):
        priority.identify_customer(actor=desk.customer, ticket_id=ticket.pk, email=desk.customer.user.email)


def test_r5_8_a_group_id_identifies_the_account_as_well_as_an_organisation_id(
    desk: Any, vendor_admin
) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    ticket = desk.open()
    server = desk.license()
    server.vendor_account_id = "GRP-88123"
    server.save()

    identified = priority.identify_customer(actor=desk.agent, ticket_id=ticket.pk, account_ref="GRP-88123")

    assert (identified.account_ref, identified.large_account) == ("GRP-88123", True)


def test_an_agent_changes_severity_with_a_reason(desk: Any, vendor_admin) -> None:
    configure(vendor_admin)
    ticket = desk.open()

    with pytest.raises(RuleViolation):
        priority.change_severity(actor=desk.agent, ticket_id=ticket.pk, severity="s2", reason=" ")
    changed = priority.change_severity(actor=desk.agent, ticket_id=ticket.pk, severity="s2", reason="Outage")

    assert changed.severity == "s2"


def test_a_vendor_configures_only_with_valid_tiers_and_its_own_products(
    desk: Any, vendor_admin, load_catalog: Any
) -> None:
    foreign = Product.objects.filter(vendor=load_catalog("flowdesk")).first()

    with pytest.raises(RuleViolation):
        configure(vendor_admin, tiers=(("EMEA", 0),))
    with pytest.raises(RuleViolation):
        configure(vendor_admin, tiers=(("EMEA", 5), ("EMEA", 6)))
    with pytest.raises(NotFound):
        configure(vendor_admin, excluded=[foreign.pk])
    with pytest.raises(PermissionDenied):
        configure(desk.customer)


def test_r5_6_an_s1_ticket_shows_the_documents_three_due_times(desk: Any, vendor_admin) -> None:
    configure(vendor_admin, tiers=(("", 100),), excluded=[])
    desk.license()

    ticket = desk.open()
    ticket.refresh_from_db()

    assert ticket.first_response_due_at - ticket.created_at == timedelta(hours=3)
    assert ticket.determination_due_at - ticket.created_at == timedelta(hours=8)
    assert ticket.resolution_due_at - ticket.created_at == timedelta(hours=48)


def test_r5_6_targets_on_business_hours_follow_the_vendors_calendar(desk: Any, vendor_admin) -> None:
    config = configure(vendor_admin, tiers=(("", 100),), excluded=[])
    config.opening_hours = [["09:00", "18:00"]] * 5 + [None, None]
    config.save()
    config.targets.update(business_hours=True)
    desk.license()

    ticket = desk.open()
    calendar = sla.business_calendar(config)

    assert calendar.business_time_between(ticket.created_at, ticket.first_response_due_at) == timedelta(
        hours=3
    )
    assert calendar.business_time_between(ticket.created_at, ticket.resolution_due_at) == timedelta(hours=48)


def test_r5_6_other_severities_have_no_due_times_until_targets_exist(desk: Any, vendor_admin) -> None:
    configure(vendor_admin)

    ticket = desk.open()

    assert (ticket.severity, ticket.first_response_due_at) == ("s3", None)
