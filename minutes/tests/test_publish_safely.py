"""Publishing under real use: an edit saved during the render, two publishers at once, a
worker stopped halfway, and a PDF gone from storage.

The races run in threads, each with its own database connection, so they meet the
database's real locking (SQLite's one writer at a time; PostgreSQL's row locks).
"""

import datetime
import logging
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from meetings.services import agenda_item_add, attendance_record, meeting_schedule
from members.tests.factories import PersonFactory, UserFactory
from minutes import services
from minutes.document import MinutesDocument
from minutes.models import Action, ItemMinute, MinutesVersion, Publication
from minutes.services import (
    WorkflowError,
    action_add,
    action_close,
    action_update,
    item_minute_save,
    minutes_for_meeting,
    minutes_publish_correction,
    minutes_start_correction,
    publication_complete,
)
from minutes.tasks import publish_minutes
from minutes.tests.factories import publish, published_version

NOVEMBER = datetime.date(2009, 11, 16)


@pytest.fixture
def secretary(db):
    """Whoever publishes (no role needed here): tests that commit for real empty the
    database between them, the secretariat group with it."""
    return UserFactory(username="secretary")


@pytest.fixture
def correcting(committee, secretary):
    """Published minutes of one item, opened for a correction; and that item."""
    meeting = meeting_schedule(committee=committee, date=NOVEMBER)
    item = meeting.agenda_items.get(kind="aob")
    item_minute_save(agenda_item=item, text="As first published.", expected_revision=0, by=None)
    minutes = minutes_for_meeting(meeting=meeting)
    publish(minutes, by=secretary)
    minutes_start_correction(minutes=minutes, by=secretary)
    return minutes, item


def in_threads(*calls, timeout=60):
    """Run each call in a thread of its own (its own connection); their results, in order.

    An exception in a thread is raised here, so a request that would have failed fails
    the test.
    """
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread was still waiting: something held a lock"
    if errors:
        raise errors[0]
    return results


def stored_files(minutes) -> list[str]:
    folder = f"minutes/{minutes.meeting.committee.slug}/{minutes.meeting.date:%Y}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_minute_saved_while_the_correction_renders_is_in_the_published_version(
    correcting, secretary, monkeypatch
):
    minutes, item = correcting
    render, renders = services.render_minutes_pdf, []

    def render_while_someone_saves(document):
        renders.append(document)
        if len(renders) == 1:
            # Another request saves the item in the middle of the render.
            revision = ItemMinute.objects.get(agenda_item=item).revision
            in_threads(
                lambda: item_minute_save(
                    agenda_item=item,
                    text="Saved during the render.",
                    expected_revision=revision,
                    by=secretary,
                )
            )
        return render(document)

    monkeypatch.setattr(services, "render_minutes_pdf", render_while_someone_saves)
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")

    version = publication_complete(minutes_id=minutes.pk)

    assert len(renders) == 2, "the first render was out of date, so it rendered again"
    assert [i.text for i in renders[1].items if i.text] == ["Saved during the render."]
    assert "Saved during the render." in version.plain_text
    assert ItemMinute.objects.get(agenda_item=item).text == "Saved during the render."
    assert not Publication.objects.exists()


def record_attendance(meeting):
    person = PersonFactory(given_name="Glyn", family_name="Evanson")
    attendance_record(meeting=meeting, statuses={person: "present"})
    return "Glyn Evanson"


def add_agenda_item(meeting):
    agenda_item_add(meeting=meeting, title="Shared services review")
    return "Shared services review"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("change", [record_attendance, add_agenda_item])
