"""bench/summaries.py: one table of every method and score, or the same as JSON."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "summaries.py"
TINY = ROOT / "tests" / "fixtures" / "summaries_tiny.jsonl"
METHODS = ("ours", "lead-3", "sumy lexrank", "sumy textrank")
COLUMNS = ("method", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum", "words", "articles/s")
KEYS = {"rouge1", "rouge2", "rougeLsum", "words", "articles_per_s"}

pytest.importorskip("rouge_score")
pytest.importorskip("sumy")


def run_bench(*args: str | Path) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def table_rows(output: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in output.splitlines() if line.startswith("|") and "---" not in line]


def test_bench_summaries_prints_one_table_of_every_method_and_column():
    header, *rows = table_rows(run_bench(TINY))
    assert header == list(COLUMNS)
    assert [row[0] for row in rows] == list(METHODS)
    for row in rows:
        assert len(row) == len(COLUMNS)
        rouge = [float(cell) for cell in row[1:4]]
        assert all(0.0 <= value <= 100.0 for value in rouge)
        assert float(row[4]) > 0 and float(row[5]) > 0


def test_bench_summaries_json_has_every_key_for_every_method():
    results = json.loads(run_bench(TINY, "--json", "--sentences", "2"))
    assert list(results) == ["ours", "lead-2", "sumy lexrank", "sumy textrank"]
    for scores in results.values():
        assert set(scores) == KEYS
        assert scores["rouge2"] <= scores["rouge1"]


def test_bench_summaries_sentences_bound_the_summary_length():
    short = json.loads(run_bench(TINY, "--json", "--sentences", "1"))
    long = json.loads(run_bench(TINY, "--json", "--sentences", "3"))
    assert short["lead-1"]["words"] < long["lead-3"]["words"]
    assert short["ours"]["words"] < long["ours"]["words"]


def test_bench_summaries_scores_headline_recall_without_references(tmp_path):
    rows = [json.loads(line) for line in TINY.read_text(encoding="utf-8").splitlines()]
    headlines = tmp_path / "headlines.jsonl"
    headlines.write_text("".join(
        json.dumps({"id": row["id"], "title": row.get("title"), "text": row["article"]}) + "\n"
        for row in rows), encoding="utf-8")
    output = run_bench(headlines, "--language", "en")
    header, *table = table_rows(output)
    assert "headline R-1 recall" in header
    # An article without a title has nothing to be scored against.
    assert output.startswith(f"{sum(1 for row in rows if row.get('title'))} articles")
    assert [row[0] for row in table] == list(METHODS)
    results = json.loads(run_bench(headlines, "--json"))
    assert all(set(scores) == KEYS | {"headline_r1_recall"} for scores in results.values())


def test_bench_summaries_withholds_the_headline_it_scores_against(analyzer):
    spec = importlib.util.spec_from_file_location("bench_summaries", SCRIPT)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up by name.
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    rows = [{"id": "a", "title": "Harbour cranes spark strike",
             "text": "Dock workers stopped work on Monday in a dispute over new machines."}]
    case, = bench.build_cases(rows, "en", analyzer)
    assert case.reference == "Harbour cranes spark strike"
    assert "crane" not in case.analyzed.article.title.lower()
    assert not case.analyzed.article.title_from_text
