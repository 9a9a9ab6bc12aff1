"""bench/analysis.py runs end to end on a tiny JSONL file and finds every variant that should
give the same results giving them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.sitebuild import ROOT

# Made-up articles, in the two shapes the benchmark reads: a Dutch `text` with a title and an
# English `article` (with a quote that opens after a full stop, a heading line and a repeat).
ROWS = [
    {"id": 1, "published_at": "2019-03-01", "title": "Rusland wijst diplomaten uit",
     "text": "Rusland heeft drie diplomaten uitgewezen. Dat meldt het ministerie in Den Haag. "
             "De ambassadeur is ontboden, zei hij. “Dit is onaanvaardbaar,” zei de minister.\n\n"
             "Nederland reageert boos op het besluit van Moskou. De diplomaten moeten binnen "
             "een week vertrekken."},
    {"id": 2, "published_at": "2019-03-05", "title": "Kabinet wacht op de uitslag",
     "text": "De premier wacht op de telling na de verkiezingen in de provincies. Zijn partij "
             "verliest zetels!  Waarom nu? Niemand weet het.\n\nDe premier wacht op de telling "
             "na de verkiezingen in de provincies."},
    {"id": "en-1",
     "article": "The ministers met in Brussels on Monday to talk about gas deliveries. They "
                "agreed on a new plan, the spokesman said. \"We are pleased with the result,\" "
                "he added. The talks will go on next week in Vienna, where the leaders will "
                "sign the treaty."},
]
ROW_LABELS = ("tokenizer alone", "before: whole analysis", "now: Analyzer.analyze")


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("bench-analysis") / "articles.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS),
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "bench/analysis.py", str(path), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bench_analysis_times_every_variant(figures):
    assert figures["articles"] == 3
    assert figures["languages"] == ["en", "nl"]
    variants = [row["variant"] for row in figures["rows"]]
    for label in ROW_LABELS:
        assert any(variant.startswith(label) for variant in variants), label
    for row in figures["rows"]:
        assert row["seconds"] >= 0, row


def test_bench_analysis_variants_give_the_results_of_before(figures):
    marked = {row["variant"]: row["identical"] for row in figures["rows"]}
    assert "NO" not in marked.values(), marked
    assert marked["now: Analyzer.analyze, end to end"] == "yes"
    lookup = marked["lemmas: spaCy lookup lemmatizer (spacy-lookups-data)"]
    if importlib.util.find_spec("spacy_lookups_data"):  # the `bench` extra
        assert lookup.startswith("en: ") and "% of word tokens" in lookup, lookup
    else:
        assert lookup.startswith("en: no table"), lookup


def test_bench_analysis_prints_a_table(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(ROWS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "bench/analysis.py", str(path), "--limit", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "articles.jsonl: 1 articles"
    assert lines[2] == "| variant | seconds | articles/s | identical |"
    assert all(line.count("|") == 5 for line in lines[4:]), lines
