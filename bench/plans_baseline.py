"""django-plans 2.8.2 as a billing baseline, run by the interpreter of its own virtual environment (see
bench_billing.py): N users on one monthly plan (EUR 125, 21 % VAT, billing details in Spain) each get
an order that is completed, which is how django-plans renews: the order extends the user's plan and
creates its pro forma and its invoice (gap-free numbers through django-sequences). One transaction per
subscription, as a site would renew them. Prints {"seconds": ...} for the renewals alone.

Usage: <plans venv>/bin/python bench/plans_baseline.py DATABASE_URL N
"""

import json
import sys
import time
from decimal import Decimal
from urllib.parse import urlparse

import django
from django.conf import settings


def configure(url: str) -> None:
    parts = urlparse(url)
    settings.configure(
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": parts.path.lstrip("/"),
                "USER": parts.username or "postgres",
                "PASSWORD": parts.password or "",
                "HOST": parts.hostname or "127.0.0.1",
                "PORT": parts.port or 5432,
            }
        },
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sites",
            "ordered_model",
            "sequences.apps.SequencesConfig",
            "plans",
        ],
        SITE_ID=1,
        ROOT_URLCONF="plans.urls",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        USE_TZ=True,
        SECRET_KEY="bench",
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PLANS_CURRENCY="EUR",
        PLANS_TAX=Decimal("21.0"),
        PLANS_TAX_COUNTRY="ES",
        PLANS_DEFAULT_GRACE_PERIOD=30,
        PLANS_INVOICE_ISSUER={
            "issuer_name": "Bench operator",
            "issuer_street": "Calle 1",
            "issuer_zipcode": "28001",
            "issuer_city": "Madrid",
            "issuer_country": "ES",
            "issuer_tax_number": "ESB00000000",
        },
    )
    django.setup()


def main(url: str, n: int) -> dict:
    configure(url)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction
    from plans.models import BillingInfo, Order, Plan, PlanPricing, Pricing

    call_command("migrate", verbosity=0)
    plan = Plan.objects.create(name="CRM", available=True, visible=True, default=True)
    pricing = Pricing.objects.create(name="Monthly", period=30)
    PlanPricing.objects.create(plan=plan, pricing=pricing, price=Decimal("125.00"))
    users = User.objects.bulk_create(User(username=f"customer{i}") for i in range(n))
    from plans.models import UserPlan

    UserPlan.objects.bulk_create(UserPlan(user=user, plan=plan, active=True) for user in users)
    BillingInfo.objects.bulk_create(
        BillingInfo(
            user=user, name=f"Customer {i}", street="Calle 2", zipcode="28002", city="Madrid", country="ES"
        )
        for i, user in enumerate(users)
    )
    users = list(User.objects.select_related("userplan").order_by("id"))
    started = time.perf_counter()
    for user in users:
        with transaction.atomic():
            order = Order.objects.create(
                user=user,
                plan=plan,
                pricing=pricing,
                amount=Decimal("125.00"),
                tax=Decimal("21.0"),
                currency="EUR",
            )
            order.complete_order()
    seconds = time.perf_counter() - started
    from plans.models import Invoice

    return {"seconds": seconds, "invoices": Invoice.objects.count()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
