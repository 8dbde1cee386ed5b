"""Printed by `make run` once the platform answers: where it is and who can log in.

It waits for the web server and for the worker to finish the demo's queued work (its e-mails), so the
banner is the last thing on the screen and does not scroll away."""

import argparse
import os
import time
import urllib.request

import django

WAIT_SECONDS = 60


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}healthz", timeout=2) as response:  # noqa: S310 - our own server
            return response.status == 200
    except OSError:
        return False


def _queue_empty() -> bool:
    from django_tasks_db.models import DBTaskResult

    return not (DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists())


def wait_until_ready(url: str, seconds: float = WAIT_SECONDS) -> None:
    """Returns when the server answers and the task queue is empty, or after `seconds` anyway."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (_answers(url) and _queue_empty()):
        time.sleep(0.5)


def text(url: str) -> str:
    """The banner: the address, the API docs and every demo login with its organisation's name."""
    from canal.accounts.demo import DEMO_PASSWORD, ORGANISATIONS, USERS

    names = {key: name for key, _kind, name, *_rest in ORGANISATIONS}
    lines = [
        "",
        f"  Canal is running at {url}  (API docs: {url}api/v1/docs)",
        "",
        f"  Demo logins (password for all: {DEMO_PASSWORD})",
    ]
    lines += [
        f"    {email:<30} {name:<18} {names[key]:<30} {', '.join(roles)}"
        for email, name, key, roles, _language in USERS
    ]
    lines += [
        "",
        "  E-mails and background work: var/worker.log · requests: var/access.log",
        "  Stop with Ctrl+C.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000/")
    parser.add_argument("--wait", action="store_true", help="print once the server and the worker are idle")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
    django.setup()
    if arguments.wait:
        wait_until_ready(arguments.url)
    print(text(arguments.url), flush=True)


if __name__ == "__main__":
    main()
