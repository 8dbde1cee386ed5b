import factory

from canal.accounts.models import (
    ClientRelationship,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.CUSTOMER
    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "ES"
    currency = "EUR"
    language = "es"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADMIN


class ClientRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientRelationship

    partner = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.PARTNER)
    client = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CUSTOMER)


def member(kind: str = OrganisationKind.CUSTOMER, role: str = Role.ADMIN, **organisation: object) -> User:
    """A user who holds `role` in a new organisation of `kind`."""
    membership = MembershipFactory(organisation=OrganisationFactory(kind=kind, **organisation), role=role)
    return membership.user
