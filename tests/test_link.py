"""Linking articles: copies of one story, and related stories by content."""

from __future__ import annotations

import hashlib
import json
import math
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import link
from generator.link import containment, link_articles, names, story_vector, word_shingles
from generator.model import PublishedDate
from generator.summarize import document_frequencies

# Short English articles written for these tests, in story groups (`story`) beside unrelated
# ones (`story: null`), with the themes a classifier would give them; bench/related.py
# measures the same set.
ENGLISH_STORIES = Path(__file__).parent / "fixtures" / "related_en.jsonl"

WIRE = (
    "De NAVO stuurt zeven Russische diplomaten weg. Hun accreditatie bij het bondgenootschap "
    "wordt ingetrokken. De permanente missie van Rusland mag nog uit twintig mensen bestaan. "
    "Secretaris-generaal Stoltenberg maakte de maatregel vandaag bekend in Brussel. Die is een "
    "reactie op de aanslag met zenuwgas in Salisbury. Moskou ontkent elke betrokkenheid en "
    "dreigt met tegenmaatregelen tegen de westerse landen."
)
RELATED = (
    "Rusland zet zestig Amerikaanse diplomaten uit. Moskou reageert daarmee op de uitwijzing "
    "van Russische diplomaten na de aanslag met zenuwgas in Salisbury. Ook het consulaat in "
    "Sint-Petersburg moet dicht. De Verenigde Staten noemen de stap onterecht."
)
HARBOUR = (
    "De haven van Rotterdam sloeg vorig jaar meer containers over dan ooit. Vooral de overslag "
    "van lege containers groeide sterk. Het havenbedrijf verwacht dit jaar een kleinere groei "
    "door de zwakkere wereldhandel. Nieuwe kades op de Maasvlakte moeten de groei opvangen."
)
BAKERY = (
    "Een bakker in Utrecht bakt al veertig jaar elke nacht brood voor de buurt. Zijn zoon neemt "
    "de zaak volgend jaar over. Klanten komen van ver voor het roggebrood. De oven is nog "
    "steeds dezelfde als bij de opening."
)


@pytest.fixture
def linked(analyzed):
    """`linked(*texts)` → the Links of each text, in order."""

    def build(*texts: str):
        articles = [analyzed(text, path=f"a{i}.txt") for i, text in enumerate(texts)]
        return link_articles(articles, document_frequencies(articles))

    return build


def test_link_recognises_a_file_saved_twice_as_one_story(linked):
    links = linked(WIRE, WIRE, HARBOUR)
    assert links[0].same_story == (1,)
    assert links[1].same_story == (0,)
    assert links[2].same_story == ()


def test_link_recognises_wire_text_with_another_intro_and_ending(linked):
    outlet = "Brussel, dinsdag. " + WIRE + " Het Kremlin wilde niet op vragen reageren."
    links = linked(WIRE, outlet, HARBOUR)
    assert links[0].same_story == (1,)


def test_link_same_story_is_not_listed_as_related(linked):
    links = linked(WIRE, WIRE, RELATED)
    assert 1 not in links[0].related
    assert 2 in links[0].related


def test_link_articles_on_one_subject_are_related_not_the_same_story(linked):
    links = linked(WIRE, RELATED, HARBOUR, BAKERY)
    assert links[0].same_story == ()
    assert links[0].related[:1] == (1,)
    assert links[1].related[:1] == (0,)


def test_link_unrelated_articles_are_not_related(linked):
    links = linked(WIRE, HARBOUR, BAKERY)
    assert links[0].related == ()
    assert 2 not in links[1].related


def test_link_lists_a_story_once_among_related(linked):
    links = linked(RELATED, WIRE, WIRE)
    assert len([j for j in links[0].related if j in (1, 2)]) == 1


