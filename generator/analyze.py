"""Language processing with spaCy: sentences and lemmas for every article.

A trained pipeline (`nl_core_news_sm`, `en_core_web_sm`, or a path to one) is used when the
config names it and it is installed. Otherwise the pipeline is `spacy.blank(lang)` with a
rule-based sentencizer and simplemma's lemmatizer as a spaCy component.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

import simplemma
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .model import AnalyzedArticle, CleanArticle, Sentence, squeeze

log = logging.getLogger("digest")

# No text goes to spaCy in one piece longer than this: a pipeline refuses text over its
# `max_length`, and a trained parser needs about 1 GB of memory per 100,000 characters.
PIECE_CHARS = 100_000
LEMMATIZER = "simplemma_lemmatizer"
QUOTE_FIXER = "opening_quote_fixer"
_OPENING_QUOTES = frozenset("“„‘«")
_AMBIGUOUS_QUOTES = frozenset("\"'")


# Verb forms simplemma reads as other words (`wijst` → the adjective `wijs`).
_LEMMA_FIXES = {
    "nl": {"wijst": "wijzen", "wijzen": "wijzen", "zetten": "zetten", "sturen": "sturen",
           "stuurt": "sturen", "zet": "zetten"},
}


@lru_cache(maxsize=200_000)
def lemma_of(word: str, language: str) -> str:
    """The dictionary form of a word, lower-cased: `uitgewezen` → `uitwijzen`."""
    fixed = _LEMMA_FIXES.get(language, {}).get(word.lower())
    if fixed:
        return fixed
    # simplemma marks separable parts with `_` (`op_leggen`); the dictionary form has none.
    return simplemma.lemmatize(word, lang=language).lower().replace("_", "")


@Language.component(LEMMATIZER)
def simplemma_lemmatizer(doc: Doc) -> Doc:
    """Set `token.lemma_` from simplemma's tables for the pipeline's language."""
    language = doc.lang_
    for token in doc:
        if token.is_alpha or any(ch.isalpha() for ch in token.text):
            token.lemma_ = lemma_of(token.text, language)
        else:
            token.lemma_ = token.text.lower()
    return doc


@Language.component(QUOTE_FIXER)
def opening_quote_fixer(doc: Doc) -> Doc:
    """Start a sentence at its opening quote, not at the word after it.

    The rule-based sentencizer leaves `“` of `… zei hij. “We gaan…` on the sentence before.
    """
    for token in doc[2:]:
        quote = doc[token.i - 1]
        if not token.is_sent_start or doc[token.i - 2].text[-1:] not in ".!?:":
            continue
        opening = quote.text in _OPENING_QUOTES or (
            quote.text in _AMBIGUOUS_QUOTES
            and not quote.whitespace_
            and doc[token.i - 2].whitespace_
        )
        if opening:
            quote.is_sent_start = True
            token.is_sent_start = False
    return doc


# spaCy's tokenizer strips punctuation off a word one character at a time, copying the rest of
# the word each time: a long run of punctuation, or a word of thousands of characters, costs
# time in the square of its length (100,000 apostrophes take minutes). The tokenizer is given
# such runs in parts of these many characters.
PUNCTUATION_RUN_CHARS = 10
WORD_CHARS = 500
_PUNCTUATION_RUN = re.compile(rf"(?:[^\w\s]|_){{{PUNCTUATION_RUN_CHARS + 1},}}")
_LONG_WORD = re.compile(rf"\S{{{WORD_CHARS + 1},}}")


class BoundedTokenizer:
    """A spaCy tokenizer that is never given a run of more than `PUNCTUATION_RUN_CHARS`
    punctuation characters, or of more than `WORD_CHARS` characters without white space, at
    once: the text is tokenized in parts, cut inside such runs, and the parts joined again."""

    def __init__(self, tokenizer: Callable[[str], Doc]):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        runs = ((_PUNCTUATION_RUN, PUNCTUATION_RUN_CHARS), (_LONG_WORD, WORD_CHARS))
        cuts = sorted({cut for pattern, size in runs for run in pattern.finditer(text)
                       for cut in range(run.start() + size, run.end(), size)})
        if not cuts:
            return self.tokenizer(text)
        bounds = [0, *cuts, len(text)]
        parts = [self.tokenizer(text[start:end])
                 for start, end in zip(bounds, bounds[1:], strict=False)]
        doc = Doc.from_docs(parts, ensure_whitespace=False)
        # The first token of a doc opens a sentence, which the sentencizer keeps: a part's
        # first token opens none until the pipeline says so.
        first = 0
        for part in parts[:-1]:
            first += len(part)
            doc[first].is_sent_start = None
        return doc


def build_pipeline(language: str, trained: str | None = None) -> Language:
    """The spaCy pipeline for a language: the trained one named, else a blank one; either
    with a `BoundedTokenizer`."""
    nlp = _load_pipeline(language, trained)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp


def _load_pipeline(language: str, trained: str | None) -> Language:
    """The trained pipeline named, with sentences and lemmas added if it has none; else the
    rule-based one."""
    if trained:
        try:
            nlp = spacy.load(trained, exclude=["ner", "textcat"])
        except OSError:
            log.info("spaCy pipeline '%s' is not installed; using the rule-based one", trained)
        else:
            if not (nlp.has_pipe("parser") or nlp.has_pipe("senter")
                    or nlp.has_pipe("sentencizer")):
                nlp.add_pipe("sentencizer", first=True)
                nlp.add_pipe(QUOTE_FIXER, after="sentencizer")
            if not nlp.has_pipe("lemmatizer"):
                nlp.add_pipe(LEMMATIZER)
            return nlp
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(QUOTE_FIXER)
    nlp.add_pipe(LEMMATIZER)
    return nlp


class Analyzer:
    """Holds one pipeline per language, built on first use."""

    def __init__(self, trained: Mapping[str, str | None] | None = None):
        self.trained = dict(trained or {})
        self._pipelines: dict[str, Language] = {}

    def pipeline(self, language: str) -> Language:
        if language not in self._pipelines:
            self._pipelines[language] = build_pipeline(language, self.trained.get(language))
        return self._pipelines[language]

    def analyze(self, articles: Iterable[CleanArticle]) -> list[AnalyzedArticle]:
        """Sentences and lemmas of each article, in the order given.

        A paragraph longer than `PIECE_CHARS` (or the pipeline's `max_length`) goes to spaCy in
        pieces, each cut after a sentence where one ends near the limit."""
        articles = list(articles)
        results: dict[int, AnalyzedArticle] = {}
        for language in sorted({a.language for a in articles}):
            group = [(i, a) for i, a in enumerate(articles) if a.language == language]
            nlp = self.pipeline(language)
            limit = min(PIECE_CHARS, nlp.max_length)
            # A title is one sentence: it is analyzed as its first piece alone.
            pieces = [split for _, a in group for split in (
                text_pieces(a.title, limit)[:1], *(text_pieces(b.text, limit) for b in a.blocks))]
            docs = iter(nlp.pipe((piece for split in pieces for piece in split), batch_size=256))
            parsed = iter([[next(docs) for _ in split] for split in pieces])
            for i, article in group:
                title = next(parsed)[0]
                results[i] = _assemble(article, title, [next(parsed) for _ in article.blocks])
        return [results[i] for i in range(len(articles))]


def analyze_article(article: CleanArticle, analyzer: Analyzer | None = None) -> AnalyzedArticle:
    """Analyze one article (for scripting; builds use `Analyzer.analyze` on all at once)."""
    return (analyzer or Analyzer()).analyze([article])[0]


# Where a piece may end: after a sentence, and the quotes and brackets that close it.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_SPACE = re.compile(r"\s+")


def text_pieces(text: str, limit: int) -> list[str]:
    """The text in pieces of at most `limit` characters that join up to it again: each cut
    after the last sentence end in its second half, else at the last white space, else at
    the limit."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = (_last_end(_SENTENCE_BREAK, text, start + limit // 2, end)
               or _last_end(_SPACE, text, start + limit // 2, end) or end)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _last_end(pattern: re.Pattern, text: str, start: int, end: int) -> int | None:
    """Where the last match of `pattern` within `text[start:end]` ends."""
    last = deque(pattern.finditer(text, start, end), maxlen=1)
    return last[0].end() if last else None


def _assemble(
    article: CleanArticle, title: Doc, block_docs: list[list[Doc]]
) -> AnalyzedArticle:
    """The article's sentences from its title's doc and each block's docs (one per piece)."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    title_sentence = _sentence(title[:], index=-1, block=-1, is_heading=True)
    for block_index, (block, docs) in enumerate(zip(article.blocks, block_docs, strict=True)):
        spans = ([doc[:] for doc in docs] if block.is_heading
                 else [span for doc in docs for span in doc.sents])
        for span in spans:
            key = squeeze(span.text)
            # A sentence the article already said (scrapers repeat bodies) is said once.
            if not key or key in seen:
                continue
            seen.add(key)
            sentences.append(_sentence(span, len(sentences), block_index, block.is_heading))
    return AnalyzedArticle(article=article, title=title_sentence, sentences=tuple(sentences))


def _sentence(span: Span, index: int, block: int, is_heading: bool) -> Sentence:
    # Leading and trailing white space is not part of a sentence.
    while len(span) and span[0].is_space:
        span = span[1:]
    while len(span) and span[-1].is_space:
        span = span[:-1]
    words = [t for t in span if not (t.is_punct or t.is_space)]
    return Sentence(
        index=index,
        block=block,
        text=span.text,
        lemmas=tuple(sys.intern(_lemma(t)) for t in words),
        forms=tuple(sys.intern(t.lower_) for t in words),
        offsets=tuple(t.idx - span.start_char for t in words),
        words=sum(1 for t in words if any(ch.isalpha() for ch in t.text)),
        is_heading=is_heading,
    )


def _lemma(token) -> str:
    return (token.lemma_ or token.text).lower()
