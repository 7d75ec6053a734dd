"""The review screen: merging two items, splitting one at a line, and saying who an unknown
name is. Nothing is saved before the secretary saves."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from members.models import Person
from members.tests.factories import PersonFactory
from minutes.importing.forms import PeopleMatchForm
from minutes.importing.models import ImportUpload
from minutes.importing.tests.test_import_views import upload

MINUTES = """\
Minutes of the meeting held on 6 March 2023

Present: Jane Smith, Janet Smithers

1. Parks
The play area was discussed.
Footpaths
The footpath by the church is blocked.
It was agreed to write to the county council.

2. Budget
The budget was noted.

3. Any other business
None.
"""


@pytest.fixture
def review(committee, secretary, client_for, run_tasks):
    """The secretary's client and the review page of the minutes above, read by the task."""
    client = client_for(secretary)
    upload(client, committee, pasted=MINUTES)
    run_tasks()
    return client, reverse("minutes:import_review", args=[ImportUpload.objects.get().pk])


def as_posted(response) -> dict:
    """What the browser would send back from the page ``response`` shows."""
    form, items = response.context["form"], response.context["items"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.pop("publish")
    data.update({f"items-{k}": v for k, v in items.management_form.initial.items()})
    for index, item in enumerate(items):
        data.update({f"items-{index}-{name}": item[name].value() or "" for name in item.fields})
        data.pop(f"items-{index}-DELETE")
    return data


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["items"].initial]


def test_two_adjacent_items_merge_into_the_first_and_nothing_is_saved(review):
    client, url = review
    page = client.get(url)
    assert titles(page) == ["Parks", "Budget", "Any other business"]
    merged = client.post(url, {**as_posted(page), "merge": "0"})
    assert merged.status_code == 200
    assert titles(merged) == ["Parks", "Any other business"]
    (parks, _) = merged.context["items"].initial
    assert parks["text"].endswith("Budget\nThe budget was noted.")
    assert not Meeting.objects.exists()


def test_an_item_splits_at_a_line_of_its_text_which_titles_the_new_item(review):
    client, url = review
    data = as_posted(client.get(url))
    assert data["items-0-text"].splitlines()[2] == "Footpaths"
    split = client.post(url, {**data, "items-0-split_at": "3", "split": "0"})
    assert titles(split) == ["Parks", "Footpaths", "Budget", "Any other business"]
    parks, footpaths = split.context["items"].initial[:2]
    assert parks["text"] == "The play area was discussed."
    assert footpaths["text"].startswith("The footpath by the church is blocked.")
    # Saved as split: two items where the file had one.
    saved = client.post(url, as_posted(split))
    assert saved.status_code == 302
    assert list(Meeting.objects.get().agenda_items.values_list("title", flat=True)) == [
        "Parks", "Footpaths", "Budget", "Any other business",
    ]  # fmt: skip


def test_an_item_splits_at_the_line_that_starts_with_the_words_given(review):
    client, url = review
    data = as_posted(client.get(url))
    split = client.post(url, {**data, "items-0-split_at": "footpaths", "split": "0"})
    assert titles(split) == ["Parks", "Footpaths", "Budget", "Any other business"]


def test_a_split_at_a_line_the_item_does_not_have_says_so_and_keeps_what_was_typed(review):
    client, url = review
    data = as_posted(client.get(url))
    data["venue"] = "The Village Hall"
    response = client.post(url, {**data, "items-1-split_at": "9", "split": "1"})
    page = response.content.decode()
    assert "“Budget”: give the number (1 to 1) or the first words of a line" in page
    assert titles(response) == ["Parks", "Budget", "Any other business"]
    assert "The Village Hall" in page


def test_an_unknown_name_can_be_matched_to_someone_recorded_or_added(review):
    client, url = review
    jane = PersonFactory(given_name="Jane", family_name="Smith")
    janet = PersonFactory(given_name="Janet", family_name="Smithson")
    page = client.get(url)
    assert page.context["people"].names == ["Janet Smithers"]  # Jane Smith is found by name
    assert "People not found" in page.content.decode()
    data = as_posted(page)
    data[PeopleMatchForm.field_name("Janet Smithers")] = str(janet.pk)
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.attendances.values_list("person", flat=True)) == {jane.pk, janet.pk}
    assert not Person.objects.filter(family_name="Smithers").exists()


def test_an_unknown_name_left_alone_is_added_as_a_new_person(review):
    client, url = review
    PersonFactory(given_name="Jane", family_name="Smith")
    assert client.post(url, as_posted(client.get(url))).status_code == 302
    assert Person.objects.filter(given_name="Janet", family_name="Smithers").exists()
