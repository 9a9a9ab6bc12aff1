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
_AGENCY_SPELLING = {"REUTERS": "Reuters", "BELGA": "Belga", "DPA": "dpa",
                    "Associated Press": "AP", "Agence France-Presse": "AFP"}
# A place, as a dateline names it: `BEIJING`, `THE HAGUE`, `Den Haag`, `Rio de Janeiro`.
_PLACE = (r"[A-ZÀ-Þ][\w'’.-]{0,30}"
          r"(?: (?:[A-ZÀ-Þ][\w'’.-]{0,30}|de|den|der|la|le|el|al|van|upon|on|aan|am|sur|du)){0,3}")
# `BEIJING, June 17 (Reuters) -`, `THE HAGUE, Sept 6 (Reuters) -`, `Brussels, 14 November 2024`,
# `Brussel, 14 november 2024 -`: a place, a day and month with or without a year, then an agency
# in brackets, a dash, or nothing more when the dateline is a paragraph of its own.
_PLACE_DATELINE = re.compile(
    rf"^\s*{_PLACE},\s+(?:(\d{{1,2}})\s+((?i:{_MONTH_NAMES}))\b\.?(?:\s+(\d{{4}})\b)?"
    rf"|((?i:{_MONTH_NAMES}))\b\.?\s+(\d{{1,2}})\b(?:,?\s+(\d{{4}})\b)?)\s*"
    rf"(?:\(({_AGENCIES})(?:/[A-Za-z]+)*\)\s*)?(?:[-–—]{{1,2}}\s*|\Z)"
)
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
# Photo credits: `Beeld REUTERS`, `Foto: ANP`, `© AFP`, `(Foto: Reuters)`, `(Photo: AP)`,
# `Photograph: Jane Doe/Reuters`, `REUTERS/Jane Doe/File Photo`, `AFP via Getty Images`.
# A credit names a few people or agencies, each followed by a separator: at most twelve, taken
# once (possessive), so that a run of capitalised words is not tried word by word again.
_CREDIT_NAME = r"(?:(?!Getty\b)[A-Z][\w.'-]*|van|de|der|den|ten|ter|von|di|da|le|la)"
_CREDIT = re.compile(
    r"\s*\(?(?:Beeld|Foto|Photo|Photograph|Image|Picture|Afbeelding|Credit|Illustration|"
    r"Illustratie)(?:\s+(?:by|door))?\s*:?\s*"
    rf"(?:{_CREDIT_NAME}(?:\s*[/,&]\s*|\s+)){{0,12}}+[A-Z][\w.'-]*\)?\s*$"
    # An agency, then its photographer and kind of photo, each after a slash.
    r"|\s*\(?(?:REUTERS|Reuters|AFP|AP(?: Photo)?|EPA(?:-EFE)?|ANP|Belga|BELGA|dpa|Xinhua|Pool)"
    rf"(?:\s*/\s*(?:{_CREDIT_NAME}\s+){{0,5}}+[A-Z][\w.'-]*){{1,3}}+\)?"
    r"(?:\s+Purchase Licensing Rights(?:, opens new tab)?)?\s*$"
    rf"|\s*\(?(?:{_CREDIT_NAME}(?:\s*/\s*|\s+)){{0,6}}+(?:via\s+)?Getty\s+Images\)?\s*$"
    r"|\s*©\s*[\w .,/&'-]+$"
)
# `(Reporting by Jane Doe; Editing by John Roe)` after the last sentence of a paragraph: names,
# not a sentence (`Editing by hand took weeks.` stays).
_REPORTING_CREDIT = re.compile(
    r"(?:^|(?<=[.!?\"'”’)]))\s*\(?(?:Reporting|Additional reporting|Writing|Editing|Compiled|"
    r"Reporting and writing) by [A-ZÀ-Þ][^().!?]{0,300}\)?\s*$"
)
REPORTING_CREDIT_MAX_CHARS = 320
# Cross-links to other articles; cut from the marker to the end of the paragraph.
_CROSS_LINK = re.compile(
    # Not from inside a run of white space: from every place in a long one, the run would be
    # read to its end again (a paragraph of em and plain spaces took minutes).
    r"(?:^|(?<=[.!?\"'”’])|(?<=\S ))\s*+(?:Lees ook|Lees meer|Lees verder|Bekijk ook|Zie ook|"
    r"Read more|Read also|Also read|See also|READ MORE|Related|Related topics|Gerelateerd)"
    r"\s*[:>»|-].*$",
    re.IGNORECASE | re.DOTALL,
)
# A line that opens a list of links to other articles (`More on this story`, `Related`,
# `Lees ook`): it goes, and so do the headlines listed under it.
_RELATED_SECTION = re.compile(
    r"^(?:Read more|Read also|Also read|See also|More on this story|More on this topic|"
    r"More from \w+(?: \w+)?|More stories|Related(?: topics| articles| stories| content| coverage|"
    r" links| news)?|Recommended(?: for you| stories| articles| reading)?|You may also like|"
    r"You might also like|Most read|Most popular|Top stories|Latest stories|Lees ook|Lees meer|"
    r"Bekijk ook|Zie ook|Meer over dit onderwerp|Meer nieuws|Gerelateerd(?:e artikelen)?|"
    r"Aanbevolen|Meest gelezen|Ook interessant)\s*[:>»]?$",
    re.IGNORECASE,
)
# A headline given as a link to another article, the marker glued in front of it.
_RELATED_LINK = re.compile(
    r"^(?:Read more|Read also|Also read|See also|More on this story|Lees ook|Lees meer|"
    r"Bekijk ook|Zie ook)\b",
    re.IGNORECASE,
)
# `Scroll down for video`: a page's pointer to a video the text never had.
_VIDEO_TEASER = re.compile(r"\s?\bScroll down for (?:the )?videos?\b(?:\.{1,3}|:)?", re.IGNORECASE)
# What a paragraph holds, lower-cased, when `_CROSS_LINK` or `_VIDEO_TEASER` can match it: the
# paragraphs without are not searched (a case-insensitive search that may start anywhere is a
# tenth of a millisecond for a paragraph of news).
_CROSS_LINK_WORDS = ("lees ook", "lees meer", "lees verder", "bekijk ook", "zie ook",
                     "read more", "read also", "also read", "see also", "related", "gerelateerd")
