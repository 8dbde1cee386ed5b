"""Pure functions for the codes a license server carries: hardware digest, license code, activation keys,
release versions. No database, no clock."""

import hashlib
import re
import secrets

KEY_PREFIX = "canal_srv"


def hardware_digest(hardware_code: str) -> str:
    """The hardware code is reported by the appliance; only this digest is stored or signed."""
    return hashlib.sha256(hardware_code.strip().encode()).hexdigest()


def license_code(product_code: str, digest: str) -> str:
    """R2.4: the license code is derived from the hardware (its digest) and the product, so the same
    hardware always gets the same code and another product never shares it. Five groups of four."""
    raw = hashlib.sha256(f"{product_code}:{digest}".encode()).hexdigest()[:20].upper()
    return "-".join(raw[index : index + 4] for index in range(0, 20, 4))


def masked(code: str) -> str:
    """R2.3: pages show only part of the license code."""
    if len(code) <= 9:
        return code
    return "••••-••••-••••-" + code[-9:]


def new_activation_key() -> tuple[str, str, str]:
    """A fresh key as (plaintext, prefix, digest)."""
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return plaintext, prefix, key_digest(plaintext)


def key_digest(plaintext: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough (like API tokens).
    return hashlib.sha256(plaintext.encode()).hexdigest()


_VERSION = re.compile(r"^\d+(\.\d+){0,3}$")


def is_version(text: str) -> bool:
    return bool(_VERSION.match(text))


def version_key(text: str) -> tuple[int, ...]:
    """Dotted numeric versions compare by their numbers (1.10 is newer than 1.9); others sort first."""
    if not is_version(text):
        return ()
    return tuple(int(part) for part in text.split("."))
