"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>", sent as `Canal-Signature: t=<ts>,v1=<hex>`.

The timestamp inside the signed text lets receivers refuse replays older than a few minutes.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "Canal-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(
    *, secret: str, header: str, body: bytes, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """True when `header` signs `body` with `secret` and is no older than `tolerance` seconds."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, f"t={timestamp},v1={parts.get('v1', '')}")
