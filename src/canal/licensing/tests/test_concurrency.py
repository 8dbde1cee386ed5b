"""R2.4 under load: many appliances race to change the hardware code; the counter never passes its limit."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from canal.core.errors import Conflict
from canal.licensing import appliance as appliance_service
from canal.licensing.models import HardwareChange, HardwareEvent, Server
from canal.licensing.tests.conftest import HARDWARE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r2_4_twenty_parallel_hardware_changes_use_exactly_the_three_allowed(
    postgres_only, appliance, license_
):
    server = Server.objects.get(pk=license_.pk)
    appliance_service.activate(server=server, hardware_code=HARDWARE)

    def change(number: int) -> str:
        try:
            appliance_service.activate(server=server, hardware_code=f"RACE-BOARD-{number:03d}")
            return "changed"
        except Conflict as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(change, range(20)))

    assert outcomes.count("changed") == 3
    assert outcomes.count("hardware_change_limit_reached") == 17
    assert Server.objects.get(pk=license_.pk).change_count == 3
    assert HardwareChange.objects.filter(server=server, event=HardwareEvent.CHANGED).count() == 3
