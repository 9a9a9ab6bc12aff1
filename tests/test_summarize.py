"""summarize: the article's most telling sentences, in article order, within the length asked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Sentence
from generator.summarize import (
    SummaryLength,
    cosine,
    document_frequencies,
    is_summary_candidate,
    position_prior,
    style_penalty,
    summarize,
)


def build_sentence(text: str, is_heading: bool = False) -> Sentence:
    words = tuple(w.strip(".,;:!?\"'„”“‘’()").lower() for w in text.split())
    return Sentence(index=0, block=0, text=text, lemmas=words, forms=words,
                    offsets=tuple(range(len(words))), words=len(words), is_heading=is_heading)


NEWS = [
    "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak in Moskou.",
    "Het Russische ministerie van Buitenlandse Zaken maakte het besluit maandag bekend.",
    "De drie diplomaten moeten binnen twee weken het land verlaten, aldus het ministerie.",
    "Minister Hoekstra ontbiedt de Russische ambassadeur in Den Haag om uitleg te vragen.",
    "Nederland zette vorige maand zelf twee Russische diplomaten het land uit wegens spionage.",
    "Volgens analisten lopen de spanningen tussen beide landen al maanden verder op.",
]


# Properties

_WORDS = st.sampled_from(
    "rusland nederland diplomaten ambassadeur minister troepen grens sancties moskou den haag "
    "heeft wijst zegt stuurt legt uit op de het een van in met niet morgen maandag drie twee "
    "nieuwe boze europese russische".split()
)


@st.composite
def _sentences(draw) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=18))
    words[0] = words[0].capitalize()
    text = " ".join(words) + draw(st.sampled_from([".", ".", ".", "?", "!", ""]))
    quote = draw(st.sampled_from(["", "", "", '"', "„"]))
    if quote:
        text = quote + text + draw(st.sampled_from(["", '"', "”"]))
    return text


_HEADING = st.lists(_WORDS, min_size=1, max_size=5).map(lambda w: " ".join(w).capitalize())
_PARAGRAPH = st.one_of(
    st.lists(_sentences(), min_size=1, max_size=4).map(" ".join),
    st.lists(_sentences(), min_size=1, max_size=4).map(" ".join),
    _HEADING,
)
_ARTICLE = st.lists(_PARAGRAPH, min_size=1, max_size=8).map("\n\n".join)
_LENGTH = st.builds(
    SummaryLength,
    sentences=st.integers(min_value=1, max_value=5),
    words=st.one_of(st.none(), st.integers(min_value=5, max_value=80)),
)


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_picks_article_sentences_in_order_within_the_length(analyzed, text, length):
    article = analyzed(text)
    summary = summarize(article, length)
    assert all(s in article.sentences for s in summary)
    assert [s.index for s in summary] == sorted({s.index for s in summary})
    assert len(summary) <= length.sentences
    if length.words is not None and len(summary) > 1:
        assert sum(s.words for s in summary) <= length.words


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_is_never_empty_for_a_non_empty_article(analyzed, text, length):
    article = analyzed(text)
    assert article.sentences
    assert summarize(article, length)


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_prefers_whole_sentences_over_headings_and_fragments(analyzed, text, length):
    article = analyzed(text)
    if any(is_summary_candidate(s) for s in article.sentences):
        assert all(is_summary_candidate(s) for s in summarize(article, length))


# Examples


def test_summarize_short_article_gives_its_sentences(analyzed):
    article = analyzed(f"{NEWS[0]} {NEWS[1]}")
    assert [s.text for s in summarize(article, SummaryLength(sentences=3))] == NEWS[:2]


def test_summarize_gives_the_number_of_sentences_asked(analyzed):
    article = analyzed(" ".join(NEWS))
    for count in (1, 2, 3, 4):
        assert len(summarize(article, SummaryLength(sentences=count))) == count


def test_summarize_starts_from_the_lead(analyzed):
    article = analyzed(" ".join(NEWS))
    assert summarize(article, SummaryLength(sentences=2))[0].text == NEWS[0]


def test_summarize_never_contains_a_heading_or_a_fragment(analyzed):
    article = analyzed("\n\n".join([
        NEWS[0],
        "Boze reactie uit Den Haag",
        f"{NEWS[1]} Dinsdag meer.",
        "Reactie",
        f"{NEWS[2]} en dan nog iets zonder punt",
        f"{NEWS[3]} {NEWS[4]}",
    ]))
    headings = [s.text for s in article.sentences if s.is_heading]
    assert headings == ["Boze reactie uit Den Haag", "Reactie"]
    for count in (1, 3, 5):
        summary = summarize(article, SummaryLength(sentences=count))
        assert all(not s.is_heading for s in summary)
        assert all(s.text in NEWS for s in summary)


def test_summarize_respects_the_word_cap(analyzed):
    article = analyzed(" ".join(NEWS))
    summary = summarize(article, SummaryLength(sentences=3, words=25))
    assert sum(s.words for s in summary) <= 25
    assert len(summary) == 2


def test_summarize_word_cap_keeps_at_least_one_sentence(analyzed):
    article = analyzed(" ".join(NEWS))
    summary = summarize(article, SummaryLength(sentences=3, words=5))
    assert [s.text for s in summary] == [NEWS[0]]


def test_summarize_does_not_say_the_same_thing_twice(analyzed):
    article = analyzed(" ".join([
        NEWS[0],
        "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak, meldt Moskou.",
        *NEWS[1:],
    ]))
    texts = [s.text for s in summarize(article, SummaryLength(sentences=2))]
    assert texts[0] == NEWS[0]
    assert not texts[1].startswith("Rusland heeft drie Nederlandse diplomaten")


def test_summarize_one_line_article_without_a_full_stop_is_summarized(analyzed):
    article = analyzed("Rusland wijst drie Nederlandse diplomaten uit na een spionagezaak")
    assert [s.text for s in summarize(article)] == [
        "Rusland wijst drie Nederlandse diplomaten uit na een spionagezaak"
    ]


# Scores


def test_position_prior_falls_with_each_sentence():
    priors = [position_prior(rank) for rank in range(30)]
    assert priors[0] == 1.0
    assert all(a > b > 0 for a, b in zip(priors, priors[1:], strict=False))


PLAIN = "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak."


def test_style_penalty_leaves_a_plain_sentence_alone():
    assert style_penalty(build_sentence(PLAIN)) == 0.0


@pytest.mark.parametrize("text", [
    "Heeft Rusland drie Nederlandse diplomaten uitgewezen na een spionagezaak?",
    "„Heeft Rusland drie Nederlandse diplomaten uitgewezen na een spionagezaak?”",
])
def test_style_penalty_marks_down_a_question(text):
    assert style_penalty(build_sentence(text)) > style_penalty(build_sentence(PLAIN))


@pytest.mark.parametrize("text", [
    '"Wij zullen reageren op deze onaanvaardbare stap van Moskou, en snel ook.',
    'op deze onaanvaardbare stap van Moskou", zei de minister van Buitenlandse Zaken.',
    "„Wij zullen reageren op deze onaanvaardbare stap van Moskou, en snel ook.",
    "reageren op deze stap van Moskou', verklaarde de minister van Buitenlandse Zaken.",
])
def test_style_penalty_marks_down_a_quote_fragment(text):
    assert style_penalty(build_sentence(text)) > style_penalty(build_sentence(PLAIN))


def test_style_penalty_marks_down_a_sentence_leaning_on_the_one_before():
    dangling = "Dat heeft het ministerie van Buitenlandse Zaken maandag bekendgemaakt in Moskou."
    assert style_penalty(build_sentence(dangling)) > 0.0


def test_style_penalty_marks_down_very_short_and_very_long_sentences():
    short = "Rusland wijst diplomaten uit."
    long = " ".join(["Rusland wijst diplomaten uit"] * 16) + "."
    assert style_penalty(build_sentence(short)) > 0.0
    assert style_penalty(build_sentence(long)) > 0.0


def test_cosine_of_a_vector_with_itself_is_one():
    vector = {"rusland": 2.0, "diplomaat": 1.0, "uitwijzen": 1.5}
    assert cosine(vector, vector) == pytest.approx(1.0)


def test_cosine_of_vectors_without_shared_terms_is_zero():
    assert cosine({"rusland": 1.0}, {"voetbal": 3.0}) == 0.0


def test_cosine_of_an_empty_vector_is_zero():
    assert cosine({}, {"rusland": 1.0}) == 0.0
    assert cosine({"rusland": 1.0}, {}) == 0.0


def test_cosine_is_symmetric_and_ignores_scale():
    a = {"rusland": 1.0, "diplomaat": 2.0}
    b = {"rusland": 3.0, "sanctie": 1.0, "diplomaat": 1.0}
    assert cosine(a, b) == pytest.approx(cosine(b, a))
    assert cosine(a, b) == pytest.approx(cosine({k: 10 * v for k, v in a.items()}, b))
    assert 0.0 < cosine(a, b) < 1.0


def test_document_frequencies_weigh_rare_lemmas_more(analyzed):
    articles = [
        analyzed("Rusland wijst diplomaten uit."),
        analyzed("Rusland stuurt troepen naar de grens."),
        analyzed("Rusland krijgt nieuwe sancties."),
    ]
    idf = document_frequencies(articles)
    assert idf["troep"] > idf["rusland"]
    assert idf["rusland"] == pytest.approx(1.0)
