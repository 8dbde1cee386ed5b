"""REST endpoints: the appliance's own API (activation-key auth) and the servers, keys, counter resets,
releases and public keys for people (token or session auth). Every handler calls one service or selector."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as __
from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate
from ninja.security import HttpBearer

from canal.api.idempotency import idempotent
from canal.api.schemas import ErrorOut
from canal.api.throttling import WindowThrottle
from canal.core.client import client_address
from canal.core.errors import NotFound
from canal.licensing import appliance, entitlements, selectors, services
from canal.licensing.presenters import hardware_change_row, release_row, server_row
from canal.licensing.schemas import (
    ActivateIn,
    ActivationKeyOut,
    ActivationOut,
    EntitlementsOut,
    EntitlementsQuery,
    HardwareChangeOut,
    HeartbeatIn,
    HeartbeatOut,
    HeartbeatRowOut,
    PublicKeyOut,
    ReleaseIn,
    ReleaseOut,
    ResetIn,
    ServerOut,
    ServerQuery,
    UpdatesOut,
    UpdatesQuery,
)

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ActivationKeyAuth(HttpBearer):
    """`Authorization: Bearer canal_srv_…`: the server's activation key, never a user's token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        server = appliance.server_for_key(token)
        if server is not None:
            request.server = server  # type: ignore[attr-defined]
        return server


class PerServerThrottle(WindowThrottle):
    """Each appliance gets its own budget, so one noisy server never starves the others."""

    scope = "appliance-server"
    setting_name = "LICENSING_RATE_PER_SERVER"
    default_rate = "60/m"

    def key(self, request: HttpRequest) -> str | None:
        server = getattr(request, "server", None)
        return str(server.pk) if server is not None else None


class PerAddressThrottle(WindowThrottle):
    """And each network address one budget, whatever keys it tries."""

    scope = "appliance-address"
    setting_name = "LICENSING_RATE_PER_ADDRESS"
    default_rate = "300/m"

    def key(self, request: HttpRequest) -> str | None:
        return client_address(request)


appliance_router = Router(
    tags=["appliance"], auth=ActivationKeyAuth(), throttle=[PerServerThrottle(), PerAddressThrottle()]
)
router = Router(tags=["license servers"])
keys_router = Router(tags=["license servers"], auth=None)


@appliance_router.post(
    "/activate", response={200: ActivationOut, **ERRORS}, summary="Activate with the hardware code (R2.4)"
)
def activate(request: HttpRequest, payload: ActivateIn) -> Any:
    result = appliance.activate(server=request.server, hardware_code=payload.hardware_code)  # type: ignore[attr-defined]
    return result.__dict__


@appliance_router.post("/heartbeat", response={200: HeartbeatOut, **ERRORS}, summary="Report uptime and use")
def heartbeat(request: HttpRequest, payload: HeartbeatIn) -> Any:
    answer = appliance.heartbeat(
        server=request.server,  # type: ignore[attr-defined]
        uptime_seconds=payload.uptime_seconds,
        clients_in_use=payload.clients_in_use,
        version=payload.version,
    )
    return answer.__dict__


@appliance_router.get("/updates", response={200: UpdatesOut, **ERRORS}, summary="The newest release allowed")
def updates(request: HttpRequest, filters: Query[UpdatesQuery]) -> Any:
    found = appliance.updates(server=request.server, current_version=filters.current_version)  # type: ignore[attr-defined]
    return {**found.__dict__, "latest": release_row(found.latest) if found.latest else None}


@router.get("/servers", response={200: list[ServerOut], **ERRORS}, summary="License servers (R2.3)")
@paginate(CursorPagination, ordering=("-id",))
def list_servers(request: HttpRequest, filters: Query[ServerQuery]):
    return selectors.filtered_servers(request.actor, selectors.ServerFilters(**filters.dict()))  # type: ignore[attr-defined]


@router.get("/servers/{server_id}", response={200: ServerOut, **ERRORS})
def get_server(request: HttpRequest, server_id: int) -> Any:
    return server_row(selectors.server_license_for(request.actor, server_id))  # type: ignore[attr-defined]


