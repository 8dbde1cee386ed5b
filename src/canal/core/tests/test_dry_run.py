"""A dry run returns what the action produced and leaves nothing behind: no rows, no after-commit work."""

import pytest
from django.db import transaction

from canal.accounts.models import Organisation, OrganisationKind
from canal.core.dry_run import dry_run


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_keeps_the_result_and_undoes_the_rows_and_the_after_commit_work():
    sent = []

    def create() -> Organisation:
        organisation = Organisation.objects.create(name="Previewed S.L.", kind=OrganisationKind.CUSTOMER)
        transaction.on_commit(lambda: sent.append("mail"))
        return organisation

    result = dry_run(create)

    assert result.name == "Previewed S.L."
    assert not Organisation.objects.filter(name="Previewed S.L.").exists()
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_refusal_inside_a_dry_run_reaches_the_caller_and_changes_nothing():
    def refuse() -> None:
        Organisation.objects.create(name="Refused S.L.", kind=OrganisationKind.CUSTOMER)
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        dry_run(refuse)

    assert not Organisation.objects.filter(name="Refused S.L.").exists()
