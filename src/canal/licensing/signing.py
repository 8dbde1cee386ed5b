"""Each vendor's Ed25519 signing key: created on first use, the private half encrypted with a key derived
from SECRET_KEY (Fernet), so a database dump alone cannot forge license files."""

import base64
import hashlib

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction

from canal.accounts.models import Organisation
from canal.licensing import license_file
from canal.licensing.models import SigningKey


def _fernet() -> Fernet:
    derived = hashlib.sha256(f"canal.licensing:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def key_for(vendor: Organisation) -> SigningKey:
    """The vendor's signing key, created the first time one of its licenses is signed."""
    existing = SigningKey.objects.filter(vendor=vendor).first()
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    public = license_file.public_key_text(private.public_key())
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                vendor=vendor,
                key_id=license_file.key_id_of(public),
                public_key=public,
                private_key_encrypted=_fernet().encrypt(raw).decode(),
            )
    except IntegrityError:  # another request created it first: use that one
        return SigningKey.objects.get(vendor=vendor)


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(key.private_key_encrypted.encode()))
