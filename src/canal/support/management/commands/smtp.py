"""`canal smtp`: the SMTP listener of support's e-mail intake (docs/support.md, "Intake")."""

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from canal.support.smtp import listener


class Command(BaseCommand):
    help = "Receive support mail over SMTP (SMTP_INTAKE_HOST, SMTP_INTAKE_PORT; 127.0.0.1:2525 by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.SMTP_INTAKE_HOST)
        parser.add_argument("--port", type=int, default=settings.SMTP_INTAKE_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        # aiosmtpd logs every SMTP command at INFO; what each mail became is logged by receive_mail.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        controller = listener(options["host"], options["port"])
        controller.start()
        self.stdout.write(f"Support mail intake listening on {options['host']}:{options['port']}")
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
