"""Requests to addresses our users give us (webhook URLs), kept from reaching inside our network.

The guard is httpx-secure: it checks the address every connection really uses, after DNS resolution,
so other spellings of loopback (`2130706433`, `[::ffff:127.0.0.1]`), DNS rebinding between the check
and the request, and redirects cannot reach a private, loopback, link-local or reserved address.
Registration checks the URL too, so users learn about a bad URL at once rather than at the first event.
`WEBHOOK_ALLOWED_HOSTS` names the hosts or networks that may be private anyway (a receiver in
development or in tests); it is empty by default.
"""

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from httpx_secure import SSRFProtectionError, httpx_ssrf_protection

from canal.core.errors import RuleViolation

TIMEOUT_SECONDS = 5.0
# The answer is read only to finish the exchange: nothing of it is stored or shown.
MAX_RESPONSE_BYTES = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Failure:
    """Why a delivery failed, as a code: never the receiver's words, which could leak what it is."""

    BLOCKED = "blocked_address"
    TIMEOUT = "timeout"
    CONNECTION = "connection_failed"
    HTTP_STATUS = "http_status"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    failure: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for entry in settings.WEBHOOK_ALLOWED_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name, matched by name
    return networks


def _is_public(address: IPAddress) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_global and (mapped is None or mapped.is_global)


def _permitted(hostname: str, address: IPAddress) -> bool:
    if _is_public(address):
        return True
    if hostname.lower() in {entry.lower() for entry in settings.WEBHOOK_ALLOWED_HOSTS}:
        return True
    return any(address in network for network in _allowed_networks())


def check_destination(url: str) -> None:
    """Refuses a webhook URL that is not https or that resolves to an address inside our network."""
    parts = urlsplit(url)
    schemes = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise RuleViolation(
            _("The webhook URL must be an https:// address, such as https://vendor.example/canal/hooks."),
            code="webhook_url_scheme",
            field="url",
        )
    if parts.username or parts.password:
        raise RuleViolation(
            _("The webhook URL must not contain a user name or password; the signature authenticates us."),
            code="webhook_url_credentials",
            field="url",
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError, UnicodeError):
        raise RuleViolation(
            _("The webhook host could not be found. Check the address and that it is published in DNS."),
            code="webhook_url_unresolvable",
            field="url",
        ) from None
    for address in addresses:
        if not _permitted(parts.hostname, ipaddress.ip_address(address.split("%")[0])):
            raise RuleViolation(
                _("The webhook URL must point to a public internet address, not a private or local one."),
                code="webhook_url_not_public",
                field="url",
            )


async def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client:
        if settings.WEBHOOK_ALLOWED_HOSTS:
            httpx_ssrf_protection(
                client,
                check_globally_reachable=False,
                custom_validator=lambda hostname, address, _port: _permitted(hostname, address),
            )
        else:
            httpx_ssrf_protection(client)
        async with client.stream("POST", url, content=body, headers=headers) as response:
            received = 0
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > MAX_RESPONSE_BYTES:
                    break
            return response.status_code


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """POSTs `body` to a user-given URL without following redirects; a 3xx counts as a failure."""
    started = time.monotonic()
    status_code, failure = None, ""
    try:
        # The whole exchange is bounded, not only each read: a slow drip cannot hold a worker.
        status_code = asyncio.run(asyncio.wait_for(_post(url, body, headers), TIMEOUT_SECONDS * 2))
        if not 200 <= status_code < 300:
            failure = Failure.HTTP_STATUS
    except SSRFProtectionError:
        failure = Failure.BLOCKED
    except (httpx.TimeoutException, TimeoutError):
        failure = Failure.TIMEOUT
    except httpx.HTTPError:
        failure = Failure.CONNECTION
    duration_ms = int((time.monotonic() - started) * 1000)
    return Outcome(status_code=status_code, failure=failure, duration_ms=duration_ms)
