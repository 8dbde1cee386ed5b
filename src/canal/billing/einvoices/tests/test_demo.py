"""Every demo invoice and credit note, downloadable in each format it can have, from the API and the
portal, by the organisation that pays it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from canal.accounts.actor import actor_for
from canal.accounts.models import Membership
from canal.billing.einvoices.export import formats_for
from canal.billing.models import Invoice


@pytest.mark.django_db
def test_every_demo_invoice_downloads_in_each_applicable_format(api_as, client):
    call_command("demo")
    invoices = list(Invoice.objects.exclude(number=None).select_related("organisation"))
    assert {invoice.currency for invoice in invoices} == {"EUR", "USD", "CHF"}
    assert any(invoice.is_credit_note for invoice in invoices)
    assert any(invoice.reverse_charge for invoice in invoices)
    for invoice in invoices:
        membership = (
            Membership.objects.filter(organisation=invoice.organisation).select_related("user").first()
        )
        payer = actor_for(membership.user, invoice.organisation_id)
        api = api_as(payer)
        client.force_login(payer.user)
        for fmt in formats_for(invoice):
            response = api.get(f"/billing/invoices/{invoice.pk}/{fmt}")
            assert response.status_code == 200, (invoice.code, fmt, response.content[:300])
            response = client.get(reverse("billing:einvoice", args=[invoice.pk, fmt]))
            assert response.status_code == 200, (invoice.code, fmt)
