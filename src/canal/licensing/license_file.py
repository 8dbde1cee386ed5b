"""The signed license file (docs/licensing.md, "License file format"): pure functions, no database.

A file is JSON: {"format": "canal-license/1", "key_id", "payload": {...}, "signature"}. The signature is
Ed25519 over the canonical JSON of the payload (keys sorted, no spaces, UTF-8), base64-encoded, so an
appliance can verify it offline with the vendor's published public key.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "canal-license/1"
# Fields that change with every issue (or a key rotation) and say nothing about what is licensed.
_VOLATILE = ("issued_at", "valid_until", "key_id")


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(payload: dict[str, Any]) -> str:
    """What the license grants, without its times: a changed fingerprint means a new file is due."""
    return hashlib.sha256(canonical({k: v for k, v in payload.items() if k not in _VOLATILE})).hexdigest()


def sign(payload: dict[str, Any], *, key_id: str, private_key: Ed25519PrivateKey) -> dict[str, Any]:
    signature = private_key.sign(canonical(payload))
    return {
        "format": FORMAT,
        "key_id": key_id,
        "payload": payload,
        "signature": base64.b64encode(signature).decode(),
    }


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str = ""  # a stable code: bad_format, bad_signature, expired
    payload: dict[str, Any] | None = None


def public_key_from(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id_of(public_key: str) -> str:
    return hashlib.sha256(public_key.encode()).hexdigest()[:16]


def verify(document: Any, public_key: Ed25519PublicKey, *, now: datetime | None = None) -> Verification:
    """Checks the format, the signature and, when `now` is given, the offline validity."""
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("payload"), dict)
        or not isinstance(document.get("signature"), str)
    ):
        return Verification(False, "bad_format")
    payload = document["payload"]
    try:
        public_key.verify(base64.b64decode(document["signature"], validate=True), canonical(payload))
    except (InvalidSignature, ValueError):
        return Verification(False, "bad_signature", payload)
    if now is not None:
        try:
            valid_until = datetime.fromisoformat(payload["valid_until"])
        except (KeyError, TypeError, ValueError):
            return Verification(False, "bad_format", payload)
        if valid_until < now:
            return Verification(False, "expired", payload)
    return Verification(True, "", payload)
