"""bench/input_sizes.py runs end to end on small inputs and prints its figures."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.sitebuild import ROOT


def run_bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_input_sizes_prints_seconds_per_mb_for_every_shape():
    result = run_bench("bench/input_sizes.py", "--scale", "0.01", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    shapes = {row["shape"] for row in rows}
    assert {"one line", "40k paragraphs", "paragraph > max_length",
            "60k-word sentence"} <= shapes, shapes
    for row in rows:
        assert row["total"] == sum(row["seconds"].values()) or \
            abs(row["total"] - sum(row["seconds"].values())) < 0.01
        assert row["seconds_per_mb"] > 0 and row["bare_spacy_seconds"] > 0
