"""Issue 9, item 7: schemathesis over the whole OpenAPI document as each demo role, on PostgreSQL.

Every operation gets schema-conforming and hostile input (bounded examples, fixed seed); the run fails
on any 5xx, any answer the document does not declare, and any body that does not match its schema.
Endpoints that other apps add later are covered as soon as their router is in the document.
"""

import contextlib
import logging
import os
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from canal.accounts.actor import actor_for
from canal.accounts.models import User
from canal.accounts.services import create_api_token

ROLES = {
    "operator": "operator@canal.test",
    "vendor": "vendor@canal.test",
    "partner": "partner@canal.test",
    "customer": "customer@canal.test",
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and generation mode: enough to find the classic failures, small enough for `make test`.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
SEED = 20260901


@pytest.fixture
def wsgi_app_in_test_transaction() -> Any:
    # Django closes "old" connections around each request; inside the test's transaction that would
    # close it. The test client disconnects these too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _describe(failure: BaseException) -> str:
    parts = getattr(failure, "exceptions", None) or [failure]
    return "\n  ".join(f"{type(part).__name__}: {str(part).strip()[:600]}" for part in parts)


def _failures_of(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # all collected and reported together
            reproduce = case.as_curl_command(headers={"Accept-Language": "en"})
            failures.append(f"{operation.label} [{mode}]: {_describe(failure)}\n  {reproduce}")

    # Unsatisfiable: nothing to negate, the operation takes no input.
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()
    return failures


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
def test_fuzzing_every_operation_finds_no_server_error_and_no_schema_violation(
    role: str,
    db: None,
    postgres_only: None,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    wsgi_app_in_test_transaction: Any,
) -> None:
    # Thousands of expected 4xx answers would each log a warning; 5xx are still logged.
    caplog.set_level(logging.ERROR, logger="django.request")
    settings.API_RATE_AUTHENTICATED = "100000/m"
    settings.API_RATE_ANONYMOUS = "100000/m"
    call_command("demo", verbosity=0)
    user = User.objects.get(email=ROLES[role])
    _token, plaintext = create_api_token(actor=actor_for(user), name="fuzz", for_self=True)
    headers = {"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app_in_test_transaction)

    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _failures_of(operation, mode, headers)

    assert not failures, f"{len(failures)} failures as {role}:\n\n" + "\n\n".join(failures)
