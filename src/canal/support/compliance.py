"""Monthly SLA compliance (R5.6) for a vendor: per severity and phase, how many tickets opened in the
month met the phase, breached it, or are still running; compliance is met ÷ (met + breached). Read in one
grouped query; the bar chart's geometry is computed here so the page draws a plain SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.core.errors import NotFound, RuleViolation
from canal.support.models import Severity, SlaBreach, SlaEventKind, SlaPhase, Ticket, TicketStatus

RUNNING = [TicketStatus.PENDING, TicketStatus.ASSIGNED, TicketStatus.REOPENED, TicketStatus.WAITING]
MET = {
    SlaPhase.FIRST_RESPONSE: Q(first_response_at__isnull=False),
    SlaPhase.DETERMINATION: ~Q(status=TicketStatus.PENDING) & ~Q(held_status=TicketStatus.PENDING),
    SlaPhase.RESOLUTION: Q(finished_at__isnull=False),
    SlaPhase.UPDATE: ~Q(status__in=RUNNING),
}


@dataclass(frozen=True)
class ComplianceRow:
    month: str
    severity: str
    phase: str
    met: int
    breached: int
    running: int

    @property
    def compliance(self) -> Decimal | None:
        decided = self.met + self.breached
        if not decided:
            return None
        return (Decimal(100) * self.met / decided).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    @property
    def phase_label(self) -> str:
        return str(SlaPhase(self.phase).label)


def parse_month(value: str, *, today: date) -> date:
    """ "2026-11" → 1 November 2026; empty → this month."""
    if not value:
        return today.replace(day=1)
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise RuleViolation(
            _("Write the month as YYYY-MM, e.g. 2026-11."), code="invalid", field="month"
        ) from None


def _vendor_id(actor: Actor) -> int:
    if actor.kind != OrganisationKind.VENDOR:
        raise NotFound(_("Only a vendor has an SLA compliance report."), field="organisation")
    return actor.organisation.pk


def monthly_compliance(actor: Actor, month: date) -> list[ComplianceRow]:
    """The vendor's tickets opened in ``month``, per severity and phase (phases without a due time left
    out)."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
    rows = Ticket.objects.filter(vendor_id=_vendor_id(actor), created_at__gte=start, created_at__lt=end)
    rows = rows.exclude(severity="").annotate(
        **{
            f"breached_{phase}": Exists(
                SlaBreach.objects.filter(ticket=OuterRef("pk"), phase=phase, kind=SlaEventKind.BREACH)
            )
            for phase in SlaPhase.values
        }
    )
    counts = {}
    for phase in SlaPhase.values:
        timed = Q(**{f"{phase}_due_at__isnull": False})
        breached = Q(**{f"breached_{phase}": True})
        counts[f"{phase}__breached"] = Count("pk", filter=timed & breached)
        counts[f"{phase}__met"] = Count("pk", filter=timed & ~breached & MET[phase])
        counts[f"{phase}__running"] = Count("pk", filter=timed & ~breached & ~MET[phase])
    label = month.strftime("%Y-%m")
    found = []
    for group in rows.order_by().values("severity").annotate(**counts).order_by("severity"):
        for phase in SlaPhase.values:
            numbers = {kind: group[f"{phase}__{kind}"] for kind in ("met", "breached", "running")}
            if any(numbers.values()):
                found.append(ComplianceRow(label, group["severity"], phase, **numbers))
    return found


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    met_width: int
    breached_width: int
    breached_x: int
    text: str
    text_y: int


CHART_WIDTH = 640
LABEL_WIDTH = 240
BAR_HEIGHT = 18
ROW_HEIGHT = 28


def chart(rows: list[ComplianceRow]) -> dict:
    """A horizontal bar per severity and phase: the met share in green, the breached share in red."""
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, row in enumerate(rows):
        decided = row.met + row.breached
        met = round(span * row.met / decided) if decided else 0
        breached = round(span * row.breached / decided) if decided else 0
        y = index * ROW_HEIGHT + 6
        bars.append(
            Bar(
                label=f"{row.severity.upper()} · {row.phase_label}",
                y=y,
                met_width=met,
                breached_width=breached,
                breached_x=LABEL_WIDTH + met,
                text="—" if row.compliance is None else f"{row.compliance} %",
                text_y=y + 13,
            )
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT + 12,
        "label_width": LABEL_WIDTH,
        "value_x": CHART_WIDTH - 52,
        "bar_height": BAR_HEIGHT,
    }
