# ruff: noqa: N999 - the command is `canal verify-invoice-chain`, as issue 16 names it
"""`canal verify-invoice-chain`: recomputes every billing record's fingerprint and link, issuer by issuer.

Prints each chain's length, the first broken record of a broken chain (which invoice, which field or
link) and whether sending to the tax agency is configured; exits non-zero when a chain is broken.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from canal.billing import agency, records


class Command(BaseCommand):
    help = "Verify the chained fingerprints of the billing records (VeriFactu) of every issuer."

    def handle(self, *args: Any, **options: Any) -> None:
        report = records.verify_chains()
        broken = {problem.issuer_nif for problem in report.breaks}
        for nif, count in report.checked.items():
            if nif not in broken:
                self.stdout.write(f"{nif or '-'}: {count} records, chain intact.")
        if not report.checked:
            self.stdout.write("No billing records yet.")
        if not agency.backend().configured:
            self.stdout.write(agency.not_configured_message())
        if not report.intact:
            for problem in report.breaks:
                self.stderr.write(problem.describe())
            raise CommandError(f"{len(report.breaks)} chain(s) broken; see above.")
