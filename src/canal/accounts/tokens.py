"""API token format and digest: `canal_<prefix>_<secret>`, stored only as a SHA-256 digest."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_token() -> tuple[str, str, str]:
    """A fresh token as (plaintext, prefix, digest)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    plaintext = f"canal_{prefix}_{secrets.token_urlsafe(32)}"
    return plaintext, prefix, digest(plaintext)


def digest(plaintext: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; a slow one would only slow every request.
    return hashlib.sha256(plaintext.encode()).hexdigest()
