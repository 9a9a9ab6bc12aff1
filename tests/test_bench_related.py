"""bench/related.py: the related-articles benchmark prints its tables on small sets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_related", ROOT / "bench" / "related.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_bench_related_compares_before_and_now_on_every_set(bench, capsys):
    bench.main(["--dutch", str(FIXTURES / "themes_tiny_articles.jsonl"),
                "--dutch-labels", str(FIXTURES / "themes_tiny_labels.jsonl"), "--repeat", "2"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("| set | articles | method | coverage | precision | recall "
                        "| links/article | time (s) |")
    rows = [line.split(" | ")[:3] for line in lines if line.startswith("| ") and "---" not in line]
    assert ["| English stories", "28", "before"] in rows
    assert ["| English stories", "28", "now"] in rows
    assert ["| English, one subject", "12", "now"] in rows
    assert [row[2] for row in rows if row[0] == "| Dutch news"] == ["before", "now"]
    assert [row[2] for row in rows if row[0] == "| Dutch news, renamed copies ×2"] == [
        "before", "now"]
    # Too few articles for four subjects of three: no small digests.
    assert not any("small digests" in line for line in lines)


def test_bench_related_renamed_copies_share_only_common_words(bench):
    english = bench.english_stories(bench.ENGLISH_STORIES, bench.Analyzer())
    doubled = bench.renamed_copies(english, 2)
    count = len(english.articles)
    assert len(doubled.articles) == 2 * count
    original, copy = doubled.articles[0], doubled.articles[count]
    assert copy.article.path.as_posix() == f"copy-1/{original.article.path}"
    assert any(lemma.endswith("#1") for s in copy.sentences for lemma in s.lemmas)
    assert [s.text for s in copy.sentences] == [s.text for s in original.sentences]