def test_attendance_or_agenda_changed_while_the_correction_renders_is_in_the_published_version(
    correcting, secretary, monkeypatch, change
):
    minutes, _ = correcting
    render, renders, made = services.render_minutes_pdf, [], []

    def render_while_someone_changes_the_record(document):
        renders.append(document)
        if len(renders) == 1:
            # Another request records attendance, or adds an item, in the middle of the render.
            made.extend(in_threads(lambda: change(minutes.meeting)))
        return render(document)

    monkeypatch.setattr(services, "render_minutes_pdf", render_while_someone_changes_the_record)
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Attendance.")

    version = publication_complete(minutes_id=minutes.pk)

    assert len(renders) == 2, "the first render was out of date, so it rendered again"
    assert made[0] in version.plain_text
    assert made[0] not in minutes.versions.get(number=1).plain_text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_secretaries_publishing_at_once_make_one_request_and_no_error(correcting, secretary):
    minutes, _ = correcting
    ready = threading.Barrier(2)

    def publish_correction():
        ready.wait()
        try:
            minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
        except WorkflowError as refused:
            return str(refused)
        return "asked"

    answers = in_threads(publish_correction, publish_correction)

    assert sorted(answers) == [
        "These minutes are being published: wait a moment for the new version.",
        "asked",
    ]
    assert Publication.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_publishing_the_same_minutes_commit_one_version_and_one_file(
    correcting, secretary, monkeypatch
):
    minutes, _ = correcting
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    render, both_rendering = services.render_minutes_pdf, threading.Barrier(2)

    def render_side_by_side(document):
        pdf = render(document)
        both_rendering.wait(timeout=60)
        return pdf

    monkeypatch.setattr(services, "render_minutes_pdf", render_side_by_side)

    results = in_threads(
        lambda: publication_complete(minutes_id=minutes.pk),
        lambda: publication_complete(minutes_id=minutes.pk),
    )

    assert sorted(v.number if v else 0 for v in results) == [0, 2]
    assert list(minutes.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert stored_files(minutes) == [
        "socitm-futures-minutes-2009-11-16-v1.pdf",
        "socitm-futures-minutes-2009-11-16-v2.pdf",
    ]


@pytest.mark.django_db
def test_a_crash_before_the_commit_leaves_no_file_and_the_task_publishes_when_run_again(
    correcting, secretary, monkeypatch
):
    minutes, _ = correcting
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    real_save = MinutesVersion.save

    def crash(*args, **kwargs):
        real_save(*args, **kwargs)
        raise SystemExit("the worker was stopped")

    monkeypatch.setattr(MinutesVersion, "save", crash)
    with pytest.raises(SystemExit):
        publication_complete(minutes_id=minutes.pk)
    monkeypatch.setattr(MinutesVersion, "save", real_save)

    assert minutes.versions.count() == 1
    assert stored_files(minutes) == ["socitm-futures-minutes-2009-11-16-v1.pdf"]
    assert Publication.objects.filter(minutes=minutes).exists(), "still wanted"

    publish_minutes.enqueue(minutes_id=minutes.pk)
    version = published_version(minutes)

    assert version.number == 2
    assert version.pdf.name.endswith("/socitm-futures-minutes-2009-11-16-v2.pdf")
    assert stored_files(minutes) == [
        "socitm-futures-minutes-2009-11-16-v1.pdf",
        "socitm-futures-minutes-2009-11-16-v2.pdf",
    ]
    assert publication_complete(minutes_id=minutes.pk) is None, "nothing left to do"
    assert minutes.versions.count() == 2


@pytest.mark.django_db
def test_a_pdf_missing_from_storage_is_rendered_again_with_a_warning(
    client_for, member, correcting, caplog
):
    minutes, _ = correcting
    version = minutes.versions.get()
    default_storage.delete(version.pdf.name)

    with caplog.at_level(logging.WARNING, logger="minutes.services"):
        response = client_for(member).get(
            reverse("minutes:pdf", kwargs=minutes.meeting.url_kwargs())
        )

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert int(response["Content-Length"]) == len(body)
    assert "is missing from storage" in caplog.text
    assert default_storage.exists(version.pdf.name), "stored again for the next reader"


@pytest.mark.django_db
def test_a_stop_after_the_commit_leaves_a_version_whose_pdf_is_rendered_on_demand(
    client_for, member, correcting, secretary, monkeypatch
):
    minutes, _ = correcting
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")

    def stopped(name, pdf_bytes):
        raise SystemExit("the worker was stopped before writing the file")

    monkeypatch.setattr(services, "_store_pdf", stopped)
    with pytest.raises(SystemExit):
        publication_complete(minutes_id=minutes.pk)
    monkeypatch.undo()

    version = minutes.versions.get(number=2)
    assert not default_storage.exists(version.pdf.name)
    response = client_for(member).get(reverse("minutes:pdf", kwargs=minutes.meeting.url_kwargs()))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert stored_files(minutes) == [
        "socitm-futures-minutes-2009-11-16-v1.pdf",
        "socitm-futures-minutes-2009-11-16-v2.pdf",
    ]


@pytest.mark.django_db
def test_minutes_that_keep_changing_are_not_published_and_can_be_published_again(
    client_for, correcting, secretary, superuser, monkeypatch
):
    minutes, _ = correcting
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    edits = iter(range(100))
    monkeypatch.setattr(services, "_snapshot", lambda minutes: next(edits))

    assert publication_complete(minutes_id=minutes.pk) is None

    page = client_for(superuser).get(reverse("minutes:workflow", args=[minutes.meeting_id]))
    assert "kept changing while they were being published" in page.content.decode()
    monkeypatch.undo()
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    assert published_version(minutes).number == 2


@pytest.mark.django_db
def test_a_publication_whose_pdf_cannot_be_made_says_why_and_can_be_asked_for_again(
    client_for, correcting, secretary, superuser, run_tasks, monkeypatch
):
    minutes, _ = correcting
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")

    def disk_full(document):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "render_minutes_pdf", disk_full)
    run_tasks()

    page = client_for(superuser).get(reverse("minutes:workflow", args=[minutes.meeting_id]))
    text = page.content.decode()
    assert "<strong>Not published:</strong> The PDF could not be made" in text
    assert "([Errno 28] No space left on device). Publish them again" in text
    assert "Publishing…" not in text
    monkeypatch.undo()
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    assert published_version(minutes).number == 2