def test_link_related_are_limited_and_most_similar_first(analyzed):
    texts = [WIRE + f" Artikel {n} over de uitwijzing van diplomaten." * n for n in range(1, 5)]
    texts = [RELATED, *texts, HARBOUR]
    articles = [analyzed(text, path=f"a{i}.txt") for i, text in enumerate(texts)]
    idf = document_frequencies(articles)
    links = link_articles(articles, idf, limit=2)
    assert all(len(link.related) <= 2 for link in links)
    first = story_vector(articles[0], idf)
    scores = [sum(w * story_vector(articles[j], idf).get(t, 0.0) for t, w in first.items())
              for j in links[0].related]
    assert scores == sorted(scores, reverse=True)


def test_link_is_the_same_for_the_same_articles(linked):
    assert linked(WIRE, RELATED, HARBOUR, WIRE) == linked(WIRE, RELATED, HARBOUR, WIRE)


def test_story_vector_has_unit_length_and_no_stop_words(analyzed):
    articles = [analyzed(WIRE), analyzed(HARBOUR)]
    vector = story_vector(articles[0], document_frequencies(articles))
    assert abs(sum(w * w for w in vector.values()) - 1.0) < 1e-9
    assert "de" not in vector and "diplomaat" in vector


def test_word_shingles_of_the_same_words_are_the_same(analyzed):
    assert word_shingles(analyzed(WIRE)) == word_shingles(analyzed(WIRE + "\n\n"))
    assert word_shingles(analyzed(WIRE)) != word_shingles(analyzed(HARBOUR))


def test_word_shingles_leave_out_punctuation(analyzed):
    plain = "Een bakker in Utrecht bakt elke nacht brood voor de buurt"
    punctuated = "Een bakker in Utrecht bakt elke nacht - brood voor de buurt!"
    assert word_shingles(analyzed(plain)) == word_shingles(analyzed(punctuated))
    assert len(word_shingles(analyzed(plain))) == len(plain.split()) - link.SHINGLE + 1


def test_word_shingles_of_a_text_shorter_than_a_shingle_are_one(analyzed):
    assert len(word_shingles(analyzed("Brood wordt duurder."))) == 1
    assert word_shingles(analyzed("Brood wordt duurder.")) != word_shingles(analyzed("Brood."))


def test_containment_is_the_share_of_the_smaller_set():
    assert containment(frozenset({1, 2}), frozenset({1, 2, 3, 4})) == 1.0
    assert containment(frozenset({1, 2, 3, 4}), frozenset({1, 5})) == 0.5
    assert containment(frozenset(), frozenset({1})) == 0.0


def test_link_round_up_of_two_briefs_does_not_make_them_one_story(linked):
    round_up = "Het nieuws van vandaag in het kort.\n\n" + WIRE + "\n\n" + HARBOUR
    links = linked(WIRE, HARBOUR, round_up)
    assert 1 not in links[0].same_story
    assert 0 not in links[1].same_story


def test_link_a_brief_inside_a_long_article_is_not_the_same_story(linked):
    long_article = "\n\n".join([RELATED, HARBOUR, BAKERY, WIRE])
    links = linked(WIRE, long_article)
    assert links[0].same_story == ()


@pytest.fixture(scope="module")
def english_stories(analyzer, cleaned):
    """The labelled English stories: (analyzed articles, themes, story group) per article."""
    rows = [json.loads(line) for line in ENGLISH_STORIES.read_text("utf-8").splitlines()]
    articles = analyzer.analyze([
        cleaned(row["text"], f"{row['id']}.md", title=row["title"], language="en",
                date=PublishedDate(*map(int, row["date"].split("-"))))
        for row in rows])
    return articles, [row["themes"] for row in rows], [row["story"] for row in rows]


