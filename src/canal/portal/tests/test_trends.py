"""The dashboard's chart: a figure that moves month by month, only from the reader's own money (issue 14)."""

import re
from datetime import date
from decimal import Decimal

from django.utils import timezone

from canal.accounts.models import OrganisationKind
from canal.billing.services import invoice_and_charge, issue_credit_note
from canal.billing.tests.helpers import charge
from canal.core.money import Money
from canal.portal.trends import bar_heights, months_ending


def _bill(payer, amount: str, **line):
    return invoice_and_charge(
        actor=None,
        payer=payer,
        charges=[charge("Hosting", amount, currency=payer.currency, **line)],
        issue_date=timezone.localdate(),
        pay_with="bank_transfer",
    ).invoice


def _chart_amounts(page: str) -> list[str]:
    return re.findall(r"<title>[^<]*: ([^<]*)</title>", page)


def test_the_last_six_months_end_with_the_current_one_across_a_new_year():
    assert months_ending(date(2026, 2, 15)) == [
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_bars_scale_to_the_largest_month_and_a_small_month_stays_visible():
    assert bar_heights([Decimal("0"), Decimal("0.01"), Decimal("-60"), Decimal("120")], height=120) == [
        0,
        1,
        60,
        120,
    ]


def test_a_customer_charts_what_it_was_invoiced_and_nothing_of_another_customer(
    portal_login, customer, make_actor
):
    _bill(customer.organisation, "80.00")
    _bill(make_actor(OrganisationKind.CUSTOMER).organisation, "5000.00")
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])

    page = portal_login(customer.user).get("/").content.decode()

    assert "Invoiced to you per month (net)" in page
    amounts = _chart_amounts(page)
    assert len(amounts) == 6
    assert amounts[-1] == Money("80.00", customer.organisation.currency).format("en_GB")
    assert not any("5,000" in amount for amount in amounts)


def test_a_partner_charts_the_cashback_its_sales_earned_and_its_client_does_not_see_it(
    portal_login, partner, customer
):
    currency = customer.organisation.currency
    _bill(
        customer.organisation,
        "80.00",
        cashback_partner=partner.organisation,
        cashback_amount=Money("20.00", currency),
    )
    for actor in (partner, customer):
        actor.user.language = "en"
        actor.user.save(update_fields=["language"])

    partner_page = portal_login(partner.user).get("/").content.decode()
    client_page = portal_login(customer.user).get("/").content.decode()

    assert "Cashback earned per month" in partner_page
    assert _chart_amounts(partner_page)[-1] == Money("20.00", currency).format("en_GB")
    assert "Cashback earned" not in client_page
    assert Money("20.00", currency).format("en_GB") not in _chart_amounts(client_page)


def test_the_operator_charts_revenue_in_spanish_with_credit_notes_deducted(portal_login, operator, customer):
    _bill(customer.organisation, "100.00")
    refunded = _bill(customer.organisation, "40.00")
    issue_credit_note(actor=operator, invoice_id=refunded.pk, reason="Ordered twice")
    operator.user.language = "es"
    operator.user.save(update_fields=["language"])

    page = portal_login(operator.user).get("/").content.decode()

    assert "Ingresos por mes (neto)" in page
    assert _chart_amounts(page)[-1] == Money("100.00", customer.organisation.currency).format("es_ES")
