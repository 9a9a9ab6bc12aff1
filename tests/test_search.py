"""The search index and its engine: the builder's files, and queries answered by the real
engine (search-engine.js) run in node over an index written to a temporary site folder."""

from __future__ import annotations

import importlib.util
import json
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search
from generator.config import DigestConfig
from generator.digest import build_digest
from generator.model import (
    AnalyzedArticle,
    Block,
    CleanArticle,
    Digest,
    DigestArticle,
    PublishedDate,
    Sentence,
    Theme,
    ThemeMatch,
)
from generator.render import article_page, render_site
from generator.search import (
    PART_BYTES,
    STOP_WORDS,
    fold,
    index_terms,
    listing_pages,
    search_files,
    stemmer_function,
    words,
)

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "search_harness.js"
STEMMER = ROOT / "theme" / "overrides" / "assets" / "javascripts" / "snowball-stem.min.js"
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN_CONTENT = ROOT / "tests" / "golden" / "content"

THEMES = (
    Theme("sanctions", "Sancties", "Strafmaatregelen tegen staten en bedrijven.", {}),
    Theme("expulsions", "Uitwijzingen", "Staten wijzen diplomaten uit.", {}),
)


def build_article(
    slug: str,
    title: str,
    text: str,
    date: tuple[int, ...] | None = (2022, 3, 1),
    themes: tuple[str, ...] = (),
    source: str | None = "ANP",
    language: str = "nl",
) -> DigestArticle:
    """An article as the digest holds it; search reads its title, text, date, source and
    themes (no language processing needed)."""
    article = CleanArticle(
        path=PurePosixPath(f"{slug}.txt"), title=title, title_from_text=False,
        date=PublishedDate(*date) if date else None, source=source, url=None,
        language=language, blocks=tuple(Block(paragraph) for paragraph in text.split("\n\n")),
    )
    heading = Sentence(-1, -1, title, (), (), (), 0)
    return DigestArticle(
        slug=slug,
        analyzed=AnalyzedArticle(article=article, title=heading, sentences=()),
        summary=(),
        themes=tuple(ThemeMatch(slug=theme, score=1.0, evidence=()) for theme in themes),
    )


def build_digest_of(*articles: DigestArticle, language: str = "nl") -> Digest:
    return Digest(title="Testdigest", language=language, articles=articles, themes=THEMES)


def write_site(folder: Path, digest: Digest, pages=None, **options) -> Path:
    """The index of a digest written into a site folder, with the stemmer where pages load it."""
    pages = listing_pages(digest) if pages is None else pages
    for path, text in search_files(digest, pages, **options).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assets = folder / "assets" / "javascripts"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copy(STEMMER, assets / STEMMER.name)
    return folder