def related_quality(articles, themes, stories) -> tuple[float, float, float]:
    """Coverage (share of articles in a story with a related link), precision (share of links
    within one story) and recall (share of the links to its story an article could have)."""
    related = [item.related for item in link_articles(
        articles, document_frequencies(articles), themes=themes)]
    grouped = [i for i, story in enumerate(stories) if story]
    links = [(i, j) for i, targets in enumerate(related) for j in targets]
    possible = sum(min(link.RELATED_LIMIT, stories.count(stories[i]) - 1) for i in grouped)
    found = sum(1 for i in grouped for j in related[i] if stories[j] == stories[i])
    return (sum(1 for i in grouped if related[i]) / len(grouped),
            sum(1 for i, j in links if stories[i] and stories[i] == stories[j]) / len(links),
            found / possible)


def test_link_english_stories_find_their_story_and_little_else(english_stories):
    # The similarity before names and themes counted: coverage 1.00, precision 0.90, recall 0.76.
    coverage, precision, recall = related_quality(*english_stories)
    assert coverage == 1.0
    assert precision >= 0.85
    assert recall >= 0.9


def test_link_english_stories_on_one_subject_tell_the_stories_apart(english_stories):
    # Twelve articles on trade and cyber-attacks, three stories that share much vocabulary;
    # before: precision 1.00, recall 0.53.
    articles, themes, stories = english_stories
    themed = [i for i, found in enumerate(themes) if found]
    coverage, precision, recall = related_quality(
        [articles[i] for i in themed], [themes[i] for i in themed], [stories[i] for i in themed])
    assert coverage == 1.0
    assert precision >= 0.9
    assert recall >= 0.75


def test_names_are_words_capitalised_inside_a_sentence(analyzed):
    article = analyzed(
        "Russia denied any role. Kremlin spokesman Dmitry Peskov said Belgium had no "
        "evidence. He added: \"Nobody here knows Sandwave.\"",
        title="Moscow Rejects Belgian Claims As Baseless", language="en")
    assert names(article) == {"dmitry", "peskov", "belgium", "sandwave"}


def test_link_a_single_rare_word_in_common_is_no_related_story(linked):
    links = linked(
        "Een bakker in Utrecht bakt al veertig jaar brood. Zijn oven is Hongaars.",
        "In Boedapest spreken ze Hongaars. De stad ligt aan de Donau.",
    )
    assert links[0].related == () and links[1].related == ()


def test_link_a_shared_theme_raises_a_related_story(analyzed, monkeypatch):
    expelled = (
        "Ook Duitsland zet vier Russische diplomaten uit na de aanslag met zenuwgas in "
        "Salisbury. Berlijn spreekt van een duidelijk signaal aan Moskou."
    )
    texts = [WIRE, RELATED, expelled, HARBOUR]
    articles = [analyzed(text, path=f"a{i}.txt") for i, text in enumerate(texts)]
    idf = document_frequencies(articles)
    plain = link_articles(articles, idf)[0].related
    assert sorted(plain) == [1, 2]
    monkeypatch.setattr(link, "SHARED_THEME_BONUS", 1.0)
    second = plain[1]
    themes = [["expulsions"], [], [], []]
    themes[second] = ["expulsions"]
    assert link_articles(articles, idf, themes=themes)[0].related == (second, plain[0])
    # A theme in common makes no story related that shares no telling lemma.
    themes[3] = ["expulsions"]
    assert 3 not in link_articles(articles, idf, themes=themes)[0].related


def test_link_keeps_and_uses_what_it_found_about_copies(analyzed):
    articles = [replace(analyzed(text, path=f"a{i}.txt"), fingerprint=f"f{i}")
                for i, text in enumerate((WIRE, WIRE, HARBOUR))]
    idf = document_frequencies(articles)
    copies: dict[tuple[str, str], bool] = {}
    assert link_articles(articles, idf, copies=copies)[0].same_story == (1,)
    assert copies == {("f0", "f1"): True}
    # What the memo says is taken as it is: the texts are not compared again.
    copies[("f0", "f1")] = False
    assert link_articles(articles, idf, copies=copies)[0].same_story == ()


