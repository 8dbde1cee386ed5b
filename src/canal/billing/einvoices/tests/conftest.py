"""Services raise messages in the active language; these tests read the English ones, like billing's."""

from canal.billing.tests.conftest import _english  # noqa: F401
