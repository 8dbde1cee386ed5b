"""Column conventions for money: an amount column plus a currency column, never a float."""

from typing import Any

from django.db import models

# Four decimals hold every ISO 4217 minor unit (0 to 3) and unrounded intermediate amounts.
AMOUNT_DIGITS = 19
AMOUNT_DECIMALS = 4


def amount_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_DECIMALS, **options
    )


def currency_field(verbose_name: Any, **options: Any) -> models.CharField:
    return models.CharField(verbose_name, max_length=3, **options)
