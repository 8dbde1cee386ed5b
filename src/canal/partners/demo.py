"""Demo programme levels (R4.3), the demo partners' places in them, and the Alpenhost partner programme as
its document describes it: Webagentur Limmat in the directory and receiving tenders, a company waiting
for the operator's decision, a pending invitation each way and an open tender."""

from decimal import Decimal

from canal.accounts.actor import actor_for
from canal.accounts.demo import DEMO_PASSWORD
from canal.accounts.models import Organisation, OrganisationKind, PaymentMode, Role, User
from canal.accounts.services import add_member, create_organisation
from canal.partners import applications, invitations, tenders
from canal.partners.models import PartnerProfile, ProgrammeLevel

LEVELS = [
    ("silver", "Silver", Decimal("0.10"), Decimal("0.05"), 1),
    ("gold", "Gold", Decimal("0.20"), Decimal("0.10"), 2),
    ("platinum", "Platinum", Decimal("0.35"), Decimal("0.15"), 3),
]
PARTNER_LEVELS = {"Nube Reseller S.L.": "gold", "Webagentur Limmat GmbH": "gold"}
PROFILES = {
    "Webagentur Limmat GmbH": {
        "description": "Websites, hosting and mail for small businesses around Zurich, set up and supported.",
        "regions": "Zürich, Aargau, Zug",
        "languages": "de, en, fr",
        "products": "Web Hosting, Mail Service",
        "contact_email": "partner.ch@canal.test",
        "website": "https://webagentur-limmat.example",
    },
    "Nube Reseller S.L.": {
        "description": "Revendedor de software en la nube para pymes en España.",
        "regions": "Madrid, Cataluña",
        "languages": "es, en",
        "products": "Tareo, Clientia CRM",
        "contact_email": "partner@canal.test",
        "website": "https://nube-reseller.example",
    },
}


def _company(name: str, legal_id: str, email: str, full_name: str) -> User:
    organisation = create_organisation(
        actor=None,
        kind=OrganisationKind.CUSTOMER,
        name=name,
        legal_id=legal_id,
        country="CH",
        region="EMEA",
        currency="CHF",
        language="en",
    )
    return add_member(
        actor=None,
        organisation=organisation,
        email=email,
        role=Role.LEGAL_REPRESENTATIVE,
        full_name=full_name,
        password=DEMO_PASSWORD,
        language="en",
    ).user


def load() -> None:
    operator = Organisation.objects.get(kind=OrganisationKind.OPERATOR)
    levels = {
        code: ProgrammeLevel.objects.create(
            operator=operator, code=code, name=name, discount_rate=discount, cashback_rate=cashback, rank=rank
        )
        for code, name, discount, cashback, rank in LEVELS
    }
    for name, level in PARTNER_LEVELS.items():
        PartnerProfile.objects.create(
            organisation=Organisation.objects.get(name=name),
            level=levels[level],
            listed_in_directory=True,
            receives_tenders=True,
            **PROFILES[name],
        )

    # R4.1: a web agency waits for the operator's decision.
    applicant = _company("Bergweb GmbH", "CHE-222.333.444", "applicant@canal.test", "Beat Berg")
    applications.apply(
        actor=actor_for(applicant),
        registered_id="CHE-222.333.444",
        website="https://bergweb.example",
        yearly_volume=Decimal("2400.00"),
        currency="CHF",
        accepts_reseller_terms=True,
    )

    # R4.4: a pending invitation each way.
    partner = actor_for(User.objects.get(email="partner.ch@canal.test"))
    invitations.invite_client(
        actor=partner,
        email="info@praxis-seefeld.example",
        access="full",
        payment_mode=PaymentMode.CUSTOMER,
        message="As discussed on the phone: we take over your hosting and mailboxes.",
    )
    guesthouse = _company("Gasthaus Alpenblick AG", "CHE-444.555.666", "gasthaus@canal.test", "Greta Gast")
    invitations.invite_partner(
        actor=actor_for(guesthouse),
        partner_id=partner.organisation.pk,
        access="full",
        payment_mode=PaymentMode.PARTNER,
    )

    # R4.14: an open request for offers, confirmed by its author.
    tender = tenders.post_tender(
        actor=None,
        title="Website and mailboxes for a dental practice",
        description=(
            "Our practice in Zurich needs a simple website with an appointment form, five mailboxes and "
            "someone to look after them. We would like to start next month."
        ),
        contact_name="Dr. Lena Seefeld",
        contact_email="lena@praxis-seefeld.example",
        contact_phone="+41 44 000 12 34",
        region="Zürich",
        language="en",
    )
    tenders.publish(tender)  # the demo author has confirmed it by e-mail