_VIDEO_TEASER_WORDS = ("scroll down for",)
# The characters a case-insensitive pattern takes for a Latin letter that `str.lower` does not
# give as that letter: İ and ı for i, ſ for s.
_ODD_CASES = re.compile("[\u0130\u0131\u017f]")
# A line of its own that a news site prints around every article: a byline (`Door Jan de
# Vries`, `By Sarah Jones, Reuters`, `By our Belgium correspondent`), credits for the
# reporting, sharing and advertising buttons, a paywall, newsletter or cookie plug, a copyright
# notice, a caption's label.
_BYLINE_LINE = re.compile(
    r"^(?:(?:Door|By|Tekst|Text)\s+[A-ZÀ-Þ]|(?:Door|Van) onze\s|(?:By|From) our\s|"
    r"By a (?:staff|special)\s)[^.!?]{0,100}$"
)
# `By …, Reuters`, `By … | AFP`: the agency that wrote the article.
_BYLINE_AGENCY = re.compile(
    rf"(?:,|\||\bfor|\bvoor|\(|\s)\s*(?:The\s+)?({_AGENCIES}|Associated Press|"
    rf"Agence France-Presse)\)?\s*$"
)
# `Jane Smith, Europe correspondent`, `Jan de Vries, correspondent Brussel`: a name and a role.
_ROLE_NAME = r"(?:[A-ZÀ-Þ][\w.'’-]*|de|van|der|den|ten|ter|von|al|bin)"
_ROLE_LINE = re.compile(
    rf"^{_ROLE_NAME}(?:,?\s+{_ROLE_NAME}){{0,5}}(?:\s+(?:and|en|&)\s+{_ROLE_NAME}"
    rf"(?:\s+{_ROLE_NAME}){{0,3}})?,?\s+"
    r"(?:(?:chief|senior|political|diplomatic|economics|economic|foreign|security|defence|"
    r"defense|international|business|science|health|technology|tech|staff|deputy|special|world|"
    r"news|trade|climate|legal|home|affairs|investigations|politiek|buitenland)\s+){0,3}"
    r"(?:correspondent|editor|reporter|writer|columnist|analyst|journalist|verslaggever|"
    r"redacteur|correspondente|commentator|presenter)s?"
    r"(?:,?\s+(?:(?:in|at|for|te|voor)\s+)?[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){0,2})?$"
)
_NAME_LINE = re.compile(rf"^[A-ZÀ-Þ][\w'’-]*(?: {_ROLE_NAME}){{1,3}}$")
_FURNITURE_LINE = re.compile(
    r"^(?:\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b.*"
    r"|Reporting from [A-Z][\w'’ ,-]{0,60}"
    r"|(?:Deel dit artikel|Delen|Share this article|Share|Comment|Reageer|Print)"
    r"(?:\s*[:|].*)?"
    r"|Advertisement|Advertentie|Advertising"
    # Around an advertisement or a player: `Advertisement · Scroll to continue`, `5 min read`.
    r"|(?:Advertisement\s*[·|-]\s*)?Scroll to continue(?: reading)?"
    r"|(?:Story|Article) continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?"
    r"|Continue reading(?: below| the main story)?"
    r"|Listen to (?:this )?(?:article|story)\b[^.!?]{0,40}"
    r"|(?:Reading time:? )?\d{1,2} min(?:ute)?s? read|Leestijd:? \d{1,2} min(?:uten|uut)?"
    r"|(?:Copyright|©)\s.{0,120}"
    r"|Our Standards:.*"
    r"|(?:Image|Media|Video|Photo) (?:source|caption|copyright|description)\b.*"
    r"|(?:Follow|Volg) (?:us|ons)\b[^.!?]{0,100}\.?"
    r"|(?:Follow|Volg) (?:[\w@.'-]+ ){1,4}(?:on|op) (?:X|Twitter|Facebook|Instagram|TikTok|"
    r"LinkedIn|Bluesky|Threads|WhatsApp|YouTube|Telegram)\b[^.!?]{0,80}\.?"
    r"|(?:Sign up|Subscribe|Meld je aan|Schrijf je in|Abonneer)\b.*"
    r"|.*\b(?:gratis artikel|[Ww]ord(?:t)? abonnee|abonneer je|to continue reading|"
    r"subscribe (?:now|for|to|today)|sign up for|meld je (?:nu )?aan voor|"
    r"schrijf je (?:nu )?in voor)\b.*"
    # A plug for the site's own newsletter, not a sentence about one.
    r"|(?:Get|Receive|Try|Ontvang|Krijg) (?:our|onze|the|de|het) (?:\w+ ){0,3}?"
    r"(?:newsletters?|nieuwsbrief)\b.*"
    r"|[^.!?]{0,100}\b(?:our|onze) (?:\w+ ){0,3}?(?:newsletters?|nieuwsbrief)\b[^.!?]{0,100}"
    # The first `je` is enough: once found, it is not looked for again at every later one.
    r"|(?>.*?\b(?:your|je|jouw)\b).*\b(?:newsletter|nieuwsbrief|inbox)\b.*"
    # `We use cookies to …`, `Deze website maakt gebruik van cookies`, `Accept all cookies`.
    r"|.*\b(?:we|wij|this (?:site|website)|our (?:site|website|partners)|deze (?:site|website)|"
    r"onze (?:site|website)) (?:use|uses|gebruik(?:t|en)?|maakt gebruik van|plaats(?:t|en)?) "
    r"(?:\w+ ){0,3}?cookies\b.*"
    r"|(?:Accept|Reject|Manage|Allow|Accepteer|Accepteren|Weiger|Cookie)\b.{0,60}\bcookies?\b.{0,60}"
    r"|[^.!?]{0,80}\bcookie ?(?:settings|policy|preferences|instellingen|beleid|verklaring|"
    r"statement)\b[^.!?]{0,80})$",
    re.IGNORECASE,
)
# Sharing buttons: a line of nothing but `Share on Facebook Share on X`, `Copy link`, `Deel`.
_BUTTON_WORDS = frozenset(
    "share shares sharing save saved copy copied link links email e mail print facebook twitter x "
    "whatsapp linkedin reddit messenger telegram pinterest instagram tiktok youtube threads "
    "bluesky flipboard on via this the article page story us follow comment comments deel delen "
    "gedeeld kopieer kopiëren gekopieerd opslaan bewaar bewaren volg ons op dit artikel reageer "
    "reacties reactie gift cadeau geef listen luister voorlezen bookmark and en or of".split()
)
_BUTTON_ACTIONS = frozenset(
    "share save copy copied email print follow comment comments deel delen kopieer kopiëren "
    "gekopieerd opslaan bewaar volg reageer reacties listen luister bookmark gift".split()
)
# `Published 7 February 2023`, `Updated Oct 30, 2018 4:57 AM ET`, `Tue Aug 20 2024 - 05:45`,
# `Updated 3 hours ago`, `Last modified on Tue 4 Jun 2024 10.15 BST`: a line of nothing but a
# date, a time and the words around them.
_PUBLISHED_WORDS = frozenset(
    "published updated gepubliceerd bijgewerkt posted geplaatst modified edited gewijzigd "
    "aangepast ago geleden".split()
)
_DATE_WORDS = frozenset(
    "published updated gepubliceerd bijgewerkt laatste update geplaatst posted last on om at "
    "uur am pm gmt bst cet cest et est edt pt utc ma di wo do vr za zo mon tue wed thu fri sat "
    "sun maandag dinsdag woensdag donderdag vrijdag zaterdag zondag monday tuesday wednesday "
    "thursday friday saturday sunday first originally laatst modified edited gewijzigd aangepast "
    "ago geleden a an one hour hours hr hrs minute minutes min mins day days week weeks "
    "minuut minuten dag dagen week weken just now yesterday today gisteren vandaag zojuist".split()
) | frozenset(_MONTH_NUMBER) | _PUBLISHED_WORDS
# `17 June`, `Sept 6`: a day and a month, as a line under a link gives them.
_DAY_MONTH = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTH_NAMES})|(?:{_MONTH_NAMES})\.?\s+\d{{1,2}})\b", re.IGNORECASE
)
# Words a shortened title should not end on.
_DANGLING_WORDS = frozenset(
    "de het een en of van in op met voor aan bij naar om tot door over uit te dat die "
    "the a an and or of in on at to for with by from that".split()
)
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)]*$|[.!?…]\s*['\"”’»]+$")


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether a case-insensitive pattern may find one of these lower-case words in the text:
    False only when it cannot."""
    if _ODD_CASES.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in words)


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

    furniture: list[str] = []
    paragraphs = split_paragraphs(text, front_title, furniture)
    written_dates: list[PublishedDate] = []
    datelines: list[tuple[int, int, int | None]] = []  # day, month, year if given
    source_name = clean_field(front.source)
    if source_name:  # it stands beside the article in every listing
        source_name = shorten_at_word(source_name, SOURCE_MAX_CHARS)
    kept: list[str] = []
    texts_kept = 0  # the paragraphs of `kept` that are not headings
    for paragraph in paragraphs:
        if _DATE_LINE.match(paragraph) or is_date_line(paragraph):
            written_dates.extend(find_written_dates(paragraph))
            continue
        if _TIME_LINE.match(paragraph):
            continue
        # Where the lead stands: before a second paragraph of text (headings do not count).
        at_lead = texts_kept < 2
        found = _SOURCE_LINE.match(paragraph)
        if found:
            source_name = source_name or found.group(1).strip()
            paragraph = paragraph[found.end():].strip()
        if not kept:
            paragraph = _BYLINE.sub("", paragraph, count=1)
        if dateline := _PLACE_DATELINE.match(paragraph):
            if at_lead:
                datelines.append(_dateline_day(dateline))
                source_name = source_name or agency_name(dateline.group(7))
            paragraph = paragraph[dateline.end():]
        elif agency := at_lead and (
            _AGENCY_PREFIX.match(paragraph) or _BRACKETED_AGENCY.match(paragraph)
        ):
            source_name = source_name or agency_name(agency.group(1))
            paragraph = paragraph[agency.end():]
        elif at_lead and (dateline := _DATELINE.match(paragraph)):
            paragraph = paragraph[dateline.end():]
        if may_hold(paragraph, _VIDEO_TEASER_WORDS):
            paragraph = _VIDEO_TEASER.sub("", paragraph)
        if may_hold(paragraph, _CROSS_LINK_WORDS):
            paragraph = _CROSS_LINK.sub("", paragraph)
        paragraph = paragraph.strip()
        reporting = _REPORTING_CREDIT.search(
            paragraph, max(0, len(paragraph) - REPORTING_CREDIT_MAX_CHARS))
        if reporting:
            paragraph = paragraph[: reporting.start()].strip()
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
        texts_kept += not is_heading(paragraph)
    if not source_name:
        source_name = next((agency_name(byline.group(1)) for line in furniture
                            if _BYLINE_LINE.match(line)
                            and (byline := _BYLINE_AGENCY.search(line))), None)

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

    # A dateline without a year takes it from the front matter or the marker, never a guess.
    known = front.date or marker_date
    written_dates += [date for day, month, year in datelines
                      if (date := dateline_date(day, month, year, known))]
    written_dates = written_dates or _lead_dates(kept)
    if front.date and front.date.day is None:
        date = _settle_date(front.date, written_dates)
    else:
        date = front.date or _settle_date(marker_date, written_dates)
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


def split_paragraphs(
    text: str, title: str | None = None, dropped: list[str] | None = None
) -> list[str]:
    """The text's paragraphs, without the lines a news site prints around every article.

    Paragraphs are separated by blank lines. Within one, lines that each end a sentence (or
    are a heading followed by a new sentence) are paragraphs of their own, as scrapers write
    them; other lines are one paragraph, wrapped. A line of nothing but a date is a paragraph
    of its own. A first line that repeats the article's title is dropped, and so are a list of
    links to other articles and its heading (`More on this story`). The furniture lines that
    were dropped are added to `dropped`, when given."""
    paragraphs: list[str] = []
    in_related = False  # under a `Related` heading: headlines that link elsewhere
    for block in re.split(r"\n\s*\n", text):
        lines = []
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if _RELATED_SECTION.match(line) or _RELATED_LINK.match(line) and is_heading(line):
                in_related = True
            elif not (in_related and (is_heading(line) or is_date_line(line))
                      or is_furniture(line)):
                in_related = False
                lines.append(line)
                continue
            if dropped is not None:
                dropped.append(line)
            # `Jane Smith` on the line above `Europe correspondent` is the byline's name.
            if lines and _ROLE_LINE.match(line) and _NAME_LINE.match(lines[-1]):
                lines.pop()
        if not paragraphs and lines and title and squeeze(lines[0]) == squeeze(title):
            lines = lines[1:]
        for run in _date_apart(lines):
            if all(_SENTENCE_END.search(line) or is_heading(line) and _starts_anew(following)
                   for line, following in zip(run, run[1:], strict=False)):
                paragraphs.extend(run)
            else:
                paragraphs.append(" ".join(run))
    return paragraphs


def _date_apart(lines: list[str]) -> list[list[str]]:
    """The lines in runs, a line of nothing but a date or time a run of its own: it is no part
    of the sentence that follows it."""
    runs: list[list[str]] = [[]]
    for line in lines:
        if is_date_line(line) or _DATE_LINE.match(line) or _TIME_LINE.match(line):
            runs += [[line], []]
        else:
            runs[-1].append(line)
    return [run for run in runs if run]


def _starts_anew(line: str) -> bool:
    """Whether a line opens a sentence (capital, digit or quote), not a wrapped one's rest."""
    return line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'“‘„«(["


def is_furniture(line: str) -> bool:
    """A line that a news site prints around every article: byline, share buttons, paywall."""
    if len(line) > FURNITURE_MAX_CHARS:
        return False
    words = len(line.split())
    return bool(
        (_BYLINE_LINE.match(line) or _ROLE_LINE.match(line)) and words <= 12
        or _FURNITURE_LINE.match(line) or is_button_line(line)
    )


def is_button_line(line: str) -> bool:
    """A line of nothing but sharing buttons: `Share on Facebook Share on X`, `Copy link`."""
    words = re.findall(r"[^\W\d_]+", line.lower())
    return 0 < len(words) <= 16 and all(word in _BUTTON_WORDS for word in words) \
        and any(word in _BUTTON_ACTIONS for word in words)


def is_date_line(line: str) -> bool:
    """A line of nothing but a date or time and the words around them (`Published …`)."""
    if len(line) > FURNITURE_MAX_CHARS:
        return False
    words = re.findall(r"[^\W\d_]+\.?|\d+", line.lower())
    if not 0 < len(words) <= 12 or not all(
        word.isdigit() or word.rstrip(".") in _DATE_WORDS for word in words
    ):
        return False
    return bool(_WRITTEN_DATE.search(line) or _DAY_MONTH.search(line)
                or re.search(r"\b\d{1,2}[:.]\d{2}\b", line)
                or any(word.rstrip(".") in _PUBLISHED_WORDS for word in words))


# A run of more combining marks than this on one letter (`Zalgo` text) is cut to this many:
# written language stacks two or three, and Unicode's normalization sorts a run's marks in time
# that grows with the square of its length (40,000 took seconds).
MARKS_PER_LETTER = 16
_MARK_RUN = re.compile(f"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
                       f"{{{MARKS_PER_LETTER + 1},}}")


_ODD_SPACE = re.compile(r"[\u00a0\u2007\u202f]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060]")


def normalize_text(text: str) -> str:
    """Unicode NFC, Unix newlines, no BOM, no non-breaking or zero-width spaces, no more than
    `MARKS_PER_LETTER` combining marks on a letter, and nothing that could make the text show
    other than it reads (`remove_hidden`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MARK_RUN.sub(lambda run: run.group()[:MARKS_PER_LETTER], remove_hidden(text))
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    # Each rule only where its characters stand (a look for them is a fraction of a rewrite).
    text = _ODD_SPACE.sub(" ", text)
    text = _ZERO_WIDTH.sub("", text)
    # Typewriter Dutch quotes: ,,zo'' → „zo”
    if ",," in text:
        text = re.sub(r",,(?=\S)", "„", text)
    if "''" in text:
        text = re.sub(r"(?<=\S)''", "”", text)
    return re.sub(r"[ \t]+", " ", text) if "  " in text or "\t" in text else text


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
    if "\x1b" in text or "\x9b" in text:
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
    if len(paragraphs) < 2:  # the first paragraph repeats nothing
        return list(paragraphs)
    kept: list[str] = []
    seen = ""
    pieces: dict[str, list[int]] = {}
    indexed = 0  # where the next piece to index starts
    last = len(paragraphs) - 1
    for number, paragraph in enumerate(paragraphs):
        squeezed = squeeze(paragraph)
        if len(squeezed) >= REPEAT_MIN_CHARS and _stands_in(squeezed, seen, pieces):
            continue
        kept.append(paragraph)
        if number == last:  # nothing comes after it that could repeat it
            break
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


def _dateline_day(dateline: re.Match) -> tuple[int, int, int | None]:
    """The day, month and year (None when not given) that a `_PLACE_DATELINE` names."""
    day, month, year = dateline.group(1, 2, 3) if dateline.group(1) else dateline.group(5, 4, 6)
    return int(day), _MONTH_NUMBER[month.lower()], int(year) if year else None


def dateline_date(
    day: int, month: int, year: int | None, known: PublishedDate | None
) -> PublishedDate | None:
    """The date a dateline names; one without a year takes the year of the date known from
    elsewhere (front matter, marker), and has no date when nothing else gives a year."""
    if year is None:
        if known is None:
            return None
        year = known.year
    date = real_date(year, month, day)
    return date if date and 1900 <= date.year <= 2100 else None


def agency_name(name: str | None) -> str | None:
    """An agency as it writes its own name: `REUTERS` is Reuters."""
    return _AGENCY_SPELLING.get(name, name) if name else None


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
