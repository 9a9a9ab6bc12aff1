"""Every article in isolation: whatever one file holds, it gives an article or a reported
problem, and every other article is still built."""

from __future__ import annotations

import string
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from generator.analyze import Analyzer
from generator.classify import ThemeClassifier
from generator.config import DigestConfig
from generator.digest import (
    RESERVED_SLUGS,
    article_slugs,
    build_digest,
    collect_article,
    isolated,
    slugify,
)
from generator.errors import DigestError
from generator.model import AnalyzedArticle, Problem
from generator.read import FRONT_MATTER_KEYS
from generator.summarize import SummaryLength, summarize

GOOD = "Rusland wijst drie Nederlandse diplomaten uit. Dat meldt het ministerie in Moskou.\n"
THEMES = """themes:
  - slug: expulsions
    title: Uitwijzingen
    vocabulary:
      nl: [diplomaat + wijzen + uit]
"""


def content(folder: Path, articles: dict[str, str | bytes]) -> Path:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "themes.yml").write_text(THEMES, encoding="utf-8")
    for name, data in articles.items():
        path = folder / "articles" / name
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
    return folder


def assert_whole_path(path: Path, folder: Path, analyzer: Analyzer, classifier) -> None:
    """The per-article path gives an article that summarizes and classifies, or DigestError
    naming the file; any other exception fails."""
    try:
        analyzed = collect_article(path, folder, analyzer)
    except DigestError as error:
        assert error.path.endswith(path.name) and error.reason
        assert "\n" not in str(error)
        return
    assert isinstance(analyzed, AnalyzedArticle)
    summary = summarize(analyzed, SummaryLength())
    assert all(sentence.text for sentence in summary)
    classifier.classify(analyzed)


@pytest.fixture(scope="module")
def classifier(shipped_themes):
    return ThemeClassifier(shipped_themes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(["\n", "\n\n", ". ", "---\n", "Beeld ANP", "Door Jan Smit",
                              "\x1b[31m", "\u202e", "date 2022-02-30 ", "31 februari 2022",
                              "Rusland wijst diplomaten uit", "!", " ", "„", "”", "\t"]),
             max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
))
def test_any_bytes_give_an_article_or_a_problem(tmp_path_factory, analyzer, classifier, data):
    folder = tmp_path_factory.getbasetemp() / "isolation-bytes"
    folder.mkdir(exist_ok=True)
    for name in ("a.txt", "a.md"):
        path = folder / name
        path.write_bytes(data)
        assert_whole_path(path, folder, analyzer, classifier)


# Front matter of any shape: known and unknown keys, any types, impossible dates, keys
# given twice, huge values.
_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates().map(str),
    st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"),
    st.just("x" * 200_000),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
_keys = st.one_of(st.sampled_from(FRONT_MATTER_KEYS), st.text(string.ascii_letters, max_size=8))


@st.composite
def front_matter_blocks(draw) -> str:
    lines = []
    for key, value in draw(st.lists(st.tuples(_keys, _values), max_size=6)):
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=10**9)
        lines.append(dumped.rstrip("\n"))
    if lines and draw(st.booleans()):
        lines.append(draw(st.sampled_from(lines)))  # a key given twice
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["date: 2024-13-45", "date: 2022-02-30 10:00",
                                           "title: 12:30", "a: &x [1]\nb: *x", "title: [",
                                           "themes: {a: 1}", "- lijst", "title: !!binary AAA"])))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block=front_matter_blocks(), body=st.sampled_from(["", GOOD, "\x00", "Kop\n\nTekst."]))
