"""Names of the recorded steps of an order, as its timeline shows them."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "order.placed": _("Order placed"),
    "order.provisioning": _("Sent to the vendor for provisioning"),
    "order.completed": _("Processed"),
    "order.failed": _("Failed"),
    "order.cancelled": _("Cancelled"),
    "provisioning request.pending": _("Provisioning request opened"),
    "provisioning request.inquiring": _("The vendor asked for information"),
    "provisioning request.approved": _("The vendor provisioned it"),
    "provisioning request.failed": _("The vendor could not provision it"),
    "provisioning request.cancelled": _("Provisioning stopped"),
    "provisioning request.overdue": _("Flagged overdue to operators"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
