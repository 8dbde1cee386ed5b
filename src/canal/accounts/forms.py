from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from canal.notifications.email import send_email_rendered


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through the queue, in the user's language (R2.1)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        language = context["user"].language or translation.get_language() or "es"
        with translation.override(language):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            text = render_to_string(email_template_name, context)
        send_email_rendered(to=[to_email], subject=subject, text=text)


class NewTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
