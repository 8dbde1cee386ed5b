# ruff: noqa: N999 - the command is `canal billing-run`, as DESIGN.md names it
"""`canal billing-run [--date D]`: renews and invoices everything due on D (today by default).

Safe to repeat and to run on several machines at once: each invoice is issued exactly once.
"""

import signal
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from canal.billing.cycles import due_payer_count, run_billing


class Command(BaseCommand):
    help = "Bill every recurring charge due on the given date: renew, invoice, pay from wallets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="The billing date, YYYY-MM-DD (default: today).")
        parser.add_argument("--batch-size", type=int, default=50, help="Payers claimed per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run_date = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
        # SIGTERM (a deploy, a stopped container) ends the run like Ctrl+C: it is marked interrupted.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        total = due_payer_count(run_date)
        with tqdm(
            total=total,
            unit="payer",
            desc=f"billing {run_date}",
            disable=options["no_progress"],
            file=self.stderr,
        ) as bar:
            result = run_billing(run_date=run_date, batch_size=options["batch_size"], on_progress=bar.update)
        run = result.run
        self.stdout.write(
            f"{run.invoices_issued} invoices issued, {run.charges_billed} charges billed, "
            f"{run.failures} failures."
        )
        if run.failures:
            raise CommandError(f"{run.failures} payers failed; see the log. Run again after fixing them.")