@router.get(
    "/servers/{server_id}/hardware-changes",
    response={200: list[HardwareChangeOut], **ERRORS},
    summary="Hardware-code history (R2.4)",
)
def hardware_changes(request: HttpRequest, server_id: int) -> Any:
    history = selectors.hardware_history_of(request.actor, server_id)  # type: ignore[attr-defined]
    return [hardware_change_row(change) for change in history]


@router.get("/servers/{server_id}/heartbeats", response={200: list[HeartbeatRowOut], **ERRORS})
@paginate(CursorPagination, ordering=("-id",))
def heartbeats(request: HttpRequest, server_id: int):
    return selectors.heartbeats_of(request.actor, server_id)  # type: ignore[attr-defined]


@router.post(
    "/servers/{server_id}/activation-key",
    response={201: ActivationKeyOut, **ERRORS},
    summary="Make the appliance's activation key (shown once; earlier keys stop working)",
)
def make_key(request: HttpRequest, server_id: int) -> Status:
    # No Idempotency-Key here on purpose: a replay would have to store the plain key to repeat it.
    key, plaintext = services.issue_activation_key(actor=request.actor, server_id=server_id)  # type: ignore[attr-defined]
    return Status(201, {"key": plaintext, "prefix": key.prefix, "created_at": key.created_at})


@router.delete(
    "/servers/{server_id}/activation-key", response={204: None, **ERRORS}, summary="Revoke the key"
)
def revoke_key(request: HttpRequest, server_id: int) -> Status:
    services.revoke_activation_keys(actor=request.actor, server_id=server_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.post(
    "/servers/{server_id}/counter-reset",
    response={200: ServerOut, **ERRORS},
    summary="Reset the hardware-code counter (vendor or operator support, R2.4)",
)
def reset_counter(request: HttpRequest, server_id: int, payload: ResetIn) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    services.reset_hardware_counter(actor=actor, server_id=server_id, reason=payload.reason)
    return server_row(selectors.server_license_for(actor, server_id))


@router.get("/releases", response={200: list[ReleaseOut], **ERRORS})
@paginate(CursorPagination, ordering=("-id",))
def list_releases(request: HttpRequest):
    return selectors.releases_visible_to(request.actor)  # type: ignore[attr-defined]


@router.post("/releases", response={201: ReleaseOut, **ERRORS}, summary="Publish a release of an appliance")
def publish(request: HttpRequest, payload: ReleaseIn) -> Status:
    def action() -> tuple[int, dict[str, Any]]:
        release = services.publish_release(
            actor=request.actor,  # type: ignore[attr-defined]
            product_code=payload.product,
            version=payload.version,
            published_on=payload.published_on,
            notes=payload.notes,
        )
        return 201, {**release_row(release), "published_on": release.published_on.isoformat()}

    return idempotent(request, operation="licensing.release", payload=payload.dict(), action=action)


def _public(key: Any) -> dict[str, Any]:
    return {
        "key_id": key.key_id,
        "vendor_id": key.vendor_id,
        "vendor": key.vendor.name,
        "public_key": key.public_key,
    }


@keys_router.get(
    "/public-keys", response={200: list[PublicKeyOut], 429: ErrorOut}, summary="Vendors' license keys"
)
def public_keys(request: HttpRequest) -> list[dict[str, Any]]:
    return [_public(key) for key in selectors.published_keys()]


@keys_router.get("/public-keys/{key_id}", response={200: PublicKeyOut, 404: ErrorOut, 429: ErrorOut})
def public_key(request: HttpRequest, key_id: str) -> dict[str, Any]:
    key = selectors.published_keys().filter(key_id=key_id[:32]).first()
    if key is None:
        raise NotFound(__("No published key with this id."), field="key_id")
    return _public(key)


@router.get(
    "/entitlements",
    response={200: EntitlementsOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Which license types a user holds in your products (vendor token; R3.5, R3.6)",
)
def user_entitlements(request: HttpRequest, filters: Query[EntitlementsQuery]) -> dict[str, Any]:
    return entitlements.entitlements_of(actor=request.actor, email=filters.email)  # type: ignore[attr-defined]
