"""The open-data API: the record as data, readable exactly as the pages are."""

import datetime
import io
import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token

from meetings.services import attendance_record, guest_add
from meetings.tests.factories import MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory
from minutes.services import minutes_publish_correction, minutes_start_correction
from minutes.tests import reference
from minutes.tests.factories import ItemMinuteFactory, publish, published_version

pytestmark = pytest.mark.django_db

REFERENCE_DATE = datetime.date(2009, 11, 16)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def minutes_with(committee, date, text):
    meeting = MeetingFactory(committee=committee, date=date)
    return ItemMinuteFactory(minutes__meeting=meeting, text=text).minutes


def test_the_reference_meeting_comes_out_whole(client_for, demo):
    client = client_for(None)
    listed = get(
        client,
        "/api/v1/minutes/",
        committee="socitm-futures",
        date_from="2009-11-16",
        date_to="2009-11-16",
    )
    assert listed["count"] == 1
    detail = get(client, f"/api/v1/minutes/{listed['results'][0]['id']}/")
    notes = [p["note"] for p in detail["participants"]]
    assert notes.count("present") == 15
    assert notes.count("apologies") == 8
    assert len(detail["participants"]) == 23
    assert [item["number"] for item in detail["agenda"]] == ["1", "2", "3", "4", "5", "6"]
    assert reference.in_order(
        reference.reference_text(),
        [f"{item['number']}. {item['description']}" for item in detail["agenda"]],
    )
    decisions = [text for item in detail["agenda"] for text in item["decisions"]]
    assert len(decisions) == 2
    assert any("Proposed meeting dates were agreed" in text for text in decisions)
    actions = [action for item in detail["agenda"] for action in item["actions"]]
    assert [action["owners"] for action in actions] == [["SH"]]
    assert "letter of thanks" in actions[0]["text"]
    assert detail["media"][0]["links"][0]["media_type"] == "application/pdf"
    pdf = client.get(detail["media"][0]["links"][0]["url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_members_only_minutes_need_a_members_login_or_token(
    client_for, committee, member, outsider, secretary
):
    assert committee.minutes_visibility == Committee.Visibility.MEMBERS
    publish(minutes_with(committee, REFERENCE_DATE, "Pomegranates."), by=secretary)
    minutes_with(committee, datetime.date(2010, 1, 18), "A draft.")
    assert get(client_for(None), "/api/v1/minutes/")["count"] == 0
    assert get(client_for(outsider), "/api/v1/minutes/")["count"] == 0
    assert get(client_for(member), "/api/v1/minutes/")["count"] == 1
    token = Token.objects.create(user=member)
    client = client_for(None)
    by_token = client.get("/api/v1/minutes/", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [row["date"] for row in by_token["results"]] == ["2009-11-16"]
    wrong = client.get("/api/v1/minutes/", HTTP_AUTHORIZATION="Token not-a-token")
    assert wrong.status_code == 401


def test_a_correction_in_progress_is_not_in_the_api(client_for, committee, secretary):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    minutes = minutes_with(committee, REFERENCE_DATE, "As published.")
    version = publish(minutes, by=secretary)
    minutes_start_correction(minutes=minutes, by=secretary)
    row = minutes.item_minutes.get()
    row.text = "Not yet published."
    row.save()
    detail = get(client_for(None), f"/api/v1/minutes/{version.pk}/")
    assert detail["agenda"][0]["notes"] == "As published."


def test_the_minutes_list_gives_the_version_a_correction_published_and_earlier_ones_on_request(
    client_for, committee, secretary
):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    corrected = minutes_with(committee, REFERENCE_DATE, "As first published.")
    first = publish(corrected, by=secretary)
    other = publish(minutes_with(committee, datetime.date(2010, 1, 18), "January."), by=secretary)
    minutes_start_correction(minutes=corrected, by=secretary)
    minutes_publish_correction(minutes=corrected, by=secretary, reason="A name was misspelt.")
    second = published_version(corrected)
    client = client_for(None)

    current = get(client, "/api/v1/minutes/")["results"]
    assert [(row["id"], row["version"]) for row in current] == [(other.pk, 1), (second.pk, 2)]
    every = get(client, "/api/v1/minutes/", all_versions="true")["results"]
    assert [row["id"] for row in every] == [other.pk, second.pk, first.pk]
    # The list changed when the correction was published, the latest version in it.
    latest = client.get("/api/v1/minutes/")
    assert latest["Last-Modified"] == http_date(second.created_at.timestamp())


def test_events_show_an_agenda_and_minutes_only_to_those_who_may_read_them(
    client_for, committee, member, secretary
):
    minutes = minutes_with(committee, REFERENCE_DATE, "Pomegranates.")
    publish(minutes, by=secretary)
    meeting = minutes.meeting
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    anonymous = get(client_for(None), "/api/v1/events/")["results"][0]
    assert anonymous["status"] == "passed"
    assert anonymous["name"] == f"{committee.name} meeting"
    assert anonymous["agenda"] == []
    assert anonymous["minutes"] == []
    readable = get(client_for(member), "/api/v1/events/")["results"][0]
    item = minutes.item_minutes.get().agenda_item
    assert readable["agenda"] == [
        {"order": item.position, "number": item.number, "description": item.title}
    ]
    assert len(readable["minutes"]) == 1


def test_an_unchanged_answer_is_a_304_and_minutes_say_when_they_last_changed(client_for, demo):
    client = client_for(None)
    first = client.get("/api/v1/minutes/")
    assert first["Last-Modified"]
    again = client.get("/api/v1/minutes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v1/committees/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200


def test_a_bad_date_filter_says_what_is_wrong(client_for):
    response = client_for(None).get("/api/v1/minutes/", {"date_from": "16/11/2009"})
    assert response.status_code == 400
    assert response.json() == {"date_from": "Give a date as YYYY-MM-DD."}


def test_lists_come_a_page_at_a_time(client_for, demo):
    client = client_for(None)
    first = get(client, "/api/v1/people/", page_size=10)
    assert first["count"] == 23
    assert len(first["results"]) == 10
    last = get(client, "/api/v1/people/", page_size=10, page=3)
    assert len(last["results"]) == 3
    assert last["next"] is None


def test_people_and_organisations_are_those_named_in_readable_minutes(client_for, demo, outsider):
    Committee.objects.update(minutes_visibility=Committee.Visibility.MEMBERS)
    assert get(client_for(outsider), "/api/v1/people/")["count"] == 0
    assert get(client_for(outsider), "/api/v1/organisations/")["count"] == 0
    Committee.objects.update(minutes_visibility=Committee.Visibility.PUBLIC)
    names = [p["name"] for p in get(client_for(None), "/api/v1/people/", page_size=50)["results"]]
    assert "Suzanne Horner" in names


def test_people_recorded_at_a_meeting_are_listed_once_its_minutes_are_published(
    client_for, committee, secretary
):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    minutes = minutes_with(committee, REFERENCE_DATE, "Pomegranates.")
    lucy = PersonFactory(given_name="Lucy", family_name="Ames", organisation=None)
    kent = OrganisationFactory(name="Kent CC")
    gail = PersonFactory(given_name="Gail", family_name="Brown", organisation=kent)
    attendance_record(meeting=minutes.meeting, statuses={lucy: "present"})
    guest_add(meeting=minutes.meeting, person=gail)
    hidden = CommitteeFactory(minutes_visibility=Committee.Visibility.MEMBERS)
    unread = minutes_with(hidden, REFERENCE_DATE, "Quinces.")
    omar = PersonFactory(given_name="Omar", family_name="Cole", organisation=None)
    attendance_record(meeting=unread.meeting, statuses={omar: "present"})
    publish(unread, by=secretary)
    client = client_for(None)

    def listed(path, field):
        return [row[field] for row in get(client, path)["results"]]

    assert listed("/api/v1/people/", "name") == []
    publish(minutes, by=secretary)
    assert listed("/api/v1/people/", "name") == ["Lucy Ames", "Gail Brown"]
    assert listed("/api/v1/organisations/", "name") == ["Kent CC"]


def test_the_schema_is_valid_openapi_and_the_documentation_page_is_served_from_here(client_for):
    client = client_for(None)
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    validate(yaml.safe_load(schema.content))
    paths = yaml.safe_load(schema.content)["paths"]
    assert {"/api/v1/minutes/", "/api/v1/minutes/{id}/", "/api/v1/events/"} <= set(paths)
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    body = docs.content.decode().split("<body", 1)[1]
    # Scripts come from the site itself, none inline: the page keeps the strict CSP.
    assert "https://" not in body
    assert "<script>" not in body
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_list_queries_do_not_grow_with_the_archive(client_for, demo, django_assert_max_num_queries):
    client = client_for(None)
    counts = {}
    for path in ("/api/v1/minutes/", "/api/v1/events/", "/api/v1/people/"):
        with django_assert_max_num_queries(8) as captured:
            client.get(path)
        counts[path] = len(captured)
    # Twice the meetings, the same number of queries.
    for day in (1, 2, 3, 4):
        MeetingFactory(
            committee=Committee.objects.get(slug="socitm-futures"),
            date=datetime.date(2011, 1, day),
        )
    for path, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(path)
    assert json.loads(client.get("/api/v1/committees/").content)["count"] >= 1


def test_a_member_makes_replaces_and_revokes_their_token_and_it_reads_their_minutes(
    client_for, committee, member, secretary
):
    publish(minutes_with(committee, REFERENCE_DATE, "Pomegranates."), by=secretary)
    client = client_for(member)
    page = client.get(reverse("minutes:api_token"))
    assert "You have no token." in page.content.decode()
    client.post(reverse("minutes:api_token"), {"action": "create"})
    first = Token.objects.get(user=member).key
    assert first in client.get(reverse("minutes:api_token")).content.decode()
    client.post(reverse("minutes:api_token"), {"action": "replace"})
    second = Token.objects.get(user=member).key
    assert second != first
    reader = client_for(None)
    old = reader.get("/api/v1/minutes/", HTTP_AUTHORIZATION=f"Token {first}")
    assert old.status_code == 401
    new = reader.get("/api/v1/minutes/", HTTP_AUTHORIZATION=f"Token {second}")
    assert new.json()["count"] == 1
    client_for(member).post(reverse("minutes:api_token"), {"action": "revoke"})
    gone = client_for(None).get("/api/v1/minutes/", HTTP_AUTHORIZATION=f"Token {second}")
    assert gone.status_code == 401


def test_the_token_page_needs_a_login(client_for):
    response = client_for(None).get(reverse("minutes:api_token"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
