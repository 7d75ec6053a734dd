"""The parser scored per field against truth files written by reading each document.

The corpus (``corpus/dev`` and ``corpus/heldout``) is public minutes in the styles committees
use — parish councils, boards, project steering groups, working-group notes — with the
address of each in its truth file. ``bench/import_parse.py`` prints the same figures.
"""

import json

import pytest

from minutes.importing.evaluation import (
    BAR,
    CORPUS,
    FIELDS,
    HELD_OUT_FLOOR,
    averages,
    corpus_documents,
    evaluate,
)


def test_the_corpus_has_documents_in_every_style_each_with_its_source():
    documents = corpus_documents("dev") + corpus_documents("heldout")
    assert len(documents) >= 12
    for document, truth in documents:
        assert document.exists(), document
        assert json.loads(truth.read_text())["source"], truth


@pytest.mark.parametrize("field", FIELDS)
def test_the_parser_meets_the_bar_on_the_development_corpus(field):
    scores = averages(evaluate("dev"))
    assert scores[field] >= BAR[field], f"{field}: {scores[field]:.2f} < {BAR[field]}"


@pytest.mark.parametrize("field", FIELDS)
def test_the_parser_keeps_its_floor_on_the_held_out_corpus(field):
    scores = averages(evaluate("heldout"))
    assert scores[field] >= HELD_OUT_FLOOR[field], (
        f"{field}: {scores[field]:.2f} < {HELD_OUT_FLOOR[field]}"
    )


def test_the_reference_scores_full_marks_on_every_field():
    (reference,) = [r for r in evaluate("dev") if r.name.startswith("socitm")]
    assert {k: v for k, v in reference.scores.items() if v is not None} == dict.fromkeys(
        [k for k, v in reference.scores.items() if v is not None], 1.0
    )


def test_a_wrong_parse_scores_below_the_bar():
    """The scorer can fail: a draft that finds nothing scores zero."""
    from minutes.importing.evaluation import score_document

    truth = json.loads((CORPUS / "dev" / "melton-pc-2021-05-05.truth.json").read_text())
    empty = {"date": None, "present": [], "in_attendance": [], "apologies": [], "absent": [],
             "items": [], "next_meeting": None, "warnings": []}  # fmt: skip
    scores = score_document(truth, empty)
    assert scores["date"] == 0 and scores["people"] == 0 and scores["titles"] == 0
