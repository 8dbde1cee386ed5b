# ruff: noqa: N999 - the command is `canal fetch-mail`, as issue 13 names it
"""`canal fetch-mail`: reads the support IMAP mailbox once, or every N seconds (docs/support.md)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from canal.core.errors import CanalError
from canal.support.mailboxes import fetch_mail


class Command(BaseCommand):
    help = "Turn unseen mail of the IMAP mailbox (IMAP_HOST, IMAP_USER, IMAP_FOLDER...) into tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="Seconds between reads; 0 reads once.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            try:
                handled, refused = fetch_mail()
            except CanalError as error:
                raise CommandError(str(error.message)) from None
            self.stdout.write(f"{handled} mails handled, {refused} refused")
            if not options["every"]:
                return
            time.sleep(options["every"])
