"""Issue 9, item 6: every action the portal offers has an API endpoint (or a stated reason it has none).

The portal's actions are the URLs whose views accept a POST; docs/api.md, "Portal actions and their
endpoints", maps each to its operations in the OpenAPI document. A new portal action without a row, or
a row naming an operation the API does not have, fails here.
"""

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

API_DOC = Path(__file__).resolve().parents[4] / "docs" / "api.md"
SECTION = "## Portal actions and their endpoints"
OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`")
POSTS = re.compile(r"request\.POST|request\.method\s*==\s*\"POST\"|require_POST|require_http_methods")


def _patterns(patterns: list, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern.callback


def _accepts_post(callback: Any) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    try:
        return bool(POSTS.search(inspect.getsource(inspect.unwrap(callback))))
    except (OSError, TypeError):
        return False


def portal_actions() -> set[str]:
    return {
        name
        for name, route, callback in _patterns(get_resolver().url_patterns)
        if not route.startswith(("api/", "admin/")) and _accepts_post(callback)
    }


def documented_mapping() -> dict[str, str]:
    """`| portal url name | operations or "portal only: why" |` rows of the section in docs/api.md."""
    text = API_DOC.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`") and not cells[0].startswith("`--"):
            rows[cells[0].strip("`")] = cells[1]
    return rows


def test_every_portal_action_has_an_api_endpoint_or_a_documented_reason(client, db):
    mapping = documented_mapping()
    operations = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in client.get("/api/v1/openapi.json").json()["paths"].items()
        for method in item
    }

    unmapped = sorted(portal_actions() - mapping.keys())
    assert not unmapped, f"portal actions without an API row in docs/api.md: {unmapped}"
    for name, target in mapping.items():
        named = OPERATION.findall(target)
        assert named or target.startswith("portal only:"), f"{name}: neither operations nor a reason"
        missing = [f"{method} {path}" for method, path in named if (method, path) not in operations]
        assert not missing, f"{name} maps to operations the API lacks: {missing}"


def test_the_parity_check_sees_the_portals_actions():
    actions = portal_actions()

    assert {"subscriptions:buy_seats", "billing:pay_invoice", "orders:checkout"} <= actions
    assert "subscriptions:license_summary" not in actions  # a page that only shows
