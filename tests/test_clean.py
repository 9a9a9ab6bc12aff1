"""clean: scraping noise removed; title, date, source and language settled."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import TITLE_MAX_CHARS, clean_article, normalize_text, shorten_at_word
from generator.model import Block, FrontMatter, PublishedDate

LEAD = "Rusland heeft drie Nederlandse diplomaten uitgewezen. Dat meldt het ministerie in Moskou."
SECOND = "De diplomaten moeten binnen twee weken het land verlaten. Nederland noemt dat onterecht."
THIRD = "Minister Hoekstra ontbiedt de Russische ambassadeur om uitleg te vragen over het besluit."


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


def block_texts(article) -> list[str]:
    return [block.text for block in article.blocks]


# Dates


def test_clean_date_marker_gives_month_only_date_and_is_removed(cleaned):
    article = cleaned(f"date 2022-02 {LEAD}\n\n{SECOND}")
    assert article.date == PublishedDate(2022, 2, None)
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_written_date_line_refines_marker_month_to_the_day(cleaned):
    article = cleaned(paragraphs("date 2018-03", "27 maart 2018", LEAD))
    assert article.date == PublishedDate(2018, 3, 27)
    assert block_texts(article) == [LEAD]


def test_clean_written_date_line_with_weekday_and_time_is_dropped(cleaned):
    article = cleaned(paragraphs(LEAD, "dinsdag 27 maart 2018, 15:38", SECOND))
    assert article.date == PublishedDate(2018, 3, 27)
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_written_date_in_another_month_does_not_replace_the_marker(cleaned):
    article = cleaned(paragraphs("date 2018-03", "27 april 2017", LEAD))
    assert article.date == PublishedDate(2018, 3, None)


def test_clean_without_any_date_leaves_the_date_unknown(cleaned):
    assert cleaned(paragraphs(LEAD, SECOND)).date is None


def test_clean_does_not_take_a_date_from_the_middle_of_the_text(cleaned):
    text = paragraphs(LEAD, "Het verdrag van 12 maart 1999 blijft volgens Moskou van kracht.")
    assert cleaned(text).date is None


# Noise


def test_clean_drops_photo_caption_ending_in_credit(cleaned):
    caption = "Russische diplomaten verlaten de ambassade in Den Haag. Beeld REUTERS"
    article = cleaned(paragraphs(caption, LEAD, SECOND))
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_bron_line_sets_source_and_is_removed(cleaned):
    article = cleaned(paragraphs("Bron: ANP", LEAD, SECOND))
    assert article.source == "ANP"
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_agency_dateline_sets_source_and_is_removed(cleaned):
    article = cleaned(paragraphs(f"MOSKOU (ANP) - {LEAD}", SECOND))
    assert article.source == "ANP"
    assert block_texts(article) == [LEAD, SECOND]


@pytest.mark.parametrize("prefix", ["(CNN)", "Washington (CNN) -- ", "LONDON (Reuters) - "])
def test_clean_bracketed_agency_before_the_lead_sets_source_and_is_removed(cleaned, prefix):
    lead = "They may not be aliens, but we may be close to finding evidence of life."
    article = cleaned(paragraphs(prefix + lead, "A NASA scientist said so on Tuesday."),
                      language="en")
    assert article.source in ("CNN", "Reuters")
    assert block_texts(article)[0] == lead


def test_clean_keeps_an_agency_named_inside_a_sentence(cleaned):
    text = "He told (CNN) that the talks had failed, and left the room without a word."
    article = cleaned(paragraphs(text, "The talks resume on Monday."), language="en")
    assert article.source is None
    assert block_texts(article)[0] == text


def test_clean_removes_a_byline_with_publication_times_before_the_lead(cleaned):
    byline = ("By . Daily Mail Reporter . PUBLISHED: . 08:01 EST, 2 May 2014 . | . "
              "UPDATED: . 09:15 EST, 2 May 2014 . ")
    lead = "A man has been arrested after a chase through the city centre on Friday."
    article = cleaned(paragraphs(byline + lead, "Police said he was unharmed."), language="en")
    assert block_texts(article)[0] == lead


def test_clean_drops_time_line(cleaned):
    article = cleaned(paragraphs(LEAD, "15u38", SECOND))
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_drops_lees_ook_paragraph(cleaned):
    article = cleaned(paragraphs(LEAD, "Lees ook: Poetin dreigt met gevolgen", SECOND))
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_cuts_lees_ook_glued_to_the_end_of_a_sentence(cleaned):
    glued = "De spanningen lopen op sinds de invasie.Lees ook: Plant Poetin een nieuwe aanval?"
    article = cleaned(paragraphs(LEAD, glued))
    assert block_texts(article) == [LEAD, "De spanningen lopen op sinds de invasie."]


def test_clean_keeps_a_body_repeated_as_one_paragraph_once(cleaned):
    repeated = f"{LEAD}\n{SECOND} {THIRD}"
    article = cleaned(paragraphs(LEAD, SECOND, THIRD, repeated))
    assert block_texts(article) == [LEAD, SECOND, THIRD]


def test_clean_joins_the_lines_of_a_paragraph(cleaned):
    article = cleaned("Rusland heeft drie Nederlandse\ndiplomaten uitgewezen.")
    assert block_texts(article) == ["Rusland heeft drie Nederlandse diplomaten uitgewezen."]


SCRAPED_NL = "\n".join([
    "Rusland wijst drie Nederlandse diplomaten uit",
    "Door Redactie Buitenland",
    "Van onze correspondent",
    "2 oktober 2020, 21:47",
    f"MOSKOU - {LEAD}",
    "Foto: ANP / Koen van Weel",
    SECOND,
    "Lees ook: Zo reageert Den Haag op het besluit",
    "Deel dit artikel",
    "Je leest nu een gratis artikel. Word abonnee voor onbeperkte toegang.",
    THIRD,
    "Meld je aan voor onze nieuwsbrief en ontvang het nieuws elke ochtend in je inbox.",
])

SCRAPED_EN = "\n".join([
    "By Sarah Jones and Tom Miller, Reuters",
    "Updated Oct 30, 2018 4:57 AM ET",
    "WASHINGTON (Reuters) - The United States expelled two Russian diplomats on Monday.",
    "Advertisement",
    "The State Department gave them 72 hours to leave the country.",
    "Share this article: Facebook | Twitter | WhatsApp",
    "Reporting by Sarah Jones; Editing by Tom Miller",
    "Copyright 2018 Thomson Reuters. All rights reserved.",
    "Get the morning briefing newsletter in your inbox every day.",
])


def test_clean_scraped_lines_lose_their_furniture(cleaned):
    article = cleaned(SCRAPED_NL, language=None)
    assert article.title == "Rusland wijst drie Nederlandse diplomaten uit"
    assert article.date == PublishedDate(2020, 10, 2)
    assert block_texts(article) == [LEAD, SECOND, THIRD]


def test_clean_scraped_english_lines_lose_their_furniture(cleaned):
    article = cleaned(SCRAPED_EN, title="US expels two Russian diplomats")
    assert article.date == PublishedDate(2018, 10, 30)
    assert article.source == "Reuters"
    assert block_texts(article) == [
        "The United States expelled two Russian diplomats on Monday.",
        "The State Department gave them 72 hours to leave the country.",
    ]


def test_clean_drops_a_first_line_that_repeats_the_title(cleaned):
    article = cleaned(SCRAPED_NL, title="Rusland wijst drie Nederlandse diplomaten uit")
    assert block_texts(article) == [LEAD, SECOND, THIRD]


def test_clean_keeps_sentences_that_only_look_like_furniture(cleaned):
    kept = ["Door de sancties stijgen de prijzen.", "By Monday the troops had left.",
            "De gemeente stuurt bewoners een nieuwsbrief over de werkzaamheden."]
    assert block_texts(cleaned("\n".join([LEAD, *kept]))) == [LEAD, *kept]


def test_clean_turns_typewriter_quotes_into_dutch_quotes(cleaned):
    article = cleaned(f"{LEAD} ,,Dit is onaanvaardbaar'', zei de minister.")
    assert article.blocks[0].text.endswith("„Dit is onaanvaardbaar”, zei de minister.")


def test_clean_removes_non_breaking_and_zero_width_spaces(cleaned):
    article = cleaned("Rusland\u00a0heeft drie\u200b diplomaten uitgewezen.")
    assert block_texts(article) == ["Rusland heeft drie diplomaten uitgewezen."]


# Title and headings


def test_clean_headline_line_becomes_the_title_and_leaves_the_body(cleaned):
    article = cleaned(paragraphs("Rusland wijst drie Nederlandse diplomaten uit", LEAD, SECOND))
    assert (article.title, article.title_from_text) == (
        "Rusland wijst drie Nederlandse diplomaten uit", True,
    )
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_headline_drops_author_initials_absent_from_the_body(cleaned):
    article = cleaned(paragraphs("Rusland wijst drie Nederlandse diplomaten uit HR", LEAD))
    assert article.title == "Rusland wijst drie Nederlandse diplomaten uit"


def test_clean_without_headline_takes_the_lead_sentence_as_title(cleaned):
    article = cleaned(paragraphs(LEAD, SECOND))
    assert (article.title, article.title_from_text) == (
        "Rusland heeft drie Nederlandse diplomaten uitgewezen", False,
    )
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_shortens_a_long_lead_title_at_a_word_boundary(cleaned):
    lead = (
        "Het Russische ministerie van Buitenlandse Zaken heeft maandag bekendgemaakt dat het de "
        "ambassadeur van het Verenigd Koninkrijk uitwijst. Londen reageert verbaasd."
    )
    title = cleaned(lead).title
    assert title == "Het Russische ministerie van Buitenlandse Zaken heeft maandag bekendgemaakt…"
    assert len(title) <= TITLE_MAX_CHARS


def test_shorten_at_word_never_ends_on_an_article_or_preposition():
    text = "Het Russische ministerie van Buitenlandse Zaken in Moskou heeft " + "de " * 20
    shortened = shorten_at_word(text, TITLE_MAX_CHARS)
    assert shortened == "Het Russische ministerie van Buitenlandse Zaken in Moskou heeft…"
    assert shortened.split()[-1].rstrip("…") not in {"het", "de", "van", "in"}


def test_shorten_at_word_keeps_a_text_that_fits():
    assert shorten_at_word("Rusland wijst diplomaten uit", 90) == "Rusland wijst diplomaten uit"


def test_clean_intertitles_become_heading_blocks(cleaned):
    article = cleaned(
        paragraphs(LEAD, "Boze reactie uit Den Haag", SECOND, "„Onaanvaardbaar”", THIRD)
    )
    assert article.blocks == (
        Block(LEAD),
        Block("Boze reactie uit Den Haag", is_heading=True),
        Block(SECOND),
        Block("„Onaanvaardbaar”", is_heading=True),
        Block(THIRD),
    )


# Language and front matter


def test_clean_detects_dutch(cleaned):
    assert cleaned(paragraphs(LEAD, SECOND)).language == "nl"


def test_clean_detects_english(cleaned):
    text = "Russia has expelled three Dutch diplomats. The ministry said that they were spies."
    assert cleaned(text).language == "en"


def test_clean_front_matter_wins_over_what_the_text_says(cleaned):
    article = cleaned(
        paragraphs("date 2022-02", "Bron: ANP", "Rusland wijst diplomaten uit", LEAD),
        title="Eigen kop", date=PublishedDate(2021, 5, 4), source="NOS", language="en",
        url="https://example.org/a", themes=("expulsions",),
    )
    assert (article.title, article.title_from_text, article.date, article.source,
            article.language, article.url, article.pinned_themes) == (
        "Eigen kop", False, PublishedDate(2021, 5, 4), "NOS", "en", "https://example.org/a",
        ("expulsions",),
    )
    # A front-matter title does not swallow the headline line: it stays as an intertitle.
    assert article.blocks[0] == Block("Rusland wijst diplomaten uit", is_heading=True)


def test_clean_keeps_the_source_path(source):
    article = clean_article(source(LEAD, path="2022/a.txt"))
    assert article.path.as_posix() == "2022/a.txt"


# Cleaning never grows the text

_WORDS = st.sampled_from(
    "Rusland wijst drie Nederlandse diplomaten uit de het Moskou NAVO troepen grens sancties "
    "Beeld REUTERS Bron: ANP Lees ook: date 2022-02 27 maart 2018 15u38 ,, '' „ ” \" . , ? !"
    .split(" ")
)
_PARAGRAPH = st.lists(_WORDS, min_size=1, max_size=30).map(" ".join)
_SEPARATOR = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n", " ", "\u00a0", "\t"])


@settings(max_examples=50, deadline=None)
@given(pieces=st.lists(st.tuples(_PARAGRAPH, _SEPARATOR), min_size=1, max_size=8),
       noise=st.text(max_size=40))
def test_clean_never_grows_the_text(source, pieces, noise):
    text = "".join(p + s for p, s in pieces) + noise
    article = clean_article(source(text))
    assert printed(article.text) <= printed(normalize_text(text))


def printed(text: str) -> int:
    """How many characters a text prints: the line that a scraper's single newline stood for
    becomes a paragraph break, which is layout, not text."""
    return len(re.sub(r"\s", "", text))


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=300))
def test_clean_accepts_any_text(source, text):
    article = clean_article(source(text, front_matter=FrontMatter()))
    assert article.language in ("nl", "en")
    assert article.title
    assert printed(article.text) <= printed(normalize_text(text))
