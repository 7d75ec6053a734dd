"""The minutes importer's parser: per-field scores on the corpus and parse time per page.

    python bench/import_parse.py [--repeat N]

Prints, for the development and the held-out corpus (minutes/importing/tests/corpus), each
document's scores per field (F1 against its truth file; organisations and the date as the share
right) and the parser's time per page (a page taken as 3,000 characters), then each field
averaged over the documents, against the bar the evaluation test holds the parser to. The
reference minutes are parsed from their one home. Reading the files is not timed; parsing is,
as the best of N runs after one warm-up.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from minutes.importing.evaluation import (
        BAR,
        FIELDS,
        HELD_OUT_FLOOR,
        averages,
        corpus_documents,
        evaluate,
    )
    from minutes.importing.parse import parse_minutes
    from minutes.importing.readers import read_text

    short = {f: f[:6] for f in FIELDS}
    slowest = 0.0
    for part, bar in (("dev", BAR), ("heldout", HELD_OUT_FLOOR)):
        results = evaluate(part)
        print(f"\n{part} corpus ({len(results)} documents)")
        print(f"{'document':38} " + " ".join(f"{short[f]:>6}" for f in FIELDS) + "  ms/page")
        for result, (document, _) in zip(results, corpus_documents(part), strict=True):
            text = read_text(document.name, document.read_bytes())
            parse_minutes(text)
            best = min(_timed(parse_minutes, text) for _ in range(args.repeat))
            per_page = best / result.pages * 1000
            slowest = max(slowest, per_page)
            cells = " ".join(
                f"{'-':>6}" if result.scores[f] is None else f"{result.scores[f]:6.2f}"
                for f in FIELDS
            )
            print(f"{result.name[:38]:38} {cells}  {per_page:7.1f}")
        mean = averages(results)
        print(f"{'average':38} " + " ".join(f"{mean[f]:6.2f}" for f in FIELDS))
        label = "bar" if part == "dev" else "floor"
        print(f"{label:38} " + " ".join(f"{bar[f]:6.2f}" for f in FIELDS))
        misses = [f for f in FIELDS if mean[f] < bar[f]]
        print("MISS: " + ", ".join(misses) if misses else "all fields at or above the " + label)
    print(f"\nslowest parse: {slowest:.1f} ms per page (target: under 200 ms per page)")


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
