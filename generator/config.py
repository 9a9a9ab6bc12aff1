"""The digest's settings: a declared schema with defaults and a clear message for each bad value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import DigestError
from .summarize import SummaryLength

LANGUAGES = ("nl", "en")
MAX_SUMMARY_SENTENCES = 10


@dataclass(frozen=True)
class DigestConfig:
    """What a site's `digest:` settings say, defaults filled in."""

    title: str = "News digest"
    language: str = "nl"
    summary: SummaryLength = SummaryLength()
    # Trained spaCy pipelines by language, used when installed (a package name or a path).
    pipelines: Mapping[str, str | None] = field(default_factory=dict)
    latest_per_theme: int = 5
    # The search index is cut into parts of about this size (smaller: more, smaller files).
    search_part_kb: int = 48
    # Theme pages are cut into parts of this many articles (the timeline and the article list,
    # a line per article, into parts of four times as many).
    per_page: int = 50
    # An article without a date is always named in the build report; with this, it is a
    # problem that fails a --strict build.
    require_dates: bool = False


DIGEST_KEYS = ("summary_sentences", "summary_words", "pipelines", "latest_per_theme",
               "search_part_kb", "per_page", "require_dates")
# A part of a theme page of more articles with summaries of ten long sentences, long titles and
# evidence could pass 500 KB of HTML.
MAX_PER_PAGE = 50


def parse_digest_config(
    settings: Mapping | None, title: str, language: str, shown: str
) -> DigestConfig:
    """Check the `digest` settings of a site config; raise DigestError on any bad value."""

    def fail(reason: str) -> DigestError:
        return DigestError(shown, f"digest settings: {reason}", what="in config")

    settings = settings or {}
    if not isinstance(settings, Mapping):
        raise fail("must be a mapping of settings")
    for key in settings:
        if key not in DIGEST_KEYS:
            raise fail(f"unknown setting '{key}' (known: {', '.join(DIGEST_KEYS)})")
    if language not in LANGUAGES:
        raise fail(f"site language '{language}' is not one of {', '.join(LANGUAGES)}")
    # A length in words alone means as many sentences as fit in it.
    default_sentences = MAX_SUMMARY_SENTENCES if "summary_words" in settings else 3
    sentences = settings.get("summary_sentences", default_sentences)
    if isinstance(sentences, bool) or not isinstance(sentences, int) \
            or not 1 <= sentences <= MAX_SUMMARY_SENTENCES:
        raise fail(f"summary_sentences '{sentences}' must be a whole number from 1 to "
                   f"{MAX_SUMMARY_SENTENCES}")
    words = settings.get("summary_words")
    if words is not None and (isinstance(words, bool) or not isinstance(words, int) or words < 5):
        raise fail(f"summary_words '{words}' must be a whole number of at least 5")
    pipelines = settings.get("pipelines") or {}
    if not isinstance(pipelines, Mapping) or any(
        lang not in LANGUAGES or not (name is None or isinstance(name, str))
        for lang, name in pipelines.items()
    ):
        raise fail("pipelines must map a language (nl, en) to a spaCy pipeline name or path")
    latest = settings.get("latest_per_theme", 5)
    if isinstance(latest, bool) or not isinstance(latest, int) or latest < 1:
        raise fail(f"latest_per_theme '{latest}' must be a whole number of at least 1")
    part_kb = settings.get("search_part_kb", 48)
    if isinstance(part_kb, bool) or not isinstance(part_kb, int) or not 1 <= part_kb <= 1024:
        raise fail(f"search_part_kb '{part_kb}' must be a whole number from 1 to 1024")
    per_page = settings.get("per_page", 50)
    if isinstance(per_page, bool) or not isinstance(per_page, int) \
            or not 1 <= per_page <= MAX_PER_PAGE:
        raise fail(f"per_page '{per_page}' must be a whole number from 1 to {MAX_PER_PAGE}")
    require_dates = settings.get("require_dates", False)
    if not isinstance(require_dates, bool):
        raise fail(f"require_dates '{require_dates}' must be true or false")
    return DigestConfig(
        title=title,
        language=language,
        summary=SummaryLength(sentences=sentences, words=words),
        pipelines=dict(pipelines),
        latest_per_theme=latest,
        search_part_kb=part_kb,
        per_page=per_page,
        require_dates=require_dates,
    )