def wait_until_waiting_for_a_lock(thread):
    """Let ``thread`` run until it waits for a lock this test's transaction holds (or ends).

    PostgreSQL says when a backend waits for a lock; SQLite, one writer at a time,
    does not, so there the thread is given a moment to reach its wait.
    """
    if connection.vendor != "postgresql":
        thread.join(0.5)
        return
    for _ in range(600):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] or not thread.is_alive():
                return
        thread.join(0.05)


@pytest.fixture
def correcting_an_action(correcting):
    """The correction adds an action under the item; the minutes, the item, the action."""
    minutes, item = correcting
    owner = PersonFactory(given_name="Tess", family_name="Grey")
    action = action_add(agenda_item=item, text="Write to the auditors", owners=[owner])
    return minutes, item, action


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_closed_while_the_correction_renders_is_in_the_published_version(
    correcting_an_action, secretary, monkeypatch
):
    minutes, _, action = correcting_an_action
    render, renders = services.render_minutes_pdf, []

    def render_while_someone_closes_the_action(document):
        renders.append(document)
        if len(renders) == 1:
            in_threads(lambda: action_close(action=action, note="Letter sent."))
        return render(document)

    monkeypatch.setattr(services, "render_minutes_pdf", render_while_someone_closes_the_action)
    minutes_publish_correction(minutes=minutes, by=secretary, reason="An action was missed.")

    version = publication_complete(minutes_id=minutes.pk)

    assert len(renders) == 2, "the first render was out of date, so it rendered again"
    assert [a.status for a in renders[1].actions] == ["done"]
    assert minutes.published_actions.get().status == "done"
    assert [a.closing_note for a in MinutesDocument.from_json(version.document).actions] == [
        "Letter sent."
    ]


def publish_while(minutes, secretary, monkeypatch, change):
    """Publish the correction while another request makes ``change`` as the version commits.

    The change starts once the version's actions are copied, with the minutes locked;
    it ends after the commit. The version, and what the other request answered.
    """
    copy_actions, threads, answers = services._publish_actions, [], []

    def other_request():
        try:
            answers.append(change())
        except WorkflowError as refused:
            answers.append(str(refused))
        finally:
            connection.close()

    def change_it_meanwhile(fresh):
        copy_actions(fresh)
        threads.append(threading.Thread(target=other_request))
        threads[0].start()
        wait_until_waiting_for_a_lock(threads[0])

    monkeypatch.setattr(services, "_publish_actions", change_it_meanwhile)
    minutes_publish_correction(minutes=minutes, by=secretary, reason="An action was missed.")
    version = publication_complete(minutes_id=minutes.pk)
    threads[0].join(60)
    assert not threads[0].is_alive()
    return version, answers[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "follow_up, seen",
    [
        (lambda action: action_close(action=action, note="Letter sent."), "done"),
        (lambda action: action_close(action=action, status="withdrawn"), "withdrawn"),
    ],
)
def test_an_action_closed_as_the_version_commits_waits_for_it_and_readers_see_it_closed(
    correcting_an_action, secretary, monkeypatch, follow_up, seen
):
    """The follow-up takes the minutes' lock, so it comes after the version, not lost under it."""
    minutes, _, action = correcting_an_action

    version, _ = publish_while(minutes, secretary, monkeypatch, lambda: follow_up(action))

    assert [a.status for a in MinutesDocument.from_json(version.document).actions] == ["open"]
    assert Action.objects.get(pk=action.pk).status == seen
    assert minutes.published_actions.get().status == seen, "what readers see is not lost"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_edited_as_the_version_commits_is_refused_once_it_is_published(
    correcting_an_action, secretary, monkeypatch
):
    minutes, _, action = correcting_an_action
    loaded = Action.objects.get(pk=action.pk)  # the edit form's action, as it was loaded

    version, answer = publish_while(
        minutes,
        secretary,
        monkeypatch,
        lambda: action_update(
            action=loaded,
            text="Write to the auditors and the chair",
            owners=list(loaded.owners.all()),
            due_date=None,
            status="open",
        ),
    )

    assert isinstance(answer, str), "refused"
    assert Action.objects.get(pk=action.pk).text == "Write to the auditors"
    assert minutes.published_actions.get().text == "Write to the auditors"
    assert "Write to the auditors and the chair" not in version.plain_text
