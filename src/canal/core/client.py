"""The client's network address, seen through the proxies the operator trusts and no others.

Behind a load balancer every request comes from the balancer's address; `TRUSTED_PROXIES` names the
proxies (addresses or networks) whose X-Forwarded-For we believe. A header from anyone else is ignored,
so a client cannot pick the address it is throttled under.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _trusted(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    # The nearest hop a trusted proxy did not add is the client; everything left of it is the client's say.
    for hop in reversed(forwarded):
        if not _trusted(hop):
            return hop
    return address