def test_any_front_matter_gives_an_article_or_a_problem(tmp_path_factory, analyzer, classifier,
                                                        block, body):
    folder = tmp_path_factory.getbasetemp() / "isolation-front-matter"
    folder.mkdir(exist_ok=True)
    path = folder / "a.md"
    path.write_text(f"---\n{block}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    assert_whole_path(path, folder, analyzer, classifier)


# One article's failure is that article's alone


@Language.component("fails_on_kraken")
def fails_on_kraken(doc):
    """A pipeline component with a bug that only one article's text sets off."""
    if "kraken" in doc.text:
        raise ZeroDivisionError("division by zero")
    return doc


def test_an_unforeseen_failure_skips_that_article_and_builds_the_rest(tmp_path):
    analyzer = Analyzer()
    analyzer.pipeline("nl").add_pipe("fails_on_kraken")
    folder = content(tmp_path / "content", {
        "goed.txt": GOOD, "fout.txt": "De kraken zijn ontruimd. De politie was er vroeg bij.\n"})
    digest = build_digest(folder, DigestConfig(), analyzer)
    assert [a.slug for a in digest.articles] == ["goed"]
    assert [str(p) for p in digest.problems] == [
        f"{(folder / 'articles' / 'fout.txt').as_posix()}: could not process: "
        "ZeroDivisionError: division by zero"]


def test_isolated_turns_any_exception_into_one_line_naming_the_file():
    def broken() -> None:
        raise ValueError("first line\nsecond line")

    assert isolated("articles/a.txt", broken) == Problem(
        "articles/a.txt", "could not process: ValueError: first line second line")
    assert isolated("articles/a.txt", lambda: 42) == 42


def test_isolated_keeps_the_reason_of_a_digest_error():
    def refuse() -> None:
        raise DigestError("articles/a.md", "front matter: title must be text, not a list", 2)

    assert isolated("articles/a.md", refuse) == Problem(
        "articles/a.md", "line 2: front matter: title must be text, not a list")


def test_build_skips_an_impossible_date_and_builds_the_rest(tmp_path, analyzer):
    folder = content(tmp_path / "content", {
        "goed.txt": GOOD, "datum.md": "---\ntitle: Kop\ndate: 2022-02-30\n---\nTekst.\n"})
    digest = build_digest(folder, DigestConfig(), analyzer)
    assert [a.slug for a in digest.articles] == ["goed"]
    assert [p.reason for p in digest.problems] == [
        "line 3: front matter: date '2022-02-30' is not a real date (2022-02 has 28 days)"]


def test_build_skips_an_article_of_nothing_but_page_furniture(tmp_path, analyzer):
    folder = content(tmp_path / "content", {
        "goed.txt": GOOD, "knoppen.txt": "Deel dit artikel\n\nAdvertentie\n"})
    digest = build_digest(folder, DigestConfig(), analyzer)
    assert [a.slug for a in digest.articles] == ["goed"]
    assert [p.reason for p in digest.problems] == [
        "no text is left after cleaning (nothing but page furniture, dates or stray characters)"]


def numbered_slugs(paths: list[PurePosixPath]) -> dict[PurePosixPath, str]:
    """What `article_slugs` gives, said simply: in path order, each file its name as a slug,
    or the first of `-2`, `-3`, ... after it that no file before it took."""
    slugs: dict[PurePosixPath, str] = {}
    taken = set(RESERVED_SLUGS)
    for path in sorted(paths, key=lambda p: p.as_posix()):
        base = slugify(path.with_suffix("").as_posix()) or "article"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs[path] = slug
    return slugs


@given(st.sets(st.builds(
    lambda folder, name, suffix: PurePosixPath(folder, name + suffix),
    st.sampled_from(["", "a", "A", "á"]),
    st.text("aAá-2!.", min_size=1, max_size=4).filter(lambda name: name not in (".", "..")),
    st.sampled_from(["", ".txt", ".md", ".tar.gz"])), max_size=40))
def test_article_slugs_number_the_files_of_one_name_in_path_order(paths):
    assert article_slugs(list(paths)) == numbered_slugs(list(paths))


def test_an_article_named_index_never_takes_the_listing_page():
    slugs = article_slugs([Path("index.txt"), Path("a/index.txt"), Path("index.md")])
    assert "index" not in slugs.values()
    assert len(set(slugs.values())) == 3