# More short articles written for these tests: two on the same expulsions as WIRE and
# RELATED, two on Rotterdam's harbour beside HARBOUR, one on bread beside BAKERY.
FRANCE = (
    "Ook Frankrijk wijst vier Russische diplomaten uit na de aanval met zenuwgas in Salisbury. "
    "Parijs spreekt van een onaanvaardbare daad. Moskou kondigt tegenmaatregelen aan."
)
STRIKE = (
    "Havenarbeiders in Rotterdam leggen morgen het werk neer. De vakbond wil meer loon en vaste "
    "roosters. Het havenbedrijf vreest dat de overslag van containers op de Maasvlakte "
    "dagenlang stilligt."
)
STRIKE_EDITED = (
    "Havenarbeiders in Rotterdam staken vanaf maandag. De vakbond eist meer loon. Schepen met "
    "containers wachten voor de kust tot de overslag op de Maasvlakte weer op gang komt."
)
FERRY = (
    "De veerboot van Rotterdam naar Hull vaart weer na een storing aan de motor. Honderden "
    "passagiers wachtten een nacht lang in de haven."
)
BREAD = (
    "Brood wordt dit jaar duurder. Bakkers betalen meer voor meel en voor het stoken van hun "
    "ovens. Een bakker in Utrecht merkt dat klanten vaker roggebrood kopen."
)
COLLECTION = {
    "wire": WIRE, "related": RELATED, "france": FRANCE, "harbour": HARBOUR, "strike": STRIKE,
    "bakery": BAKERY, "bread": BREAD,
}


@pytest.fixture(scope="module")
def editions(analyzer, cleaned):
    """Every article of COLLECTION, an edited STRIKE (`strike edited`) and FERRY, analyzed
    with a fingerprint of its path and text as the cache gives them; and the word weights of
    all of them, so that a vector does not change with the articles beside it."""
    texts = {**COLLECTION, "strike edited": STRIKE_EDITED, "ferry": FERRY}
    paths = {name: name.split()[0] + ".txt" for name in texts}
    articles = analyzer.analyze([cleaned(text, paths[name], language="nl")
                                 for name, text in texts.items()])
    analyzed = {
        name: replace(article, fingerprint=hashlib.sha256(
            (paths[name] + "\0" + texts[name]).encode()).hexdigest())
        for name, article in zip(texts, articles, strict=True)
    }
    return analyzed, document_frequencies(articles)


@pytest.fixture
def computed_rows(monkeypatch):
    """The positions whose similarities `link_articles` computes (not kept from the memo)."""
    computed: list[int] = []
    scores, row = link._scores, link._Postings.row

    def counted(i, *args):
        computed.append(i)
        return scores(i, *args)

    def counted_row(self, i, *args):
        computed.append(i)
        return row(self, i, *args)

    monkeypatch.setattr(link, "_scores", counted)
    monkeypatch.setattr(link._Postings, "row", counted_row)
    return computed


def same_memo(memo: dict, other: dict) -> bool:
    """Whether two similarity memos hold the same, each row in the same order."""
    def ordered(memo: dict) -> dict:
        return {**memo, "rows": [list(row.items()) for row in memo["rows"]],
                "vectors": [v and list(v.items()) for v in memo["vectors"]]}
    return ordered(memo) == ordered(other)


def rebuilt(computed_rows, before, after, idf, idf_after=None, themes=None):
    """`link_articles` of `after` given the memo a build of `before` left (kept as the result
    cache keeps it, pickled), beside a build of `after` from nothing: (links, memo) of each,
    and the rows the rebuild computed."""
    memo: dict = {}
    link_articles(before, idf, similar=memo)
    memo = pickle.loads(pickle.dumps(memo))
    computed_rows.clear()
    links = link_articles(after, idf_after or idf, themes=themes, similar=memo)
    computed = list(computed_rows)
    fresh: dict = {}
    fresh_links = link_articles(after, idf_after or idf, themes=themes, similar=fresh)
    return (links, memo), (fresh_links, fresh), computed


