"""Writes on other organisations' ids answer 404, never 403: a stranger learns nothing about what exists.

A member of a brand-new organisation (it sees nothing but itself) sends every writing operation of the
API, with a valid body, to the ids of the demo's objects, all of which belong to somebody else.
"""

import logging
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from schemathesis.generation import GenerationMode

from canal.accounts.models import ApiToken, OrganisationKind, Role
from canal.accounts.services import create_api_token
from canal.api.tests.test_fuzz import wsgi_app_in_test_transaction  # noqa: F401 - a fixture

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DEMO_IDS = (1, 2, 3)


def _answers(operation: Any, headers: dict[str, str]) -> list[tuple[str, int]]:
    answers: list[tuple[str, int]] = []

    @hypothesis.seed(20261201)
    @hypothesis.settings(
        max_examples=2,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def send(case: Any) -> None:
        for object_id in DEMO_IDS:
            case.path_parameters = dict.fromkeys(case.path_parameters or {}, object_id)
            response = case.call(headers=headers)
            answers.append((f"{operation.label} with id {object_id}", response.status_code))

    send()
    return answers


@pytest.mark.parametrize(
    "kind", [OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.VENDOR]
)
def test_a_stranger_writing_on_others_ids_gets_404_not_403(
    kind: str,
    make_actor: Any,
    settings: Any,
    wsgi_app_in_test_transaction: Any,  # noqa: F811
) -> None:
    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.API_RATE_AUTHENTICATED = "100000/m"
    call_command("demo", verbosity=0)
    owner = make_actor(OrganisationKind.VENDOR, Role.ADMIN)
    while ApiToken.objects.count() < max(DEMO_IDS):  # the ids tried are somebody else's tokens too
        create_api_token(actor=owner, name="someone else's", for_self=True)
    stranger = make_actor(kind, Role.MEMBER)
    _token, plaintext = create_api_token(actor=stranger, name="stranger", for_self=True)
    headers = {"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app_in_test_transaction)

    forbidden = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() in WRITES and "{" in operation.path:
            forbidden += [label for label, status in _answers(operation, headers) if status == 403]

    assert not forbidden, "403 where 404 belongs:\n" + "\n".join(forbidden)
