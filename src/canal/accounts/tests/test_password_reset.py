import re

from django.core import mail

from canal.accounts.tests.factories import member


def test_r2_1_forgotten_password_is_reset_by_email(client, db, django_capture_on_commit_callbacks):
    user = member()
    user.language = "en"
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": user.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Set a new Canal password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "Brand-new-42!", "new_password2": "Brand-new-42!"}
    )
    client.logout()
    login = client.post("/accounts/login/", {"username": user.email, "password": "Brand-new-42!"})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_r2_1_customer_logs_in_with_email_and_password(client, db):
    user = member()

    response = client.post(
        "/accounts/login/", {"username": user.email, "password": "correct horse battery staple"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == user


def test_reset_email_speaks_the_users_language(client, db, django_capture_on_commit_callbacks):
    user = member()
    user.language = "es"
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": user.email})

    assert mail.outbox[0].subject == "Elige una nueva contraseña de Canal"


def test_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.test"})

    assert response.status_code == 302
    assert mail.outbox == []
