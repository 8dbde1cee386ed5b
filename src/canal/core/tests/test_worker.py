"""The real database queue: a task enqueued by the web process is run by `canal worker`'s task loop."""

import pytest
from django.core import mail
from django.core.management import call_command

from canal.notifications.tasks import deliver_email


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_delivered_by_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = deliver_email.enqueue(to=["ana@example.test"], subject="Pedido recibido", text="Gracias")
    assert mail.outbox == []

    call_command("db_worker", batch=True, startup_delay=False, interval=0.01, queue_name="*")

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [message.subject for message in mail.outbox] == ["Pedido recibido"]
