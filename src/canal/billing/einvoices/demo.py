"""Demo postal addresses and preferred formats, so every demo invoice has each format it can have."""

from canal.accounts.models import Organisation
from canal.billing.models import BillingAccount, EInvoiceFormat

# name: (street, postcode, city, province, preferred format)
ADDRESSES = {
    "Canal Distribución S.L.": ("Calle de Alcalá 120", "28009", "Madrid", "Madrid", EInvoiceFormat.PDF),
    "Construcciones Ibéricas S.A.": (
        "Paseo de la Castellana 200",
        "28046",
        "Madrid",
        "Madrid",
        EInvoiceFormat.FACTURAE,
    ),
    "Agencia Norte Marketing S.L.": ("Gran Vía 45", "48011", "Bilbao", "Bizkaia", EInvoiceFormat.UBL),
    "Hotel Mirador del Sur S.L.": ("Paseo Marítimo 8", "29016", "Málaga", "Málaga", EInvoiceFormat.FACTURX),
    "Nube Reseller S.L.": ("Calle Colón 12", "46004", "Valencia", "Valencia", EInvoiceFormat.UBL),
    "Webagentur Limmat GmbH": ("Limmatquai 50", "8001", "Zürich", "ZH", EInvoiceFormat.FACTURX),
    "Bäckerei Seeblick AG": ("Seestrasse 10", "8002", "Zürich", "ZH", EInvoiceFormat.PDF),
}


def load() -> None:
    for organisation in Organisation.objects.filter(name__in=ADDRESSES):
        street, postcode, city, province, fmt = ADDRESSES[organisation.name]
        BillingAccount.objects.update_or_create(
            organisation=organisation,
            defaults={
                "address": street,
                "postcode": postcode,
                "city": city,
                "province": province,
                "einvoice_format": fmt,
            },
        )
