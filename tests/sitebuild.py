"""Build a site with the real `digest build`, for tests that look at the result."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_digest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`digest ARGS…` as a user runs it, from the repository's generator package."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd, capture_output=True, text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )


def make_project(folder: Path, articles: dict[str, bytes | str] | None = None,
                 themes: str | None = None) -> Path:
    """A project like the repository's (its mkdocs.yml, theme and themes file) with the
    given articles; returns the project folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    content = folder / "content"
    (content / "articles").mkdir(parents=True)
    (content / "themes.yml").write_text(
        themes if themes is not None else (ROOT / "content" / "themes.yml").read_text("utf-8"),
        encoding="utf-8",
    )
    for name, data in (articles or {}).items():
        path = content / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


def build_project(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_digest("--project", str(project), "build", "--content", str(project / "content"),
                      "--site-dir", str(project / "site"), *extra)
