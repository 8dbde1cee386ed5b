"""The OpenAPI document declares every operation's error answers, not only its successes.

Every error leaves through `canal.api.errors` with the one body `ErrorOut`; which statuses an operation
can give follows from how it is reached, so they are added here once instead of on ~60 decorators:

- 400: the body is not valid JSON or form data (operations with a body);
- 401: no valid token or wrong credentials (every operation, `POST /auth/token` included);
- 403: a role that may not do this (operations behind authentication);
- 404: the object does not exist or is not yours (every operation: unknown codes and ids);
- 409: the object's state forbids the change (operations that write);
- 422: invalid input, a broken rule (every operation);
- 429: too many requests (every operation; with `Retry-After`).

Codes an operation declares itself are left as they are.
"""

from typing import Any

from ninja import NinjaAPI

from canal.api.schemas import ErrorOut

REFERENCE = "#/components/schemas/{model}"
WRITES = {"post", "put", "patch", "delete"}
DESCRIPTIONS = {
    400: "The body could not be parsed.",
    401: "Authentication required or failed.",
    403: "Your role may not do this.",
    404: "Not found, or not yours.",
    409: "The object's state does not allow this now.",
    422: "Invalid input or a broken rule: `field` names the input at fault.",
    429: "Too many requests: wait `Retry-After` seconds.",
}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    statuses = [401, 404, 422, 429]
    if "requestBody" in operation:
        statuses.append(400)
    if operation.get("security"):
        statuses.append(403)
    if method in WRITES:
        statuses.append(409)
    return sorted(statuses)


def declare_error_answers(document: dict[str, Any]) -> None:
    error_schema = ErrorOut.model_json_schema(ref_template=REFERENCE)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    error_answer = {"$ref": REFERENCE.format(model="ErrorOut")}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": error_answer}},
                }


class CanalAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers (see the module's docstring)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_error_answers(document)
        return document
