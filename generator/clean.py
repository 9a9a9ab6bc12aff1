"""Clean scraped article text and settle its metadata: title, date, source, language."""

from __future__ import annotations

import re
import unicodedata
from datetime import date as Date

from .language import detect_language
from .model import (
    MONTHS_EN,
    MONTHS_NL,
    Block,
    CleanArticle,
    PublishedDate,
    SourceFile,
    squeeze,
)

TITLE_MAX_CHARS = 90  # a title made from the lead sentence
HEADLINE_MAX_CHARS = 200  # a title given in the front matter or as a headline line
SOURCE_MAX_CHARS = 80  # a source given in the front matter
HEADING_MAX_WORDS = 16
# The lines a news site prints around every article are short; a longer line is article text,
# whatever it mentions (and a pattern that looks through it costs in proportion to its length).
FURNITURE_MAX_CHARS = 300
# A photo credit at the end of a paragraph is short too: it is looked for in this many last
# characters only.
CREDIT_MAX_CHARS = 200
# A paragraph repeats one before it when its letters and digits, this many or more, stand in
# those before it; a shorter one may well do so by chance.
REPEAT_MIN_CHARS = 21
_PIECE = (REPEAT_MIN_CHARS + 1) // 2  # see drop_repeated_paragraphs
# Places compared per piece at most: only text that says one piece over and over has more, and
# a paragraph not found as a repeat is kept, not lost.
_PLACES = 32

# `date 2022-02` at the very start of a scraped file.
_DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b[ \t]*")

