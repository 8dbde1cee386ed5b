"""The walk (issue 14): every demo user, in Spanish and in English, at 1366 and 390 px, opens every link of
its menu. A page fails the walk when it answers 4xx/5xx (or one of its own requests does), writes an error
to the console, is wider than the window, or shows text from the other language's catalog.
Screenshots of every page at both widths go to artifacts/screenshots/walk/.

Users walk side by side on PostgreSQL (CONCURRENT browser contexts of one Chromium, asyncio in a thread
of its own, as pytest-playwright's sync fixtures keep an event loop in the test thread); each user logs
in once."""

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.db import connection
from playwright.async_api import Browser, Page, async_playwright

from canal.accounts.demo import DEMO_PASSWORD, USERS
from canal.partners.models import PartnerProfile, Tender
from canal.portal.tests.conftest import SCREENSHOTS
from canal.support.models import Ticket, TicketMessage

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
LANGUAGES = ("es", "en")
# A catalog text shorter than this, or without a space, is too likely to be a name or to be the same word
# in both languages ("Total", "Canal") to prove a page is in the wrong language.
DISTINCTIVE_LENGTH = 14
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{[^}]*\}|<[^>]+>")
SHOTS = SCREENSHOTS / "walk"
# Users walking side by side. The live server shares the test's in-memory SQLite connection between its
# threads, so there they walk one at a time; on PostgreSQL each request thread has its own connection.
CONCURRENT = {"postgresql": 4}
# One round trip per page for what the checks read: the language, the words shown (with the title,
# placeholders, tooltips and labels for screen readers), the extra width.
READ_PAGE = """() => ({
  lang: document.documentElement.lang,
  text: [
    document.title,
    document.body.innerText,
    ...[...document.querySelectorAll("[placeholder], [title], [aria-label], img[alt]")].map((element) =>
      ["placeholder", "title", "aria-label", "alt"].map((name) => element.getAttribute(name) || "").join(" ")
    ),
  ].join(" "),
  wider: document.documentElement.scrollWidth - window.innerWidth,
})"""


def _catalog(language: str) -> dict[str, str]:
    """msgid -> text shown in `language` (the msgid itself where the catalog leaves msgstr empty)."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po)
    texts: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, msgid in enumerate(ids):
            shown = strings[min(index, len(strings) - 1)] if strings else ""
            texts[msgid] = shown or msgid
    return texts


def _pieces(text: str) -> Iterator[str]:
    for piece in _PLACEHOLDER.split(text):
        piece = " ".join(piece.split()).strip(" .,:;()·-\u2013\u2014")
        if len(piece) >= DISTINCTIVE_LENGTH and " " in piece:
            yield piece


@cache
def foreign_texts(language: str) -> tuple[str, ...]:
    """Pieces of the other language's catalog that no text of `language` contains: seeing one on a page
    in `language` means that page shows words in the wrong language."""
    other = "en" if language == "es" else "es"
    mine, theirs = _catalog(language), _catalog(other)
    all_mine = "\n".join(" ".join(text.split()) for text in mine.values())
    return tuple(
        sorted(
            {
                piece
                for msgid, text in theirs.items()
                if text != mine.get(msgid, "")
                for piece in _pieces(text)
                if piece not in all_mine
            }
        )
    )


def written_by_people() -> str:
    """What the demo's people wrote (tickets, messages, tenders, profiles) stays in their own language."""
    texts = [
        *Ticket.objects.values_list("title", "description"),
        *TicketMessage.objects.values_list("body"),
        *Tender.objects.values_list("title", "description"),
        *PartnerProfile.objects.values_list("description"),
    ]
    return "\n".join(" ".join(" ".join(row).split()) for row in texts)


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    pages: int = 0
    foreign: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per language, as checked


async def _menu(page: Page) -> list[str]:
    links = await page.eval_on_selector_all(
        ".sidenav a[href], .topbar a.user-link[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(link for link in links if link.startswith("/")))


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "dashboard"


async def _walk_user(browser: Browser, base_url: str, email: str, findings: Findings) -> None:
    context = await browser.new_context(viewport=WIDTHS["1366"], locale="es-ES")
    page = await context.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and problems.append(f"console: {message.text}")
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.url.startswith(base_url)
            and response.status >= 400
            and problems.append(f"{response.status} from {response.url[len(base_url) :]}")
        ),
    )
    await page.goto(f"{base_url}/accounts/login/")
    await page.fill("#id_username", email)
    await page.fill("#id_password", DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.click("main form button[type=submit]")
    user = email.split("@")[0]
    for language in LANGUAGES:
        async with page.expect_navigation():  # the ES/EN switch: it also saves the profile language
            await page.click(f".language-switch button[value={language}]")
        foreign = findings.foreign[language]
        for path in await _menu(page):
            where = f"{email} [{language}] {path}"
            problems.clear()
            await page.set_viewport_size(WIDTHS["1366"])
            response = await page.goto(f"{base_url}{path}")
            findings.pages += 1
            if response is None or response.status >= 400:
                findings.failures.append(f"{where}: answered {response.status if response else 'nothing'}")
                continue
            for width, viewport in WIDTHS.items():
                if width != "1366":
                    await page.set_viewport_size(viewport)
                shown = await page.evaluate(READ_PAGE)
                if width == "1366":
                    if shown["lang"] != language:
                        findings.failures.append(f"{where}: page in {shown['lang']!r}")
                    text = " ".join(shown["text"].split())
                    wrong = [piece for piece in foreign if piece in text]
                    if wrong:
                        findings.failures.append(f"{where}: text in the other language: {wrong[:5]}")
                if shown["wider"] > 0:
                    findings.overflow.append(
                        f"{where} at {width} px: {shown['wider']} px wider than the window"
                    )
                shot = SHOTS / f"{user}-{language}-{_slug(path)}-{width}.jpg"
                await page.screenshot(path=shot, type="jpeg", quality=60)
            findings.failures += [f"{where}: {problem}" for problem in dict.fromkeys(problems)]
    await context.close()


async def _walk_everyone(launch_args: dict[str, Any], base_url: str, findings: Findings) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_args)
        turns = asyncio.Semaphore(CONCURRENT.get(connection.vendor, 1))

        async def walk(email: str) -> None:
            async with turns:
                await _walk_user(browser, base_url, email, findings)

        await asyncio.gather(*(walk(email) for email, *_rest in USERS))
        await browser.close()


def test_every_demo_user_walks_every_menu_link_in_both_languages_at_desktop_and_phone_widths(
    browser_type_launch_args: dict[str, Any], live_server: Any
) -> None:
    call_command("demo", verbosity=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    people = written_by_people()
    findings = Findings(
        foreign={
            language: tuple(piece for piece in foreign_texts(language) if piece not in people)
            for language in LANGUAGES
        }
    )
    crashed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_walk_everyone(browser_type_launch_args, live_server.url, findings))
        except BaseException as error:  # handed to the test thread, which raises it
            crashed.append(error)

    started = time.monotonic()
    walker = threading.Thread(target=run)
    walker.start()
    walker.join()
    print(f"walked {findings.pages} pages in {time.monotonic() - started:.0f} s")
    if crashed:
        raise crashed[0]
    print("\n".join(["wider than the window:", *findings.overflow]))

    assert findings.pages > len(USERS) * 2 * 5
    assert not findings.failures, "\n".join(findings.failures)
    assert not findings.overflow, "\n".join(findings.overflow)
