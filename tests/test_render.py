"""render: listings cut into linked parts; the Markdown tree on disk holds exactly the rendered
site, written where it changed."""

from __future__ import annotations

import os
import posixpath
import re
import time
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import MAX_PER_PAGE
from generator.model import (
    AnalyzedArticle,
    Block,
    CleanArticle,
    Digest,
    DigestArticle,
    DigestLine,
    Evidence,
    PublishedDate,
    Sentence,
    Theme,
    ThemeMatch,
    one_per_story,
)
from generator.render import (
    SiteTree,
    article_page,
    paginate,
    paragraph_parts,
    relative_path,
    render_site,
    write_tree,
)
from tests.sitebuild import build_project, make_project


def tree(pages: dict[str, str], files=None) -> SiteTree:
    return SiteTree(pages=pages, files=files or {}, nav=())


def test_write_tree_writes_only_what_changed_and_removes_what_is_gone(tmp_path):
    original = tmp_path / "bericht.txt"
    original.write_text("origineel", encoding="utf-8")
    docs = tmp_path / "docs"
    first = tree({"index.md": "# Home", "articles/a.md": "A", "articles/b.md": "B"},
                 {"originals/bericht.txt": original})
    assert write_tree(first, docs) == ["articles/a.md", "articles/b.md", "index.md",
                                       "originals/bericht.txt"]
    assert write_tree(first, docs) == []
    (docs / "stray.md").write_text("oud", encoding="utf-8")
    second = tree({"index.md": "# Home", "articles/a.md": "A, herzien"})
    assert write_tree(second, docs) == ["articles/a.md"]
    on_disk = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*"))
    assert on_disk == ["articles", "articles/a.md", "index.md"]
    assert (docs / "articles" / "a.md").read_text(encoding="utf-8") == "A, herzien"


def test_write_tree_copies_an_original_again_whenever_it_changed_even_to_an_older_time(
        tmp_path):
    original = tmp_path / "bericht.txt"
    original.write_text("versie een", encoding="utf-8")
    docs = tmp_path / "docs"
    files = tree({}, {"originals/bericht.txt": original})
    assert write_tree(files, docs) == ["originals/bericht.txt"]
    assert write_tree(files, docs) == []  # unchanged: not even read
    # Replaced by an older copy of the same size, its old time kept (as `cp -p` does).
    older = tmp_path / "ouder.txt"
    older.write_text("versie twe", encoding="utf-8")
    os.utime(older, ns=(1_000_000_000, 1_000_000_000))
    time.sleep(0.01)
    os.replace(older, original)
    assert write_tree(files, docs) == ["originals/bericht.txt"]
    assert (docs / "originals" / "bericht.txt").read_text(encoding="utf-8") == "versie twe"


def test_write_tree_replaces_a_file_never_writes_into_it(tmp_path):
    """A published site holds hard links to the tree's files: what it shows must not change
    while the next site is built from the tree."""
    original = tmp_path / "bericht.txt"
    original.write_text("versie een", encoding="utf-8")
    docs = tmp_path / "docs"
    first = tree({"search/part.js": "oud", "a.md": "A"}, {"originals/bericht.txt": original})
    write_tree(first, docs)
    published = tmp_path / "site"
    published.mkdir()
    for name in ("search/part.js", "originals/bericht.txt"):
        os.link(docs / name, published / Path(name).name)
    original.write_text("versie twee", encoding="utf-8")
    second = tree({"search/part.js": "nieuw", "a.md": "A"}, {"originals/bericht.txt": original})
    assert write_tree(second, docs) == ["originals/bericht.txt", "search/part.js"]
    assert (docs / "search" / "part.js").read_text(encoding="utf-8") == "nieuw"
    assert (docs / "originals" / "bericht.txt").read_text(encoding="utf-8") == "versie twee"
    assert (published / "part.js").read_text(encoding="utf-8") == "oud"
    assert (published / "bericht.txt").read_text(encoding="utf-8") == "versie een"
    assert sorted(p.name for p in docs.rglob("*")) == ["a.md", "bericht.txt", "originals",
                                                        "part.js", "search"]  # no leftovers


