"""Billing test fixtures: English messages, and the portal's browser fixtures (Chromium, screenshots)."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services raise messages in the active language; these tests read the English ones."""
    with translation.override("en"):
        yield
