"""What needs the reader now, for the dashboard: counts of work waiting for this organisation, each
linking to the list that shows it. Every count goes through the owning app's scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.billing import selectors as billing
from canal.billing.models import AccountKind
from canal.core import formats
from canal.core.money import Money
from canal.subscriptions import selectors as subscriptions
from canal.subscriptions.models import ProvisioningStatus, SubscriptionStatus

TRIAL_WARNING = timedelta(days=7)
RENEWAL_WARNING = timedelta(days=30)
OPEN_REQUESTS = (ProvisioningStatus.PENDING, ProvisioningStatus.INQUIRING)


@dataclass(frozen=True)
class Need:
    label: str
    count: int
    url: str
    figure: str = ""  # an amount to show instead of the count (cashback earned)


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def needs_of(actor: Actor, today: date) -> list[Need]:
    """The reader's to-do counts; zero counts stay in the list so the dashboard can say "nothing"."""
    needs: list[Need] = []
    if actor.kind in (OrganisationKind.PARTNER, OrganisationKind.CUSTOMER):
        due = billing.unpaid_invoices(actor).count()
        needs.append(Need(_("Invoices to pay"), due, _url("billing:invoices", "status=issued")))
        visible = subscriptions.subscriptions_visible_to(actor)
        trials = visible.filter(status=SubscriptionStatus.TRIAL, trial_ends_on__lte=today + TRIAL_WARNING)
        needs.append(
            Need(_("Trials ending within 7 days"), trials.count(), _url("lifecycle:list", "status=trial"))
        )
        renewals = visible.filter(
            status=SubscriptionStatus.ACTIVE, term_end__gte=today, term_end__lte=today + RENEWAL_WARNING
        )
        needs.append(
            Need(_("Renewals within 30 days"), renewals.count(), _url("lifecycle:list", "status=active"))
        )
    if actor.kind == OrganisationKind.PARTNER:
        cashback = [b for b in billing.balances_of(actor) if b.kind == AccountKind.CASHBACK and b.amount]
        for balance in cashback:
            figure = formats.money(Money(balance.amount, balance.currency))
            needs.append(Need(_("Cashback to spend"), 1, _url("billing:wallet"), figure=figure))
    if actor.kind in (OrganisationKind.VENDOR, OrganisationKind.OPERATOR):
        requests = subscriptions.provisioning_requests_visible_to(actor).filter(status__in=OPEN_REQUESTS)
        if actor.kind == OrganisationKind.VENDOR:
            requests = requests.filter(vendor=actor.organisation)
        needs.append(
            Need(_("Accounts to provision"), requests.count(), _url("orders:provisioning_queue", "show=open"))
        )
        overdue = requests.filter(overdue_flagged_at__isnull=False)
        needs.append(
            Need(
                _("Provisioning overdue"), overdue.count(), _url("orders:provisioning_queue", "show=overdue")
            )
        )
    if actor.is_operator:
        transfers = billing.payments_to_confirm(actor).count()
        needs.append(Need(_("Transfers to confirm"), transfers, _url("billing:payment_queue")))
    return needs
