from canal.accounts.tests.factories import PASSWORD, member


def test_repeated_wrong_passwords_lock_the_login_even_with_the_right_one(client, db, settings):
    user = member()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_api_token_endpoint_is_throttled_like_the_login(client, db, settings):
    user = member()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token", {"email": user.email, "password": "x"}, content_type="application/json"
        )

    response = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
