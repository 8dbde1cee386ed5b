from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_journal_memo_params")]

    operations = [
        migrations.AddField(
            model_name="billingrun",
            name="parts",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="parts"),
        ),
        migrations.AddField(
            model_name="billingrun",
            name="parts_done",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="parts done"),
        ),
        migrations.AddField(
            model_name="billingrun",
            name="payers_done",
            field=models.PositiveIntegerField(default=0, verbose_name="payers done"),
        ),
        migrations.AddField(
            model_name="billingrun",
            name="payers_due",
            field=models.PositiveIntegerField(default=0, verbose_name="payers due"),
        ),
        migrations.AddIndex(
            model_name="recurringcharge",
            index=models.Index(
                condition=models.Q(("active", True)),
                fields=["payer", "next_billing_date"],
                name="recurring_charge_due",
            ),
        ),
    ]
