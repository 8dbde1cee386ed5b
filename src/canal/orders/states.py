"""The order's state machine (DESIGN.md: one table of allowed moves per machine).

placed → provisioning (a request is open at the vendor) → completed, or failed when the vendor cannot;
placed → completed when processed without the vendor (paid, or nothing to pay). Until completed, and
within 48 hours of placement, the placing side may cancel (R1.15, R2.15).
"""

from canal.core.state_machine import machine
from canal.orders.models import OrderStatus

ORDER_MACHINE = machine(
    "order",
    {
        OrderStatus.PLACED: {OrderStatus.PROVISIONING, OrderStatus.COMPLETED, OrderStatus.CANCELLED},
        OrderStatus.PROVISIONING: {OrderStatus.COMPLETED, OrderStatus.FAILED, OrderStatus.CANCELLED},
        OrderStatus.COMPLETED: {OrderStatus.CANCELLED},
        OrderStatus.FAILED: set(),
        OrderStatus.CANCELLED: set(),
    },
)