BASE = list(COLLECTION)
REBUILDS = {
    # name: the articles after, what is computed anew
    "nothing changed": (BASE, []),
    "one edited": ([n if n != "strike" else "strike edited" for n in BASE], ["strike edited"]),
    "one added": (BASE[:2] + ["ferry"] + BASE[2:], ["ferry"]),
    "one deleted": ([n for n in BASE if n != "france"], []),
    "others moved": (BASE[::-1], []),
}


@pytest.mark.parametrize("rebuild", REBUILDS)
def test_link_rebuild_from_the_memo_is_a_build_from_nothing(editions, computed_rows, rebuild):
    analyzed, idf = editions
    names_after, changed = REBUILDS[rebuild]
    before = [analyzed[n] for n in BASE]
    after = [analyzed[n] for n in names_after]
    (links, memo), (fresh_links, fresh), computed = rebuilt(computed_rows, before, after, idf)
    assert links == fresh_links
    assert any(link.related for link in links)
    assert same_memo(memo, fresh)
    assert computed == [names_after.index(n) for n in changed]


@pytest.mark.parametrize("share", [0.5, 0.25])
def test_link_rebuild_computes_the_articles_whose_words_weigh_otherwise(
        editions, computed_rows, monkeypatch, share):
    # Two articles of seven change: more than a quarter are computed anew, all of them.
    monkeypatch.setattr(link, "REBUILD_SHARE", share)
    analyzed, idf = editions
    articles = [analyzed[n] for n in BASE]
    heavier = {**idf, "bakker": idf["bakker"] * 1.5}
    (links, memo), (fresh_links, fresh), computed = rebuilt(
        computed_rows, articles, articles, idf, idf_after=heavier)
    assert links == fresh_links and same_memo(memo, fresh)
    if share == 0.5:
        assert computed == [BASE.index("bakery"), BASE.index("bread")]
    else:
        assert computed == list(range(len(articles)))


def test_link_rebuild_computes_an_article_without_fingerprint_anew(editions, computed_rows):
    analyzed, idf = editions
    articles = [analyzed[n] for n in BASE]
    unknown = [replace(a, fingerprint="") if n == "harbour" else a
               for n, a in zip(BASE, articles, strict=True)]
    (links, memo), (fresh_links, fresh), computed = rebuilt(computed_rows, unknown, unknown, idf)
    assert links == fresh_links and same_memo(memo, fresh)
    assert memo["vectors"][BASE.index("harbour")] is None
    assert computed == [BASE.index("harbour")]


def test_link_rebuild_computes_all_when_a_lemma_becomes_common(
        editions, computed_rows, monkeypatch):
    # With a floor of two, a lemma in three articles is common: FERRY makes `rotterdam` one.
    monkeypatch.setattr(link, "COMMON_FLOOR", 2)
    analyzed, idf = editions
    before = [analyzed[n] for n in BASE]
    after = before + [analyzed["ferry"]]
    (links, memo), (fresh_links, fresh), computed = rebuilt(computed_rows, before, after, idf)
    assert links == fresh_links and same_memo(memo, fresh)
    assert "rotterdam" in memo["common"]
    assert computed == list(range(len(after)))


def test_link_rebuild_computes_all_when_the_floor_changes(editions, computed_rows):
    analyzed, idf = editions
    articles = [analyzed[n] for n in BASE]
    themes = [[] for _ in articles]  # themes lower the floor by the bonus of a shared one
    (links, memo), (fresh_links, fresh), computed = rebuilt(
        computed_rows, articles, articles, idf, themes=themes)
    assert links == fresh_links and same_memo(memo, fresh)
    assert computed == list(range(len(articles)))


VOCABULARY = tuple("abcdefghijkl")


