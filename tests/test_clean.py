"""clean: scraping noise removed; title, date, source and language settled."""

from __future__ import annotations

import datetime
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import (
    HEADLINE_MAX_CHARS,
    TITLE_MAX_CHARS,
    clean_article,
    clean_field,
    drop_repeated_paragraphs,
    find_written_dates,
    normalize_text,
    shorten_at_word,
)
from generator.model import Block, FrontMatter, PublishedDate, squeeze
from generator.read import read_article

ROOT = Path(__file__).resolve().parent.parent

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


@pytest.mark.parametrize("line", ["31 februari 2022", "Published 30 February 2022",
                                  "29 februari 2023, 10:15"])
def test_clean_date_line_that_is_no_calendar_date_gives_no_date(cleaned, line):
    article = cleaned(paragraphs(line, LEAD))
    assert (article.date, block_texts(article)) == (None, [LEAD])


def test_clean_date_line_that_is_no_calendar_date_leaves_the_marker_month(cleaned):
    article = cleaned(paragraphs("date 2022-02", "30 februari 2022", LEAD))
    assert article.date == PublishedDate(2022, 2, None)


def test_clean_lead_dateline_that_is_no_calendar_date_gives_no_date(cleaned):
    lead = "30 February 2022 - Russia expelled three Dutch diplomats on Monday."
    assert cleaned(paragraphs(lead, "The ministry said so."), language="en").date is None


@pytest.mark.parametrize("marker", ["date 2022-02-45", "date 2022-13-01", "date 2022-02-00",
                                    "date 2022-00", "date 0000-01"])
def test_clean_date_marker_that_is_no_calendar_date_gives_no_date(cleaned, marker):
    article = cleaned(f"{marker} {LEAD}\n\n{SECOND}")
    assert (article.date, block_texts(article)) == (None, [LEAD, SECOND])


def test_clean_date_marker_of_a_leap_day_is_a_date(cleaned):
    assert cleaned(f"date 2024-02-29 {LEAD}").date == PublishedDate(2024, 2, 29)


def test_find_written_dates_skips_dates_the_calendar_has_not():
    text = "Tussen 31 februari 2022, 31 april 2022 en 28 februari 2022 lag een maand."
    assert find_written_dates(text) == [PublishedDate(2022, 2, 28)]


@settings(max_examples=100, deadline=None)
@given(year=st.integers(0, 9999), month=st.integers(0, 99), day=st.integers(0, 99))
def test_clean_takes_only_real_dates_from_a_marker(cleaned, year, month, day):
    date = cleaned(f"date {year:04d}-{month:02d}-{day:02d} {LEAD}").date
    assert date is None or datetime.date(date.year, date.month, date.day or 1)


@settings(max_examples=100, deadline=None)
@given(day=st.integers(0, 99), month=st.sampled_from(["februari", "april", "June", "Feb"]),
       year=st.integers(1000, 9999))
def test_clean_takes_only_real_dates_from_a_date_line(cleaned, day, month, year):
    date = cleaned(paragraphs(f"{day} {month} {year}", LEAD)).date
    assert date is None or datetime.date(date.year, date.month, date.day or 1)


def test_clean_does_not_take_a_date_from_the_middle_of_the_text(cleaned):
    text = paragraphs(LEAD, "Het verdrag van 12 maart 1999 blijft volgens Moskou van kracht.")
    assert cleaned(text).date is None


# Noise


def test_clean_drops_photo_caption_ending_in_credit(cleaned):
    caption = "Russische diplomaten verlaten de ambassade in Den Haag. Beeld REUTERS"
    article = cleaned(paragraphs(caption, LEAD, SECOND))
    assert block_texts(article) == [LEAD, SECOND]


@pytest.mark.parametrize("credit", ["Beeld REUTERS", "(Foto: Reuters)", "© AFP",
                                    "Foto: ANP / Jan de Vries / Pieter van den Berg"])
def test_clean_cuts_a_credit_from_the_end_of_a_paragraph(cleaned, credit):
    long = " ".join([LEAD, SECOND, THIRD, SECOND])
    assert block_texts(cleaned(f"{long} {credit}")) == [long]


