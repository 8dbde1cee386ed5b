"""The ticket's state machine (R2.10, R2.12, R2.18) and the pack purchase's.

pending → assigned     the customer accepts the quote (credits debited)
pending → rejected     the customer rejects the quote, or support declines to quote
assigned/reopened → finished   support considers the problem solved
assigned/reopened → rejected   support refuses the ticket after all: the credits go back
finished → closed      the customer confirms, or 7 days pass without a reply
finished/closed → reopened     the customer, within 30 days, at no new cost
pending/assigned/reopened → waiting   support puts it on hold for the customer (R5.6: SLA clock paused)
waiting → the state it was in   support resumes it, or the customer's (or partner's) public reply does
"""

from canal.core.state_machine import machine
from canal.support.models import PackPurchaseStatus, TicketStatus

T = TicketStatus

TICKET_MACHINE = machine(
    "ticket",
    {
        T.PENDING: {T.ASSIGNED, T.REJECTED, T.WAITING},
        T.ASSIGNED: {T.FINISHED, T.REJECTED, T.WAITING},
        T.REOPENED: {T.FINISHED, T.REJECTED, T.WAITING},
        T.WAITING: {T.PENDING, T.ASSIGNED, T.REOPENED, T.REJECTED},
        T.FINISHED: {T.CLOSED, T.REOPENED},
        T.CLOSED: {T.REOPENED},
        T.REJECTED: set(),
    },
)

# R2.17, R2.18: a rejected or closed ticket takes no more replies.
OPEN_FOR_REPLIES = frozenset({T.PENDING, T.ASSIGNED, T.REOPENED, T.FINISHED, T.WAITING})
# Support may refuse a ticket until it is finished; the customer may reopen a finished or closed one (R2.18).
REFUSABLE = frozenset({T.PENDING, T.ASSIGNED, T.REOPENED, T.WAITING})
# R5.6: tickets support is working on, whose SLA runs (or is paused, while waiting); those it may hold.
OPEN = frozenset({T.PENDING, T.ASSIGNED, T.REOPENED, T.WAITING})
HOLDABLE = frozenset({T.PENDING, T.ASSIGNED, T.REOPENED})
REOPENABLE = frozenset({T.FINISHED, T.CLOSED})
# A closed or rejected ticket is no longer worked on: it cannot be assigned.
DONE = frozenset({T.CLOSED, T.REJECTED})

PACK_MACHINE = machine(
    "support_pack_purchase",
    {
        PackPurchaseStatus.AWAITING_PAYMENT: {PackPurchaseStatus.CREDITED, PackPurchaseStatus.CANCELLED},
        PackPurchaseStatus.CREDITED: set(),
        PackPurchaseStatus.CANCELLED: set(),
    },
)
