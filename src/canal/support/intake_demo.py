"""Demo intake (R5.7): Flowdesk's two regional support addresses, as the document has one for the
Americas and Asia and one for the EU. `make run` receives mail to them on port 2525. Nube Reseller's
legal representative (`partner@canal.test`) may use priority support; its `sales@canal.test` may not
until it is allowed on /support/intake/access/."""

from canal.accounts.actor import actor_for
from canal.accounts.models import Organisation, User
from canal.support import mailboxes


def load() -> None:
    flowdesk = Organisation.objects.get(name="Flowdesk Software Ltd.")
    admin = actor_for(User.objects.get(email="vendor.flowdesk@canal.test"), flowdesk.pk)
    mailboxes.set_addresses(
        actor=admin,
        addresses=[
            mailboxes.AddressIn(
                name="Americas and Asia", email="partner-support@flowdesk.test", regions="AMER, APAC"
            ),
            mailboxes.AddressIn(name="EU", email="partner-support@eu.flowdesk.test", regions="EMEA"),
        ],
    )