def test_clean_keeps_text_after_a_copyright_sign_that_is_longer_than_a_credit(cleaned):
    tail = " ".join([SECOND, THIRD, SECOND]).lower()  # 270 characters without `!` or `?`
    paragraph = f"{LEAD} Het logo draagt een © en daarna {tail}"
    assert block_texts(cleaned(paragraph)) == [paragraph]


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
    lead = "The harbour reopened on Monday after a week of storms had kept every ferry in port."
    article = cleaned(paragraphs(prefix + lead, "The first boat left at dawn."),
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


def test_clean_keeps_a_long_paragraph_that_mentions_a_newsletter(cleaned):
    long = ("Wie zich aanmeldt voor de nieuwsbrief van de gemeente, krijgt elke week bericht "
            "over de werkzaamheden in de wijk. " * 4).strip()
    paragraph = f"De gemeente vraagt je om mee te denken. {long}"
    assert block_texts(cleaned("\n".join([LEAD, paragraph]))) == [LEAD, paragraph]


# Repeated paragraphs


def test_drop_repeated_paragraphs_drops_a_paragraph_said_before():
    assert drop_repeated_paragraphs([LEAD, SECOND, LEAD, THIRD]) == [LEAD, SECOND, THIRD]


def test_drop_repeated_paragraphs_drops_text_that_runs_across_paragraphs_before():
    # The end of the lead and the start of the second paragraph, as a scraper's teaser.
    across = "Dat meldt het ministerie in Moskou. De diplomaten moeten binnen twee weken"
    assert drop_repeated_paragraphs([LEAD, SECOND, across]) == [LEAD, SECOND]


def test_drop_repeated_paragraphs_drops_a_quote_taken_from_a_paragraph_before():
    assert drop_repeated_paragraphs([SECOND, "„Nederland noemt dat onterecht”"]) == [SECOND]


def test_drop_repeated_paragraphs_keeps_a_short_or_changed_paragraph():
    short = "Ministerie in Moskou!"  # said before, but 18 letters: may repeat by chance
    changed = LEAD.replace("drie", "twee")
    assert drop_repeated_paragraphs([LEAD, short, changed]) == [LEAD, short, changed]


def naive_drop_repeated_paragraphs(paragraphs: list[str]) -> list[str]:
    """What drop_repeated_paragraphs says, by looking each paragraph up in all text before it."""
    kept, seen = [], ""
    for paragraph in paragraphs:
        squeezed = squeeze(paragraph)
        if len(squeezed) > 20 and squeezed in seen:
            continue
        kept.append(paragraph)
        seen += squeezed
    return kept


_FRAGMENT = st.lists(st.sampled_from("de het Rusland NAVO wijst uit drie 12 ab ba, .".split()),
                     min_size=1, max_size=7).map(" ".join)


# At most 6 paragraphs of at most 55 characters: fewer pieces of the index in all than places it
# compares per piece, so it finds exactly what a look through all the text before finds.
@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.tuples(_FRAGMENT, st.integers(0, 300), st.integers(0, 55)),
                       max_size=6))
def test_drop_repeated_paragraphs_finds_what_a_look_through_all_text_finds(pieces):
    paragraphs: list[str] = []
    for fragment, start, length in pieces:
        # Now a new paragraph, now a piece of the ones before it.
        before = " ".join(paragraphs)
        paragraphs.append(before[start:start + length] if start % 2 and before else fragment)
    assert drop_repeated_paragraphs(paragraphs) == naive_drop_repeated_paragraphs(paragraphs)


# Hidden characters


@pytest.mark.parametrize("text", [
    "Rusland\x00 heeft drie\x07 diplomaten\x7f uit\x90ge\x9fwezen.",
    "\x1b[1;31mRusland\x1b[0m heeft drie \x1b[4mdiplomaten\x1b[24m uitgewezen.",
    "Rusland heeft \x9b31mdrie diplomaten\x1b]8;;https://example.org\x1b\\ uitgewezen.",
    "Rusland heeft \u202edrie\u202c diplomaten\u200f uit\u2066gewezen\u2069\u061c.",
    "\u200eRusland heeft drie\u202a\u202b\u202d diplomaten\u2067\u2068 uitgewezen.",
])
def test_clean_removes_controls_escapes_and_direction_marks(cleaned, text):
    article = cleaned(text)
    assert block_texts(article) == ["Rusland heeft drie diplomaten uitgewezen."]
    assert article.title == "Rusland heeft drie diplomaten uitgewezen"


