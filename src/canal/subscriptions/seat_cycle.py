"""End of a billing cycle for seat licenses (R3.7, R3.9); `seat_billing.renew_seat_pool` applies it.

Free licenses above the contract minimum are removed; assigned ones and those up to the minimum stay.
Nothing is refunded: a license bought by mistake simply is not renewed if it is still free by then.
"""


def total_after_cycle(*, total: int, assigned: int, contract_minimum: int) -> int:
    """Keeps every assigned license and free ones up to the contract minimum, never adding any."""
    return min(total, max(assigned, contract_minimum))
