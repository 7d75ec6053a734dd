"""The database refuses people, organisations and memberships that would make minutes wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Membership, Organisation, Person
from members.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_two_people_cannot_share_initials_whatever_the_case():
    PersonFactory(initials="SH")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(initials="sh")


def test_the_initials_clash_is_explained_at_the_field():
    PersonFactory(initials="SH")
    person = Person(given_name="Sarah", family_name="Hughes", initials="sh")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "Someone else already uses these initials." in str(error.value)


def test_initials_are_stored_in_capitals():
    person = PersonFactory(initials=" sh ")
    person.refresh_from_db()
    assert person.initials == "SH"


def test_a_person_needs_initials():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(initials="")


def test_organisation_names_are_unique_whatever_the_case():
    Organisation.objects.create(name="Socitm")
    with pytest.raises(ValidationError) as error:
        Organisation(name="SOCITM").full_clean()
    assert "already exists" in str(error.value)


def test_an_organisation_prints_its_short_name_when_it_has_one():
    full = Organisation(name="Department of Finance and Personnel NI", short_name="DFPNI")
    assert str(full) == "DFPNI"
    assert str(Organisation(name="Hytec")) == "Hytec"


def test_a_membership_cannot_end_before_it_starts():
    membership = MembershipFactory.build(
        person=PersonFactory(),
        committee=CommitteeFactory(),
        start_date=datetime.date(2009, 1, 1),
        end_date=datetime.date(2008, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "cannot end before it starts" in str(error.value)


def test_a_person_holds_an_open_role_once_but_may_hold_it_again_after_it_ended():
    committee, person = CommitteeFactory(), PersonFactory()
    role = Membership.Role.VICE_CHAIR
    Membership.objects.create(
        person=person, committee=committee, role=role, end_date=datetime.date(2009, 11, 16)
    )
    Membership.objects.create(person=person, committee=committee, role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, committee=committee, role=role)


def test_current_memberships_exclude_those_that_ended_or_have_not_started():
    committee = CommitteeFactory()
    today = datetime.date(2010, 1, 18)
    current = MembershipFactory(committee=committee)
    MembershipFactory(committee=committee, end_date=datetime.date(2009, 11, 16))
    MembershipFactory(committee=committee, start_date=datetime.date(2010, 3, 15))
    assert list(Membership.objects.current(on=today)) == [current]
