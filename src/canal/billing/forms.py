from django import forms
from django.utils.translation import gettext_lazy as _

from canal.billing.payments import MAX_RECEIPT_BYTES


class PayFromBalanceForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Pay from"), choices=[("wallet", _("Prepaid wallet")), ("cashback", _("Cashback balance"))]
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=_("Empty pays everything due."),
    )
    # A double submit must not pay twice.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class CardForm(forms.Form):
    # With the offline test provider the portal offers its test cards; a real gateway would put its own
    # card widget here and post the token it returns.
    card_token = forms.ChoiceField(
        label=_("Card"),
        choices=[
            ("tok_visa", _("Test card that is approved")),
            ("tok_declined", _("Test card that is declined")),
        ],
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=2, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class TopUpCardForm(CardForm):
    amount = forms.DecimalField(label=_("Amount"), min_value=1, decimal_places=2)


class TransferForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount transferred"), min_value=0, decimal_places=2, required=False)
    reference = forms.CharField(label=_("Transfer reference"), max_length=140, required=False)
    receipt = forms.FileField(
        label=_("Bank receipt"),
        help_text=_("PDF, PNG or JPEG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        if receipt.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError(_("The receipt may be at most 10 MB."))
        return receipt


class TopUpTransferForm(TransferForm):
    amount = forms.DecimalField(label=_("Amount transferred"), min_value=1, decimal_places=2)


class ConfirmForm(forms.Form):
    amount_received = forms.DecimalField(
        label=_("Amount received"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=_("Only if the bank shows another amount than notified."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it rejected?"), max_length=300)


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=120)
