"""Near misses beyond the classifier: on the article page, collapsed, in the site's language and
escaped; and in `digest analyze --json --explain`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import DigestConfig
from generator.digest import build_digest
from generator.render import render_site
from tests.sitebuild import run_digest

THEMES = """\
themes:
  - slug: expulsions
    title: {nl: "Uitzettingen <b>&</b>", en: "Expulsions <b>&</b>"}
    vocabulary:
      nl:
        - diplomaat + uitzetten
    exclude:
      nl:
        - asiel*
  - slug: nato
    title: {nl: NAVO, en: NATO}
    vocabulary:
      nl:
        - navo
"""
# The evidence for expulsions is cancelled by `asiel_zoekers`, a cue with Markdown in it.
ARTICLE = ("De diplomaat zei dat vorig jaar tweehonderd asiel_zoekers zijn uitgezet. De NAVO "
           "vergaderde die dag in Brussel. Het regende.\n")


@pytest.fixture
def content(tmp_path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "themes.yml").write_text(THEMES, encoding="utf-8")
    (tmp_path / "articles" / "bericht.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "<details class=\"near-misses\">\n<summary>Waarom niet in de andere thema's</summary>"
           "\n<ul>\n<li><strong>Uitzettingen &#60;b&#62;&#38;&#60;/b&#62;</strong>: score 0.00 "
           "&#60; drempel 0.50; de uitsluitende term ‘asiel&#95;zoekers’ schrapte het bewijs in "
           "1 zin&#40;nen&#41;</li>\n</ul>\n</details>\n"),
    ("en", "<details class=\"near-misses\">\n<summary>Why not in the other themes</summary>\n"
           "<ul>\n<li><strong>Expulsions &#60;b&#62;&#38;&#60;/b&#62;</strong>: score 0.00 &#60; "
           "threshold 0.50; the exclude cue ‘asiel&#95;zoekers’ cancelled the evidence in 1 "
           "sentence&#40;s&#41;</li>\n</ul>\n</details>\n"),
])
def test_article_page_shows_near_misses_collapsed_and_escaped(content, analyzer, language,
                                                             expected):
    digest = build_digest(content, replace(DigestConfig(), language=language), analyzer)
    [article] = digest.articles
    assert [m.slug for m in article.themes] == ["nato"]
    assert [m.slug for m in article.near_misses] == ["expulsions"]
    page = render_site(digest, content / "articles").pages[f"articles/{article.slug}.md"]
    assert expected in page
    assert "<b>" not in page


def test_analyze_explain_adds_near_misses(content):
    plain = run_digest("analyze", str(content / "articles" / "bericht.txt"), "--json",
                       "--content", str(content))
    explained = run_digest("analyze", str(content / "articles" / "bericht.txt"), "--json",
                           "--explain", "--content", str(content))
    assert plain.returncode == explained.returncode == 0, explained.stderr
    assert "near_misses" not in json.loads(plain.stdout)[0]
    [entry] = json.loads(explained.stdout)
    assert [t["slug"] for t in entry["themes"]] == ["nato"]
    assert entry["near_misses"] == [{
        "slug": "expulsions", "score": 0.0, "threshold": 0.5,
        "reasons": [{"rule": "cancelled", "found": 1, "needed": 0, "cues": ["asiel_zoekers"]}],
    }]