def test_clean_takes_a_form_feed_or_vertical_tab_for_a_line_break(cleaned):
    article = cleaned(f"{LEAD}\x0c{SECOND}\x0b{THIRD}")
    assert block_texts(article) == [LEAD, SECOND, THIRD]


def test_clean_removes_hidden_characters_from_the_front_matter(cleaned):
    article = cleaned(
        LEAD, title="Rusland\n  wijst\x1b[31m diplomaten\u202e uit\x00\n",
        source="\u202eA\x07NP\t", url=" https://exa\u200bmple.org/\u2066a\u2069\x1b[0m ",
    )
    assert (article.title, article.source, article.url) == (
        "Rusland wijst diplomaten uit", "ANP", "https://example.org/a",
    )
    assert block_texts(article) == [LEAD]


def test_clean_title_from_a_file_name_loses_its_direction_marks(source):
    article = clean_article(source("\u202e", path="nieuws/rapport\u202egpj.exe.txt"))
    assert article.title == "rapportgpj.exe"


def test_clean_front_matter_title_of_nothing_but_hidden_characters_is_no_title(cleaned):
    article = cleaned(paragraphs(LEAD, SECOND), title="\u202e\x1b[0m \n", source="\x00")
    assert (article.title, article.title_from_lead, article.source) == (
        "Rusland heeft drie Nederlandse diplomaten uitgewezen", True, None,
    )


_CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)]]
_DIRECTION_MARKS = [*"\u061c\u200e\u200f", *map(chr, range(0x202a, 0x202f)),
                    *map(chr, range(0x2066, 0x206a))]
_HOSTILE_TEXT = st.lists(
    st.sampled_from([*_CONTROLS, *_DIRECTION_MARKS, "\x1b[", "\x1b]", "31m", "a", " ", "\r\n",
                     "e\u0301", "\ufeff", "\u200b", "\u00a0"]) | st.characters(),
    max_size=60,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_HOSTILE_TEXT)
def test_normalize_text_never_leaves_a_control_or_direction_mark(text):
    left = set(normalize_text(text)) & {*_CONTROLS, *_DIRECTION_MARKS}
    assert left <= {"\n"}


@settings(max_examples=200, deadline=None)
@given(text=_HOSTILE_TEXT)
def test_clean_field_is_one_line_without_controls_or_direction_marks(text):
    value = clean_field(text)
    assert value is None or (
        not set(value) & {*_CONTROLS, *_DIRECTION_MARKS}
        and value == value.strip() and "  " not in value
    )


@settings(max_examples=100, deadline=None)
@given(text=_HOSTILE_TEXT, title=_HOSTILE_TEXT, source=_HOSTILE_TEXT, url=_HOSTILE_TEXT)
def test_clean_article_never_passes_on_a_control_or_direction_mark(
    cleaned, text, title, source, url
):
    article = cleaned(f"{LEAD} {text}", title=title, source=source, url=url)
    passed_on = [article.title, article.source or "", article.url or "",
                 *(block.text for block in article.blocks)]
    assert not {ch for value in passed_on for ch in value} & {*_CONTROLS, *_DIRECTION_MARKS}


# Title and headings


def test_clean_headline_line_becomes_the_title_and_leaves_the_body(cleaned):
    article = cleaned(paragraphs("Rusland wijst drie Nederlandse diplomaten uit", LEAD, SECOND))
    assert (article.title, article.title_from_text) == (
        "Rusland wijst drie Nederlandse diplomaten uit", True,
    )
    assert block_texts(article) == [LEAD, SECOND]


