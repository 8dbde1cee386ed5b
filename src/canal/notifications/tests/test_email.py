import pytest
from django.core import mail
from django.db import transaction

from canal.notifications.email import send_email_rendered


@pytest.mark.django_db(transaction=True)
def test_email_waits_for_the_commit():
    with transaction.atomic():
        send_email_rendered(to=["ana@example.test"], subject="Hola", text="Texto")
        assert mail.outbox == []

    assert [message.subject for message in mail.outbox] == ["Hola"]


@pytest.mark.django_db(transaction=True)
def test_email_is_never_sent_when_the_transaction_rolls_back():
    def failing_order() -> None:
        with transaction.atomic():
            send_email_rendered(to=["ana@example.test"], subject="Hola", text="Texto")
            raise RuntimeError("the order failed")

    with pytest.raises(RuntimeError):
        failing_order()

    assert mail.outbox == []