def run_engine(site: Path, commands: list[dict]) -> list:
    """The answers of the engine, run in node, to the harness commands."""
    done = subprocess.run(["node", str(HARNESS), str(site)], input=json.dumps(commands),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ask(site: Path, *queries: str | tuple[str, dict]) -> list[dict]:
    """Each query's answer (options given as `(text, options)`), asked in order on one page."""
    commands = []
    for item in queries:
        text, options = item if isinstance(item, tuple) else (item, {})
        commands.append({"op": "query", "text": text, "options": options})
    return [step["answer"] for step in run_engine(site, commands)]


def titles(answer: dict) -> list[str]:
    return [result["title"] for result in answer["results"]]


def read_part(text: str) -> tuple[str, object]:
    """The name and data a part script hands to the engine."""
    match = re.fullmatch(r'DigestSearch\._receive\(("[^"]*"),(.*)\);\n', text, re.DOTALL)
    assert match, text[:80]
    return json.loads(match.group(1)), json.loads(match.group(2))


# Words: folding, splitting, stemming, the same in Python and in the engine.


def test_search_folds_accents_and_case():
    assert fold("Oekraïne BEËINDIGD Curaçao") == "oekraine beeindigd curacao"
    assert words("De NAVO-top in 's-Hertogenbosch: 2,5 uur!") == [
        "de", "navo", "top", "in", "s", "hertogenbosch", "2", "5", "uur"]


def test_search_word_characters_are_exactly_letters_and_digits():
    # The engine splits on [^\p{L}\p{N}]; the builder's pattern must take the same characters.
    pattern = re.compile(r"[^\W_]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(pattern.match(char)) == (unicodedata.category(char)[0] in "LN"), hex(code)


def test_search_terms_drop_stop_words_lone_letters_and_stem():
    assert index_terms("De verkiezingen van de diplomaten in auto's", "nl") == [
        "verkies", "diplomaat", "auto"]
    assert index_terms("The sanctions were sanctioned", "en") == ["sanction", "sanction"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_stemming_parity_between_builder_and_engine(tmp_path, language):
    lines = (FIXTURES / f"search_words_{language}.txt").read_text(encoding="utf-8").splitlines()
    stop_words = sorted(STOP_WORDS[language])
    commands = [{"op": "terms", "text": line, "language": language, "stopWords": stop_words}
                for line in lines]
    engine = run_engine(tmp_path, commands)
    builder = [index_terms(line, language) for line in lines]
    assert sum(map(len, builder)) > 400
    for line, ours, theirs in zip(lines, builder, engine, strict=True):
        assert ours == theirs, line


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_c_and_python_stemmers_give_the_same_stems(language):
    # The builder stems with PyStemmer where installed; both come from Snowball, and must agree.
    words_of_list = {word for line in (FIXTURES / f"search_words_{language}.txt").read_text(
        encoding="utf-8").splitlines() for word in words(line)}
    in_c, in_python = stemmer_function(language, "c"), stemmer_function(language, "python")
    assert len(words_of_list) > 300
    assert {w: in_c(w) for w in words_of_list} == {w: in_python(w) for w in words_of_list}


# The files: split, bounded, deterministic.

ARTICLES = (
    build_article("navo", "NAVO wijst Russische diplomaten uit",
                  "De NAVO stuurt zeven Russische diplomaten weg. Secretaris-generaal "
                  "Stoltenberg maakte het bekend.", (2018, 3, 27), ("expulsions",)),
    build_article("gas", "Sancties tegen Gazprom",
                  "De Europese Unie treft Gazprom met sancties. De minister van Defensie "
                  "zwijgt.", (2022, 5, 2), ("sanctions",), source="NOS"),
    build_article("kiev", "Oekraïne kiest een president",
                  "In Oekraïne zijn de verkiezingen begonnen. De diplomaat van de EU kijkt "
                  "toe.", (2019, 3, 31)),
)


def test_search_index_is_the_same_byte_for_byte(tmp_path):
    digest = build_digest_of(*ARTICLES)
    first = search_files(digest, listing_pages(digest))
    again = search_files(build_digest_of(*reversed(ARTICLES)), listing_pages(digest))
    assert first == again
    assert list(first) == sorted(first)
    assert all(path.startswith("search/") and path.endswith(".js") for path in first)


def test_search_tiny_parts_stay_within_their_size_and_hold_every_term(tmp_path):
    digest = build_digest_of(*ARTICLES)
    files = search_files(digest, listing_pages(digest), part_bytes=100)
    _, manifest = read_part(files["search/manifest.js"])
    assert isinstance(manifest, dict)
    for kind in ("terms", "words", "meta"):
        table = manifest["parts"][kind]
        assert len(table) > (1 if kind == "meta" else 4), kind
        for number in range(len(table)):
            text = files[f"search/{kind}/{number:03d}.js"]
            _, data = read_part(text)
            entries = len(data) if kind != "meta" else len(data["docs"]) // 2
            assert len(text.encode()) <= 100 or entries == 1, (kind, number)
    # Every term sits in the part that the manifest's table points to.
    table = manifest["parts"]["terms"]
    terms = {term for article in ARTICLES
             for term in index_terms(f"{article.article.title} {article.article.text}", "nl")}
    for term in terms:
        number = max(i for i, first in enumerate(table) if first <= term)
        _, data = read_part(files[f"search/terms/{number:03d}.js"])
        assert term in data, term


def test_search_finds_every_word_with_tiny_parts(tmp_path):
    digest = build_digest_of(*ARTICLES)
    site = write_site(tmp_path, digest, part_bytes=100)
    queries = sorted({word for article in ARTICLES for word in words(article.article.text)
                      if word not in STOP_WORDS["nl"] and len(word) > 1})
    answers = ask(site, *(word + " " for word in queries))
    for word, answer in zip(queries, answers, strict=True):
        assert answer["total"] >= 1, word


def test_search_page_data_is_text_that_survives_as_it_is(tmp_path):
    title = 'Een </script><script>alert(1)</script> "titel" \u2028 met \\ erin'
    digest = build_digest_of(build_article("raar", title, "Gewone tekst over havens."))
    files = search_files(digest, ())
    name, data = read_part(files["search/docs/0.js"])
    assert name == "docs/0" and isinstance(data, dict)
    assert data["title"] == title
    assert "\u2028" not in files["search/docs/0.js"]
    [answer] = ask(write_site(tmp_path, digest, pages=()), "havens ")
    assert titles(answer) == [title]


# Rebuilds with the memo: the same files as from nothing, only changed documents read again.

MEMO_ARTICLES = (
    *ARTICLES,
    build_article("haven", "Drukte in de haven van Rotterdam",
                  "Schepen wachten dagen op een ligplaats.\n\nDe havenmeester vraagt de "
                  "rederijen om geduld.", (2021, 7, 14), ("sanctions",)),
    build_article("trekkers", "Boeren rijden met trekkers naar Den Haag",
                  "Honderden trekkers staan op de snelweg. De politie leidt het verkeer om en "
                  "de minister ontvangt de boeren.", (2019, 10, 1)),
    build_article("zonder", "Een bericht zonder datum",
                  "Niemand weet wanneer de diplomaat dit schreef.", None, ("expulsions",)),
)


def with_text(item: DigestArticle, text: str) -> DigestArticle:
    """The article with another text."""
    article = replace(item.analyzed.article,
                      blocks=tuple(Block(paragraph) for paragraph in text.split("\n\n")))
    return replace(item, analyzed=replace(item.analyzed, article=article))


def with_date(item: DigestArticle, date: tuple[int, ...]) -> DigestArticle:
    """The article published on another day (so in another place, newest first)."""
    article = replace(item.analyzed.article, date=PublishedDate(*date))
    return replace(item, analyzed=replace(item.analyzed, article=article))


EDITS = {
    "nothing changed": lambda articles: articles,
    "one changed": lambda articles: (
        articles[0], with_text(articles[1], "Gazprom levert weer gas aan de Europese Unie."),
        *articles[2:]),
    "one added, the newest": lambda articles: (*articles, build_article(
        "nieuwst", "De haven ligt stil", "Een staking legt de haven van Rotterdam plat.",
        (2023, 1, 9), ("sanctions",))),
    "one added among the others": lambda articles: (*articles, build_article(
        "midden", "Diplomaten keren terug", "De uitgewezen diplomaten mogen terugkomen.",
        (2020, 2, 2))),
    "one deleted": lambda articles: articles[:2] + articles[3:],
    "one moved by its date": lambda articles: (
        with_date(articles[0], (2017, 1, 5)), *articles[1:]),
}


def in_order(memo: dict) -> dict:
    """The memo with each dict as its items in order (the order is part of what it holds)."""
    return {key: list(value.items()) if isinstance(value, dict) else value
            for key, value in memo.items()}


def assert_plain(value: object) -> None:
    """Only dicts, tuples, strings and integers, as a build keeps them between runs."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            assert_plain(item)
    elif isinstance(value, tuple):
        for item in value:
            assert_plain(item)
    else:
        assert type(value) in (str, int), type(value)


@pytest.mark.parametrize("edit", EDITS)
def test_search_memo_rebuild_gives_the_files_of_a_build_from_nothing(edit):
    before = build_digest_of(*MEMO_ARTICLES)
    memo: dict = {}
    search_files(before, listing_pages(before), memo=memo)
    assert_plain(memo)
    after = build_digest_of(*EDITS[edit](MEMO_ARTICLES))
    memo = pickle.loads(pickle.dumps(memo))
    # With other part sizes too: what the memo keeps does not depend on them.
    files = search_files(after, listing_pages(after), part_bytes=200, memo=memo)
    assert files == search_files(after, listing_pages(after), part_bytes=200)
    # The memo holds the current documents only, and all else as a build from nothing
    # leaves it.
    assert len(memo["documents"]) == len(after.articles) + len(listing_pages(after))
    fresh: dict = {}
    search_files(after, listing_pages(after), memo=fresh)
    assert in_order(memo) == in_order(fresh)


def test_search_documents_read_by_forked_processes_give_the_same_index(monkeypatch):
    from generator import parallel

    monkeypatch.setattr(parallel, "MIN_SHARE", 2)
    digest = build_digest_of(*MEMO_ARTICLES)
    pages = listing_pages(digest)
    alone: dict = {}
    shared: dict = {}
    files = search_files(digest, pages, part_bytes=200, memo=alone)
    assert search_files(digest, pages, part_bytes=200, memo=shared, jobs=3) == files
    assert in_order(shared) == in_order(alone)
    # A rebuild after documents read elsewhere finds every word's term.
    after = build_digest_of(*EDITS["one added among the others"](MEMO_ARTICLES))
    assert search_files(after, listing_pages(after), part_bytes=200, memo=shared, jobs=3) \
        == search_files(after, listing_pages(after), part_bytes=200)


def test_search_memo_reads_only_the_document_that_changed(monkeypatch):
    tokenized: list[str] = []

    def counted_words(text: str) -> list[str]:
        tokenized.append(text)
        return words(text)

    monkeypatch.setattr(search, "words", counted_words)
    before = build_digest_of(*MEMO_ARTICLES)
    memo: dict = {}
    search_files(before, listing_pages(before), memo=memo)
    assert len(tokenized) == 2 * (len(MEMO_ARTICLES) + len(listing_pages(before)))

    tokenized.clear()
    search_files(before, listing_pages(before), memo=memo)
    assert tokenized == []

    changed = with_text(MEMO_ARTICLES[2], "In Oekraïne is de uitslag van de verkiezingen bekend.")
    after = build_digest_of(*MEMO_ARTICLES[:2], changed, *MEMO_ARTICLES[3:])
    search_files(after, listing_pages(after), memo=memo)
    assert tokenized == [changed.article.title, changed.article.text]


def test_search_memo_knows_an_articles_text_by_its_files_cache_key(monkeypatch):
    tokenized: list[str] = []
    monkeypatch.setattr(search, "words", lambda text: tokenized.append(text) or words(text))
    joined: list[str] = []
    text = CleanArticle.text.fget
    monkeypatch.setattr(CleanArticle, "text",
                        property(lambda article: joined.append(article.title) or text(article)))

    def keyed(item: DigestArticle, key: str) -> DigestArticle:
        return replace(item, analyzed=replace(item.analyzed, fingerprint=key))

    articles = [keyed(item, f"key {n}") for n, item in enumerate(MEMO_ARTICLES)]
    memo: dict = {}
    search_files(build_digest_of(*articles), (), memo=memo)
    tokenized.clear()
    joined.clear()
    search_files(build_digest_of(*articles), (), memo=memo)
    assert tokenized == joined == []  # the texts not even joined to be known
    # Another file, with its key: read again. Another text under the same key cannot come
    # from the cache (its key is that of its file's bytes); it would not be.
    changed = with_text(articles[2], "In Oekraïne is de uitslag van de verkiezingen bekend.")
    search_files(build_digest_of(*articles[:2], keyed(changed, "key 2b"), *articles[3:]), (),
                 memo=memo)
    assert tokenized == [changed.article.title, changed.article.text]


def test_search_memo_of_another_language_is_not_used():
    dutch = build_digest_of(*MEMO_ARTICLES)
    memo: dict = {}
    search_files(dutch, listing_pages(dutch), memo=memo)
    english = build_digest_of(*(replace(item, analyzed=replace(
        item.analyzed, article=replace(item.analyzed.article, language="en")))
        for item in MEMO_ARTICLES), language="en")
    files = search_files(english, listing_pages(english), memo=memo)
    assert files == search_files(english, listing_pages(english))


POOL = (
    *MEMO_ARTICLES,
    build_article("gas2", "Meer sancties tegen Gazprom",
                  "De Europese Unie en de NAVO overleggen over gas.", (2022, 5, 2),
                  ("sanctions", "expulsions")),
    build_article("stil", "Stil", "", (2018, 3, 27)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.dictionaries(st.integers(0, len(POOL) - 1), st.integers(0, 2)),
                          st.sampled_from([90, 300, PART_BYTES])),
                min_size=2, max_size=4))
def test_search_memo_any_sequence_of_rebuilds_gives_the_files_from_nothing(builds):
    memo: dict = {}
    for chosen, part_bytes in builds:
        # Per article taken: as it is, with another text, or moved to another day.
        articles = [(POOL[i], with_text(POOL[i], "De minister van Defensie zwijgt over gas."),
                     with_date(POOL[i], (2020, 1 + i, 3)))[variant]
                    for i, variant in sorted(chosen.items())]
        digest = build_digest_of(*articles)
        pages = listing_pages(digest)
        files = search_files(digest, pages, part_bytes=part_bytes, memo=memo)
        assert files == search_files(digest, pages, part_bytes=part_bytes)
        memo = pickle.loads(pickle.dumps(memo))


def test_search_bench_index_prints_identical_builds(tmp_path, capsys):
    path = tmp_path / "digest.pickle"
    digest = build_digest_of(*MEMO_ARTICLES)
    path.write_bytes(pickle.dumps((DigestConfig(), digest)))
    spec = importlib.util.spec_from_file_location("bench_search_index",
                                                  ROOT / "bench" / "search_index.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main([str(path), "--runs", "1"]) == 0
    rows = [line.split(" | ") for line in capsys.readouterr().out.splitlines()
            if line.startswith("| ") and not line.startswith("| case")]
    assert [row[0] for row in rows] == [
        "| from nothing", "| nothing changed", "| one article's text changed",
        "| one article added (newest)", "| one article deleted"]
    documents = len(MEMO_ARTICLES) + len(listing_pages(digest))
    assert [row[5] for row in rows] == [str(documents), "0", "1", "1", "0"]
    assert all(row[6] == "yes |" for row in rows)


# Queries through the engine.


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    digest = build_digest_of(*ARTICLES)
    return write_site(tmp_path_factory.mktemp("site"), digest)


def test_search_result_shows_title_date_source_themes_and_snippet(sample_site):
    [answer] = ask(sample_site, "gazprom ")
    assert answer["total"] == 1
    [result] = answer["results"]
    assert result["url"] == "articles/gas.html"
    assert (result["title"], result["date"], result["dateDisplay"], result["source"]) == (
        "Sancties tegen Gazprom", "2022-05-02", "2 mei 2022", "NOS")
    assert result["themes"] == [{"slug": "sanctions", "title": "Sancties"}]
    assert result["kind"] == "article"
    assert [piece for piece in result["snippet"] if piece["hit"]] == [
        {"text": "Gazprom", "hit": True}]
    assert "".join(piece["text"] for piece in result["snippet"]).startswith(
        "De Europese Unie treft Gazprom")


def test_search_stems_and_folds_the_query_like_the_text(sample_site):
    verkiezing, diplomaat, oekraine = ask(sample_site, "verkiezing ", "diplomaat ", "Oekraine ")
    assert titles(verkiezing) == ["Oekraïne kiest een president"]
    assert set(titles(diplomaat)[:2]) == {"NAVO wijst Russische diplomaten uit",
                                         "Oekraïne kiest een president"}
    assert titles(diplomaat)[2:] == ["Uitwijzingen"]  # the theme page: its description
    assert titles(oekraine) == ["Oekraïne kiest een president"]


def test_search_english_site_stems_in_english(tmp_path):
    digest = build_digest_of(
        build_article("eu", "Oil firm sanctioned", "The union sanctioned the firm.",
                      language="en"),
        language="en")
    [answer] = ask(write_site(tmp_path, digest), "sanctions ")
    assert titles(answer) == ["Oil firm sanctioned"]


def test_search_english_site_index_is_english_throughout(tmp_path):
    digest = build_digest_of(
        build_article("eu", "Oil firm sanctioned", "The union sanctioned the firm.",
                      date=(2022, 3, 1), language="en"),
        language="en")
    files = search_files(digest, listing_pages(digest))
    _, manifest = read_part(files["search/manifest.js"])
    assert isinstance(manifest, dict)
    assert manifest["language"] == "en"
    assert manifest["stopWords"] == sorted(STOP_WORDS["en"])
    assert manifest["themes"][-1] == ["other", "Other"]
    documents = [read_part(text)[1] for path, text in files.items() if "/docs/" in path]
    assert {"1 March 2022"} == {d["dateDisplay"] for d in documents if d["dateDisplay"]}
    assert {"Overview", "Other", "Timeline", "All articles"} <= {d["title"] for d in documents}


def test_search_last_word_matches_as_a_prefix_while_typed(sample_site):
    typing, typed = ask(sample_site, "Stolt", "Stolt ")
    assert titles(typing) == ["NAVO wijst Russische diplomaten uit"]
    assert typed["total"] == 0
    [earlier] = ask(sample_site, "stolt navo")
    assert earlier["total"] == 0  # only the last word is a prefix


def test_search_first_letters_of_a_next_word_narrow_nothing(sample_site):
    word, one_letter, two_letters = ask(sample_site, "diplomaat", "diplomaat 2", "diplomaat 20")
    assert word["total"] == one_letter["total"] == two_letters["total"] == 3


def test_search_of_an_empty_digest_answers_nothing(tmp_path):
    site = write_site(tmp_path, build_digest_of(), pages=())
    assert ask(site, "navo", "navo ")[1]["total"] == 0


def test_search_quoted_phrase_matches_words_in_a_row(tmp_path):
    digest = build_digest_of(
        build_article("a", "Eerste", "De minister van Defensie reist af.", (2022, 1, 2)),
        build_article("b", "Tweede", "Defensie en de minister spreken.", (2022, 1, 3)),
        build_article("c", "Derde", "De ministers voor defensie praten.", (2022, 1, 4)),
    )
    site = write_site(tmp_path, digest)
    phrase, loose, reversed_phrase, stop_word = ask(
        site, '"minister van defensie"', "minister defensie", '"defensie minister"',
        '"ministers van defensie"')
    assert titles(phrase) == ["Eerste"]
    assert (phrase["total"], phrase["exact"]) == (1, True)
    assert set(titles(loose)) == {"Eerste", "Tweede", "Derde"}
    assert reversed_phrase["total"] == 0
    # Words by stem (`ministers`, `minister`), stop words as they are (`van`, not `voor`).
    assert titles(stop_word) == ["Eerste"]


def test_search_phrase_checks_the_best_candidates_and_says_when_it_stopped(tmp_path):
    articles = [
        build_article(f"a{i}", f"Bericht {i}",
                      "De minister van Defensie reist af." if i % 2 else
                      "Defensie en de minister spreken.", (2022, 1, 1 + i % 28))
        for i in range(120)
    ]
    site = write_site(tmp_path, build_digest_of(*articles), pages=())
    [answer] = ask(site, '"minister van defensie"')
    assert not answer["exact"]
    assert 40 <= answer["total"] <= 120
    assert len(answer["results"]) == 10
    assert all(int(r["title"].split()[1]) % 2 for r in answer["results"])


def test_search_ranks_articles_before_listing_pages(sample_site):
    [answer] = ask(sample_site, "sancties ")
    assert [r["kind"] for r in answer["results"]] == ["article", "listing"]
    assert answer["results"][1]["url"] == "themes/sanctions.html"


def test_search_ranks_title_matches_before_body_matches(tmp_path):
    digest = build_digest_of(
        build_article("body", "Nieuws uit de stad", "Haven haven haven. De haven groeit.",
                      (2022, 6, 1)),
        build_article("title", "De haven groeit", "Er is meer overslag dan vorig jaar.",
                      (2020, 1, 1)),
    )
    [answer] = ask(write_site(tmp_path, digest), "haven ")
    assert titles(answer) == ["De haven groeit", "Nieuws uit de stad"]


def test_search_ranks_by_bm25_then_newer_first(tmp_path):
    filler = " ".join(f"woord{i}" for i in range(60))
    digest = build_digest_of(
        build_article("once", "Een", f"De haven ligt stil. {filler}", (2022, 6, 1)),
        build_article("often", "Twee", "De haven en nog een haven.", (2021, 6, 1)),
        build_article("older", "Drie", "Over de vissers.", (2020, 6, 1)),
        build_article("newer", "Vier", "Over de vissers.", (2020, 7, 1)),
    )
    bm25, tie = ask(write_site(tmp_path, digest), "haven ", "vissers ")
    assert titles(bm25) == ["Twee", "Een"]
    assert titles(tie) == ["Vier", "Drie"]


def test_search_counts_themes_and_years_and_filters_by_them(tmp_path):
    digest = build_digest_of(
        build_article("a", "Gas noord", "Gazprom levert gas.", (2022, 1, 1), ("sanctions",)),
        build_article("b", "Gas zuid", "Gazprom levert gas.", (2022, 2, 1), ("sanctions",)),
        build_article("c", "Gas oost", "Gazprom levert gas.", (2021, 1, 1), ("sanctions",)),
        build_article("d", "Gas west", "Gazprom levert gas.", (2022, 3, 1), ("expulsions",)),
        build_article("e", "Gas midden", "Gazprom levert gas.", (2021, 3, 1)),
    )
    site = write_site(tmp_path, digest)
    everything, in_theme, in_both = ask(
        site, "gazprom ", ("gazprom ", {"theme": "sanctions"}),
        ("gazprom ", {"theme": "sanctions", "year": "2022"}))
    assert everything["total"] == 5
    assert everything["facets"] == {
        "themes": [{"slug": "sanctions", "title": "Sancties", "count": 3},
                   {"slug": "expulsions", "title": "Uitwijzingen", "count": 1},
                   {"slug": "other", "title": "Overig", "count": 1}],
        "years": [{"year": "2022", "count": 3}, {"year": "2021", "count": 2}],
    }
    # Each filter narrows the other dimension's counts, not its own.
    assert in_theme["total"] == 3
    assert in_theme["facets"]["years"] == [{"year": "2022", "count": 2},
                                           {"year": "2021", "count": 1}]
    assert in_theme["facets"]["themes"][0]["count"] == 3
    assert in_both["total"] == 2
    assert titles(in_both) == ["Gas zuid", "Gas noord"]
    assert [t["count"] for t in in_both["facets"]["themes"]] == [2, 1]


def test_search_query_loads_only_the_parts_it_needs(tmp_path):
    digest = build_digest_of(*ARTICLES)
    site = write_site(tmp_path, digest, part_bytes=100)
    _, manifest = read_part((site / "search" / "manifest.js").read_text(encoding="utf-8"))
    assert isinstance(manifest, dict)
    [first, second] = run_engine(site, [
        {"op": "query", "text": "gazprom ", "options": {"limit": 1}},
        {"op": "query", "text": "Stoltenberg diplomaten ", "options": {"limit": 5}},
    ])
    loaded = first["files"]
    assert loaded[:2] == ["search/manifest.js", "assets/javascripts/snowball-stem.min.js"]
    assert [f for f in loaded if f.startswith("search/terms/")] == [
        _part_of(manifest, "terms", "gazprom")]
    assert not [f for f in loaded if f.startswith("search/words/")]
    assert [f for f in loaded if f.startswith("search/docs/")] == ["search/docs/0.js"]
    # The next query loads only what it lacks: no manifest, no stemmer, its own terms.
    loaded = second["files"]
    assert sorted(f for f in loaded if f.startswith("search/terms/")) == sorted(
        {_part_of(manifest, "terms", "stoltenberg"), _part_of(manifest, "terms", "diplomaat")})
    assert not [f for f in loaded if not f.startswith(("search/terms/", "search/meta/",
                                                       "search/docs/"))]


def _part_of(manifest: dict, kind: str, key: str) -> str:
    table = manifest["parts"][kind]
    number = max(i for i, first in enumerate(table) if first <= key)
    return f"search/{kind}/{number:03d}.js"


def test_search_later_query_wins(sample_site):
    [[earlier, later]] = run_engine(sample_site, [{"op": "race", "texts": ["gazprom", "navo"]}])
    assert earlier is None
    assert titles(later) == ["NAVO wijst Russische diplomaten uit"]


def test_search_query_of_stop_words_only_finds_nothing(sample_site):
    [answer] = ask(sample_site, "de het een ")
    assert answer == {"query": "de het een ", "total": 0, "exact": True, "results": [],
                      "facets": {"themes": [], "years": []}}


# The site's own pages.


def test_search_listing_pages_are_the_pages_the_site_renders(analyzer):
    digest = build_digest(GOLDEN_CONTENT, DigestConfig(language="nl"), analyzer)
    tree = render_site(digest, GOLDEN_CONTENT / "articles")
    articles = {article_page(a.slug) for a in digest.articles}
    assert {page.path for page in listing_pages(digest)} == set(tree.pages) - articles


def test_search_finds_articles_of_a_built_digest(tmp_path, analyzer):
    digest = build_digest(GOLDEN_CONTENT, DigestConfig(language="nl"), analyzer)
    site = write_site(tmp_path, digest, url_of=lambda path: "x/" + path)
    [answer] = ask(site, "diplomats expelled")
    urls = [result["url"] for result in answer["results"]]
    assert urls and all(url.startswith("x/articles/") for url in urls)
    assert answer["results"][0]["kind"] == "article"

