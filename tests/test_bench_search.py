"""bench/search.py runs end to end on a tiny digest: a table row per site and mode, with the
first result found, every keystroke answered and the bytes counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sitebuild import ROOT

pytestmark = pytest.mark.browser


def build_row(id: int, date: str, title: str, text: str) -> str:
    """A line of the benchmark's JSONL input."""
    return json.dumps({"id": id, "published_at": date, "title": title, "text": text},
                      ensure_ascii=False)


ARTICLES = [
    build_row(1, "2019-03-01", "Rusland en Oekraïne praten over gas",
              "Rusland en Oekraïne praten in Brussel over de doorvoer van gas. De minister van "
              "Buitenlandse Zaken spreekt van een goed begin. Na de verkiezingen gaan de "
              "gesprekken verder."),
    build_row(2, "2019-03-05", "Kabinet wacht op de uitslag",
              "De premier wacht op de telling na de verkiezingen in de provincies. "
              "Zijn partij verliest zetels. Over Rusland werd in de campagne weinig gezegd."),
    build_row(3, "2019-04-02", "Parlement stemt opnieuw over vertrek uit de EU",
              "Het Britse parlement stemt opnieuw over het vertrek uit de Europese Unie. In "
              "Rusland kijkt men toe, zegt de minister van Buitenlandse Zaken."),
]
QUERIES = ["Rusland", '"minister van Buitenlandse Zaken"']


@pytest.fixture(scope="module")
def bench_output(tmp_path_factory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("bench-search")
    articles = folder / "articles.jsonl"
    articles.write_text("\n".join(ARTICLES) + "\n", encoding="utf-8")
    figures = folder / "figures.json"
    result = subprocess.run(
        [sys.executable, "bench/search.py", "--articles", str(articles), "--sizes", "3",
         "--runs", "1", "--keep", str(folder / "sites"), "--json", str(figures),
         *(arg for query in QUERIES for arg in ("--query", query))],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(Path(figures).read_text(encoding="utf-8"))


def test_bench_search_prints_a_row_per_site_and_mode(bench_output):
    table, _ = bench_output
    rows = [line.split("|")[1:4] for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| site ")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["sample", "6", "file"], ["sample", "6", "http"], ["3", "3", "file"], ["3", "3", "http"],
    ]


def test_bench_search_finds_results_and_counts_bytes(bench_output):
    _, figures = bench_output
    for row in figures["rows"]:
        where = f"{row['site']} {row['mode']}"
        assert row["errors"] == [] and row["blocked"] == [], where
        [first] = row["first_result_s"]
        assert first is not None and 0 < first < 30, where
        assert len(row["refine_ms"]) == len("verkiezingen"), where
        assert all(ms is not None and ms > 0 for ms in row["refine_ms"]), where
        # The page's scripts and styles, the engine's manifest and stemmer.
        assert 50_000 < row["before_typing_bytes"] < 2_000_000, where
        assert row["box_bytes"] > 0, where
        assert abs(row["vs_sample_bytes"]) < 100_000, where
        for query in row["queries"]:
            assert query["shown"] > 0 and query["query_bytes"] > 0, (where, query["query"])
            assert any(name.startswith("search/docs/") for name, _ in query["query_files"])
        assert row["index_files"] > 0 and row["index_bytes"] > 0, where
        [build_s] = row["build_s"]
        [index_s] = row["index_s"]
        assert 0 < index_s < build_s, where
