from django.db import migrations

from canal.core.stored_text import recovered

# Support and partner notifications stored as words before they kept message ids (frozen here on purpose).
TITLES = [
    "New ticket %(number)s: %(title)s",
    "Ticket %(number)s was quoted at %(credits)s credits: accept or reject the quote.",
    "Ticket %(number)s was accepted; %(credits)s credits were debited.",
    "The customer rejected the quote of ticket %(number)s.",
    "Support refused ticket %(number)s; %(credits)s credits were given back.",
    "New reply on ticket %(number)s: %(title)s",
    "Ticket %(number)s was assigned to you.",
    "Support marked ticket %(number)s finished. Close it if the problem is solved, or reopen it.",
    "Ticket %(number)s was closed.",
    "Ticket %(number)s was reopened.",
    "Ticket %(number)s is waiting for your answer: reply on the ticket and support takes it up again.",
    "Welcome to the partner programme",
    "Your partner application was not accepted",
    "A client invites you to manage its products",
    "Your partnership invitation was accepted",
    "Your partnership invitation was refused",
    "A new request for offers",
    "Your proposal was chosen",
    "A client changed your access or who pays",
    "A partnership has ended",
]


def words_to_messages(apps, schema_editor):
    """Rows whose words match one of these messages in Spanish or English get its id back, so they are
    shown in the reader's language; anything else stays as written."""
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.filter(message="").only("pk", "title").iterator():
        found = recovered(row.title, TITLES, ["es", "en"])
        if found is not None:
            Notification.objects.filter(pk=row.pk).update(message=found[0], params=found[1])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_notification_message_params"),
    ]

    operations = [migrations.RunPython(words_to_messages, migrations.RunPython.noop)]
