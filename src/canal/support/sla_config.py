"""A vendor's SLA configuration (R5.6): targets per severity (with warnings and timely updates), the
business calendar they may count on (opening hours per weekday, extra closed dates, time zone, country
for public holidays) and the escalation contacts. Replaced whole, checked, audited. New due times apply
to tickets classified from then on; tickets already running keep theirs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, time
from zoneinfo import available_timezones

from django.db import transaction
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Membership, User
from canal.core import audit
from canal.core.calendar import supported_subdivisions
from canal.core.errors import RuleViolation
from canal.support import priority, sla
from canal.support.models import PrioritySupport, SlaTarget

MAX_MINUTES = 366 * 24 * 60
MAX_CLOSED_DATES = 400
PHASES = ("first_response", "determination", "resolution")


@dataclass(frozen=True)
class TargetSpec:
    severity: str
    first_response_minutes: int
    determination_minutes: int
    resolution_minutes: int
    first_response_warn_minutes: int | None = None
    determination_warn_minutes: int | None = None
    resolution_warn_minutes: int | None = None
    update_minutes: int | None = None
    business_hours: bool = False


@dataclass(frozen=True)
class CalendarSpec:
    time_zone: str = "UTC"
    # Seven entries, Monday first: ("09:00", "18:00"), ("09:00", None) for open until midnight, or None.
    opening_hours: Sequence[tuple[str, str | None] | None] = ()
    closed_dates: Sequence[str] = ()
    country: str = ""


TARGET_FIELDS = [field.name for field in fields(TargetSpec)]


def _invalid(message: str, field: str) -> RuleViolation:
    return RuleViolation(message, code="invalid_sla", field=field)


def _minutes(value: int | None, field: str, *, required: bool) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise _invalid(_("A time is a number of minutes from 1 to %(max)s.") % {"max": MAX_MINUTES}, field)
    return value


def _targets(specs: Sequence[TargetSpec]) -> list[TargetSpec]:
    seen: set[str] = set()
    for spec in specs:
        priority._severity(spec.severity)
        if spec.severity in seen:
            raise _invalid(
                _("Severity %(severity)s has two targets: keep one.") % {"severity": spec.severity}, "targets"
            )
        seen.add(spec.severity)
        for phase in PHASES:
            target = _minutes(getattr(spec, f"{phase}_minutes"), "targets", required=True)
            warn = _minutes(getattr(spec, f"{phase}_warn_minutes"), "targets", required=False)
            if warn is not None and target is not None and warn >= target:
                raise _invalid(_("A warning comes before its target: make it shorter."), "targets")
        _minutes(spec.update_minutes, "targets", required=False)
    return list(specs)


def _time(value: str | None, field: str) -> time | None:
    if value is None:
        return None
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise _invalid(_("Write opening hours as HH:MM, e.g. 09:00."), field) from None


def _calendar(spec: CalendarSpec) -> tuple[list, list[str]]:
    """The opening hours and closed dates as stored, after building the calendar they describe."""
    if spec.time_zone not in available_timezones():
        raise _invalid(_("Choose a time zone such as Europe/Madrid."), "time_zone")
    if spec.country and supported_subdivisions(spec.country) is None:
        raise _invalid(_("No public holidays are known for this country code."), "country")
    hours: list = []
    if spec.opening_hours:
        if len(spec.opening_hours) != 7:
            raise _invalid(_("Give the opening hours of the seven weekdays, Monday first."), "opening_hours")
        for entry in spec.opening_hours:
            if entry is None:
                hours.append(None)
                continue
            opens, closes = _time(entry[0], "opening_hours"), _time(entry[1], "opening_hours")
            if opens is None or (closes is not None and closes <= opens):
                raise _invalid(
                    _("A day closes after it opens (leave the closing empty for midnight)."), "opening_hours"
                )
            hours.append([opens.strftime("%H:%M"), None if closes is None else closes.strftime("%H:%M")])
        if all(entry is None for entry in hours):
            raise _invalid(
                _("Open at least one weekday, or leave every day empty for 24x7."), "opening_hours"
            )
    if len(spec.closed_dates) > MAX_CLOSED_DATES:
        raise _invalid(_("At most %(max)s closed dates.") % {"max": MAX_CLOSED_DATES}, "closed_dates")
    try:
        closed = sorted({date.fromisoformat(day).isoformat() for day in spec.closed_dates})
    except (TypeError, ValueError):
        raise _invalid(_("Write closed dates as YYYY-MM-DD."), "closed_dates") from None
    return hours, closed


def _contacts(actor: Actor, user_ids: Sequence[int]) -> list[User]:
    members = Membership.objects.filter(organisation=actor.organisation, user__is_active=True)
    users = list(User.objects.filter(pk__in=members.values("user_id")).filter(pk__in=set(user_ids)))
    if len(users) != len(set(user_ids)):
        raise _invalid(
            _("Escalation contacts are active users of your organisation."), "escalation_contact_ids"
        )
    return users


def configure_sla(
    *,
    actor: Actor,
    targets: Sequence[TargetSpec],
    calendar: CalendarSpec,
    escalation_contact_ids: Sequence[int],
) -> PrioritySupport:
    """R5.6: the vendor's SLA targets, business calendar and escalation contacts, replaced whole."""
    config = priority.config_for(actor)
    actor.require_role(*priority.CONFIGURING_ROLES)
    specs = _targets(targets)
    hours, closed = _calendar(calendar)
    contacts = _contacts(actor, escalation_contact_ids)
    with transaction.atomic():
        config = PrioritySupport.objects.select_for_update().get(pk=config.pk)
        before = snapshot(config)
        config.time_zone, config.opening_hours = calendar.time_zone, hours
        config.closed_dates, config.country = closed, calendar.country
        try:
            sla.business_calendar(config)
        except ValueError:
            raise _invalid(_("These opening hours do not make a calendar."), "opening_hours") from None
        config.save()
        config.targets.all().delete()
        SlaTarget.objects.bulk_create(
            SlaTarget(config=config, **{name: getattr(spec, name) for name in TARGET_FIELDS})
            for spec in specs
        )
        config.escalation_contacts.set(contacts)
        audit.record(
            actor=actor,
            action="priority_support.sla_configured",
            obj=config,
            before=before,
            after=snapshot(config),
        )
    return config


def snapshot(config: PrioritySupport) -> dict:
    targets = {
        target.severity: {name: getattr(target, name) for name in TARGET_FIELDS}
        for target in config.targets.all()
    }
    return {
        "targets": targets,
        "time_zone": config.time_zone,
        "opening_hours": config.opening_hours,
        "closed_dates": config.closed_dates,
        "country": config.country,
        "escalation_contacts": sorted(config.escalation_contacts.values_list("pk", flat=True)),
    }


def target_specs(config: PrioritySupport) -> list[TargetSpec]:
    """The configured targets as the service takes them (for the settings page and the API)."""
    return [
        TargetSpec(**{name: getattr(target, name) for name in TARGET_FIELDS})
        for target in config.targets.all()
    ]
