"""The period ZIP's index.csv as a spreadsheet opens it: a buyer's name is text, never a formula."""

from __future__ import annotations

import csv
import io
import zipfile

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.billing.einvoices.tests import cases


def test_a_buyer_named_like_a_formula_is_written_as_text_in_the_index(db, api_as):
    cases.operator()
    buyer = cases.buyer(cases.CASES[0])
    buyer.name = '=HYPERLINK("https://evil.example","Invoice")'
    buyer.save(update_fields=["name"])
    cases.issue(buyer, "EUR")
    actor = actor_for(MembershipFactory(organisation=buyer, role=Role.BILLING).user, buyer.pk)

    response = api_as(actor).get("/billing/exports/einvoices.zip", start="2026-03-01", end="2026-03-31")

    index = zipfile.ZipFile(io.BytesIO(response.content)).read("index.csv").decode()
    row = next(csv.DictReader(io.StringIO(index)))
    assert row["buyer"] == "'" + buyer.name
    assert row["total"].replace(".", "").isdigit()  # amounts stay numbers