@st.composite
def unit_vectors(draw) -> dict[str, float]:
    weights = draw(st.dictionaries(st.sampled_from(VOCABULARY), st.floats(0.05, 1.0),
                                   min_size=1, max_size=7))
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {lemma: w / norm for lemma, w in weights.items()}


@st.composite
def rebuilds(draw) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Fingerprinted vectors of a build, and of the next one: some kept, changed or gone,
    some new (with a fingerprint or without), in another order or not."""
    before = [(f"f{i}", v) for i, v in enumerate(draw(st.lists(unit_vectors(), min_size=2,
                                                                max_size=24)))]
    after = []
    for fingerprint, vector in before:
        fate = draw(st.sampled_from(["kept", "kept", "kept", "changed", "gone"]))
        if fate != "gone":
            after.append((fingerprint, vector if fate == "kept" else draw(unit_vectors())))
    for n in range(draw(st.integers(0, 3))):
        fingerprint = draw(st.sampled_from([f"new{n}", ""]))
        after.insert(draw(st.integers(0, len(after))), (fingerprint, draw(unit_vectors())))
    if draw(st.booleans()):
        after = draw(st.permutations(after))
    return before, after


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rebuilds(), st.integers(2, 8))
def test_similarities_from_the_memo_are_those_computed_anew(monkeypatch, rebuild, common_floor):
    # Any share of changed articles is amended, and lemmas in a few articles are common.
    monkeypatch.setattr(link, "REBUILD_SHARE", 1.0)
    monkeypatch.setattr(link, "COMMON_FLOOR", common_floor)
    before, after = rebuild
    memo: dict = {}
    link._similarities([v for _, v in before], 0.1, 1, [f for f, _ in before], memo)
    rows = link._similarities([v for _, v in after], 0.1, 1, [f for f, _ in after], memo)
    fresh: dict = {}
    fresh_rows = link._similarities([v for _, v in after], 0.1, 1, [f for f, _ in after], fresh)
    assert [list(row.items()) for row in rows] == [list(row.items()) for row in fresh_rows]
    assert same_memo(memo, fresh)


@settings(max_examples=300, deadline=None)
@given(st.lists(unit_vectors(), min_size=1, max_size=30), st.sets(st.sampled_from(VOCABULARY)),
       st.floats(0.0, 0.6))
def test_similarities_by_arrays_are_those_summed_one_by_one(vectors, common, floor):
    common = frozenset(common)
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, vector in enumerate(vectors):
        for lemma, weight in vector.items():
            postings.setdefault(lemma, []).append((i, weight))
    by_arrays = link._Postings(vectors, common)
    for i in range(len(vectors)):
        one_by_one = link._kept(i, link._scores(i, vectors, postings, common), vectors, floor)
        assert list(by_arrays.row(i, floor).items()) == list(one_by_one.items())


def test_link_keeps_the_candidates_it_did_not_need_to_ask_about(analyzed, monkeypatch):
    # Two copies of one story, and a third text that shares half of it: the third is compared
    # with the first copy, found another story, and so never with the second.
    half = WIRE.split(". ")
    other = ". ".join(half[:3]) + ". " + RELATED
    articles = [replace(analyzed(text, path=f"a{i}.txt"), fingerprint=f"f{i}")
                for i, text in enumerate((WIRE, WIRE, other, HARBOUR))]
    idf = document_frequencies(articles)
    copies: dict[tuple[str, str], bool | None] = {}
    assert [a.same_story for a in link_articles(articles, idf, copies=copies)][:3] == \
        [(1,), (0,), ()]
    assert copies == {("f0", "f1"): True, ("f0", "f2"): False, ("f1", "f2"): None}
    made = []
    monkeypatch.setattr(link, "word_shingles", lambda a: made.append(a) or frozenset())
    again = link_articles(articles, idf, copies=copies)
    assert [a.same_story for a in again][:3] == [(1,), (0,), ()]
    assert made == []  # nothing compared again, nor made ready to be
