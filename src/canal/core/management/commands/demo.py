"""`canal demo`: loads the demo data once; a second call sees it is there and does nothing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from canal.accounts.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Load the demo organisations, users, catalogs and data (only into an empty database)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(kind=OrganisationKind.OPERATOR).exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        with transaction.atomic():
            for path in settings.DEMO_LOADERS:
                import_string(path)()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
