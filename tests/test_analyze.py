"""analyze: sentences and lemmas, from the rule-based pipeline or a trained one."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import replace

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import SENT_START
from spacy.pipeline import Sentencizer
from spacy.training import Example

from generator.analyze import (
    LEMMATIZER,
    PUNCTUATION_RUN_CHARS,
    QUOTE_FIXER,
    SENTENCIZER,
    WORD_CHARS,
    Analyzer,
    BoundedTokenizer,
    array_sentencizer,
    lemma_of,
    text_pieces,
)


def texts(analyzed_article) -> list[str]:
    return [s.text for s in analyzed_article.sentences]


def test_analyze_splits_sentences(analyzed):
    article = analyzed(
        "Rusland heeft drie diplomaten uitgewezen. Dat meldt het ministerie! Waarom nu?\n\n"
        "Nederland reageert boos."
    )
    assert texts(article) == [
        "Rusland heeft drie diplomaten uitgewezen.",
        "Dat meldt het ministerie!",
        "Waarom nu?",
        "Nederland reageert boos.",
    ]
    assert [(s.index, s.block) for s in article.sentences] == [(0, 0), (1, 0), (2, 0), (3, 1)]


@pytest.mark.parametrize("quote", ['"', "„", "“"])
def test_analyze_opening_quote_starts_the_next_sentence(analyzed, quote):
    closing = {"„": "”", "“": "”"}.get(quote, quote)
    article = analyzed(
        f"De minister sprak maandag, zei hij. {quote}Er is niets aan de hand{closing}, "
        "zei de woordvoerder."
    )
    assert texts(article) == [
        "De minister sprak maandag, zei hij.",
        f"{quote}Er is niets aan de hand{closing}, zei de woordvoerder.",
    ]


def test_analyze_closing_quote_stays_with_its_sentence(analyzed):
    article = analyzed('"Dit is onaanvaardbaar." De minister was boos.')
    assert texts(article) == ['"Dit is onaanvaardbaar."', "De minister was boos."]


def test_analyze_lemmas_are_dictionary_forms(analyzed):
    sentence = analyzed("De diplomaten zijn gisteren uitgewezen.").sentences[0]
    assert sentence.forms == ("de", "diplomaten", "zijn", "gisteren", "uitgewezen")
    assert sentence.lemmas == ("de", "diplomaat", "zijn", "gisteren", "uitwijzen")


def test_analyze_english_lemmas(analyzed):
    sentence = analyzed("Russia expelled three diplomats.", language="en").sentences[0]
    assert sentence.lemmas == ("russia", "expel", "three", "diplomat")


def test_lemma_of_merges_separable_verb_parts():
    assert lemma_of("opgelegd", "nl") == "opleggen"


def test_analyze_offsets_point_at_the_words(analyzed):
    sentence = analyzed('Hij zei: "Rusland wijst de NAVO-diplomaten uit."').sentences[0]
    pairs = zip(sentence.offsets, sentence.forms, strict=True)
    assert [sentence.text[o:o + len(f)].lower() for o, f in pairs] == list(sentence.forms)
    assert "navo-diplomaten" in sentence.forms


def test_analyze_counts_words_without_punctuation_or_numbers(analyzed):
    sentence = analyzed("Rusland stuurt 130.000 militairen, zegt de NAVO.").sentences[0]
    assert sentence.words == 6


def test_analyze_keeps_a_repeated_sentence_once(analyzed):
    article = analyzed(
        "Rusland heeft drie diplomaten uitgewezen. Nederland reageert boos.\n\n"
        "Rusland heeft drie diplomaten uitgewezen! De ambassadeur is ontboden."
    )
    assert texts(article) == [
        "Rusland heeft drie diplomaten uitgewezen.",
        "Nederland reageert boos.",
        "De ambassadeur is ontboden.",
    ]
    assert [s.index for s in article.sentences] == [0, 1, 2]


def test_analyze_heading_block_is_one_heading_sentence(analyzed):
    article = analyzed(
        "Rusland heeft drie diplomaten uitgewezen. Nederland reageert boos.\n\n"
        "Boze reactie uit Den Haag\n\nDe ambassadeur is ontboden."
    )
    assert [(s.text, s.is_heading) for s in article.sentences] == [
        ("Rusland heeft drie diplomaten uitgewezen.", False),
        ("Nederland reageert boos.", False),
        ("Boze reactie uit Den Haag", True),
        ("De ambassadeur is ontboden.", False),
    ]
    assert [s.text for s in article.body_sentences] == [
        "Rusland heeft drie diplomaten uitgewezen.",
        "Nederland reageert boos.",
        "De ambassadeur is ontboden.",
    ]


def test_analyze_title_is_a_heading_sentence_before_the_first(analyzed):
    article = analyzed("Rusland wijst diplomaten uit\n\nRusland heeft drie diplomaten uitgewezen.")
    assert (article.title.text, article.title.index, article.title.is_heading) == (
        "Rusland wijst diplomaten uit", -1, True,
    )
    assert article.title.lemmas[-2:] == ("diplomaat", "uit")


def test_analyze_keeps_the_order_of_articles_in_several_languages(analyzer, cleaned):
    articles = [
        cleaned("Rusland heeft diplomaten uitgewezen.", "a.txt", language="nl"),
        cleaned("Russia expelled three diplomats.", "b.txt", language="en"),
        cleaned("Nederland reageert boos.", "c.txt", language="nl"),
    ]
    results = analyzer.analyze(articles)
    assert [r.article for r in results] == articles
    assert [r.sentences[0].text for r in results] == [
        "Rusland heeft diplomaten uitgewezen.",
        "Russia expelled three diplomats.",
        "Nederland reageert boos.",
    ]


def test_analyze_rule_based_pipeline_components(analyzer):
    assert analyzer.pipeline("nl").pipe_names == [SENTENCIZER, QUOTE_FIXER, LEMMATIZER]


# Words, sentence ends, other punctuation, spaces and line breaks, in any order.
SENTENCE_PARTS = ["Hij", "zei", "nee", "3", ".", "!", "?", "...", ",", ":", "(", ")", "“", "”",
                  '"', "-", "।", "。", " ", " ", " ", "\n", "\n\n", "Dr", "U.S.", "zo.Dan"]


@functools.cache
def blank(language: str) -> spacy.language.Language:
    return spacy.blank(language)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PARTS), max_size=40), st.sampled_from(["nl", "en"]),
       st.lists(st.integers(0, 60), max_size=3))
def test_array_sentencizer_starts_the_sentences_spacys_sentencizer_starts(
        parts, language, known):
    nlp = blank(language)
    ours, theirs = nlp.make_doc("".join(parts)), nlp.make_doc("".join(parts))
    # Starts a component before it set (as the tokenizer does between parts) are kept.
    for doc in (ours, theirs):
        for i in known:
            if 0 < i < len(doc):
                doc[i].is_sent_start = i % 2 == 0
    Sentencizer()(theirs)
    array_sentencizer(ours)
    assert ours.to_array(SENT_START).tolist() == theirs.to_array(SENT_START).tolist()


# Text longer than spaCy takes at once


def test_text_pieces_cut_after_the_last_sentence_end_in_reach():
    assert text_pieces("Een. Twee drie. Vier vijf zes.", 20) == ["Een. Twee drie. ",
                                                                 "Vier vijf zes."]


def test_text_pieces_keep_a_closing_quote_with_its_sentence():
    assert text_pieces('Hij zei: "Ga weg." Zij bleef. Toen niet.', 25) == [
        'Hij zei: "Ga weg." ', "Zij bleef. Toen niet.",
    ]


def test_text_pieces_cut_at_white_space_without_a_sentence_end():
    assert text_pieces("aaaa bbbb cccc dddd eeee", 12) == ["aaaa bbbb ", "cccc dddd ", "eeee"]


def test_text_pieces_cut_a_word_longer_than_the_limit():
    assert text_pieces("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.sampled_from("ab .!?\"”\n"), max_size=300), limit=st.integers(1, 40))
def test_text_pieces_join_up_to_the_text_and_fit_the_limit(text, limit):
    pieces = text_pieces(text, limit)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= limit for piece in pieces) or pieces == [""]


LONG_BLOCK = " ".join(
    f"Rusland heeft op dag {n} opnieuw {n} diplomaten uitgewezen, meldt het ministerie."
    for n in range(1, 13)
)


@pytest.fixture
def short_reach_analyzer() -> Analyzer:
    """A rule-based analyzer whose Dutch pipeline takes at most 200 characters at once."""
    analyzer = Analyzer()
    analyzer.pipeline("nl").max_length = 200
    return analyzer


def test_analyze_paragraph_longer_than_max_length_in_pieces(
    short_reach_analyzer, analyzer, cleaned
):
    article = cleaned(f"{LONG_BLOCK}\n\nNederland reageert boos.")
    assert len(article.blocks[0].text) > 900
    in_pieces = short_reach_analyzer.analyze([article])[0]
    assert in_pieces.sentences == analyzer.analyze([article])[0].sentences
    assert [s.block for s in in_pieces.sentences] == [0] * 12 + [1]
    assert short_reach_analyzer.pipeline("nl").max_length == 200


def test_analyze_paragraph_without_sentence_end_longer_than_max_length(
    short_reach_analyzer, cleaned
):
    words = " ".join(f"woord{n}" for n in range(60))  # 469 characters, no full stop
    article = cleaned(f"{words}\n\nNederland reageert boos.")
    sentences = short_reach_analyzer.analyze([article])[0].sentences
    assert [(s.block, s.words) for s in sentences] == [(0, 26), (0, 25), (0, 9), (1, 3)]
    assert " ".join(s.text for s in sentences[:3]) == words


def test_analyze_title_longer_than_max_length_is_its_first_piece(short_reach_analyzer, cleaned):
    article = replace(cleaned("Nederland reageert boos."), title=LONG_BLOCK)
    title = short_reach_analyzer.analyze([article])[0].title
    assert title.text == text_pieces(LONG_BLOCK, 200)[0].strip()
    assert title.text.endswith("meldt het ministerie.")


def test_analyze_other_articles_of_the_language_survive_a_long_paragraph(
    short_reach_analyzer, cleaned
):
    articles = [cleaned(LONG_BLOCK, "a.txt"), cleaned("Nederland reageert boos.", "b.txt")]
    results = short_reach_analyzer.analyze(articles)
    assert [len(r.sentences) for r in results] == [12, 1]


# Runs that spaCy's tokenizer takes time in the square of their length for


def test_analyze_pipeline_tokenizer_is_bounded(analyzer):
    assert isinstance(analyzer.pipeline("nl").tokenizer, BoundedTokenizer)


def test_analyze_long_punctuation_run_stays_in_its_sentence(analyzed):
    dashes, bangs = "-" * 18, "!" * 27
    article = analyzed(f"Het bos is weg. {dashes} Daarna komt er nieuw bos{bangs} En dan?")
    assert texts(article) == [f"Het bos is weg. {dashes}", f"Daarna komt er nieuw bos{bangs}",
                              "En dan?"]


def test_analyze_word_longer_than_the_tokenizer_takes_at_once(analyzed):
    article = analyzed(f"Zie {'x' * 1200} voor meer. Dan nog iets.")
    sentence = article.sentences[0]
    assert (sentence.text, sentence.forms) == (
        f"Zie {'x' * 1200} voor meer.", ("zie", "x" * 500, "x" * 500, "x" * 200, "voor", "meer"),
    )


@settings(max_examples=100, deadline=None)
@given(text=st.lists(st.sampled_from(["'", "!", "(", "-", "…", "😀", "a", " ", ".", "x" * 90]),
                    max_size=120).map("".join))
def test_bounded_tokenizer_keeps_the_text_and_bounds_every_run(analyzer, text):
    doc = analyzer.pipeline("nl")(text)
    assert doc.text == text
    assert all(len(token) <= WORD_CHARS for token in doc)
    assert all(len(run) <= PUNCTUATION_RUN_CHARS
               for token in doc for run in re.findall(r"(?:[^\w\s]|_)+", token.text))


# Trained pipelines


@pytest.fixture(scope="module")
def trained_dutch_pipeline(tmp_path_factory) -> str:
    """A tiny Dutch pipeline with a trained tagger, saved to disk like a real one."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("tagger")
    tagged = [
        ("Rusland wijst diplomaten uit .", ["PROPN", "VERB", "NOUN", "ADP", "PUNCT"]),
        ("De minister zegt niets .", ["DET", "NOUN", "VERB", "PRON", "PUNCT"]),
        ("Nederland reageert boos .", ["PROPN", "VERB", "ADJ", "PUNCT"]),
    ]
    examples = [Example.from_dict(nlp.make_doc(text), {"tags": tags}) for text, tags in tagged]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(5):
        nlp.update(examples, sgd=optimizer)
    folder = tmp_path_factory.mktemp("nl_tiny_tagger")
    nlp.to_disk(folder)
    return str(folder)


