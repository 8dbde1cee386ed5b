from hypothesis import given
from hypothesis import strategies as st

from canal.subscriptions.seat_cycle import total_after_cycle


@given(
    total=st.integers(min_value=0, max_value=500),
    assigned_share=st.integers(min_value=0, max_value=500),
    contract_minimum=st.integers(min_value=0, max_value=500),
)
def test_r3_7_trimming_keeps_assigned_and_minimum_and_never_adds(total, assigned_share, contract_minimum):
    assigned = min(total, assigned_share)

    after = total_after_cycle(total=total, assigned=assigned, contract_minimum=contract_minimum)

    assert assigned <= after <= total
    assert after >= min(total, contract_minimum)
    assert after - assigned <= max(0, contract_minimum - assigned)


def test_r3_7_free_licenses_above_the_minimum_go_and_the_rest_stay():
    assert total_after_cycle(total=10, assigned=4, contract_minimum=6) == 6
    assert total_after_cycle(total=10, assigned=8, contract_minimum=6) == 8
    assert total_after_cycle(total=5, assigned=0, contract_minimum=0) == 0
