"""The database refuses changes to issued invoices and their lines, whatever code runs above it.

Only the settlement columns (status, paid, credited, settled at) of an issued invoice may change, and
its status never goes back to draft. On PostgreSQL deleting an issued invoice or its lines is refused
too; SQLite keeps DELETE open because test teardown empties tables with DELETE (PostgreSQL's TRUNCATE
fires no row triggers), and Canal never deletes invoices.
"""

from django.db import migrations

MESSAGE = "issued invoices are immutable: correct them with a credit note"
FROZEN = [
    "kind", "organisation_id", "customer_id", "series", "year", "number", "code", "currency", "language",
    "issue_date", "due_date", "net", "tax", "total", "tax_name", "reverse_charge", "buyer_name",
    "buyer_legal_id", "buyer_country", "seller_name", "seller_legal_id", "seller_country", "reference",
    "credited_invoice_id", "origin_key", "issued_at",
]

SQLITE = [
    f"""CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE ON billing_invoice FOR EACH ROW
    WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER billing_invoiceline_frozen_update BEFORE UPDATE ON billing_invoiceline FOR EACH ROW
    WHEN (SELECT status FROM billing_invoice WHERE id = OLD.invoice_id) <> 'draft'
      OR (SELECT status FROM billing_invoice WHERE id = NEW.invoice_id) <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER billing_invoiceline_frozen_insert BEFORE INSERT ON billing_invoiceline FOR EACH ROW
    WHEN (SELECT status FROM billing_invoice WHERE id = NEW.invoice_id) <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoice_frozen",
    "DROP TRIGGER IF EXISTS billing_invoiceline_frozen_update",
    "DROP TRIGGER IF EXISTS billing_invoiceline_frozen_insert",
]

_old = ", ".join(f"OLD.{c}" for c in FROZEN)
_new = ", ".join(f"NEW.{c}" for c in FROZEN)
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION billing_invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION '{MESSAGE} (%)', OLD.code USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status <> 'draft' AND (NEW.status = 'draft' OR ROW({_new}) IS DISTINCT FROM ROW({_old})) THEN
        RAISE EXCEPTION '{MESSAGE} (%)', OLD.code USING ERRCODE = '23000';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_invoice_frozen()""",
    f"""CREATE OR REPLACE FUNCTION billing_invoiceline_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND
         (SELECT status FROM billing_invoice WHERE id = OLD.invoice_id) <> 'draft' THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND
         (SELECT status FROM billing_invoice WHERE id = NEW.invoice_id) <> 'draft' THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER billing_invoiceline_frozen BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_invoiceline_frozen()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoiceline_frozen ON billing_invoiceline",
    "DROP FUNCTION IF EXISTS billing_invoiceline_frozen()",
    "DROP TRIGGER IF EXISTS billing_invoice_frozen ON billing_invoice",
    "DROP FUNCTION IF EXISTS billing_invoice_frozen()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        # A raw cursor without parameters, so PL/pgSQL's "%" placeholders reach the server untouched.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
