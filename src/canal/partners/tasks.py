"""Background jobs of the partner programme: thin wrappers over services."""

from django_tasks import task

from canal.partners import invitations


@task()
def expire_invitations() -> int:
    """R4.4: pending invitations past their date become expired (audited), so lists show them so."""
    return invitations.expire_invitations()
