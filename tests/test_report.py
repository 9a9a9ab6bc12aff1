"""The build report: skipped files, warnings, undated articles, theme counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import DigestConfig
from generator.digest import build_digest
from generator.report import UNDATED_REASON, build_report, format_report

THEMES = """themes:
  - slug: expulsions
    title: Uitwijzingen
    vocabulary:
      nl: [diplomaat + wijzen + uit]
"""
DATED = ("date 2018-03 De NAVO wijst zeven Russische diplomaten uit. Hun accreditatie wordt "
         "ingetrokken.")
UNDATED = "De haven van Rotterdam sloeg vorig jaar meer containers over dan ooit."
WIRE = ("date 2024-07 BEIJING, July 19 (AFP) - China opened an inquiry into pork from the "
        "European Union on Friday.")


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    (folder / "articles" / "haven").mkdir(parents=True)
    (folder / "themes.yml").write_text(THEMES, encoding="utf-8")
    for name, text in {"navo.txt": DATED, "haven/rotterdam.txt": UNDATED,
                       "wire.txt": WIRE}.items():
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    return folder


def test_report_names_each_undated_article_as_a_warning(content, analyzer):
    digest = build_digest(content, DigestConfig(), analyzer)
    report = build_report(digest, 1.0, "site", articles_dir=content / "articles")
    assert report.problems == ()  # nothing for --strict to fail on
    assert [(Path(p.path).parts[-2:], p.reason, p.skipped) for p in report.warnings] == [
        (("haven", "rotterdam.txt"), UNDATED_REASON, False)]
    text = format_report(report)
    assert "  warnings: 1\n" in text
    assert f"rotterdam.txt: {UNDATED_REASON}\n" in text


def test_report_names_an_undated_article_by_its_path_in_the_articles_folder(content, analyzer):
    report = build_report(build_digest(content, DigestConfig(), analyzer), 1.0, "site")
    assert [str(p) for p in report.warnings] == [f"haven/rotterdam.txt: {UNDATED_REASON}"]


def test_report_with_required_dates_makes_an_undated_article_a_problem_once(content, analyzer):
    digest = build_digest(content, DigestConfig(require_dates=True), analyzer)
    assert [(Path(p.path).name, p.reason, p.skipped) for p in digest.problems] == [
        ("rotterdam.txt", UNDATED_REASON, False)]
    for articles_dir in (content / "articles", None):
        report = build_report(digest, 1.0, "site", articles_dir=articles_dir)
        assert report.problems == digest.problems  # a --strict build fails on it
        assert len(report.warnings) == 1
        assert format_report(report).count(UNDATED_REASON) == 1
