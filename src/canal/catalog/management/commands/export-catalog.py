# ruff: noqa: N999 - the command is `canal export-catalog`, the pair of `canal import-catalog`
"""`canal export-catalog`: writes vendors' catalogs back as catalog files (YAML, docs/catalog.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from canal.accounts.models import Organisation, OrganisationKind
from canal.catalog.services import export_catalog


class Command(BaseCommand):
    help = "Write a vendor's catalog (or every vendor's, one file each) as a catalog file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--vendor", help="the vendor organisation's name; every vendor with products if omitted"
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="a directory for one <vendor>.yaml per vendor; standard output if omitted",
        )

    def handle(self, *args: Any, vendor: str | None, output: Path | None, **options: Any) -> None:
        vendors = Organisation.objects.filter(kind=OrganisationKind.VENDOR, products__isnull=False).distinct()
        if vendor:
            vendors = vendors.filter(name=vendor)
            if not vendors.exists():
                raise CommandError(f"No vendor named {vendor!r} has products.")
        if output is None and vendors.count() > 1:
            raise CommandError(
                "Several vendors have products: pass --vendor, or --output DIR for one file each."
            )
        for organisation in vendors.order_by("name"):
            text = export_catalog(actor=None, vendor=organisation)
            if output is None:
                self.stdout.write(text, ending="")
                continue
            output.mkdir(parents=True, exist_ok=True)
            path = output / f"{slugify(organisation.name)}.yaml"
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{organisation.name}: {path}")
