"""Collecting the digest: theme digests over stories, same-story copies and related articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import DigestConfig
from generator.digest import build_digest, digest_size

THEMES = """themes:
  - slug: expulsions
    title: Uitwijzingen
    vocabulary:
      nl: [diplomaat + wijzen + uit, diplomaat + zetten + uit]
"""
NATO = ("De NAVO wijst zeven Russische diplomaten uit. Hun accreditatie wordt ingetrokken. De "
        "missie van Rusland mag nog uit twintig mensen bestaan. Secretaris-generaal Stoltenberg "
        "maakte de maatregel bekend in Brussel.")
MOSCOW = ("Rusland zet zestig Amerikaanse diplomaten uit, als antwoord op de uitwijzing van "
          "Russische diplomaten door de NAVO. Ook het consulaat in Sint-Petersburg moet dicht. De "
          "Verenigde Staten noemen de stap onterecht.")
HARBOUR = ("De haven van Rotterdam sloeg vorig jaar meer containers over dan ooit. Het "
           "havenbedrijf verwacht dit jaar een kleinere groei door de zwakkere wereldhandel.")


def content(folder: Path, articles: dict[str, str]) -> Path:
    (folder / "articles").mkdir(parents=True)
    (folder / "themes.yml").write_text(THEMES, encoding="utf-8")
    for name, text in articles.items():
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def digest_of(tmp_path, analyzer):
    def build(articles: dict[str, str]):
        return build_digest(content(tmp_path / "content", articles), DigestConfig(), analyzer)

    return build


def test_digest_theme_of_two_stories_opens_with_lines_from_both(digest_of):
    digest = digest_of({"navo.txt": NATO, "moskou.txt": MOSCOW, "haven.txt": HARBOUR})
    lines = digest.theme_digests["expulsions"]
    assert {line.slug for line in lines} == {"navo", "moskou"}
    assert 3 <= len(lines) <= 5


def test_digest_copies_of_one_story_are_one_story_without_a_digest(digest_of):
    digest = digest_of({"anp.txt": NATO, "nos.txt": NATO})
    by_slug = digest.by_slug()
    assert by_slug["anp"].same_story == ("nos",)
    assert by_slug["nos"].same_story == ("anp",)
    assert digest.theme_digests["expulsions"] == ()


def test_digest_links_related_articles_by_slug(digest_of):
    digest = digest_of({"navo.txt": NATO, "moskou.txt": MOSCOW, "haven.txt": HARBOUR})
    assert digest.by_slug()["navo"].related == ("moskou",)


@pytest.mark.parametrize(("stories", "size"), [(2, 3), (3, 3), (4, 4), (5, 5), (40, 5)])
def test_digest_size_is_about_one_line_per_story_from_three_to_five(stories, size):
    assert digest_size(stories) == size
