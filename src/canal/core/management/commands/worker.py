"""`canal worker`: runs queued tasks and, beside them, the scheduler of periodic jobs."""

import os
import socket
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from canal.core.scheduler import run_due_jobs


class Command(BaseCommand):
    help = "Run background tasks and periodic jobs (safe to start several workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between queue polls.")
        parser.add_argument(
            "--schedule-every", type=float, default=30.0, help="Seconds between schedule checks."
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Only run tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}:{os.getpid()}"
        if not options["no_scheduler"]:
            stop = threading.Event()
            thread = threading.Thread(
                target=self._schedule_loop, args=(worker_id, options["schedule_every"], stop), daemon=True
            )
            thread.start()
        call_command("db_worker", interval=options["interval"], worker_id=worker_id[:64], queue_name="*")

    def _schedule_loop(self, worker_id: str, every: float, stop: threading.Event) -> None:
        while not stop.is_set():
            close_old_connections()
            try:
                for name in run_due_jobs(now=timezone.now(), worker_id=worker_id):
                    self.stdout.write(f"scheduled {name}")
            except Exception as error:  # keep the scheduler alive; the next tick retries
                self.stderr.write(f"scheduler: {error}")
            stop.wait(every)
