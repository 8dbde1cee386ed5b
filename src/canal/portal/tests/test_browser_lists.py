"""Lists and the menu in a real browser: at 390 px the menu opens from a button and tables are cards,
with nothing wider than the window; at 1366 px the seat users table shows its last column. Screenshots
go to artifacts/screenshots/."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from canal.catalog.models import LicenseType
from canal.portal.tests.conftest import SCREENSHOTS
from canal.portal.tests.list_rows import PASSWORD, add_rows, world
from canal.subscriptions.models import SeatPool, Subscription

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LIST_PAGES = ("orders:list", "billing:invoices", "lifecycle:list", "catalog:products", "portal:team")


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _logged_in(new_context: Callable, live_server, email: str, viewport: dict) -> Page:
    page = new_context(locale="en-GB", viewport=viewport).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page


def test_on_a_phone_the_menu_opens_from_a_button_and_lists_are_cards_that_fit(new_context, live_server):
    lists = world()
    add_rows(lists, 30, "phone")
    page = _logged_in(new_context, live_server, lists.customer.email, PHONE)

    menu = page.locator("#main-menu")
    expect(menu).to_be_hidden()
    _shoot(page, "lists-menu-closed-390")
    page.click("[data-menu-toggle]")
    expect(menu).to_be_visible()
    expect(page.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "true")
    _shoot(page, "lists-menu-open-390")
    assert _overflow(page) <= 0

    for url_name in LIST_PAGES:
        page.goto(f"{live_server.url}{reverse(url_name)}")
        assert _overflow(page) <= 0, url_name
        _shoot(page, f"lists-{url_name.replace(':', '-')}-390")
    page.goto(f"{live_server.url}{reverse('orders:list')}")
    expect(page.locator(".list-table thead")).not_to_be_in_viewport()
    first = page.locator(".list-table tbody tr").first
    # A card: its cells stack, each labelled by its column.
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    label = first.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Created" in label


def test_on_a_wide_screen_sorting_by_a_header_and_the_next_page_keep_the_filters(new_context, live_server):
    lists = world()
    add_rows(lists, 40, "wide")
    page = _logged_in(new_context, live_server, lists.customer.email, WIDE)
    page.goto(f"{live_server.url}{reverse('lifecycle:list')}")
    expect(page.locator("#main-menu")).to_be_visible()
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()

    page.locator(".list-table th a", has_text="Quantity").click()
    expect(page.locator(".list-table th[aria-sort=ascending]")).to_have_text("Quantity")
    page.fill(".list-filters input[type=search]", "Subscription wide")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"^(?=.*q=Subscription)(?=.*sort=quantity)"))
    page.click("a[rel=next]")
    expect(page.locator("a[rel=prev]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^(?=.*after=)(?=.*sort=quantity)"))
    assert _overflow(page) <= 0
    _shoot(page, "lists-subscriptions-1366")


def test_the_seat_users_table_shows_its_last_column_at_1366(new_context, live_server):
    lists = world()
    add_rows(lists, 3, "seat")
    subscription = Subscription.objects.filter(seat_pools__isnull=False).first()
    # As many license types as the demo CRM offers, with names as long as its.
    for code, name in (
        ("sales", "Sales Professional"),
        ("service", "Customer Service Enterprise"),
        ("marketing", "Marketing Automation"),
        ("analytics", "Analytics and Reporting"),
    ):
        kind = LicenseType.objects.create(product=subscription.product, code=code, name=name)
        SeatPool.objects.create(subscription=subscription, license_type=kind, total=3)
    page = _logged_in(new_context, live_server, lists.customer.email, WIDE)
    page.goto(f"{live_server.url}{reverse('subscriptions:seat_users', args=[subscription.pk])}")

    table = page.locator("table.seat-users")
    expect(table).to_be_visible()
    cut = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
    assert cut <= 0
    assert _overflow(page) <= 0
    _shoot(page, "lists-seat-users-1366")
