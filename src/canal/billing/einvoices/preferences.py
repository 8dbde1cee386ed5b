"""A payer's e-invoice settings: the format its accounting reads and the postal address on its invoices."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.billing.einvoices.validation import check_facturae_possible
from canal.billing.models import BillingAccount, EInvoiceFormat
from canal.billing.payments import PAYING_ROLES
from canal.core import audit
from canal.core.errors import RuleViolation

FIELDS = ("einvoice_format", "address", "postcode", "city", "province")
LIMITS = {"address": 80, "postcode": 10, "city": 50, "province": 20}


def settings_of(actor: Actor) -> BillingAccount:
    """The actor's own organisation's billing settings (created with the defaults on first read)."""
    return BillingAccount.objects.get_or_create(organisation=actor.organisation)[0]


def update_settings(
    *,
    actor: Actor,
    einvoice_format: str,
    address: str = "",
    postcode: str = "",
    city: str = "",
    province: str = "",
) -> BillingAccount:
    """Changes the preferred format and the address; applies to documents downloaded from now on."""
    actor.require_role(*PAYING_ROLES)
    if einvoice_format not in EInvoiceFormat.values:
        raise RuleViolation(
            _("Unknown format %(format)s: choose pdf, ubl, facturx or facturae.")
            % {"format": einvoice_format},
            field="einvoice_format",
        )
    values = {
        "address": address.strip(),
        "postcode": postcode.strip(),
        "city": city.strip(),
        "province": province.strip(),
    }
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            raise RuleViolation(
                _("At most %(limit)s characters.") % {"limit": limit}, code="too_long", field=field
            )
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=settings_of(actor).pk)
        if einvoice_format == EInvoiceFormat.FACTURAE:
            probe = BillingAccount(**values)
            check_facturae_possible(
                buyer_country=actor.organisation.country,
                buyer_legal_id=actor.organisation.legal_id,
                address=probe,
            )
        before = {field: getattr(account, field) for field in FIELDS}
        account.einvoice_format = einvoice_format
        for field, value in values.items():
            setattr(account, field, value)
        account.save(update_fields=list(FIELDS))
        audit.record(
            actor=actor,
            action="billing.settings_changed",
            obj=account,
            before=before,
            after={field: getattr(account, field) for field in FIELDS},
        )
    return account