def test_analyze_uses_a_trained_pipeline_from_a_path(trained_dutch_pipeline, cleaned):
    analyzer = Analyzer({"nl": trained_dutch_pipeline})
    assert "tagger" in analyzer.pipeline("nl").pipe_names
    article = analyzer.analyze([cleaned(
        'De diplomaten zijn uitgewezen, zei hij. "Er is niets aan de hand," zei de minister.'
    )])[0]
    assert texts(article) == [
        "De diplomaten zijn uitgewezen, zei hij.",
        '"Er is niets aan de hand," zei de minister.',
    ]
    assert article.sentences[0].lemmas == ("de", "diplomaat", "zijn", "uitwijzen", "zeggen", "hij")


def test_analyze_adds_sentences_and_lemmas_to_a_trained_pipeline_without_them(
    trained_dutch_pipeline,
):
    nlp = Analyzer({"nl": trained_dutch_pipeline}).pipeline("nl")
    assert nlp.pipe_names == [SENTENCIZER, QUOTE_FIXER, "tagger", LEMMATIZER]
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    assert nlp.max_length == 1_000_000


def test_analyze_falls_back_to_rule_based_when_the_named_pipeline_is_missing(
    caplog, analyzed, cleaned
):
    analyzer = Analyzer({"nl": "nl_core_news_sm"})
    with caplog.at_level(logging.INFO, logger="digest"):
        names = analyzer.pipeline("nl").pipe_names
    assert names == [SENTENCIZER, QUOTE_FIXER, LEMMATIZER]
    assert "spaCy pipeline 'nl_core_news_sm' is not installed; using the rule-based one" in (
        caplog.text
    )
    article = analyzer.analyze([cleaned("De diplomaten zijn uitgewezen.")])[0]
    assert article.sentences == analyzed("De diplomaten zijn uitgewezen.").sentences


def test_analyze_every_quote_in_a_long_paragraph_opens_its_sentence(analyzed):
    pairs = [(f"De minister sprak op dag {n}.", f"„Wij gaan door met punt {n}.”")
             for n in range(60)]
    article = analyzed(" ".join(f"{said} {quote}" for said, quote in pairs))
    assert texts(article) == [sentence for pair in pairs for sentence in pair]


def test_bounded_tokenizer_leaves_the_sentence_starts_to_the_pipeline(analyzer):
    doc = analyzer.pipeline("nl").tokenizer("Een zin. " + "!?" * 40 + " Nog een zin.")
    assert len(doc) > 8  # cut in parts
    assert doc[0].is_sent_start is True
    assert all(token.is_sent_start is None for token in doc[1:])
