from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def fill(apps, schema_editor):
    """Tickets answered before the column existed: their first public reply from support."""
    Ticket = apps.get_model("support", "Ticket")
    TicketMessage = apps.get_model("support", "TicketMessage")
    first = (
        TicketMessage.objects.filter(ticket=OuterRef("pk"), from_support=True, kind="public")
        .order_by()
        .values("ticket")
        .annotate(at=Min("created_at"))
        .values("at")
    )
    Ticket.objects.update(first_response_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0005_sla_clock"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="first_response_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="first public reply of support at"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
