"""Clean scraped article text and settle its metadata: title, date, source, language."""

from __future__ import annotations

import re
import unicodedata

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

TITLE_MAX_CHARS = 90
HEADING_MAX_WORDS = 16

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
_BYLINE = re.compile(
    r"^\s*By\s*\.\s*[^.|]{1,80}?(?:\s*[.|]\s*)+"
    r"(?:(?:PUBLISHED|UPDATED)\s*:[\s.]*[^|]*?\d{4}(?:\s*[.|]\s*)+)*"
)
# Photo credits: `Beeld REUTERS`, `Foto: ANP`, `© AFP`, `(Foto: Reuters)`.
_CREDIT = re.compile(
    r"\s*\(?(?:Beeld|Foto|Photo|Image|Picture|Afbeelding)\s*:?\s*"
    r"(?:(?:[A-Z][\w.'-]*|van|de|der|den|ten|ter|von|di|da|le|la)(?:\s*[/,&]\s*|\s+))*"
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
    r"|.*\b(?:your|je|jouw)\b.*\b(?:newsletter|nieuwsbrief|inbox)\b.*)$",
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
    text = normalize_text(source.text)

    marker_date = None
    marker = _DATE_MARKER.match(text)
    if marker:
        marker_date = _marker_date(marker)
        text = text[marker.end():]

    paragraphs = split_paragraphs(text, front.title)
    written_dates: list[PublishedDate] = []
    source_name = front.source
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
        credit = _CREDIT.search(paragraph)
        if credit:
            paragraph = paragraph[: credit.start()].strip()
            # A short paragraph that ends in a credit is a photo caption, not article text.
            if len(paragraph.split()) <= 30:
                continue
            if not paragraph:
                continue
        kept.append(paragraph)

    kept = drop_repeated_paragraphs(kept)
    title = front.title
    title_from_text = title_from_lead = False
    if kept and not title and is_heading(kept[0]) and len(kept) > 1:
        title = strip_signature(kept[0], " ".join(kept[1:]))
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
        title=title or source.path.stem,
        title_from_text=title_from_text,
        title_from_lead=title_from_lead,
        date=date,
        source=source_name,
        url=front.url,
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
    return bool(_BYLINE_LINE.match(line) and len(line.split()) <= 12
                or _FURNITURE_LINE.match(line))


def is_date_line(line: str) -> bool:
    """A line of nothing but a date or time and the words around them (`Published …`)."""
    words = re.findall(r"[^\W\d_]+\.?|\d+", line.lower())
    has_date = _WRITTEN_DATE.search(line) or re.search(r"\b\d{1,2}[:.]\d{2}\b", line)
    return bool(has_date) and len(words) <= 12 and all(
        word.isdigit() or word.rstrip(".") in _DATE_WORDS for word in words
    )


def normalize_text(text: str) -> str:
    """Unicode NFC, Unix newlines, no BOM, no non-breaking or zero-width spaces."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    # Typewriter Dutch quotes: ,,zo'' → „zo”
    text = re.sub(r",,(?=\S)", "„", text)
    text = re.sub(r"(?<=\S)''", "”", text)
    return re.sub(r"[ \t]+", " ", text)


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


def strip_signature(headline: str, body: str) -> str:
    """Drop trailing author initials (`… te zetten HR`) that appear nowhere in the body."""
    match = re.search(r"\s+([A-Z]{1,3})$", headline)
    if match and not re.search(rf"\b{match.group(1)}\b", body):
        return headline[: match.start()].rstrip()
    return headline


def drop_repeated_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph whose text already stands, in order, in the paragraphs before it.

    Scrapers often append the whole body a second time, merged into one paragraph.
    """
    kept: list[str] = []
    seen = ""
    for paragraph in paragraphs:
        squeezed = squeeze(paragraph)
        if len(squeezed) > 20 and squeezed in seen:
            continue
        kept.append(paragraph)
        seen += squeezed
    return kept


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
        number = _MONTH_NUMBER[month.lower()]
        if 1 <= int(day) <= 31 and 1900 <= int(year) <= 2100:
            dates.append(PublishedDate(int(year), number, int(day)))
    return dates


def _lead_dates(paragraphs: list[str]) -> list[PublishedDate]:
    """A date written at the very start of the text, where a dateline stands."""
    if not paragraphs:
        return []
    match = _WRITTEN_DATE.match(paragraphs[0])
    return find_written_dates(match.group(0)) if match else []


def _marker_date(marker: re.Match) -> PublishedDate | None:
    year, month = int(marker.group(1)), int(marker.group(2))
    day = int(marker.group(3)) if marker.group(3) else None
    return PublishedDate(year, month, day) if 1 <= month <= 12 else None


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
