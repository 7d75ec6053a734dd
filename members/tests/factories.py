import factory
from django.contrib.auth import get_user_model

from members.models import Committee, Membership, Organisation, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Borough Council {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Sequence(lambda n: f"Member{n}")
    initials = factory.Sequence(lambda n: f"P{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Scrutiny Panel {n}")
    slug = factory.Sequence(lambda n: f"scrutiny-panel-{n}")
    parent_body = "Socitm"
    minutes_visibility = Committee.Visibility.MEMBERS


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = Membership.Role.MEMBER
