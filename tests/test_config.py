"""The digest settings in mkdocs.yml: defaults, summary length, a message for each bad value."""

from __future__ import annotations

import pytest

from generator.config import parse_digest_config
from generator.errors import DigestError
from generator.summarize import SummaryLength


def parse(settings, language="nl"):
    return parse_digest_config(settings, "Digest", language, "mkdocs.yml")


def test_config_defaults_to_three_sentence_summaries():
    config = parse(None)
    assert config.summary == SummaryLength(sentences=3, words=None)
    assert config.latest_per_theme == 5
    assert config.per_page == 50


def test_config_requires_dates_only_when_asked():
    assert parse(None).require_dates is False
    assert parse({"require_dates": True}).require_dates is True


def test_config_summary_length_in_sentences_and_words():
    assert parse({"summary_sentences": 2, "summary_words": 40}).summary == SummaryLength(2, 40)


def test_config_summary_length_in_words_alone_fills_the_words():
    assert parse({"summary_words": 60}).summary == SummaryLength(sentences=10, words=60)


@pytest.mark.parametrize(("settings", "reason"), [
    ({"summary_sentences": 0}, "summary_sentences '0' must be a whole number from 1 to 10"),
    ({"summary_sentences": "3"}, "summary_sentences '3' must be a whole number from 1 to 10"),
    ({"summary_words": 4}, "summary_words '4' must be a whole number of at least 5"),
    ({"latest_per_theme": 0}, "latest_per_theme '0' must be a whole number of at least 1"),
    ({"summary": 3}, "unknown setting 'summary' (known: summary_sentences, summary_words, "
                     "pipelines, latest_per_theme, search_part_kb, per_page, require_dates)"),
    ({"search_part_kb": 0}, "search_part_kb '0' must be a whole number from 1 to 1024"),
    ({"search_part_kb": "8"}, "search_part_kb '8' must be a whole number from 1 to 1024"),
    ({"per_page": 0}, "per_page '0' must be a whole number from 1 to 50"),
    ({"per_page": 51}, "per_page '51' must be a whole number from 1 to 50"),
    ({"per_page": True}, "per_page 'True' must be a whole number from 1 to 50"),
    ({"pipelines": {"de": "de_core_news_sm"}},
     "pipelines must map a language (nl, en) to a spaCy pipeline name or path"),
    ({"require_dates": "yes"}, "require_dates 'yes' must be true or false"),
    ({"require_dates": 1}, "require_dates '1' must be true or false"),
])
def test_config_reports_a_bad_setting(settings, reason):
    with pytest.raises(DigestError) as error:
        parse(settings)
    assert str(error.value) == f"Error in config 'mkdocs.yml': digest settings: {reason}"


def test_config_reports_an_unknown_site_language():
    with pytest.raises(DigestError) as error:
        parse({}, language="de")
    assert str(error.value) == (
        "Error in config 'mkdocs.yml': digest settings: site language 'de' is not one of nl, en")
