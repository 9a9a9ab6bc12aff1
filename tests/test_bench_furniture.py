"""bench/furniture.py: a table of the furniture left in raw text, cleaned text and summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "furniture.py"
PAGES = ROOT / "tests" / "fixtures" / "english_pages"


def run_bench(*args: str | Path) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_furniture_counts_each_kind_in_a_folder_and_a_jsonl_file(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps({"id": i, "article": text}) for i, text in enumerate([
        "Updated 3 hours ago\nShare on Facebook Share on X\nThe port reopened on Monday after "
        "a week of storms. Ferries left at dawn.",
        "The port reopened on Monday after a week of storms. Ferries left at dawn.",
    ])) + "\n", encoding="utf-8")
    table = run_bench(PAGES, rows)
    assert "english_pages: 6 articles; articles with a furniture-like line" in table
    assert "| furniture | raw text | cleaned text | summary |" in table
    assert "| any | 6 | 0 | 0 |" in table
    assert "rows.jsonl: 2 articles" in table
    assert "| timestamp | 1 | 0 | 0 |" in table.split("rows.jsonl")[1]
    assert "| share/follow | 1 | 0 | 0 |" in table.split("rows.jsonl")[1]
