"""Human-friendly codes: support codes (R4.16) read over the phone, so no 0/O or 1/I/L."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(groups: int = 2, size: int = 4) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))
