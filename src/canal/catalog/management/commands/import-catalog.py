# ruff: noqa: N999 - the command is `canal import-catalog`, as DESIGN.md names it
"""`canal import-catalog FILE...`: validates catalog files and creates or updates their products."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from canal.catalog.catalog_file import CatalogFileError, parse
from canal.catalog.services import import_catalog


class Command(BaseCommand):
    help = "Validate catalog files (YAML, docs/catalog.md) and create or update their products."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="catalog files to import")
        parser.add_argument("--check", action="store_true", help="only validate the files; import nothing")

    def handle(self, *args: Any, files: list[Path], check: bool, **options: Any) -> None:
        errors: list[str] = []
        # All files in one transaction: either the whole set is imported or nothing is.
        with transaction.atomic():
            for path in files:
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError as error:
                    errors.append(f"{path}: cannot be read ({error.strerror})")
                    continue
                try:
                    if check:
                        catalog = parse(text, source=str(path))
                        self.stdout.write(
                            f"{path}: valid, {len(catalog.products)} product(s) for {catalog.vendor}"
                        )
                        continue
                    result = import_catalog(actor=None, text=text, source=str(path))
                except CatalogFileError as error:
                    errors.extend(error.errors)
                    continue
                counts = f"{len(result.created)} created, {len(result.updated)} updated"
                codes = ", ".join(result.created + result.updated)
                self.stdout.write(f"{path}: {result.vendor.name}: {counts} ({codes})")
            if errors:
                transaction.set_rollback(True)
        if errors:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} problem(s) found; nothing was imported.")
        if not check:
            self.stdout.write(self.style.SUCCESS("Catalog imported."))
