"""Portal forms of the partner programme: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canal.accounts.models import AccessLevel, PaymentMode


class ApplicationForm(forms.Form):
    registered_id = forms.CharField(label=_("Registered company id"), max_length=40)
    website = forms.URLField(label=_("Active website"), max_length=200, assume_scheme="https")
    yearly_volume = forms.DecimalField(
        label=_("Expected yearly volume"), max_digits=14, decimal_places=2, min_value=0
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("CHF", "CHF"), ("EUR", "EUR")])
    accepts_reseller_terms = forms.BooleanField(
        label=_(
            "I accept the reseller terms: we support our clients, answer for their invoices, and use only "
            "the vendor's products for contracts won through tenders."
        ),
        required=False,
    )


class DecisionForm(forms.Form):
    level = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class AccessForm(forms.Form):
    access = forms.ChoiceField(label=_("Access"), choices=AccessLevel.choices, widget=forms.RadioSelect)
    payment_mode = forms.ChoiceField(
        label=_("Who pays (full access)"),
        choices=PaymentMode.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    product_codes = forms.MultipleChoiceField(
        label=_("Products (limited access)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, products=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_codes"].choices = [(product.code, product.name) for product in products]


class InviteClientForm(AccessForm):
    email = forms.EmailField(label=_("Client's e-mail"), max_length=254)
    message = forms.CharField(label=_("Message"), max_length=1000, required=False, widget=forms.Textarea)


class EndForm(forms.Form):
    step = forms.ChoiceField(choices=[("1", "1"), ("2", "2")])
    password = forms.CharField(
        label=_("Your password"), max_length=200, required=False, widget=forms.PasswordInput
    )


class TenderForm(forms.Form):
    title = forms.CharField(label=_("What do you need?"), max_length=200)
    description = forms.CharField(label=_("Describe your request"), max_length=5000, widget=forms.Textarea)
    region = forms.CharField(label=_("Region"), max_length=80, required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=40, required=False)
    # The honeypot: hidden from people by CSS; robots fill every field.
    website = forms.CharField(max_length=200, required=False)


class ProposalForm(forms.Form):
    message = forms.CharField(label=_("Your proposal"), max_length=5000, widget=forms.Textarea)


class ManagerForm(forms.Form):
    user = forms.IntegerField(min_value=1, max_value=2**63 - 1)