@pytest.mark.parametrize("headline", [
    "Sancties tegen Rusland verlengd door de EU",
    "Brand in loods van vervoerder onderzocht door OM",
    "Fietser gewond bij botsing met bus van RET",
    "Moet de gemeente echt zo fors bezuinigen? LEZERSBRIEF VAN VANDAAG",
])
def test_clean_headline_keeps_its_last_word_in_capitals(cleaned, headline):
    article = cleaned(paragraphs(headline, LEAD))
    assert (article.title, block_texts(article)) == (headline, [LEAD])


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


def test_clean_shortens_a_long_front_matter_title_at_a_word_boundary(cleaned):
    title = " ".join(f"w{i:03d}" for i in range(100))
    article = cleaned(paragraphs(LEAD, SECOND), title=title)
    assert article.title == " ".join(f"w{i:03d}" for i in range(39)) + "…"
    assert len(article.title) <= HEADLINE_MAX_CHARS


def test_clean_shortens_a_headline_line_of_one_endless_word(cleaned):
    article = cleaned(paragraphs("x" * 5000, LEAD))
    assert (article.title, article.title_from_text) == ("x" * (HEADLINE_MAX_CHARS - 1) + "…", True)


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


def test_clean_shortens_a_front_matter_source_of_any_length(cleaned):
    article = cleaned("Tekst van het bericht. Zo is het.\n", source="Persbureau " * 5000)
    assert article.source.endswith("…") and len(article.source) <= 80
    assert cleaned("Tekst. Zo is het.\n", source="Persbureau Noord").source == "Persbureau Noord"


# English and Dutch page furniture: each kind a line of its own between two paragraphs of text

LEAD_EN = "The European Union confirmed extra duties on electric cars built in China on Monday."
SECOND_EN = "Beijing said it would take every step needed to defend the interests of its firms."


def between(line: str, lead: str = LEAD_EN, second: str = SECOND_EN) -> str:
    return "\n".join([lead, line, second])


@pytest.mark.parametrize("line", [
    "Updated 3 hours ago",
    "Published 2 hours ago",
    "Updated an hour ago",
    "Last modified on Tue 4 Jun 2024 10.15 BST",
    "First published on Wed 5 Jun 2024 08.00 BST",
    "Published\n12 June",
])
def test_clean_drops_an_english_timestamp_line(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "Bijgewerkt 3 uur geleden",
    "Gepubliceerd 2 uur geleden",
    "Laatst bijgewerkt: 14 november 2024, 10:15",
])
def test_clean_drops_a_dutch_timestamp_line(cleaned, line):
    assert block_texts(cleaned(between(line, LEAD, SECOND))) == [LEAD, SECOND]


@pytest.mark.parametrize("line", [
    "Protesters gather outside the embassy on Friday. REUTERS/Jane Doe",
    "Police stand guard near the harbour, June 5, 2024. REUTERS/Jane Doe/File Photo",
    "Trucks wait at the border crossing. REUTERS/Jane Doe/File Photo Purchase Licensing Rights",
    "Farmers drive their tractors into the city centre (Photo: AP)",
    "A view of the summit venue on the eve of the talks. AFP via Getty Images",
    "The minister arrives for the talks. Jane Doe/Getty Images",
    "The minister arrives for the talks. Photograph: Jane Doe/Reuters",
    "Container ships queue outside the harbour (AP Photo/Jane Doe)",
    "Image caption, Farmers blocked the roads into the capital for a second day",
    "Image source, Getty Images",
    "Media caption, Watch: the moment the ferry left port",
])
def test_clean_drops_an_english_photo_caption_or_credit(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "De minister bij aankomst in Brussel. Foto: ANP / Jan de Vries",
    "Boeren rijden met trekkers naar het Malieveld. Beeld AFP",
    "Containerschepen in de haven van Rotterdam. Foto Reuters",
])
def test_clean_drops_a_dutch_photo_caption(cleaned, line):
    assert block_texts(cleaned(between(line, LEAD, SECOND))) == [LEAD, SECOND]


