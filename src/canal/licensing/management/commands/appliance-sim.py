# ruff: noqa: N999 - the command is `canal appliance-sim`, as issue 11 names it
"""`canal appliance-sim --key KEY`: plays a Redwall appliance against a running Canal, so a newcomer can
watch the license-server API work: activate with a hardware code, verify the signed license file with
the vendor's published key, send heartbeats, ask for updates. It talks HTTP only, like a real box."""

import time
from typing import Any

import httpx
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from canal.licensing import license_file


class Command(BaseCommand):
    help = "Simulate an appliance: activate, verify the license file, send heartbeats, ask for updates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where Canal runs.")
        parser.add_argument("--key", required=True, help="The server's activation key (canal_srv_…).")
        parser.add_argument("--hardware", default="SIM-BOARD-0001", help="The hardware code to report.")
        parser.add_argument("--heartbeats", type=int, default=3)
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between heartbeats.")
        parser.add_argument("--clients", type=int, default=80, help="Clients in use to report.")
        parser.add_argument("--app-version", dest="app_version", default="7.4.0", help="The running version.")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/") + "/api/v1/licensing"
        headers = {"Authorization": f"Bearer {options['key']}", "Accept-Language": "en"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            activation = self._call(
                http.post, "/appliance/activate", json={"hardware_code": options["hardware"]}
            )
            self.stdout.write(
                f"activated: license code {activation['license_code']}, "
                f"{activation['changes_used']} of {activation['changes_allowed']} hardware changes used"
            )
            if activation["warning"]:
                self.stdout.write(self.style.WARNING(activation["warning"]))
            self._verify(http, activation["license"])
            started = time.monotonic()
            for number in range(options["heartbeats"]):
                if number:
                    time.sleep(options["interval"])
                beat = self._call(
                    http.post,
                    "/appliance/heartbeat",
                    json={
                        "uptime_seconds": int(time.monotonic() - started) + 3600,
                        "clients_in_use": options["clients"],
                        "version": options["app_version"],
                    },
                )
                over = " (over the licensed count)" if beat["over_licensed"] else ""
                self.stdout.write(f"heartbeat {number + 1}: server {beat['status']}{over}")
            updates = self._call(
                http.get, "/appliance/updates", params={"current_version": options["app_version"]}
            )
            latest = updates["latest"]["version"] if updates["latest"] else "none newer"
            withheld = "; newer releases need a renewal" if updates["newer_withheld"] else ""
            self.stdout.write(f"updates until {updates['updatable_until']}: {latest}{withheld}")

    def _call(self, method: Any, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = method(path, **kwargs)
        except httpx.HTTPError as error:
            raise CommandError(f"cannot reach Canal: {error}") from error
        if response.status_code >= 400:
            body = response.json() if "json" in response.headers.get("content-type", "") else {}
            raise CommandError(f"{path}: {response.status_code} {body.get('code')}: {body.get('message')}")
        return response.json()

    def _verify(self, http: httpx.Client, document: dict[str, Any]) -> None:
        """What an appliance does offline: check the file against the vendor's published public key."""
        key = self._call(http.get, f"/public-keys/{document['key_id']}")
        result = license_file.verify(
            document, license_file.public_key_from(key["public_key"]), now=timezone.now()
        )
        if not result.valid:
            raise CommandError(f"the license file does not verify: {result.reason}")
        payload = document["payload"]
        modules = ", ".join(payload["modules"]) or "-"
        self.stdout.write(
            self.style.SUCCESS(
                f"license file verified (Ed25519, key {document['key_id']}): {payload['clients']} clients, "
                f"modules {modules}, updatable until {payload['updatable_until']}"
            )
        )
