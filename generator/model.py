"""The values that flow through the pipeline: frozen, compared by value, never mutated."""

from __future__ import annotations

import contextlib
import pickle
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

MONTHS_NL = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()
MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, order=True)
class PublishedDate:
    """A publication date that may be known only to the month."""

    year: int
    month: int
    day: int | None = None

    @property
    def iso(self) -> str:
        """`2018-03-27`, or `2018-03` when only the month is known."""
        month = f"{self.year:04d}-{self.month:02d}"
        return month if self.day is None else f"{month}-{self.day:02d}"

    @property
    def month_key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def display(self, language: str) -> str:
        """The date as a reader writes it: `27 maart 2018`, `March 2018`."""
        month = (MONTHS_NL if language == "nl" else MONTHS_EN)[self.month - 1]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"


@dataclass(frozen=True)
class FrontMatter:
    """What an article file says about itself; every field optional."""

    title: str | None = None
    date: PublishedDate | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    themes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SourceFile:
    """An article file as read from disk: decoded text and its front matter."""

    path: PurePosixPath  # relative to the articles folder, always with forward slashes
    text: str
    front_matter: FrontMatter
    encoding: str


@dataclass(frozen=True)
class Block:
    """A paragraph of cleaned article text, or an intertitle between paragraphs."""

    text: str
    is_heading: bool = False


@dataclass(frozen=True)
class CleanArticle:
    """An article with the noise removed and its metadata settled."""

    path: PurePosixPath
    title: str
    title_from_text: bool  # True when the title is a headline line of the text itself
    date: PublishedDate | None
    source: str | None
    url: str | None
    language: str
    blocks: tuple[Block, ...]
    pinned_themes: tuple[str, ...] | None = None
    title_from_lead: bool = False  # True when the title is the lead sentence, shortened

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with the lemmas that language processing found in it."""

    index: int  # position among the article's sentences
    block: int  # index of the block it stands in
    text: str
    lemmas: tuple[str, ...]  # lower-case lemma of every word token
    forms: tuple[str, ...]  # lower-case surface form of every word token
    offsets: tuple[int, ...]  # where each word token starts in `text`
    words: int
    is_heading: bool = False


def share_words(article: AnalyzedArticle) -> AnalyzedArticle:
    """The article, its words made the process's shared strings: an article that comes back
    from a worker process has a string of its own for every word, and the articles of a digest
    share a few tens of thousands of words. Only for an article just unpickled, which nothing
    else holds yet (the sentences are changed in place). Sentences still pickled stay so
    (`AnalyzedArticle.__reduce__`): a build unpickles them only in the forked processes that
    summarize the article, and keeps only the summary's."""
    share_sentence_words((article.title, *vars(article).get("sentences", ())))
    object.__setattr__(article, "vocabulary", tuple(map(sys.intern, article.vocabulary)))
    return article


def share_sentence_words(sentences: Sequence[Sentence]) -> None:
    """`share_words` of sentences just unpickled, in place."""
    for sentence in sentences:
        object.__setattr__(sentence, "lemmas", tuple(map(sys.intern, sentence.lemmas)))
        object.__setattr__(sentence, "forms", tuple(map(sys.intern, sentence.forms)))


@dataclass(frozen=True)
class AnalyzedArticle:
    """A clean article split into sentences, each with its lemmas."""

    article: CleanArticle
    title: Sentence  # the title analyzed as a sentence, index -1
    sentences: tuple[Sentence, ...]
    # The cache key of the file it was made from: what later stages' results are kept by.
    fingerprint: str = field(default="", compare=False)
    # Its sentences' lemmas, each once, in sorted order (made once, kept with the article).
    vocabulary: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocabulary", tuple(sorted(
            {lemma for sentence in self.sentences for lemma in sentence.lemmas})))

    def __reduce__(self) -> tuple:
        # Pickled with its sentences as bytes of their own, unpickled only when they are
        # first asked for (`__getattr__`): a rebuild takes ten thousand articles from the
        # cache and reads the sentences of the few it summarizes again.
        sentences = self.__dict__.get(_SENTENCES_PICKLED)
        if sentences is None:
            sentences = pickle.dumps(self.sentences, protocol=pickle.HIGHEST_PROTOCOL)
        return _unpickled_article, (self.article, self.title, sentences, self.fingerprint,
                                    self.vocabulary)

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute the instance lacks: the sentences of an unpickled
        # article, until they are first asked for.
        if name == "sentences" and _SENTENCES_PICKLED in self.__dict__:
            sentences = pickle.loads(self.__dict__[_SENTENCES_PICKLED])  # noqa: S301 (ours)
            self.__dict__["sentences"] = sentences
            del self.__dict__[_SENTENCES_PICKLED]
            return sentences
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def body_sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.is_heading)

    @property
    def has_headline(self) -> bool:
        """Whether the title is a headline of its own (a headline line of the text, or a title
        given in the front matter), not the lead sentence again."""
        if self.article.title_from_text:
            return True
        if self.article.title_from_lead:
            return False
        title = squeeze(self.article.title)
        lead = next(iter(self.body_sentences), None)
        return bool(title) and not (lead is not None and squeeze(lead.text).startswith(title))


