"""Priority support use cases (issue 13): a vendor configures its large accounts (R5.1, R5.3); support
identifies the customer of a ticket the partner left without e-mail (R5.5) and changes a severity with a
reason. Each checks who may act, runs in one transaction and is audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role
from canal.catalog.models import Product
from canal.core import audit
from canal.core.errors import NotFound, PermissionDenied, RuleViolation
from canal.support import classification, large_accounts, sla
from canal.support.models import PrioritySupport, RegionTier, Severity, SlaTarget, Ticket
from canal.support.tickets import _locked, _require_support, _text

CONFIGURING_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)
MAX_TIERS = 50
MAX_THRESHOLD = 10_000_000


def _severity(value: str) -> str:
    if value not in Severity.values:
        raise RuleViolation(
            _("Choose a severity from S1 to S4 (s1, s2, s3, s4)."), code="invalid_severity", field="severity"
        )
    return value


def _tiers(tiers: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    if len(tiers) > MAX_TIERS:
        raise RuleViolation(
            _("At most %(max)s region tiers.") % {"max": MAX_TIERS}, code="too_many", field="tiers"
        )
    seen: set[str] = set()
    cleaned = []
    for region, threshold in tiers:
        region = (region or "").strip()
        if len(region) > 40 or "\x00" in region:
            raise RuleViolation(_("A region name has at most 40 characters."), code="invalid", field="tiers")
        if region in seen:
            raise RuleViolation(
                _("Region %(region)s has two tiers: keep one.") % {"region": region or "*"},
                code="duplicate_region",
                field="tiers",
            )
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int)
            or not 1 <= threshold <= MAX_THRESHOLD
        ):
            raise RuleViolation(
                _("A threshold is a number of user licenses from 1 to %(max)s.") % {"max": MAX_THRESHOLD},
                code="invalid_threshold",
                field="tiers",
            )
        seen.add(region)
        cleaned.append((region, threshold))
    return cleaned


def configure(
    *,
    actor: Actor,
    default_severity: str,
    tiers: Sequence[tuple[str, int]],
    excluded_product_ids: Sequence[int] | None = None,
) -> PrioritySupport:
    """R5.1, R5.3: the vendor's region tiers, excluded products and default severity, replaced whole.

    Without an exclusion list the catalog's own applies: products not billed per user or flagged out.
    """
    if actor.kind != OrganisationKind.VENDOR:
        raise PermissionDenied(_("Only a vendor configures its priority support."), field="organisation")
    actor.require_role(*CONFIGURING_ROLES)
    vendor = actor.organisation
    default_severity = _severity(default_severity)
    cleaned = _tiers(tiers)
    if excluded_product_ids is None:
        excluded = list(large_accounts.default_exclusions(vendor))
    else:
        ids = set(excluded_product_ids)
        excluded = list(Product.objects.filter(vendor=vendor, pk__in=ids))
        if len(excluded) != len(ids):
            raise NotFound(
                _("One of the excluded products is not one of yours."), field="excluded_product_ids"
            )
    with transaction.atomic():
        config, _created = PrioritySupport.objects.select_for_update().get_or_create(vendor=vendor)
        before = _snapshot(config)
        config.default_severity = default_severity
        config.save()
        config.tiers.all().delete()
        RegionTier.objects.bulk_create(
            RegionTier(config=config, region=region, threshold=threshold) for region, threshold in cleaned
        )
        config.excluded_products.set(excluded)
        # R5.6: the document's S1 commitment until the vendor sets its own targets.
        SlaTarget.objects.get_or_create(config=config, severity=Severity.S1, defaults=sla.DOCUMENT_S1)
        audit.record(
            actor=actor,
            action="priority_support.configured",
            obj=config,
            before=before,
            after=_snapshot(config),
        )
    return config


def _snapshot(config: PrioritySupport) -> dict:
    return {
        "default_severity": config.default_severity,
        "tiers": {tier.region: tier.threshold for tier in config.tiers.all()},
        "excluded": sorted(config.excluded_products.values_list("code", flat=True)),
    }


def identify_customer(
    *, actor: Actor, ticket_id: int, email: str = "", user_id: int | None = None, account_ref: str = ""
) -> Ticket:
    """R5.5: support fills in the customer's primary e-mail (or a user, organisation or group id); the
    account found must be the ticket's customer, and the ticket is classified as on receipt."""
    email = (email or "").strip().lower()
    account_ref = (account_ref or "").strip()
    if not (email or user_id or account_ref):
        raise RuleViolation(
            _("Enter the customer's primary e-mail, a user id or an organisation or group id."),
            code="required",
            field="email",
        )
    if account_ref:
        account_ref = _text(account_ref, field="account_ref", required="", max_length=120)
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        found = large_accounts.identify(
            ticket.vendor_id, email=email, user_id=user_id, account_ref=account_ref
        )
        if found is None:
            raise RuleViolation(
                _("No customer of this vendor matches: check the e-mail or the id with the partner."),
                code="account_not_found",
                field="email",
            )
        if found.pk != ticket.customer_id:
            raise RuleViolation(
                _("These details belong to another customer than the ticket's."),
                code="account_mismatch",
                field="email",
            )
        before = {"customer_email": ticket.customer_email, "account_ref": ticket.account_ref}
        ticket.customer_email = email or ticket.customer_email
        ticket.account_ref = account_ref or ticket.account_ref
        ticket.save(update_fields=["customer_email", "account_ref"])
        audit.record(
            actor=actor,
            action="ticket.customer_identified",
            obj=ticket,
            before=before,
            after={"customer_email": ticket.customer_email, "account_ref": ticket.account_ref},
        )
        classification.classify(ticket, actor=actor)
    return ticket


def change_severity(*, actor: Actor, ticket_id: int, severity: str, reason: str) -> Ticket:
    """Support changes a ticket's severity; the reason is kept in the audit trail."""
    severity = _severity(severity)
    reason = _text(
        reason, field="reason", required=_("Give the reason for the new severity."), max_length=300
    )
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        before = {"severity": ticket.severity}
        ticket.severity = severity
        config = large_accounts.config_of(ticket.vendor_id)
        if config is not None:
            sla.set_due_times(ticket, config)  # R5.6: the new severity's targets
        ticket.save(update_fields=["severity", *sla.DUE_FIELDS])
        audit.record(
            actor=actor,
            action="ticket.severity_changed",
            obj=ticket,
            before=before,
            after={"severity": severity},
            reason=reason,
        )
    return ticket


def config_for(actor: Actor) -> PrioritySupport:
    """The acting vendor's configuration (404 for anyone else or before it is configured)."""
    if actor.kind != OrganisationKind.VENDOR:
        raise NotFound(_("Only a vendor has a priority support configuration."), field="organisation")
    config = large_accounts.config_of(actor.organisation.pk)
    if config is None:
        raise NotFound(_("Priority support is not configured yet."), field="organisation")
    return config
