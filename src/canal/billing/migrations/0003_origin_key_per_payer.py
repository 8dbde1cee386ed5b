"""An invoice's origin key is unique per payer, not across all payers.

SQLite alters the field by rebuilding the table, which its immutability triggers (0002) would break:
they are dropped first and created again afterwards.
"""

import importlib

from django.db import migrations, models

frozen = importlib.import_module("canal.billing.migrations.0002_issued_invoices_are_immutable")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("billing", "0002_issued_invoices_are_immutable"),
    ]

    operations = [
        migrations.RunPython(_sqlite(frozen.SQLITE_REVERSE), _sqlite(frozen.SQLITE)),
        migrations.AlterField(
            model_name="invoice",
            name="origin_key",
            field=models.CharField(blank=True, max_length=120, null=True, verbose_name="origin key"),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("origin_key__isnull", False)),
                fields=("organisation", "origin_key"),
                name="invoice_origin_key_unique_per_payer",
            ),
        ),
        migrations.RunPython(_sqlite(frozen.SQLITE), _sqlite(frozen.SQLITE_REVERSE)),
    ]
