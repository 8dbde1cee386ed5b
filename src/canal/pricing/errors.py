"""The error the pricing engine raises when a configuration cannot be priced.

It is a `RuleViolation` so both interfaces show its message, and a `ValueError` so pure callers can
catch it without knowing Canal's error hierarchy.
"""

from canal.core.errors import RuleViolation


class PricingError(RuleViolation, ValueError):
    default_code = "pricing_invalid"
