from canal.core.state_machine import machine
from canal.licensing.models import ServerStatus

S = ServerStatus
SERVER_MACHINE = machine(
    "license server",
    {
        S.AWAITING_ACTIVATION: {S.ACTIVE},
        # Inactive: no heartbeat for LICENSING_INACTIVE_AFTER_DAYS; the next heartbeat makes it active again.
        S.ACTIVE: {S.INACTIVE},
        S.INACTIVE: {S.ACTIVE},
    },
)
