"""The structured formats an invoice page offers (billing.einvoices)."""

from django import template

from canal.billing.einvoices.export import formats_for
from canal.billing.models import EInvoiceFormat, Invoice

register = template.Library()


@register.simple_tag
def einvoice_formats(invoice: Invoice) -> list[tuple[str, str]]:
    """(format, label) pairs for a downloadable invoice; none for a draft."""
    if not invoice.code:
        return []
    labels = dict(EInvoiceFormat.choices)
    return [(fmt, labels[fmt]) for fmt in formats_for(invoice)]
