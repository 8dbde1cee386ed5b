"""`canal license verify FILE`: checks a license file's Ed25519 signature and validity, offline.

The public key comes from `--public-key` (base64, as published at /api/v1/licensing/public-keys) or,
when omitted, from this installation's published keys by the file's key id."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from canal.licensing import license_file
from canal.licensing.selectors import published_keys

REASONS = {
    "bad_format": "not a canal-license/1 file",
    "bad_signature": "the signature does not match: the file was altered or signed with another key",
    "expired": "the offline validity has passed: the appliance must fetch a fresh file",
}


class Command(BaseCommand):
    help = "License files: verify FILE checks the signature, the key and the offline validity."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Verify a signed license file.")
        verify.add_argument("file", type=Path)
        verify.add_argument("--public-key", default="", help="The vendor's public key, base64.")
        verify.add_argument("--ignore-expiry", action="store_true", help="Check only the signature.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: cannot read a JSON license file ({error})") from error
        key_text = options["public_key"] or self._published(document)
        try:
            public_key = license_file.public_key_from(key_text)
        except ValueError as error:
            raise CommandError(f"the public key is not a base64 Ed25519 key ({error})") from error
        now = None if options["ignore_expiry"] else timezone.now()
        result = license_file.verify(document, public_key, now=now)
        if not result.valid:
            raise CommandError(f"{path}: INVALID: {REASONS[result.reason]}")
        payload = result.payload or {}
        self.stdout.write(self.style.SUCCESS(f"{path}: valid license, signed by key {document['key_id']}"))
        for field in (
            "server_name",
            "customer",
            "vendor",
            "product",
            "plan",
            "clients",
            "modules",
            "updatable_until",
            "license_code",
            "issued_at",
            "valid_until",
        ):
            self.stdout.write(f"  {field}: {payload.get(field)}")

    def _published(self, document: Any) -> str:
        key_id = document.get("key_id") if isinstance(document, dict) else None
        key = published_keys().filter(key_id=str(key_id)[:32]).first() if key_id else None
        if key is None:
            raise CommandError("no published key with the file's key id here: pass --public-key")
        return key.public_key