@pytest.mark.parametrize("line", [
    "Share on Facebook Share on X",
    "Share on Facebook Share on X Share on LinkedIn Share via Email",
    "Copy link",
    "Share\nSave",
    "Follow us on Facebook, X and Instagram",
    "Follow us on our WhatsApp channel.",
    "Follow Jane Doe on X",
    "Deel op Facebook Deel op X",
    "Kopieer link",
    "Volg ons op Instagram",
])
def test_clean_drops_share_and_follow_buttons(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "Sign up for our newsletter",
    "Sign up to Morning Brief, our free daily newsletter",
    "Subscribe to our newsletter for the latest news from Brussels",
    "Get our free weekly newsletter on trade",
    "We use cookies to improve your experience on our site.",
    "This website uses cookies and similar technologies.",
    "Accept all cookies",
    "Manage cookie settings",
    "Meld je aan voor onze nieuwsbrief",
    "Wij gebruiken cookies om de website te verbeteren.",
    "Deze website maakt gebruik van cookies.",
])
def test_clean_drops_newsletter_and_cookie_plugs(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "Advertisement",
    "Advertisement · Scroll to continue",
    "Story continues below advertisement",
    "Continue reading the main story",
    "Listen to this article · 4 min",
    "5 min read",
    "Leestijd 3 minuten",
])
def test_clean_drops_advertising_and_reading_aids(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("marker", [
    "Read more", "Related", "Related topics", "More on this story", "Recommended",
    "You may also like", "Lees ook", "Meer over dit onderwerp", "Gerelateerde artikelen",
])
def test_clean_drops_a_list_of_related_links_with_its_heading(cleaned, marker):
    links = "EU sets duties on Chinese cars\nPublished\n12 June\nBeijing hits back at brandy"
    text = paragraphs(LEAD_EN, SECOND_EN, f"{marker}\n{links}")
    assert block_texts(cleaned(text)) == [LEAD_EN, SECOND_EN]


def test_clean_text_after_a_list_of_related_links_is_kept(cleaned):
    text = paragraphs(LEAD_EN, "More on this story", "EU sets duties on Chinese cars", SECOND_EN)
    assert block_texts(cleaned(text)) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "Read more: EU sets duties on Chinese cars",
    "Read more EU sets duties on Chinese cars",
    "Lees ook: EU legt heffingen op Chinese auto's",
])
def test_clean_drops_a_related_link_given_on_one_line(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("line", [
    "By Jane Smith, Europe correspondent",
    "By our Belgium correspondent",
    "By Jane Smith and Tom Brown in Brussels",
    "Jane Smith, Europe correspondent",
    "Jane Smith\nEurope correspondent",
    "Jane Smith\nChief political correspondent\nReporting from Brussels",
    "Reporting by Jane Doe; Editing by Tom Roe",
    "(Reporting by Jane Doe in Brussels; Editing by Tom Roe)",
    "Additional reporting by Tom Roe in Berlin",
    "Door onze correspondent in Brussel",
    "Door Jan de Vries, correspondent Brussel",
    "Jan de Vries, correspondent Brussel",
])
def test_clean_drops_a_byline_with_a_role(cleaned, line):
    assert block_texts(cleaned(between(line))) == [LEAD_EN, SECOND_EN]


@pytest.mark.parametrize("headline", [
    "Russia expels BBC correspondent",
    "Newspaper names new Europe editor",
    "Follow the money: how the sanctions work",
    "Letter from our correspondent",
])
def test_clean_keeps_a_headline_that_mentions_a_role_or_a_button(cleaned, headline):
    article = cleaned(paragraphs(headline, LEAD_EN, SECOND_EN))
    assert (article.title, block_texts(article)) == (headline, [LEAD_EN, SECOND_EN])


@pytest.mark.parametrize("sentence", [
    "Voters can sign up to the register until Friday, officials said.",
    "The bakery sold more than 2,000 cookies at the fair on Saturday.",
    "Share prices in Shanghai fell on the news.",
    "Related companies in Germany were not affected, the ministry said.",
    "Updated figures from the statistics office are due in three hours.",
    "The group launched a free newsletter for its members in 2019.",
    "Regulators said our cookie policy rules would be reviewed next year.",
    "Follow the money, the prosecutor told the court on Tuesday.",
])
def test_clean_keeps_a_sentence_that_only_looks_like_furniture(cleaned, sentence):
    assert block_texts(cleaned(between(sentence))) == [LEAD_EN, sentence, SECOND_EN]


def test_clean_cuts_reporting_credits_from_the_end_of_the_last_paragraph(cleaned):
    last = f"{SECOND_EN} (Reporting by Jane Doe; Editing by Tom Roe)"
    assert block_texts(cleaned(paragraphs(LEAD_EN, last))) == [LEAD_EN, SECOND_EN]


def test_clean_keeps_a_last_sentence_that_only_opens_like_reporting_credits(cleaned):
    last = f"{SECOND_EN} Editing by hand took the clerks three weeks, the report said."
    assert block_texts(cleaned(paragraphs(LEAD_EN, last))) == [LEAD_EN, last]


def test_clean_cuts_a_video_pointer_from_the_middle_of_a_paragraph(cleaned):
    glued = f"{LEAD_EN} Scroll down for video {SECOND_EN}"
    assert block_texts(cleaned(glued)) == [f"{LEAD_EN} {SECOND_EN}"]


def test_clean_furniture_never_becomes_a_heading(cleaned):
    page = "\n".join(["EU confirms duties on Chinese cars", "By our Belgium correspondent",
                      "Updated 3 hours ago", "Share on Facebook Share on X", "Copy link",
                      "Image source, Getty Images", LEAD_EN, SECOND_EN,
                      "Follow us on Facebook", "Sign up for our newsletter"])
    article = cleaned(page)
    assert article.title == "EU confirms duties on Chinese cars"
    assert article.blocks == (Block(LEAD_EN), Block(SECOND_EN))


# Datelines

BODY_EN = "The commerce ministry said it would protect the rights of its companies."


@pytest.mark.parametrize(("dateline", "marker", "date", "source"), [
    ("BEIJING, June 17 (Reuters) - ", "date 2024-06 ", PublishedDate(2024, 6, 17), "Reuters"),
    ("BEIJING, July 19 (AFP) - ", "date 2024-07 ", PublishedDate(2024, 7, 19), "AFP"),
    ("THE HAGUE, Sept 6 (Reuters) - ", "date 2023-09 ", PublishedDate(2023, 9, 6), "Reuters"),
    ("THE HAGUE, Sept. 6 (REUTERS) - ", "date 2023-09 ", PublishedDate(2023, 9, 6), "Reuters"),
    ("WASHINGTON, Nov. 14, 2024 (AP) — ", "", PublishedDate(2024, 11, 14), "AP"),
    ("Brussels, 14 November 2024 - ", "", PublishedDate(2024, 11, 14), None),
    ("BRUSSELS, June 17 - ", "date 2024-06 ", PublishedDate(2024, 6, 17), None),
    ("DEN HAAG, 3 okt. (ANP) - ", "date 2023-10 ", PublishedDate(2023, 10, 3), "ANP"),
    ("Brussel, 14 november 2024 - ", "", PublishedDate(2024, 11, 14), None),
    ("BRUSSEL, 2 mei (Belga) - ", "date 2024-05 ", PublishedDate(2024, 5, 2), "Belga"),
    ("BERLIJN, 8 maart (dpa) - ", "date 2024-03 ", PublishedDate(2024, 3, 8), "dpa"),
])
def test_clean_dateline_is_cut_and_gives_date_and_source(cleaned, dateline, marker, date,
                                                         source):
    article = cleaned(f"{marker}{dateline}{LEAD_EN}\n\n{BODY_EN}")
    assert (article.date, article.source) == (date, source)
    assert block_texts(article) == [LEAD_EN, BODY_EN]


@pytest.mark.parametrize("dateline", ["Brussels, 14 November 2024", "Brussel, 14 november 2024"])
def test_clean_dateline_on_a_line_of_its_own_gives_the_date(cleaned, dateline):
    article = cleaned("\n".join(["Commission approves port scheme", dateline, LEAD_EN]))
    assert (article.title, article.date) == ("Commission approves port scheme",
                                              PublishedDate(2024, 11, 14))
    assert block_texts(article) == [LEAD_EN]


def test_clean_dateline_without_a_year_anywhere_gives_no_date(cleaned):
    article = cleaned(paragraphs(f"BEIJING, July 19 (AFP) - {LEAD_EN}", BODY_EN))
    assert (article.date, article.source) == (None, "AFP")
    assert block_texts(article) == [LEAD_EN, BODY_EN]


def test_clean_dateline_takes_its_year_from_a_front_matter_month(cleaned):
    article = cleaned(paragraphs(f"BEIJING, July 19 (AFP) - {LEAD_EN}", BODY_EN),
                      date=PublishedDate(2024, 7))
    assert article.date == PublishedDate(2024, 7, 19)


def test_clean_front_matter_day_and_source_win_over_the_dateline(cleaned):
    article = cleaned(paragraphs(f"BEIJING, July 19 (AFP) - {LEAD_EN}", BODY_EN),
                      date=PublishedDate(2024, 7, 20), source="Xinhua")
    assert (article.date, article.source) == (PublishedDate(2024, 7, 20), "Xinhua")


def test_clean_dateline_in_another_month_than_the_marker_leaves_the_marker(cleaned):
    article = cleaned(f"date 2024-08 BEIJING, July 19 (AFP) - {LEAD_EN}")
    assert article.date == PublishedDate(2024, 8)


def test_clean_dateline_of_a_day_the_month_has_not_gives_no_date(cleaned):
    article = cleaned(f"date 2023-02 BEIJING, Feb 30 (AFP) - {LEAD_EN}")
    assert (article.date, block_texts(article)) == (PublishedDate(2023, 2), [LEAD_EN])


def test_clean_dutch_dateline_in_capitals_is_cut(cleaned):
    article = cleaned(paragraphs(f"DEN HAAG - {LEAD}", SECOND))
    assert block_texts(article) == [LEAD, SECOND]


def test_clean_dateline_later_in_the_page_is_cut_but_gives_no_date(cleaned):
    text = paragraphs(LEAD_EN, BODY_EN, SECOND_EN, f"BEIJING, June 18 (Reuters) - {THIRD}")
    article = cleaned(f"date 2024-06 {text}")
    assert article.date == PublishedDate(2024, 6)
    assert block_texts(article)[-1] == THIRD


@pytest.mark.parametrize("text", [
    "Brussels, the capital of Belgium, hosted the talks on Monday.",
    "Paris, June 2024 was the hottest month on record, the agency said.",
    "He said, June 17 - the day of the vote - would be a holiday.",
])
def test_clean_keeps_a_lead_that_only_looks_like_a_dateline(cleaned, text):
    assert block_texts(cleaned(paragraphs(text, BODY_EN)))[0] == text


@pytest.mark.parametrize(("byline", "source"), [
    ("By Jane Doe, Reuters", "Reuters"),
    ("By Jane Doe and Tom Roe, REUTERS", "Reuters"),
    ("By Jane Doe | AFP", "AFP"),
    ("Door Jan de Vries, ANP", "ANP"),
    ("By JANE DOE Associated Press", "AP"),
    ("By Jane Doe for Agence France-Presse", "AFP"),
])
def test_clean_agency_in_a_byline_gives_the_source(cleaned, byline, source):
    article = cleaned("\n".join([byline, LEAD_EN, BODY_EN]))
    assert (article.source, block_texts(article)) == (source, [LEAD_EN, BODY_EN])


def test_clean_byline_without_an_agency_gives_no_source(cleaned):
    assert cleaned("\n".join(["By Jane Doe, Europe editor", LEAD_EN])).source is None


# English pages of different outlets, written for these tests: cleaned as expected.json says

ENGLISH_PAGES = Path(__file__).resolve().parent / "fixtures" / "english_pages"
EXPECTED_PAGES = json.loads((ENGLISH_PAGES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_clean_english_page_as_expected(name):
    article = clean_article(read_article(ENGLISH_PAGES / name, ENGLISH_PAGES))
    assert {"title": article.title, "date": article.date and article.date.iso,
            "source": article.source, "text": block_texts(article)} == EXPECTED_PAGES[name]
    assert not any(block.is_heading for block in article.blocks)


def test_english_pages_keep_no_furniture_in_text_or_summary(analyzer):
    sys.path.insert(0, str(ROOT / "bench"))
    from furniture import read_sources, tally

    counts = tally(read_sources(ENGLISH_PAGES), analyzer, sentences=3)
    assert counts.articles == len(EXPECTED_PAGES)
    assert counts.raw.get("any") == counts.articles
    assert (counts.cleaned, counts.summary) == ({}, {})


def test_clean_looks_at_each_paragraph_a_bounded_number_of_times(source, monkeypatch):
    """Where the lead stands is counted as the paragraphs are kept: looking through all the
    paragraphs kept so far for each next one took minutes for a file of 20,000 lines."""
    from generator import clean

    looked: list[str] = []
    is_heading = clean.is_heading

    def counted(paragraph: str) -> bool:
        looked.append(paragraph)
        return is_heading(paragraph)

    monkeypatch.setattr(clean, "is_heading", counted)
    for count in (10, 400):
        looked.clear()
        text = "\n\n".join(f"Alinea {n}: de raad vergadert over punt {n} van de agenda."
                           for n in range(count))
        article = clean_article(source(text))
        assert len(article.blocks) == count
        assert len(looked) <= 4 * count + 4


def test_normalize_text_keeps_at_most_a_few_combining_marks_on_a_letter():
    from generator.clean import MARKS_PER_LETTER

    stacked = "\u0301\u0323\u0308" * 10
    text = normalize_text(f"Een a{stacked} en een é.")
    marks = re.search(r"a([\u0300-\u036f]+)", unicodedata.normalize("NFD", text))
    assert marks is not None and len(marks.group(1)) == MARKS_PER_LETTER
    assert text.endswith(" en een é.")  # a letter's own accent stays


def test_clean_drops_a_cross_link_after_a_run_of_spaces_of_any_kind(source):
    text = "De raad vergadert vanavond." + " \u2009" * 50 + " Lees ook: Het plan van de raad"
    assert block_texts(clean_article(source(text))) == ["De raad vergadert vanavond."]


# Pieces of text near a cross-link marker or a video pointer: the markers' words in any case,
# with the letters a case-insensitive pattern also takes for i, k and s (İ ı K ſ), and the
# separators that follow a marker.
_MARKER_PIECE = st.one_of(
    st.sampled_from(["Lees ook", "zie ook", "Read more", "see also", "Related", "gerelateerd",
                     "Scroll down for video", "Bekijk ook", "also read", "nieuws"]),
    st.sampled_from([": ", " - ", " » ", ". ", " ", "\u00a0"]),
    st.text(alphabet="AaEeIiKkLlOoRrSsDd \u0130\u0131\u212a\u017f:.", max_size=12),
)


@given(pieces=st.lists(st.tuples(_MARKER_PIECE, st.booleans()), max_size=8))
@settings(max_examples=400, deadline=None)
def test_a_paragraph_said_to_hold_no_marker_is_one_the_patterns_do_not_match(pieces):
    from generator.clean import (
        _CROSS_LINK,
        _CROSS_LINK_WORDS,
        _VIDEO_TEASER,
        _VIDEO_TEASER_WORDS,
        may_hold,
    )
    text = "".join(piece.swapcase() if swap else piece for piece, swap in pieces)
    for pattern, words in ((_CROSS_LINK, _CROSS_LINK_WORDS), (_VIDEO_TEASER, _VIDEO_TEASER_WORDS)):
        if not may_hold(text, words):
            assert pattern.search(text) is None, text


def test_a_cross_link_marker_written_with_odd_cases_is_still_cut(cleaned):
    # A dotless ı, a dotted İ and a long ſ are the letters i and s to the pattern.
    for marker in ("Zıe ook", "ZİE OOK", "ſee alſo"):
        article = cleaned(paragraphs(LEAD, f"{SECOND} {marker}: een ander verhaal"))
        assert "ander verhaal" not in article.text, marker
