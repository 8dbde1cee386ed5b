"""Portal pages for structured invoices: downloads, the period ZIP and the e-invoice settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canal.billing.einvoices import export, preferences
from canal.billing.models import EInvoiceFormat
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor


class SettingsForm(forms.Form):
    einvoice_format = forms.ChoiceField(
        label=gettext_lazy("Preferred format"), choices=EInvoiceFormat.choices
    )
    address = forms.CharField(label=gettext_lazy("Street address"), max_length=80, required=False)
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=50, required=False)
    province = forms.CharField(label=gettext_lazy("Province or region"), max_length=20, required=False)


class ExportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("preferred", gettext_lazy("Each buyer's preferred format")), *EInvoiceFormat.choices],
    )


@login_required
def download(request: HttpRequest, invoice_id: int, fmt: str) -> HttpResponse:
    actor = portal_actor(request)
    try:
        return export.download(actor, invoice_id, fmt).as_download()
    except CanalError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.message))
        return redirect("billing:invoice", invoice_id)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    account = preferences.settings_of(actor)
    form = SettingsForm(
        request.POST or None, initial={field: getattr(account, field) for field in preferences.FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            preferences.update_settings(actor=actor, **form.cleaned_data)
        except CanalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Billing settings saved."))
            return redirect("billing:einvoice_settings")
    today = timezone.localdate()
    export_form = ExportForm(initial={"start": today.replace(day=1), "end": today, "format": "preferred"})
    return render(request, "billing/einvoice_settings.html", {"form": form, "export_form": export_form})


@login_required
def export_zip(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Give the period as two dates, YYYY-MM-DD."))
        return redirect("billing:einvoice_settings")
    try:
        file = export.period_zip(
            actor,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            fmt=form.cleaned_data["format"],
        )
    except CanalError as error:
        messages.error(request, str(error.message))
        return redirect("billing:einvoice_settings")
    return file.as_download()
