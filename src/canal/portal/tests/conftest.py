"""Browser fixtures: Playwright (sync API) drives Debian's Chromium against pytest-django's live server."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM calls
# while a loop runs. The test thread never awaits anything, so the guard protects nothing here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Playwright cannot download its own browsers here: it drives the distribution's Chromium.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

REPO_ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright defines its base_url fixture as a method, which pytest 9 warns about on every run.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at the system Chromium (skipped without it)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium is not installed at {CHROMIUM} (set CHROMIUM to its path)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def open_portal(new_context: Callable[..., BrowserContext], live_server: Any) -> Callable[..., Page]:
    """Opens a portal page (by URL name) in a fresh browser whose language is `locale`."""

    def open_page(url_name: str, *, locale: str = "es-ES") -> Page:
        context = new_context(locale=locale, viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse(url_name)}")
        return page

    return open_page


@pytest.fixture
def log_in() -> Callable[[Page, str, str], None]:
    """Fills the login form in the page and waits for the page it leads to."""

    def submit(page: Page, email: str, password: str) -> None:
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")

    return submit


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    """Saves full-page screenshots of the page at desktop and phone widths to artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return take
