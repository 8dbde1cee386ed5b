from canal.accounts.models import User
from canal.accounts.tests.factories import UserFactory, member


def test_r4_16_every_user_gets_a_distinct_support_code(db):
    users = UserFactory.create_batch(20)

    codes = {user.support_code for user in users}

    assert len(codes) == 20
    assert all(len(code) == 9 and "0" not in code and "O" not in code for code in codes)


def test_r4_16_support_code_is_shown_on_the_profile(portal_login, db):
    user = member()

    page = portal_login(user).get("/accounts/profile/")

    assert user.support_code in page.content.decode()


def test_r4_16_support_staff_identify_a_caller_by_code(api_as, make_actor, db):
    caller = member()

    found = User.objects.get(support_code=caller.support_code)

    assert found == caller