# Where an unpickled article keeps its sentences, pickled, until they are asked for.
_SENTENCES_PICKLED = "_sentences_pickled"


@contextlib.contextmanager
def sentences_for_now(article: AnalyzedArticle) -> Iterator[None]:
    """Within: the article, its sentences unpickled when asked for, as ever; after: its
    sentences put back as they were, still pickled, if they were. (A forked process that
    reads the sentences of thousands of articles once then holds one article's at a time,
    not hundreds of megabytes of them.)"""
    pickled = article.__dict__.get(_SENTENCES_PICKLED)
    try:
        yield
    finally:
        if pickled is not None:
            article.__dict__.pop("sentences", None)
            article.__dict__[_SENTENCES_PICKLED] = pickled


def _unpickled_article(article: CleanArticle, title: Sentence, sentences: bytes,
                       fingerprint: str, vocabulary: tuple[str, ...]) -> AnalyzedArticle:
    made = object.__new__(AnalyzedArticle)
    made.__dict__.update(article=article, title=title, fingerprint=fingerprint,
                         vocabulary=vocabulary)
    made.__dict__[_SENTENCES_PICKLED] = sentences
    return made


@dataclass(frozen=True)
class Evidence:
    """A sentence that signals a theme, and the terms that matched in it."""

    sentence: str
    terms: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] = ()  # character spans of the matched words
    # Matched only a `support` term: it backs up the theme's evidence, it is none by itself.
    supporting: bool = False


@dataclass(frozen=True)
class ThemeMatch:
    slug: str
    score: float
    evidence: tuple[Evidence, ...]
    pinned: bool = False


@dataclass(frozen=True)
class MissReason:
    """One rule that kept an article out of a theme (see `classify.near_misses`)."""

    # `no_evidence`, `cancelled`, `headline_cue`, `outnumbered`, `few_sentences`, `low_share`
    # or `below_threshold`.
    rule: str
    found: float = 0  # what the article has: sentences, a share of them, a score
    needed: float = 0  # what the rule asks for
    cues: tuple[str, ...] = ()  # the words an exclude term matched, as the text has them


@dataclass(frozen=True)
class NearMiss:
    """How near an article came to a theme it is not in, and the rules that kept it out."""

    slug: str
    score: float
    threshold: float
    reasons: tuple[MissReason, ...]


@dataclass(frozen=True)
class Theme:
    """A theme as the user defined it in `themes.yml`."""

    slug: str
    title: str
    description: str
    vocabulary: dict[str, tuple[str, ...]] = field(hash=False, compare=True)
    threshold: float = 0.5
    # Negative cues per language: terms that cancel a sentence's evidence for the theme.
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=True)
    # Supporting cues per language: terms that back up evidence but are none by themselves.
    support: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class DigestArticle:
    """Everything the site shows of one article."""

    slug: str
    analyzed: AnalyzedArticle
    summary: tuple[Sentence, ...]
    themes: tuple[ThemeMatch, ...]
    related: tuple[str, ...] = ()  # slugs of the most similar other stories, most similar first
    same_story: tuple[str, ...] = ()  # slugs of other articles that carry the same story
    near_misses: tuple[NearMiss, ...] = ()  # the themes it is not in, and why

    @property
    def article(self) -> CleanArticle:
        return self.analyzed.article


@dataclass(frozen=True)
class DigestLine:
    """One sentence of a theme's multi-article digest, and the article it comes from."""

    slug: str
    sentence: Sentence


@dataclass(frozen=True)
class Problem:
    """A file that could not be used (or was used with a warning), and why."""

    path: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.reason}")


@dataclass(frozen=True)
class Digest:
    """The whole digest, collected before anything is rendered."""

    title: str
    language: str
    articles: tuple[DigestArticle, ...]  # newest first
    themes: tuple[Theme, ...]
    problems: tuple[Problem, ...] = ()
    # Per theme slug, the digest that opens its page.
    theme_digests: dict[str, tuple[DigestLine, ...]] = field(default_factory=dict, hash=False)

    def by_slug(self) -> dict[str, DigestArticle]:
        return {a.slug: a for a in self.articles}

    def in_theme(self, slug: str) -> tuple[DigestArticle, ...]:
        return tuple(a for a in self.articles if any(m.slug == slug for m in a.themes))

    def unthemed(self) -> tuple[DigestArticle, ...]:
        return tuple(a for a in self.articles if not a.themes)


def one_per_story(articles: Sequence[DigestArticle]) -> tuple[DigestArticle, ...]:
    """The articles with each story's later copies left out (the first one stands for it)."""
    seen: set[str] = set()
    kept = []
    for article in articles:
        if article.slug in seen:
            continue
        seen.update(article.same_story)
        kept.append(article)
    return tuple(kept)


# Characters a terminal or a page would act on instead of showing: C0 and C1 controls, and
# the marks that reorder text (an `exe.txt` that reads as `txt.exe`).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)


def printable(text: str) -> str:
    """Text as it can be shown safely on one line: controls (line breaks too), direction marks
    and bytes that were not UTF-8 (in a file name) written as escapes, `caf\\xe9.txt`."""

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by `surrogateescape`
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def squeeze(text: str) -> str:
    """Text reduced to its letters and digits, lower-cased: what makes two copies the same."""
    return re.sub(r"\W+", "", text).lower()
