"""The `digest` command on a themes file that loads but has something to say: `check` and the
build report name a title missing in the site's language and a term that can never match."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import build_project, make_project, run_digest

THEMES = """\
themes:
  - slug: cyber-attacks
    title: {nl: Cyberaanvallen}
    vocabulary:
      en:
        - hacker|hackers + cannot|breach|breached
        - cyber-attack
"""
ARTICLE = ("---\ntitle: Hackers breach the port's systems\ndate: 2024-03-02\n---\n"
           "Hackers breached the systems of the port overnight. The port authority called it a "
           "cyber-attack and said that ships were delayed.\n")
TITLE_WARNING = ("content/themes.yml: line 3: the title of 'cyber-attacks' has no text in 'en', "
                 "the site's language; the 'nl' one is shown")
TERM_WARNING = ("content/themes.yml: line 6: term 'hacker|hackers + cannot|breach|breached' of "
                "'cyber-attacks' (vocabulary, en) can never match: the en tokenizer reads "
                "'cannot' as 'can', 'not', never as 'cannot'; write 'can not'")


@pytest.fixture
def english_project(tmp_path) -> Path:
    project = make_project(tmp_path / "project", {"port.md": ARTICLE}, themes=THEMES)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: nl", "language: en"),
                      encoding="utf-8")
    return project


def shown(output: str, project: Path) -> str:
    return output.replace(str(project) + "/", "")


def test_check_warns_about_a_missing_title_and_a_term_that_can_never_match(english_project):
    check = run_digest("--project", str(english_project), "check",
                       "--content", str(english_project / "content"))
    assert check.returncode == 1
    lines = shown(check.stdout, english_project).splitlines()
    assert f"warning: {TITLE_WARNING}" in lines
    assert f"warning: {TERM_WARNING}" in lines


def test_build_report_warns_about_a_missing_title_and_strict_fails(english_project):
    build = build_project(english_project)
    assert build.returncode == 0, build.stderr
    assert f"    - {TITLE_WARNING}" in shown(build.stdout, english_project).splitlines()
    # Only `check` reads every term with the pipelines.
    assert "can never match" not in build.stdout
    before = sorted(p.relative_to(english_project) for p in (english_project / "site").rglob("*"))
    strict = build_project(english_project, "--strict")
    assert strict.returncode == 1
    assert f"warning: {TITLE_WARNING}" in shown(strict.stderr, english_project)
    after = sorted(p.relative_to(english_project) for p in (english_project / "site").rglob("*"))
    assert after == before
