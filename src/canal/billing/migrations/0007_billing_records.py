"""Billing records (VeriFactu): the chain head per issuer, the records and their event log.

The database refuses changing a record's hashed fields, and on PostgreSQL deleting a record, whatever
code runs above it; only the sending state (state, sent at, agency reference, last error) may change.
SQLite keeps DELETE open, as migration 0002 does, because test teardown empties tables with DELETE.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MESSAGE = "billing records are append-only: correct an invoice with a credit note, which gets its own record"
FROZEN = [
    "issuer_nif", "sequence", "invoice_id", "issuer_name", "invoice_number", "issue_date", "invoice_type",
    "corrected_number", "corrected_issue_date", "description", "buyer_name", "buyer_tax_id", "buyer_country",
    "breakdown", "currency", "total_tax", "total_amount", "previous_sequence", "previous_number",
    "previous_issue_date", "previous_fingerprint", "generated_at", "system", "fingerprint", "created_at",
]  # fmt: skip

SQLITE = [
    f"""CREATE TRIGGER billing_record_frozen BEFORE UPDATE ON billing_billingrecord FOR EACH ROW
    WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS billing_record_frozen"]

_old = ", ".join(f"OLD.{c}" for c in FROZEN)
_new = ", ".join(f"NEW.{c}" for c in FROZEN)
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION billing_record_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR ROW({_new}) IS DISTINCT FROM ROW({_old}) THEN
        RAISE EXCEPTION '{MESSAGE} (%)', OLD.invoice_number USING ERRCODE = '23000';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER billing_record_frozen BEFORE UPDATE OR DELETE ON billing_billingrecord
    FOR EACH ROW EXECUTE FUNCTION billing_record_frozen()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_record_frozen ON billing_billingrecord",
    "DROP FUNCTION IF EXISTS billing_record_frozen()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        # A raw cursor without parameters, so PL/pgSQL's "%" placeholders reach the server untouched.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0006_billing_run_parts_and_due_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordChain",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("issuer_nif", models.CharField(max_length=20, unique=True, verbose_name="issuer tax id")),
                ("last_sequence", models.PositiveIntegerField(default=0, verbose_name="last record")),
                (
                    "last_fingerprint",
                    models.CharField(blank=True, max_length=64, verbose_name="last fingerprint"),
                ),
            ],
            options={
                "verbose_name": "billing record chain",
                "verbose_name_plural": "billing record chains",
            },
        ),
        migrations.CreateModel(
            name="BillingRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("issuer_nif", models.CharField(max_length=20, verbose_name="issuer tax id")),
                ("sequence", models.PositiveIntegerField(verbose_name="position in the chain")),
                ("issuer_name", models.CharField(max_length=200, verbose_name="issuer")),
                ("invoice_number", models.CharField(max_length=60, verbose_name="invoice number")),
                ("issue_date", models.DateField(verbose_name="issue date")),
                (
                    "invoice_type",
                    models.CharField(
                        choices=[("F1", "Invoice (F1)"), ("R1", "Corrective invoice (R1)")],
                        max_length=2,
                        verbose_name="invoice type",
                    ),
                ),
                (
                    "corrected_number",
                    models.CharField(blank=True, max_length=60, verbose_name="corrects invoice"),
                ),
                (
                    "corrected_issue_date",
                    models.DateField(blank=True, null=True, verbose_name="date of the corrected invoice"),
                ),
                (
                    "description",
                    models.CharField(max_length=500, verbose_name="description of the operation"),
                ),
                ("buyer_name", models.CharField(blank=True, max_length=200, verbose_name="buyer")),
                ("buyer_tax_id", models.CharField(blank=True, max_length=40, verbose_name="buyer tax id")),
                ("buyer_country", models.CharField(blank=True, max_length=2, verbose_name="buyer country")),
                ("breakdown", models.JSONField(default=list, verbose_name="tax breakdown")),
                ("currency", models.CharField(max_length=3, verbose_name="currency")),
                ("total_tax", models.DecimalField(decimal_places=4, max_digits=19, verbose_name="total tax")),
                (
                    "total_amount",
                    models.DecimalField(decimal_places=4, max_digits=19, verbose_name="total amount"),
                ),
                (
                    "previous_sequence",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="previous record"),
                ),
                (
                    "previous_number",
                    models.CharField(blank=True, max_length=60, verbose_name="previous invoice number"),
                ),
                (
                    "previous_issue_date",
                    models.DateField(blank=True, null=True, verbose_name="previous invoice date"),
                ),
                (
                    "previous_fingerprint",
                    models.CharField(blank=True, max_length=64, verbose_name="previous fingerprint"),
                ),
                ("generated_at", models.CharField(max_length=25, verbose_name="generated at")),
                ("system", models.JSONField(default=dict, verbose_name="billing system")),
                ("fingerprint", models.CharField(max_length=64, unique=True, verbose_name="fingerprint")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Not sent yet"),
                            ("sent", "Sent to the agency"),
                            ("failed", "Sending failed"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "agency_reference",
                    models.CharField(blank=True, max_length=120, verbose_name="agency reference"),
                ),
                ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "invoice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="billing_record",
                        to="billing.invoice",
                        verbose_name="invoice",
                    ),
                ),
            ],
            options={
                "verbose_name": "billing record",
                "verbose_name_plural": "billing records",
                "ordering": ["issuer_nif", "-sequence"],
            },
        ),
        migrations.CreateModel(
            name="RecordEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Record created"),
                            ("correction", "Corrective record created"),
                            ("sent", "Sent to the tax agency"),
                            ("send_failed", "Sending failed"),
                            ("chain_verified", "Chain verified"),
                            ("chain_broken", "Chain broken"),
                            ("exported", "Records exported"),
                        ],
                        max_length=20,
                        verbose_name="event",
                    ),
                ),
                ("issuer_nif", models.CharField(blank=True, max_length=20, verbose_name="issuer tax id")),
                ("message", models.CharField(max_length=300, verbose_name="message")),
                (
                    "message_params",
                    models.JSONField(blank=True, default=dict, verbose_name="message parameters"),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="at")),
                (
                    "record",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="billing.billingrecord",
                        verbose_name="billing record",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
            ],
            options={
                "verbose_name": "billing record event",
                "verbose_name_plural": "billing record events",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.AddIndex(
            model_name="billingrecord",
            index=models.Index(
                fields=["state", "issuer_nif", "sequence"], name="billing_bil_state_f3516b_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="billingrecord",
            constraint=models.UniqueConstraint(
                fields=("issuer_nif", "sequence"), name="billing_record_one_per_link"
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
