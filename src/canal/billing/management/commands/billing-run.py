# ruff: noqa: N999 - the command is `canal billing-run`, as DESIGN.md names it
"""`canal billing-run [--date D] [--parts N]`: renews and invoices everything due on D (today by default).

Without --parts the run is billed in this process. With --parts N it is split into N tasks on the queue
that `canal worker` processes (on any machine) bill side by side; the command follows the run's progress
until it ends (or returns at once with --no-wait). Safe to repeat and to run on several machines at once:
each invoice is issued exactly once.
"""

import signal
import sys
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from canal.billing.cycles import due_payer_count, mark_interrupted_runs, run_billing
from canal.billing.models import BillingRun, BillingRunStatus
from canal.billing.runs import start_billing_run
from canal.core.errors import CanalError

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Bill every recurring charge due on the given date: renew, invoice, pay from wallets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="The billing date, YYYY-MM-DD (default: today).")
        parser.add_argument("--batch-size", type=int, default=100, help="Payers claimed per transaction.")
        parser.add_argument(
            "--parts", type=int, default=0, help="Split the run into N tasks for `canal worker` processes."
        )
        parser.add_argument("--no-wait", action="store_true", help="With --parts: queue the run and return.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run_date = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
        # SIGTERM (a deploy, a stopped container) ends the run like Ctrl+C: it is marked interrupted.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        if options["parts"]:
            run = self._through_the_queue(run_date, options)
        else:
            with self._bar(due_payer_count(run_date), run_date, options) as bar:
                run = run_billing(
                    run_date=run_date, batch_size=options["batch_size"], on_progress=bar.update
                ).run
        self.stdout.write(
            f"{run.invoices_issued} invoices issued, {run.charges_billed} charges billed, "
            f"{run.failures} failures."
        )
        if run.failures:
            raise CommandError(f"{run.failures} payers failed; see the log. Run again after fixing them.")
        if run.status == BillingRunStatus.INTERRUPTED:
            raise CommandError(f"Run {run.pk} was interrupted; run again to resume it.")

    def _through_the_queue(self, run_date: date, options: dict[str, Any]) -> BillingRun:
        try:
            run = start_billing_run(actor=None, run_date=run_date, parts=options["parts"])
        except CanalError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Run {run.pk}: {run.payers_due} payers due, {run.parts} parts queued.")
        if options["no_wait"]:
            return run
        with self._bar(run.payers_due, run_date, options) as bar:
            while True:
                mark_interrupted_runs()  # every part killed: the run ends as interrupted, not waited on
                run.refresh_from_db()
                bar.update(run.payers_done - bar.n)
                if run.status != BillingRunStatus.RUNNING:
                    return run
                time.sleep(POLL_SECONDS)

    def _bar(self, total: int, run_date: date, options: dict[str, Any]) -> tqdm:
        return tqdm(
            total=total,
            unit="payer",
            desc=f"billing {run_date}",
            disable=options["no_progress"],
            file=self.stderr,
        )