_MONTH_NUMBER = {name.lower(): i + 1 for i, name in enumerate(MONTHS_NL)} | {
    name.lower(): i + 1 for i, name in enumerate(MONTHS_EN)
} | {  # as datelines abbreviate them: `Oct 30, 2018`, `2 okt. 2020`
    name: i + 1 for i, names in enumerate(
        ("jan", "feb", "mar mrt", "apr", "", "jun", "jul", "aug", "sep sept", "oct okt", "nov",
         "dec")) for name in names.split()
}
_MONTH_NAMES = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
# `27 maart 2018`, `27 March 2018`, `March 27, 2018`
_WRITTEN_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({_MONTH_NAMES})\.?\s+(\d{{4}})|({_MONTH_NAMES})\.?\s+(\d{{1,2}}),?\s+"
    rf"(\d{{4}}))\b",
    re.IGNORECASE,
)
_TIME_LINE = re.compile(r"^\d{1,2}\s*[u:.h]\s*\d{2}(?:\s*uur)?$", re.IGNORECASE)
_DATE_LINE = re.compile(
    rf"^(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|"
    rf"wednesday|thursday|friday|saturday|sunday),?\s+)?(?:\d{{1,2}}\s+(?:{_MONTH_NAMES})|"
    rf"(?:{_MONTH_NAMES})\s+\d{{1,2}},?)\s+\d{{4}}(?:[,\s]+\d{{1,2}}[:.u]\d{{2}}(?:\s*uur)?)?$",
    re.IGNORECASE,
)
_AGENCIES = r"ANP|AFP|AP|Reuters|REUTERS|Belga|BELGA|DPA|dpa|Bloomberg|Novum|NU\.nl|EFE|ANSA|CNN"
# `Bron: ANP`, `Source: Reuters`, optionally followed by a stray counter (`Bron: ANP 1 De NAVO…`).
_SOURCE_LINE = re.compile(
    r"^\s*(?:Bron|Source|Bronnen|Sources)\s*:\s*([A-Z][\w.&/ -]{0,40}?)"
    r"(?:\s+\d{1,3})?(?=\s+[A-Z„\"'‘“]|\s*$)"
)
# `(ANP) -`, `ANP -`, `LONDON (Reuters) -`, `MOSKOU (ANP/AFP) –` at the start of the lead.
_AGENCY_PREFIX = re.compile(
    rf"^\s*(?:[A-ZÀ-Þ][A-ZÀ-Þ'. -]{{1,30}}?,?\s*)?\(?({_AGENCIES})(?:/[A-Za-z]+)*\)?\s*[-–—]\s+"
)
# `MINSK -`, `NEW YORK –`: a dateline in capitals without an agency.
_DATELINE = re.compile(r"^\s*[A-ZÀ-Þ]{2,}(?:[ -][A-ZÀ-Þ]{2,}){0,3}\s*[-–—]\s+(?=[A-ZÀ-Þ„\"'‘“])")
# `(CNN)They …`, `Washington (CNN) -- The …`: an agency in brackets needs no dash.
_BRACKETED_AGENCY = re.compile(
    rf"^\s*(?:[A-ZÀ-Þ][\w.,' -]{{0,40}}?\s*)?\(({_AGENCIES})(?:/[A-Za-z]+)*\)\s*"
    rf"(?:[-–—]{{1,2}}\s*)?(?=[A-ZÀ-Þ0-9\"'“‘„])"
)
# `By . Jane Doe . PUBLISHED: 08:01 EST, 2 May 2014 | . UPDATED: … 2014 . ` before the lead.
# The quantifiers are possessive or bounded: a long run of dots or bars is taken once, not tried
# again in every way it could be split.
_BYLINE = re.compile(
    r"^\s*By\s*\.\s*[^.|]{1,80}?(?:\s*+[.|])++\s*+"
    r"(?:(?:PUBLISHED|UPDATED)\s*:[\s.]*+[^|]{0,80}?\d{4}(?:\s*+[.|])++\s*+)*"
)
# Photo credits: `Beeld REUTERS`, `Foto: ANP`, `© AFP`, `(Foto: Reuters)`.
# A credit names a few people or agencies, each followed by a separator: at most twelve, taken
# once (possessive), so that a run of capitalised words is not tried word by word again.
_CREDIT = re.compile(
    r"\s*\(?(?:Beeld|Foto|Photo|Image|Picture|Afbeelding)\s*:?\s*"
    r"(?:(?:[A-Z][\w.'-]*|van|de|der|den|ten|ter|von|di|da|le|la)(?:\s*[/,&]\s*|\s+)){0,12}+"
    r"[A-Z][\w.'-]*\)?\s*$"
    r"|\s*©\s*[\w .,/&'-]+$"
)
# Cross-links to other articles; cut from the marker to the end of the paragraph.
_CROSS_LINK = re.compile(
    r"(?:^|(?<=[.!?\"'”’ ]))\s*(?:Lees ook|Lees meer|Lees verder|Bekijk ook|Zie ook|"
    r"Read more|Read also|Also read|See also|READ MORE|Related|Related topics|Gerelateerd)"
    r"\s*[:>»|-].*$",
    re.IGNORECASE | re.DOTALL,
)
# A line of its own that a news site prints around every article: a byline (`Door Jan de
# Vries`, `By Sarah Jones, Reuters`), credits for the reporting, sharing and advertising
# buttons, a paywall or newsletter plug, a copyright notice.
_BYLINE_LINE = re.compile(
    r"^(?:(?:Door|By|Tekst|Text)\s+[A-ZÀ-Þ]|(?:Door|Van) onze\s)[^.!?]{0,100}$"
)
_FURNITURE_LINE = re.compile(
    r"^(?:(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b.*"
    r"|(?:Deel dit artikel|Delen|Share this article|Share|Comment|Reageer|Print)"
    r"(?:\s*[:|].*)?"
    r"|Advertisement|Advertentie|Advertising"
    r"|(?:Copyright|©)\s.{0,120}"
    r"|Our Standards:.*"
    r"|.*\b(?:gratis artikel|[Ww]ord(?:t)? abonnee|abonneer je|to continue reading|"
    r"subscribe (?:now|for|to|today)|sign up for|meld je (?:nu )?aan voor|"
    r"schrijf je (?:nu )?in voor)\b.*"
    # The first `je` is enough: once found, it is not looked for again at every later one.
    r"|(?>.*?\b(?:your|je|jouw)\b).*\b(?:newsletter|nieuwsbrief|inbox)\b.*)$",
    re.IGNORECASE,
)
# `Published 7 February 2023`, `Updated Oct 30, 2018 4:57 AM ET`, `Tue Aug 20 2024 - 05:45`:
# a line of nothing but a date, a time and the words around them.
_DATE_WORDS = frozenset(
    "published updated gepubliceerd bijgewerkt laatste update geplaatst posted last on om at "
    "uur am pm gmt bst cet cest et est edt pt utc ma di wo do vr za zo mon tue wed thu fri sat "
    "sun maandag dinsdag woensdag donderdag vrijdag zaterdag zondag monday tuesday wednesday "
    "thursday friday saturday sunday".split()
) | frozenset(_MONTH_NUMBER)
# Words a shortened title should not end on.
_DANGLING_WORDS = frozenset(
    "de het een en of van in op met voor aan bij naar om tot door over uit te dat die "
    "the a an and or of in on at to for with by from that".split()
)
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)]*$|[.!?…]\s*['\"”’»]+$")


def clean_article(source: SourceFile) -> CleanArticle:
    """Remove scraping noise and derive the article's title, date, source and language."""
    front = source.front_matter
    front_title = clean_field(front.title)
    text = normalize_text(source.text)

    marker_date = None
    marker = _DATE_MARKER.match(text)
    if marker:
        marker_date = _marker_date(marker)
        text = text[marker.end():]

    paragraphs = split_paragraphs(text, front_title)
    written_dates: list[PublishedDate] = []
    source_name = clean_field(front.source)
    if source_name:  # it stands beside the article in every listing
        source_name = shorten_at_word(source_name, SOURCE_MAX_CHARS)
    kept: list[str] = []
    for position, paragraph in enumerate(paragraphs):
        if _DATE_LINE.match(paragraph) or is_date_line(paragraph):
            written_dates.extend(find_written_dates(paragraph))
            continue
        if _TIME_LINE.match(paragraph):
            continue
        found = _SOURCE_LINE.match(paragraph)
        if found:
            source_name = source_name or found.group(1).strip()
            paragraph = paragraph[found.end():].strip()
        if position == 0:
            paragraph = _BYLINE.sub("", paragraph, count=1)
        agency = _AGENCY_PREFIX.match(paragraph) or _BRACKETED_AGENCY.match(paragraph)
        if agency and position < 3:
            source_name = source_name or agency.group(1)
            paragraph = paragraph[agency.end():]
        elif position < 3 and (dateline := _DATELINE.match(paragraph)):
            paragraph = paragraph[dateline.end():]
        paragraph = _CROSS_LINK.sub("", paragraph).strip()
        if not paragraph:
            continue
        credit = _CREDIT.search(paragraph, max(0, len(paragraph) - CREDIT_MAX_CHARS))
        if credit:
            paragraph = paragraph[: credit.start()].strip()
            # A short paragraph that ends in a credit is a photo caption, not article text.
            if len(paragraph.split()) <= 30:
                continue
            if not paragraph:
                continue
        kept.append(paragraph)

    kept = drop_repeated_paragraphs(kept)
    title = shorten_at_word(front_title, HEADLINE_MAX_CHARS) if front_title else None
    title_from_text = title_from_lead = False
    if kept and not title and is_heading(kept[0]) and len(kept) > 1:
        title = shorten_at_word(kept[0], HEADLINE_MAX_CHARS)
        title_from_text = True
        kept = kept[1:]
    blocks = tuple(Block(p, is_heading=is_heading(p)) for p in kept)
    if not title:
        lead = next((b.text for b in blocks if not b.is_heading), blocks[0].text if blocks else "")
        title = shorten_at_word(first_sentence(lead), TITLE_MAX_CHARS)
        title_from_lead = True

    date = front.date or _settle_date(marker_date, written_dates or _lead_dates(kept))
    body = " ".join(b.text for b in blocks)
    return CleanArticle(
        path=source.path,
        title=title or clean_field(source.path.stem) or "…",
        title_from_text=title_from_text,
        title_from_lead=title_from_lead,
        date=date,
        source=source_name,
        url=clean_url(front.url),
        language=front.language or detect_language(f"{title} {body}"),
        blocks=blocks,
        pinned_themes=front.themes,
    )


def split_paragraphs(text: str, title: str | None = None) -> list[str]:
    """The text's paragraphs, without the lines a news site prints around every article.

    Paragraphs are separated by blank lines. Within one, lines that each end a sentence (or
    are a heading followed by a new sentence) are paragraphs of their own, as scrapers write
    them; other lines are one paragraph, wrapped. A first line that repeats the article's
    title is dropped."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        lines = [line for line in lines if not is_furniture(line)]
        if not paragraphs and lines and title and squeeze(lines[0]) == squeeze(title):
            lines = lines[1:]
        if not lines:
            continue
        if all(_SENTENCE_END.search(line) or is_heading(line) and _starts_anew(following)
               for line, following in zip(lines, lines[1:], strict=False)):
            paragraphs.extend(lines)
        else:
            paragraphs.append(" ".join(lines))
    return paragraphs


def _starts_anew(line: str) -> bool:
    """Whether a line opens a sentence (capital, digit or quote), not a wrapped one's rest."""
    return line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'“‘„«(["


def is_furniture(line: str) -> bool:
    """A line that a news site prints around every article: byline, share buttons, paywall."""
    return len(line) <= FURNITURE_MAX_CHARS and bool(
        _BYLINE_LINE.match(line) and len(line.split()) <= 12 or _FURNITURE_LINE.match(line)
    )


def is_date_line(line: str) -> bool:
    """A line of nothing but a date or time and the words around them (`Published …`)."""
    words = re.findall(r"[^\W\d_]+\.?|\d+", line.lower())
    has_date = _WRITTEN_DATE.search(line) or re.search(r"\b\d{1,2}[:.]\d{2}\b", line)
    return bool(has_date) and len(words) <= 12 and all(
        word.isdigit() or word.rstrip(".") in _DATE_WORDS for word in words
    )


def normalize_text(text: str) -> str:
    """Unicode NFC, Unix newlines, no BOM, no non-breaking or zero-width spaces, and nothing
    that could make the text show other than it reads (`remove_hidden`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", remove_hidden(text)).replace("\ufeff", "")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    # Typewriter Dutch quotes: ,,zo'' → „zo”
    text = re.sub(r",,(?=\S)", "„", text)
    text = re.sub(r"(?<=\S)''", "”", text)
    return re.sub(r"[ \t]+", " ", text)


# Terminal escape sequences: `ESC [ 1 ; 31 m` (colour, cursor movement; also as the one
# character CSI) and `ESC ] 8 ; ; url ESC \\` (a link that shows other text), bounded.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*+[ -/]*+[@-~]?|\x1b\][^\x07\x1b]{0,2000}(?:\x07|\x1b\\)"
)
# Characters that separate lines or pages, though they are controls: they stand for a line break.
_LINE_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
# The other C0 controls (tab and newline are text), DEL and the C1 controls, and the marks that
# reorder text from right to left (`Trojan Source`).
_HIDDEN = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
                     "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def remove_hidden(text: str) -> str:
    """Text without control characters, terminal escape sequences and bidirectional controls:
    what a terminal or a browser would act on instead of showing. A line or page separator
    becomes a line break."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _HIDDEN.sub("", _LINE_CONTROLS.sub("\n", text))


def clean_field(value: str | None) -> str | None:
    """A front-matter title or source as one line of plain text: nothing hidden, white space
    collapsed to single spaces; None when nothing is left."""
    if value is None:
        return None
    return re.sub(r"\s+", " ", normalize_text(value)).strip() or None


def clean_url(url: str | None) -> str | None:
    """A front-matter url with nothing hidden in it (zero-width spaces neither) and on one line;
    None when nothing is left. Unlike a title, it keeps its quotes as they are."""
    if url is None:
        return None
    url = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", remove_hidden(url))
    return re.sub(r"\s+", " ", url).strip() or None


def is_heading(paragraph: str) -> bool:
    """A short line with no sentence-ending punctuation: a headline or an intertitle."""
    words = paragraph.split()
    return 0 < len(words) <= HEADING_MAX_WORDS and not _SENTENCE_END.search(paragraph.rstrip()) \
        or _is_quoted_heading(paragraph)


def _is_quoted_heading(paragraph: str) -> bool:
    """`“Rusland schroeft inzet troepen nog op”`: a quote used as an intertitle."""
    inner = paragraph.strip().strip("\"'“”‘’„«»")
    return (
        len(paragraph.split()) <= HEADING_MAX_WORDS
        and paragraph.strip()[:1] in "\"'“‘„«"
        and not _SENTENCE_END.search(inner)
    )


def drop_repeated_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph whose text already stands, in order, in the paragraphs before it.

    Scrapers often append the whole body a second time, merged into one paragraph. Looking each
    paragraph up in all the text before it would take time in proportion to the number of
    paragraphs times the length of the text. Instead the text seen so far is indexed by its
    pieces of `_PIECE` characters that start at a multiple of `_PIECE`: a paragraph of at least
    2 × `_PIECE` - 1 characters that stands in that text covers one of those pieces whole, at one
    of its own first `_PIECE` positions, so only the places where those pieces stand are compared.
    """
    kept: list[str] = []
    seen = ""
    pieces: dict[str, list[int]] = {}
    indexed = 0  # where the next piece to index starts
    for paragraph in paragraphs:
        squeezed = squeeze(paragraph)
        if len(squeezed) >= REPEAT_MIN_CHARS and _stands_in(squeezed, seen, pieces):
            continue
        kept.append(paragraph)
        seen += squeezed  # grown in place: nothing else holds on to it
        while indexed + _PIECE <= len(seen):
            pieces.setdefault(seen[indexed:indexed + _PIECE], []).append(indexed)
            indexed += _PIECE
    return kept


def _stands_in(text: str, seen: str, pieces: dict[str, list[int]]) -> bool:
    """Whether a text of 2 × `_PIECE` - 1 characters or more stands in `seen`, whose pieces are
    indexed in `pieces`."""
    for offset in range(_PIECE):
        for place in pieces.get(text[offset:offset + _PIECE], [])[:_PLACES]:
            if place >= offset and seen.startswith(text, place - offset):
                return True
    return False


def first_sentence(paragraph: str) -> str:
    match = re.search(r"(?<=[a-z0-9\"'”’)])[.!?](?=\s+[A-Z\"'“‘„])", paragraph)
    return paragraph[: match.start()] if match else paragraph.rstrip(".")


def shorten_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    words = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ").split()
    while len(words) > 1 and words[-1].lower() in _DANGLING_WORDS:
        words.pop()
    return " ".join(words).rstrip(",;:-–— ") + "…"


def find_written_dates(text: str) -> list[PublishedDate]:
    """Dates written out in the text: `27 maart 2018`, `March 27, 2018`."""
    dates = []
    for match in _WRITTEN_DATE.finditer(text):
        day, month, year = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(5), match.group(4), match.group(6))
        )
        date = real_date(int(year), _MONTH_NUMBER[month.lower()], int(day))
        if date and 1900 <= date.year <= 2100:
            dates.append(date)
    return dates


def _lead_dates(paragraphs: list[str]) -> list[PublishedDate]:
    """A date written at the very start of the text, where a dateline stands."""
    if not paragraphs:
        return []
    match = _WRITTEN_DATE.match(paragraphs[0])
    return find_written_dates(match.group(0)) if match else []


def _marker_date(marker: re.Match) -> PublishedDate | None:
    year, month = int(marker.group(1)), int(marker.group(2))
    return real_date(year, month, int(marker.group(3)) if marker.group(3) else None)


def real_date(year: int, month: int, day: int | None = None) -> PublishedDate | None:
    """The date if the calendar has it (`31 februari` it has not), else None."""
    try:
        Date(year, month, 1 if day is None else day)
    except ValueError:
        return None
    return PublishedDate(year, month, day)


def _settle_date(
    marker: PublishedDate | None, written: list[PublishedDate]
) -> PublishedDate | None:
    """The marker's date, made exact by a dateline in the same month; else the dateline."""
    if marker is None:
        return written[0] if written else None
    for date in written:
        if (date.year, date.month) == (marker.year, marker.month):
            return date
    return marker
