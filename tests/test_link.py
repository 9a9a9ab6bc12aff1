"""Linking articles: copies of one story, and related stories by content."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

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
