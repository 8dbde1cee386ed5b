"""REST endpoints of orders, subscription lifecycle orders and provisioning requests (docs/orders.md)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Text
from canal.api.idempotency import idempotent
from canal.catalog.offer import Configuration
from canal.orders import presenters, selectors, services
from canal.orders.models import Order
from canal.orders.placement import OrderDetails
from canal.orders.schemas import (
    AnswerIn,
    CancelIn,
    ChangeIn,
    CompleteIn,
    FailIn,
    InquireIn,
    OrderDetailOut,
    OrderFields,
    OrderOut,
    PlacedOrderOut,
    PlaceOrderIn,
    ProvisioningRequestOut,
    RenewalIn,
    TerminateIn,
    TrialChangeIn,
    UpgradeIn,
)
from canal.subscriptions import lifecycle, provisioning, trials
from canal.subscriptions.selectors import provisioning_request_for, provisioning_requests_visible_to

router = Router(tags=["orders"])
provisioning_router = Router(tags=["provisioning"])


def order_body(order: Order) -> dict[str, Any]:
    return OrderOut.from_orm(order).model_dump(mode="json")


class OrderQuery(Schema):
    status: Text(32) | None = None
    kind: Text(32) | None = None
    processed: bool | None = None
    customer_id: int | None = None
    search: Text(200) | None = None


@router.get("/orders", response=list[OrderOut], summary="Orders you may see (R2.15), newest first")
@paginate(CursorPagination, ordering=("-id",))
def list_orders(request: HttpRequest, filters: Query[OrderQuery]):
    return selectors.filtered_orders(
        request.actor,  # type: ignore[attr-defined]
        selectors.OrderFilters(
            status=filters.status or "",
            kind=filters.kind or "",
            processed=filters.processed,
            customer_id=filters.customer_id,
            search=filters.search or "",
        ),
    )


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="An order with its lines and timeline")
def get_order(request: HttpRequest, order_id: int) -> Order:
    actor = request.actor  # type: ignore[attr-defined]
    order = selectors.order_for(actor, order_id)
    # The response is built from the order itself (the schema's resolvers need it); these two
    # attributes are for this response only and are never saved.
    if not presenters.shows_lines(actor, order):
        order.lines = []
    order.timeline = [  # type: ignore[attr-defined]
        {
            "at": entry.at,
            "action": entry.action,
            "by": str(entry.user) if entry.user else None,
            "reason": entry.reason,
        }
        for entry in selectors.timeline_of(order)
    ]
    return order


@router.post(
    "/orders",
    response={201: PlacedOrderOut},
    summary="Place an order: a new subscription, a trial, or a trial conversion (R1.7-R1.12, R1.17)",
    description=(
        "Send an `Idempotency-Key`: a retry returns the first order and invoices nothing twice. "
        "With `pay_with: card` the order and its invoice are placed first, then the card is charged: "
        "a declined card leaves the order placed with `payment_status: card_declined` and the invoice "
        "to pay another way. "
        "422 lists every broken ordering rule in `violations`."
    ),
)
def place(request: HttpRequest, payload: PlaceOrderIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    configuration = Configuration(
        product=payload.product,
        plan=payload.plan,
        quantity=payload.quantity,
        add_ons=tuple(payload.add_ons),
        package=payload.package,
        modules=tuple(payload.modules),
    )
    details = OrderDetails(
        accept_terms=payload.accept_terms,
        end_customer_name=payload.end_customer.name,
        end_customer_email=payload.end_customer.email,
        notify_me=payload.notify_me,
        contract_id=payload.contract_id,
        name=payload.name,
        vendor_account_id=payload.vendor_account_id,
        pay_with=payload.pay_with,
        card_token=payload.card_token,
    )

    def action() -> tuple[int, Any]:
        if payload.kind == "trial":
            order = services.order_trial(
                actor=actor, configuration=configuration, customer_id=payload.customer_id, details=details
            )
        else:
            order = services.place_order(
                actor=actor,
                configuration=configuration,
                customer_id=payload.customer_id,
                currency=payload.currency,
                details=details,
            )
        return 201, order_body(order)

    body = payload.model_dump(mode="json")
    body.pop("card_token", None)
    placed = idempotent(request, operation="orders.place", payload=body, action=action)
    # Committed by now: a card is charged with no transaction open; a replay charges nothing twice.
    checkout = services.settle_checkout(actor=actor, order_id=placed.value["id"])
    answer = {
        **order_body(checkout.order),
        "payment_status": checkout.payment_status,
        "payment_message": checkout.message,
    }
    return Status(placed.status_code, answer)


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="Cancel an order (R1.15, R2.15)")
def cancel(request: HttpRequest, order_id: int, payload: CancelIn) -> Order:
    return services.cancel_order(actor=request.actor, order_id=order_id, reason=payload.reason)  # type: ignore[attr-defined]


def _lifecycle(
    request: HttpRequest, operation: str, subscription_id: int, payload: Schema, run: Any
) -> Status:
    def action() -> tuple[int, Any]:
        return 201, order_body(run())

    return idempotent(
        request,
        operation=f"subscriptions.{operation}",
        payload={"subscription": subscription_id, **payload.model_dump(mode="json")},
        action=action,
    )


@router.post(
    "/subscriptions/{subscription_id}/change",
    response={201: OrderFields},
    summary="Change seats, add-ons, onboarding or modules on the same plan (R1.13, R2.6, R2.7)",
)
def change(request: HttpRequest, subscription_id: int, payload: ChangeIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    return _lifecycle(
        request,
        "change",
        subscription_id,
        payload,
        lambda: lifecycle.change_subscription(
            actor=actor, subscription_id=subscription_id, **payload.model_dump()
        ),
    )


@router.post(
    "/subscriptions/{subscription_id}/upgrade",
    response={201: OrderFields},
    summary="Upgrade to a higher plan: a new order that keeps the vendor account (R1.14)",
)
def upgrade(request: HttpRequest, subscription_id: int, payload: UpgradeIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    details = OrderDetails(
        accept_terms=payload.accept_terms, notify_me=payload.notify_me, contract_id=payload.contract_id
    )
    return _lifecycle(
        request,
        "upgrade",
        subscription_id,
        payload,
        lambda: lifecycle.upgrade_subscription(
            actor=actor,
            subscription_id=subscription_id,
            plan=payload.plan,
            quantity=payload.quantity,
            add_ons=payload.add_ons,
            package=payload.package,
            details=details,
        ),
    )


@router.post(
    "/subscriptions/{subscription_id}/renewal",
    response={201: OrderFields},
    summary="What the next term renews with; quantity 0 is no renewal (R1.16)",
)
def renewal(request: HttpRequest, subscription_id: int, payload: RenewalIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    return _lifecycle(
        request,
        "renewal",
        subscription_id,
        payload,
        lambda: lifecycle.set_renewal(actor=actor, subscription_id=subscription_id, **payload.model_dump()),
    )


class Empty(Schema):
    pass


@router.post(
    "/subscriptions/{subscription_id}/renew",
    response={201: OrderFields},
    summary="Renew for one more term now; paid, it moves the term's end a year forward (R2.8)",
)
def renew(request: HttpRequest, subscription_id: int) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    return _lifecycle(
        request,
        "renew",
        subscription_id,
        Empty(),
        lambda: lifecycle.renew_subscription(actor=actor, subscription_id=subscription_id),
    )


@router.post(
    "/subscriptions/{subscription_id}/trial",
    response={201: OrderFields},
    summary="Modify a trial: another base plan or other add-ons (R1.17)",
)
def modify_trial(request: HttpRequest, subscription_id: int, payload: TrialChangeIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    return _lifecycle(
        request,
        "trial",
        subscription_id,
        payload,
        lambda: trials.modify_trial(
            actor=actor, subscription_id=subscription_id, plan=payload.plan, add_ons=payload.add_ons
        ),
    )


@router.post(
    "/subscriptions/{subscription_id}/terminate",
    response={201: OrderFields},
    summary="Terminate a trial before its end: a reason and the data-deletion acknowledgement (R1.17)",
)
def terminate(request: HttpRequest, subscription_id: int, payload: TerminateIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    return _lifecycle(
        request,
        "terminate",
        subscription_id,
        payload,
        lambda: trials.terminate_trial(actor=actor, subscription_id=subscription_id, **payload.model_dump()),
    )


class ReasonOut(Schema):
    code: str
    label: str


@router.get("/trial-termination-reasons", response=list[ReasonOut], summary="Reasons to terminate a trial")
def termination_reasons(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in trials.TerminationReason.choices]


# --- provisioning requests: the vendor's queue and its callbacks ----------------------------------


class RequestQuery(Schema):
    status: Text(32) | None = None
    overdue: bool | None = None


@provisioning_router.get(
    "",
    response=list[ProvisioningRequestOut],
    summary="Provisioning requests: a vendor's queue, an orderer's requests",
)
@paginate(CursorPagination, ordering=("id",))
def list_requests(request: HttpRequest, filters: Query[RequestQuery]):
    requests = provisioning_requests_visible_to(request.actor)  # type: ignore[attr-defined]
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.overdue is not None:
        requests = requests.filter(overdue_flagged_at__isnull=not filters.overdue)
    return requests


@provisioning_router.get("/{request_id}", response=ProvisioningRequestOut)
def get_request(request: HttpRequest, request_id: int):
    return provisioning_request_for(request.actor, request_id)  # type: ignore[attr-defined]


@provisioning_router.post(
    "/{request_id}/complete",
    response=ProvisioningRequestOut,
    url_name="complete_provisioning",
    summary="Callback: the vendor has provisioned the account (R1.12)",
)
def complete(request: HttpRequest, request_id: int, payload: CompleteIn):
    return provisioning.complete_request(
        actor=request.actor,  # type: ignore[attr-defined]
        request_id=request_id,
        vendor_account_id=payload.vendor_account_id,
    )


@provisioning_router.post(
    "/{request_id}/fail",
    response=ProvisioningRequestOut,
    url_name="fail_provisioning",
    summary="Callback: it cannot be done",
)
def fail(request: HttpRequest, request_id: int, payload: FailIn):
    return provisioning.fail_request(actor=request.actor, request_id=request_id, reason=payload.reason)  # type: ignore[attr-defined]


@provisioning_router.post(
    "/{request_id}/inquire",
    response=ProvisioningRequestOut,
    url_name="inquire_provisioning",
    summary="Callback: the vendor asks the orderer for missing data",
)
def inquire(request: HttpRequest, request_id: int, payload: InquireIn):
    return provisioning.inquire(actor=request.actor, request_id=request_id, question=payload.question)  # type: ignore[attr-defined]


@provisioning_router.post(
    "/{request_id}/answer", response=ProvisioningRequestOut, summary="The orderer answers"
)
def answer(request: HttpRequest, request_id: int, payload: AnswerIn):
    return provisioning.answer_inquiry(actor=request.actor, request_id=request_id, answer=payload.answer)  # type: ignore[attr-defined]