def test_write_tree_does_not_compare_the_pages_it_is_told_are_unchanged(tmp_path):
    docs = tmp_path / "docs"
    write_tree(tree({"index.md": "# Home", "a.md": "A"}), docs)
    (docs / "a.md").write_text("X", encoding="utf-8")  # what render_site would not have read
    kept = SiteTree(pages={"index.md": "# Home", "a.md": "A"}, files={}, nav=(),
                    unchanged=frozenset({"a.md"}))
    assert write_tree(kept, docs) == []
    assert (docs / "a.md").read_text(encoding="utf-8") == "X"
    assert write_tree(tree({"index.md": "# Home", "a.md": "A"}), docs) == ["a.md"]


def test_paragraph_parts_cut_a_long_paragraph_after_sentences_and_keep_every_word():
    text = " ".join(f"Zin nummer {i} gaat over de haven." for i in range(2000))
    parts = paragraph_parts(text, size=500)
    assert all(len(part) <= 500 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_paragraph_parts_cut_a_paragraph_without_full_stops_at_spaces():
    text = " ".join(["woord"] * 5000)
    parts = paragraph_parts(text, size=300)
    assert all(len(part) <= 300 and part.startswith("woord") for part in parts)
    assert " ".join(parts) == text
    assert paragraph_parts("x" * 1000, size=300) == ["x" * 300] * 3 + ["x" * 100]


# Listings cut into parts: theme pages, "Other", the timeline and the article list.

THEMES = (
    Theme("sanctions", "Sancties", "Strafmaatregelen tegen staten en bedrijven.", {}),
    Theme("expulsions", "Uitwijzingen", "Staten wijzen diplomaten uit.", {}),
)
LISTINGS = ("themes/sanctions.md", "themes/expulsions.md", "themes/other.md", "timeline.md",
            "articles/index.md")


def build_article(number: int, themes: tuple[str, ...] = (), undated: bool = False,
                  same_story: tuple[str, ...] = ()) -> DigestArticle:
    """Article `number` (a higher number is older), in the given themes."""
    slug, title = f"bericht-{number:03d}", f"Bericht nummer {number}"
    text = f"Het bericht met nummer {number} gaat over de haven."
    date = None if undated else PublishedDate(2023, 12 - number // 9, 28 - number % 9)
    article = CleanArticle(
        path=PurePosixPath(f"{slug}.txt"), title=title, title_from_text=False, date=date,
        source="ANP", url=None, language="nl", blocks=(Block(text),),
    )
    sentence = Sentence(0, 0, text, (), (), (), 9)
    return DigestArticle(
        slug=slug,
        analyzed=AnalyzedArticle(article, Sentence(-1, -1, title, (), (), (), 3), (sentence,)),
        summary=(sentence,),
        themes=tuple(ThemeMatch(theme, 1.0, (Evidence(text, ("haven",)),)) for theme in themes),
        same_story=same_story,
    )


def build_digest() -> Digest:
    """40 articles over five months and the undated: sanctions every third, expulsions every
    fourth, the others in no theme; 34 and 35 are one story."""
    articles = [
        build_article(
            number,
            themes=tuple(slug for slug, step in (("sanctions", 3), ("expulsions", 4))
                         if number % step == 0),
            undated=number >= 37,
            same_story={34: ("bericht-035",), 35: ("bericht-034",)}.get(number, ()),
        )
        for number in range(40)
    ]
    lines = (DigestLine("bericht-000", articles[0].summary[0]),)
    return Digest(title="Testdigest", language="nl", articles=tuple(articles), themes=THEMES,
                  theme_digests={"sanctions": lines, "expulsions": ()})


def listed_pages(path: str, page: str) -> list[str]:
    """The article pages a listing part links as its entries, in order, as paths from the
    root: a theme entry's heading, or the first link of a line of the timeline or the list."""
    entry = re.compile(r"^(?:### |- (?:\d+ · )?)\[[^\]]*\]\(([^)]+)\)", re.MULTILINE)
    return [posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            for target in entry.findall(page)]


def pager_links(path: str, page: str) -> dict[str, str]:
    """The links of a part's pager, by label, as paths from the root; asserts the pager at the
    top and at the bottom are the same."""
    pagers = re.findall(r"^(.*)\n\{: \.digest-pager \}$", page, re.MULTILINE)
    assert len(pagers) == 2 and pagers[0] == pagers[1], path
    return {label: posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            for label, target in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", pagers[0])}


def parts_of(tree: SiteTree, listing: str) -> list[str]:
    """The paths of a listing's parts, in order, following its "older" links from the first."""
    parts = [listing]
    while older := pager_links(parts[-1], tree.pages[parts[-1]]).get("Ouder ›"):
        parts.append(older)
    return parts


def test_render_listings_are_cut_into_parts_that_link_to_their_neighbours_first_and_last():
    tree = render_site(build_digest(), Path("articles"), per_page=2)
    for listing in LISTINGS:
        parts = parts_of(tree, listing)
        assert len(parts) > 2, listing
        for number, path in enumerate(parts, 1):
            page = tree.pages[path]
            assert f"**Deel {number} van {len(parts)}**" in page, path
            expected = {"Ouder ›": parts[number], "Oudste »": parts[-1]} \
                if number < len(parts) else {}
            if number > 1:
                expected |= {"« Nieuwste": parts[0], "‹ Nieuwer": parts[number - 2]}
            assert pager_links(path, page) == expected, path
        # Every part of a listing is reached from its first; the tree holds no other.
        stem = listing.removesuffix(".md")
        assert sorted(parts[1:]) == sorted(p for p in tree.pages if p.startswith(stem + "/"))
        assert parts[1:] == [f"{stem}/{number}.md" for number in range(2, len(parts) + 1)]


def test_render_parts_list_every_article_once_newest_first():
    digest = build_digest()
    tree = render_site(digest, Path("articles"), per_page=3)
    stories = {theme.slug: one_per_story(digest.in_theme(theme.slug)) for theme in THEMES}
    stories["other"] = one_per_story(digest.unthemed())
    expected = {f"themes/{slug}.md": [article_page(a.slug) for a in items]
                for slug, items in stories.items()}
    expected["timeline.md"] = expected["articles/index.md"] = [
        article_page(a.slug) for a in digest.articles]
    assert len(expected["themes/other.md"]) == len(digest.unthemed()) - 1  # 34 and 35: one story
    for listing, pages in expected.items():
        parts = [listed_pages(path, tree.pages[path]) for path in parts_of(tree, listing)]
        assert [page for part in parts for page in part] == pages, listing
        size = 3 if listing.startswith("themes/") else 12
        assert [len(part) for part in parts[:-1]] == [size] * (len(parts) - 1), listing
        assert 1 <= len(parts[-1]) <= size, listing


def test_render_first_part_keeps_description_and_in_brief_and_the_navigation_only_first_parts():
    tree = render_site(build_digest(), Path("articles"), per_page=2)
    first, second = tree.pages["themes/sanctions.md"], tree.pages["themes/sanctions/2.md"]
    assert "Strafmaatregelen tegen staten" in first and "## In het kort" in first
    assert "Strafmaatregelen tegen staten" not in second and "## In het kort" not in second
    assert second.startswith('---\ntitle: "Sancties (deel 2 van 7)"\n---\n\n# Sancties\n')
    assert first.startswith('---\ntitle: "Sancties"\n---\n')
    nav_paths = {item.path for entry in tree.nav for item in (entry, *entry.children)}
    assert nav_paths == {None, "index.md", *LISTINGS}


def test_render_timeline_part_repeats_a_continued_month_heading():
    tree = render_site(build_digest(), Path("articles"), per_page=2)  # 8 articles a part
    headings = [re.findall(r"^## (.*)$", tree.pages[path], re.MULTILINE)
                for path in parts_of(tree, "timeline.md")]
    assert headings == [
        ["December 2023"],
        ["December 2023 (vervolg)", "November 2023"],
        ["November 2023 (vervolg)", "Oktober 2023"],
        ["Oktober 2023 (vervolg)", "September 2023"],
        ["September 2023 (vervolg)", "Augustus 2023", "Zonder datum"],
    ]


def test_render_listing_of_one_part_has_no_pager():
    tree = render_site(build_digest(), Path("articles"))
    assert not any("digest-pager" in page for page in tree.pages.values())
    assert "**Deel" not in tree.pages["timeline.md"]


def test_render_empty_theme_is_one_part_that_says_so():
    digest = replace(build_digest(), articles=(), theme_digests={})
    tree = render_site(digest, Path("articles"), per_page=2)
    assert "Nog geen artikelen." in tree.pages["themes/sanctions.md"]
    assert not any("/" in path.removeprefix("themes/").removeprefix("articles/")
                   for path in tree.pages)


def test_paginate_cuts_items_into_full_parts_and_a_last_one():
    parts = paginate(list(range(7)), "timeline.md", 3)
    assert [(part.path, items) for part, items in parts] == [
        ("timeline.md", [0, 1, 2]), ("timeline/2.md", [3, 4, 5]), ("timeline/3.md", [6])]
    assert [(p.first, p.newer, p.older, p.last) for p, _ in parts] == [
        (None, None, "timeline/2.md", "timeline/3.md"),
        ("timeline.md", "timeline.md", "timeline/3.md", "timeline/3.md"),
        ("timeline.md", "timeline/2.md", None, None),
    ]
    assert [(p.number, p.count) for p, _ in paginate([], "themes/other.md", 3)] == [(1, 1)]


def test_render_listing_entry_names_five_copies_of_a_story_and_links_to_the_rest():
    copies = tuple(f"bericht-{number:03d}" for number in range(1, 9))
    articles = [build_article(0, same_story=copies)] + [
        build_article(number, same_story=("bericht-000",)) for number in range(1, 9)]
    digest = Digest(title="Testdigest", language="nl", articles=tuple(articles), themes=THEMES)
    page = render_site(digest, Path("articles")).pages["themes/other.md"]
    line = next(line for line in page.splitlines() if line.startswith("Hetzelfde verhaal"))
    assert line.count("](bericht-") == 0 and line.count("](../articles/bericht-") == 6
    assert line.endswith(", 23 december 2023](../articles/bericht-005.md) "
                         "[en nog 3](../articles/bericht-000.md)")
    article = render_site(digest, Path("articles")).pages["articles/bericht-000.md"]
    assert all(f"](bericht-{number:03d}.md)" in article for number in range(1, 9))


# A real build with parts of two articles: long entries, copies, articles named like parts.

ENTRY_MAX_BYTES = 9_000  # the HTML of a theme entry at its longest
IN_BRIEF_MAX_BYTES = 5_000  # the HTML of a theme's "In brief" at its longest
PAGE_MAX_BYTES = 500_000
PART_NAMED_ARTICLES = ("index-2.txt", "index/2.txt", "2.txt", "timeline/2.txt", "page-2.txt")


def long_story(number: int) -> str:
    """A story whose summary of ten sentences is clipped to the longest lines."""
    words = [f"woord{number}x{i}" for i in range(70)]
    sentences = [("De regering wijst de diplomaten uit en " if i < 4 else "Verder ")
                 + " ".join(words[i:] + words[:i]) + "." for i in range(14)]
    return "\n\n".join(sentences)


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory) -> Path:
    articles: dict[str, str] = {}
    for story in range(5):
        title = " ".join(f"kop{story}woord{i}" for i in range(40))  # cut to 200 characters
        for copy in range(7 if story < 2 else 1):
            articles[f"verhaal-{story}-{copy}.md"] = (
                f"---\ntitle: {title}\ndate: 2023-0{9 - story}-1{copy}\n"
                f"source: Persbureau nummer {copy}\n---\n{long_story(story)}\n")
    for number, name in enumerate(PART_NAMED_ARTICLES):
        articles[name] = f"date 2023-0{1 + number} Bericht {name} over de haven van Rotterdam.\n"
    project = make_project(tmp_path_factory.mktemp("parted") / "project", articles)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "    summary_sentences: 3\n", "    summary_sentences: 10\n    per_page: 2\n"), "utf-8")
    result = build_project(project, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def html_pager(site: Path, page: str) -> dict[str, str]:
    """The links of a built part's pager, by label, as paths from the site root; asserts the
    pager at the top and at the bottom are the same."""
    text = (site / page).read_text("utf-8")
    pagers = re.findall(r'<p class="digest-pager">(.*?)</p>', text)
    assert len(pagers) == 2 and pagers[0] == pagers[1], page
    return {label: posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            for target, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', pagers[0])}


def test_build_parts_link_to_each_other_in_the_built_site(parted_site):
    for listing in ("themes/expulsions.html", "themes/other.html", "timeline.html",
                    "articles/index.html"):
        parts = [listing]
        while older := html_pager(parted_site, parts[-1]).get("Ouder ›"):
            parts.append(older)
        assert len(parts) == 3, listing
        for number, page in enumerate(parts, 1):
            links = html_pager(parted_site, page)
            assert all((parted_site / target).is_file() for target in links.values()), page
            assert f"<strong>Deel {number} van 3</strong>" in (parted_site / page).read_text()
            assert links.get("Oudste »", page) == parts[-1]
            assert links.get("« Nieuwste", page) == parts[0]


def test_build_article_named_like_a_part_keeps_its_page_beside_the_parts(parted_site):
    parts = ("articles/index.html", "articles/index/2.html", "articles/index/3.html")
    assert all(re.search(r"<h1[^>]*>Alle artikelen", (parted_site / page).read_text("utf-8"))
               for page in parts)
    linked = [posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
              for page in parts
              for target in re.findall(r'href="([^"#]+)"', (parted_site / page).read_text())]
    pages = {path.relative_to(parted_site).as_posix(): path.read_text("utf-8")
             for path in (parted_site / "articles").rglob("*.html")}
    for name in PART_NAMED_ARTICLES:
        own = [path for path, page in pages.items()
               if re.search(f"<h1[^>]*>Bericht {re.escape(name)} over", page)]
        assert len(own) == 1 and own[0].count("/") == 1, name
        assert linked.count(own[0]) == 1, name


def test_build_theme_entries_at_their_longest_keep_a_part_under_500_kb(parted_site):
    empty = (parted_site / "themes" / "sanctions.html").stat().st_size  # no articles
    assert empty + IN_BRIEF_MAX_BYTES + MAX_PER_PAGE * ENTRY_MAX_BYTES < PAGE_MAX_BYTES
    listed = 0
    for page in (parted_site / "themes").rglob("*.html"):
        text = page.read_text("utf-8")
        entries = text.count("<h3 ")
        listed += entries
        assert len(text.encode()) <= empty + IN_BRIEF_MAX_BYTES + entries * ENTRY_MAX_BYTES, page
    assert listed == 5 + len(PART_NAMED_ARTICLES)  # five stories
    story = (parted_site / "themes" / "expulsions.html").read_text("utf-8")
    assert story.count("…") >= 10 and "en nog 1</a>" in story  # summaries cut, copies named


_PATH_PART = st.sampled_from(["articles", "themes", "a.md", "b", "..", ".", "x y", "ü"])


@settings(max_examples=300, deadline=None)
@given(target=st.lists(_PATH_PART, min_size=1, max_size=4).map("/".join),
       folder=st.lists(_PATH_PART, max_size=3).map(lambda parts: "/".join(parts) or "."))
def test_relative_path_is_the_path_relpath_gives(target, folder):
    assert relative_path(target, folder) == posixpath.relpath(target, folder)
