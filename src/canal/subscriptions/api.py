from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Code
from canal.catalog.presenters import quote_body
from canal.subscriptions import seats, selectors
from canal.subscriptions.presenters import seat_summary
from canal.subscriptions.schemas import (
    AssignmentOut,
    AssignSeat,
    SeatHistoryOut,
    SeatPoolOut,
    SeatPurchaseIn,
    SeatPurchaseOut,
    SeatPurchaseQuoteOut,
    SeatUserOut,
    SubscriptionOut,
)
from canal.subscriptions.seat_billing import buy_seats
from canal.subscriptions.seat_purchase import SeatPurchaseQuote, quote_seat_purchase

router = Router(tags=["subscriptions"])


@router.get("/subscriptions", response=list[SubscriptionOut], summary="Subscriptions you may see")
@paginate(CursorPagination, ordering=("-id",))
def list_subscriptions(request: HttpRequest):
    return selectors.subscriptions_visible_to(request.actor)  # type: ignore[attr-defined]


@router.get("/subscriptions/{subscription_id}", response=SubscriptionOut)
def get_subscription(request: HttpRequest, subscription_id: int):
    return selectors.subscription_for(request.actor, subscription_id)  # type: ignore[attr-defined]


@router.get(
    "/subscriptions/{subscription_id}/seats", response=list[SeatPoolOut], summary="License summary (R3.2)"
)
def list_seat_pools(request: HttpRequest, subscription_id: int) -> list[dict]:
    return seat_summary(request.actor, subscription_id)  # type: ignore[attr-defined]


@router.get(
    "/subscriptions/{subscription_id}/users", response=list[SeatUserOut], summary="Users and their licenses"
)
@paginate(CursorPagination, ordering=("id",))
def list_seat_users(request: HttpRequest, subscription_id: int):
    return selectors.seat_users_of(request.actor, subscription_id)  # type: ignore[attr-defined]


@router.post(
    "/subscriptions/{subscription_id}/seats/{license_type}/assignments",
    response={201: AssignmentOut},
    summary="Assign a license to a user (R3.1, R3.3)",
)
def assign(request: HttpRequest, subscription_id: int, license_type: Code, payload: AssignSeat) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    pool = selectors.seat_pool_for(actor, subscription_id, license_type)
    user = selectors.customer_user_for(pool.subscription, payload.user_id)
    assignment = seats.assign_seat(actor=actor, pool=pool, user=user)
    return Status(
        201, {"user_id": user.pk, "license_type": license_type, "assigned_at": assignment.assigned_at}
    )


@router.delete(
    "/subscriptions/{subscription_id}/seats/{license_type}/assignments/{user_id}",
    response={204: None},
    summary="Release a user's license (R3.6)",
)
def release(request: HttpRequest, subscription_id: int, license_type: Code, user_id: int) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    pool = selectors.seat_pool_for(actor, subscription_id, license_type)
    seats.release_seat(actor=actor, pool=pool, user=selectors.customer_user_for(pool.subscription, user_id))
    return Status(204, None)


@router.get(
    "/subscriptions/{subscription_id}/seats/history",
    response=list[SeatHistoryOut],
    summary="License counts over time",
)
@paginate(CursorPagination, ordering=("id",))
def seat_history(request: HttpRequest, subscription_id: int):
    return selectors.seat_history_of(request.actor, subscription_id)  # type: ignore[attr-defined]


def _purchase_body(quote: SeatPurchaseQuote) -> dict:
    return {
        "subscription_id": quote.subscription.pk,
        "quantities": quote.quantities,
        "purchase_date": quote.proration.purchase_date,
        "next_cycle_start": quote.proration.next_cycle_start,
        "now": quote_body(quote.now),
        "from_next_cycle": quote_body(quote.from_next_cycle),
    }


@router.post(
    "/subscriptions/{subscription_id}/seat-purchases/quote",
    response=SeatPurchaseQuoteOut,
    summary="Price buying licenses before buying them (R3.4, R3.8); nothing is charged",
)
def quote_seats(request: HttpRequest, subscription_id: int, payload: SeatPurchaseIn) -> dict:
    quote = quote_seat_purchase(
        actor=request.actor,  # type: ignore[attr-defined]
        subscription_id=subscription_id,
        quantities=payload.quantities,
        today=timezone.localdate(),
    )
    return _purchase_body(quote)


@router.post(
    "/subscriptions/{subscription_id}/seat-purchases",
    response={201: SeatPurchaseOut},
    summary="Buy licenses: charged, invoiced and usable at once (R3.4; Idempotency-Key supported)",
    description="Ask `…/seat-purchases/quote` first to show the exact amount. A retry with the same "
    "`Idempotency-Key` buys nothing twice.",
)
def purchase_seats(request: HttpRequest, subscription_id: int, payload: SeatPurchaseIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    quote = buy_seats(
        actor=actor,
        subscription_id=subscription_id,
        quantities=payload.quantities,
        today=timezone.localdate(),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201, {**_purchase_body(quote), "seats": seat_summary(actor, subscription_id)})
