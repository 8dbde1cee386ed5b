"""Demo organisations and users for the five configurations of DESIGN.md ("Demo data").

Names are invented; every user's password is DEMO_PASSWORD (README, "Demo logins").
"""

from canal.accounts.models import AccessLevel, Organisation, OrganisationKind, PaymentMode, Role
from canal.accounts.services import add_member, create_organisation, link_client

DEMO_PASSWORD = "canal-demo"  # noqa: S105 - published in the README on purpose

# (key, kind, name, legal id, country, region, currency, language)
ORGANISATIONS = [
    (
        "operator",
        OrganisationKind.OPERATOR,
        "Canal Distribución S.L.",
        "B12345678",
        "ES",
        "EMEA",
        "EUR",
        "es",
    ),
    (
        "tareo",
        OrganisationKind.VENDOR,
        "Tareo Work Management Inc.",
        "US-77-1234567",
        "US",
        "AMER",
        "USD",
        "en",
    ),
    ("redwall", OrganisationKind.VENDOR, "Redwall Networks S.L.", "B87654321", "ES", "EMEA", "USD", "es"),
    ("clientia", OrganisationKind.VENDOR, "Clientia CRM S.L.", "B11223344", "ES", "EMEA", "EUR", "es"),
    ("alpenhost", OrganisationKind.VENDOR, "Alpenhost SA", "CHE-123.456.789", "CH", "EMEA", "CHF", "en"),
    ("flowdesk", OrganisationKind.VENDOR, "Flowdesk Software Ltd.", "GB123456789", "GB", "EMEA", "EUR", "en"),
    ("nube", OrganisationKind.PARTNER, "Nube Reseller S.L.", "B99887766", "ES", "EMEA", "EUR", "es"),
    (
        "webagentur",
        OrganisationKind.PARTNER,
        "Webagentur Limmat GmbH",
        "CHE-987.654.321",
        "CH",
        "EMEA",
        "CHF",
        "en",
    ),
    (
        "ibericas",
        OrganisationKind.CUSTOMER,
        "Construcciones Ibéricas S.A.",
        "A28000001",
        "ES",
        "EMEA",
        "EUR",
        "es",
    ),
    (
        "mirador",
        OrganisationKind.CUSTOMER,
        "Hotel Mirador del Sur S.L.",
        "B41000002",
        "ES",
        "EMEA",
        "USD",
        "es",
    ),
    (
        "norte",
        OrganisationKind.CUSTOMER,
        "Agencia Norte Marketing S.L.",
        "B48000003",
        "ES",
        "EMEA",
        "EUR",
        "es",
    ),
    (
        "seeblick",
        OrganisationKind.CUSTOMER,
        "Bäckerei Seeblick AG",
        "CHE-555.666.777",
        "CH",
        "EMEA",
        "CHF",
        "en",
    ),
]

# (e-mail, full name, organisation key, roles, language)
USERS = [
    ("operator@canal.test", "Olga Operadora", "operator", [Role.ADMIN], "es"),
    ("agent@canal.test", "Andrés Soporte", "operator", [Role.SUPPORT_AGENT], "es"),
    ("vendor@canal.test", "Victor Vendor", "tareo", [Role.ADMIN, Role.TECHNICAL], "en"),
    ("vendor.redwall@canal.test", "Verónica Redwall", "redwall", [Role.ADMIN], "es"),
    ("vendor.clientia@canal.test", "Carlos Clientia", "clientia", [Role.ADMIN], "es"),
    ("vendor.alpenhost@canal.test", "Anna Alpen", "alpenhost", [Role.ADMIN], "en"),
    ("vendor.flowdesk@canal.test", "Fiona Flow", "flowdesk", [Role.ADMIN, Role.SUPPORT_AGENT], "en"),
    ("partner@canal.test", "Paula Partner", "nube", [Role.LEGAL_REPRESENTATIVE, Role.ADMIN], "es"),
    ("sales@canal.test", "Sergio Ventas", "nube", [Role.MEMBER], "es"),
    ("partner.ch@canal.test", "Peter Partner", "webagentur", [Role.LEGAL_REPRESENTATIVE], "en"),
    ("customer@canal.test", "Carmen Cliente", "ibericas", [Role.ADMIN, Role.BILLING], "es"),
    ("it@canal.test", "Iván Técnico", "ibericas", [Role.TECHNICAL], "es"),
    ("hotel@canal.test", "Helena Mirador", "mirador", [Role.ADMIN], "es"),
    ("crm@canal.test", "Nuria Norte", "norte", [Role.ADMIN, Role.BILLING], "es"),
    ("user@canal.test", "Ulises Usuario", "norte", [Role.MEMBER], "es"),
    ("seeblick@canal.test", "Sabine Seeblick", "seeblick", [Role.ADMIN], "en"),
]


def load() -> dict[str, Organisation]:
    organisations = {
        key: create_organisation(
            actor=None,
            kind=kind,
            name=name,
            legal_id=legal_id,
            country=country,
            region=region,
            currency=currency,
            language=language,
        )
        for key, kind, name, legal_id, country, region, currency, language in ORGANISATIONS
    }
    for email, full_name, key, roles, language in USERS:
        for role in roles:
            membership = add_member(
                actor=None,
                organisation=organisations[key],
                email=email,
                role=role,
                full_name=full_name,
                password=DEMO_PASSWORD,
                language=language,
            )
    operator_admin = membership.user.__class__.objects.get(email="operator@canal.test")
    operator_admin.is_staff = operator_admin.is_superuser = True
    operator_admin.save(update_fields=["is_staff", "is_superuser"])

    link_client(actor=None, partner=organisations["nube"], client=organisations["ibericas"])
    link_client(
        actor=None,
        partner=organisations["nube"],
        client=organisations["norte"],
        access=AccessLevel.LIMITED,
        product_codes=["clientia-crm"],
    )
    link_client(
        actor=None,
        partner=organisations["webagentur"],
        client=organisations["seeblick"],
        payment_mode=PaymentMode.PARTNER,
    )
    return organisations
