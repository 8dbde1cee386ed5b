"""State machines of the subscription lifecycle (issue 5): subscriptions with their trials, and
provisioning requests in the flow vendors know from CloudBlue Connect."""

from canal.core.state_machine import machine
from canal.subscriptions.models import ProvisioningStatus, SubscriptionStatus

S = SubscriptionStatus
SUBSCRIPTION_MACHINE = machine(
    "subscription",
    {
        # Waiting for the vendor (or for payment, for products the vendor does not provision).
        S.PROVISIONING: {S.TRIAL, S.ACTIVE, S.CANCELLED},
        # R1.17: a trial never converts by itself; it converts by an order, ends early, or expires.
        S.TRIAL: {S.ACTIVE, S.EXPIRED, S.CANCELLED},
        S.ACTIVE: {S.SUSPENDED, S.EXPIRED, S.CANCELLED},
        S.SUSPENDED: {S.ACTIVE, S.EXPIRED, S.CANCELLED},
        S.EXPIRED: set(),
        S.CANCELLED: set(),
    },
)

P = ProvisioningStatus
PROVISIONING_MACHINE = machine(
    "provisioning request",
    {
        P.PENDING: {P.INQUIRING, P.APPROVED, P.FAILED, P.CANCELLED},
        # The vendor asked the orderer for missing data; the answer puts the request back in the queue.
        P.INQUIRING: {P.PENDING, P.FAILED, P.CANCELLED},
        P.APPROVED: set(),
        P.FAILED: set(),
        P.CANCELLED: set(),
    },
)
