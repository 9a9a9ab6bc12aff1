"""The golden site: a small content folder whose generated Markdown tree is kept in `expected/`."""

from __future__ import annotations

from pathlib import Path

from generator.analyze import Analyzer
from generator.config import DigestConfig
from generator.digest import build_digest
from generator.render import render_site

GOLDEN = Path(__file__).resolve().parent
CONTENT = GOLDEN / "content"
EXPECTED = GOLDEN / "expected"
CONFIG = DigestConfig(title="Golden digest", language="nl")


def generate(analyzer: Analyzer | None = None) -> dict[str, str]:
    """The golden content's pages, path → Markdown, plus the list of copied originals."""
    digest = build_digest(CONTENT, CONFIG, analyzer or Analyzer())
    tree = render_site(digest, CONTENT / "articles")
    pages = dict(tree.pages)
    pages["originals.txt"] = "".join(f"{path}\n" for path in sorted(tree.files))
    return pages


def expected() -> dict[str, str]:
    return {
        path.relative_to(EXPECTED).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(EXPECTED.rglob("*")) if path.is_file()
    }
