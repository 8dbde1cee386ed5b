from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_billing_records")]

    operations = [
        migrations.AddField(
            model_name="billingaccount",
            name="einvoice_format",
            field=models.CharField(
                choices=[
                    ("pdf", "PDF only"),
                    ("ubl", "UBL 2.1 (Peppol BIS Billing 3.0)"),
                    ("facturx", "Factur-X (PDF with CII XML)"),
                    ("facturae", "Facturae 3.2.2 (Spain)"),
                ],
                default="pdf",
                help_text="The format of your documents in the period export; every format stays downloadable on each invoice.",
                max_length=10,
                verbose_name="preferred e-invoice format",
            ),
        ),
        migrations.AddField(
            model_name="billingaccount",
            name="address",
            field=models.CharField(blank=True, max_length=80, verbose_name="street address"),
        ),
        migrations.AddField(
            model_name="billingaccount",
            name="postcode",
            field=models.CharField(blank=True, max_length=10, verbose_name="postcode"),
        ),
        migrations.AddField(
            model_name="billingaccount",
            name="city",
            field=models.CharField(blank=True, max_length=50, verbose_name="city"),
        ),
        migrations.AddField(
            model_name="billingaccount",
            name="province",
            field=models.CharField(blank=True, max_length=20, verbose_name="province or region"),
        ),
    ]
