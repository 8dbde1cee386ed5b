"""Seat-license fixtures: the portal's browser fixtures (system Chromium, live server, screenshots)."""

from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)
