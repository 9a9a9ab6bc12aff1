"""Language processing with spaCy: sentences and lemmas for every article.

A trained pipeline (`nl_core_news_sm`, `en_core_web_sm`, or a path to one) is used when the
config names it and it is installed. Otherwise the pipeline is `spacy.blank(lang)` with a
rule-based sentencizer and simplemma's lemmatizer as a spaCy component.

The Sentence values are read from each doc's attribute arrays (`Doc.to_array`) and a table per
word form, not from a spaCy Token object per token; when our lemmatizer is the pipeline's last
component, `Analyzer.analyze` leaves it out and takes each form's lemma from that table (the
same lemma the component would have set). `python bench/analysis.py` times the alternatives.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

import numpy
import simplemma
import spacy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LANG,
    LEMMA,
    LOWER,
    NORM,
    ORTH,
    SENT_START,
)
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .model import AnalyzedArticle, CleanArticle, Sentence, squeeze

log = logging.getLogger("digest")

# No text goes to spaCy in one piece longer than this: a pipeline refuses text over its
# `max_length`, and a trained parser needs about 1 GB of memory per 100,000 characters.
PIECE_CHARS = 100_000
LEMMATIZER = "simplemma_lemmatizer"
QUOTE_FIXER = "opening_quote_fixer"
SENTENCIZER = "array_sentencizer"
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


# The lemma `simplemma_lemmatizer` gives each word form, per language, by its ORTH hash.
_FORM_LEMMAS: dict[str, dict[int, str]] = {}
FORMS_KEPT = 500_000  # forms kept per table; past it the table starts anew


def rule_lemma(text: str, language: str) -> str:
    """A token's lemma as our lemmatizer sets it: simplemma's for a word with a letter, else
    the token lower-cased."""
    return lemma_of(text, language) if any(ch.isalpha() for ch in text) else text.lower()


@Language.component(LEMMATIZER)
def simplemma_lemmatizer(doc: Doc) -> Doc:
    """Set `token.lemma_` from simplemma's tables for the pipeline's language: the lemmas of
    all tokens written at once from an array, each form's lemma looked up once."""
    if not len(doc):
        return doc
    language, strings = doc.lang_, doc.vocab.strings
    table = _FORM_LEMMAS.setdefault(language, {})
    if len(table) > FORMS_KEPT:
        table.clear()
    keys = []
    for orth in doc.to_array(ORTH).tolist():
        lemma = table.get(orth)
        if lemma is None:
            lemma = table[orth] = rule_lemma(strings[orth], language)
        keys.append(strings.add(lemma))
    doc.from_array([LEMMA], numpy.array(keys, dtype=numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
    return doc


# Per language, what the sentencizer asks of each word form (by its ORTH hash): whether it is
# one of the characters that end a sentence, or else whether it is punctuation (a lexical
# attribute: the same for every token of the form).
_ENDS, _PUNCTUATION, _OTHER = 2, 1, 0
_FORM_KINDS: dict[str, dict[int, int]] = {}
_SENTENCE_ENDS = frozenset(Sentencizer.default_punct_chars)


@Language.component(SENTENCIZER)
def array_sentencizer(doc: Doc) -> Doc:
    """spaCy's rule-based `sentencizer` (its own punctuation, `overwrite` off), read from the
    doc's arrays: the same sentence starts, without a Token object made for every token
    (which took a tenth of the analysis).

    A sentence starts at the first token, and at each token that is not punctuation after one
    that ends a sentence (`.`, `!`, `?`, …); the starts a component before set are kept."""
    if not len(doc):
        return doc
    kinds = _FORM_KINDS.setdefault(doc.lang_, {})
    if len(kinds) > FORMS_KEPT:
        kinds.clear()
    opening = [0]
    seen_end = False
    for i, orth in enumerate(doc.to_array(ORTH).tolist()):
        kind = kinds.get(orth)
        if kind is None:
            kind = kinds[orth] = (_ENDS if doc.vocab.strings[orth] in _SENTENCE_ENDS
                                  else _PUNCTUATION if doc.vocab[orth].is_punct else _OTHER)
        if seen_end and kind == _OTHER:
            opening.append(i)
            seen_end = False
        elif kind == _ENDS:
            seen_end = True
    guesses = numpy.zeros(len(doc), dtype=bool)
    guesses[opening] = True
    starts = doc.to_array(SENT_START)
    unknown = starts == _UNKNOWN
    starts[unknown & guesses] = _STARTS
    starts[unknown & ~guesses] = _NOT_STARTS
    doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    return doc


@Language.component(QUOTE_FIXER)
def opening_quote_fixer(doc: Doc) -> Doc:
    """Start a sentence at its opening quote, not at the word after it.

    The rule-based sentencizer leaves `“` of `… zei hij. “We gaan…` on the sentence before.
    Only the tokens that open a sentence are looked at (found in the doc's array of sentence
    starts); a change at one never touches a later one.
    """
    starts = doc.to_array(SENT_START)
    moved = False
    for i in (numpy.flatnonzero(starts[2:] == 1) + 2).tolist():
        before = doc[i - 2]
        if before.text[-1:] not in ".!?:":
            continue
        quote = doc[i - 1]
        opening = quote.text in _OPENING_QUOTES or (
            quote.text in _AMBIGUOUS_QUOTES
            and not quote.whitespace_
            and before.whitespace_
        )
        if opening:
            starts[i - 1], starts[i] = _STARTS, _NOT_STARTS
            moved = True
    if moved:  # written at once: `Token.is_sent_start` looks through the whole doc each time
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    return doc


# A sentence start in `Doc.to_array`'s unsigned form: starts, does not start (-1), unknown.
_STARTS, _NOT_STARTS, _UNKNOWN = numpy.uint64(1), numpy.uint64(2**64 - 1), numpy.uint64(0)


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
        # first token opens none until the pipeline says so (written at once: setting
        # `Token.is_sent_start` looks through the whole doc each time).
        starts = doc.to_array(SENT_START)
        first = 0
        for part in parts[:-1]:
            first += len(part)
            if first < len(doc):
                starts[first] = _UNKNOWN
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
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
                nlp.add_pipe(SENTENCIZER, first=True)
                nlp.add_pipe(QUOTE_FIXER, after=SENTENCIZER)
            if not nlp.has_pipe("lemmatizer"):
                nlp.add_pipe(LEMMATIZER)
            return nlp
    nlp = spacy.blank(language)
    # Each new word form's attributes are worked out when spaCy first meets it, by a Python
    # function per attribute (its shape, whether it looks like a number, an e-mail address…).
    # The rule-based pipeline reads a few: the others are left unset.
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
    nlp.vocab.lex_attr_getters = {  # type: ignore[attr-defined]
        attr: getters[attr] for attr in _LEXEME_ATTRS if attr in getters}
    nlp.add_pipe(SENTENCIZER)
    nlp.add_pipe(QUOTE_FIXER)
    nlp.add_pipe(LEMMATIZER)
    return nlp


# What the rule-based pipeline and the Sentence values read of a word form: its lower-case form
# (and the norm spaCy gives with it), whether it is punctuation (the sentencizer's question too)
# or white space, whether it is alphabetic; and the language (what `Doc.lang_` says).
_LEXEME_ATTRS = (LOWER, NORM, IS_PUNCT, IS_SPACE, IS_ALPHA, LANG)


class Analyzer:
    """Holds one pipeline per language, built on first use."""

    def __init__(self, trained: Mapping[str, str | None] | None = None):
        self.trained = dict(trained or {})
        self._pipelines: dict[str, Language] = {}
        self._words: dict[str, WordTable] = {}

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
            # Our lemmatizer, last in the pipeline, is left out: the lemmas are looked up per word
            # form while the sentences are built, without a lemma written to every token.
            own_lemmas = nlp.pipe_names[-1:] == [LEMMATIZER]
            words = self._words.get(language)
            if words is None or words.own_lemmas != own_lemmas or words.vocab is not nlp.vocab:
                words = self._words[language] = WordTable(nlp.vocab, language, own_lemmas)
            docs = iter(nlp.pipe((piece for split in pieces for piece in split), batch_size=256,
                                 disable=[LEMMATIZER] if own_lemmas else []))
            # Each doc with its text: the text given is the doc's text (spaCy's tokenizer keeps
            # every character), which `Doc.text` would join up again token by token.
            parsed = iter([[(next(docs), piece) for piece in split] for split in pieces])
            for i, article in group:
                title = next(parsed)[0]
                results[i] = _assemble(article, title, [next(parsed) for _ in article.blocks],
                                       words)
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


class WordTable:
    """What a sentence takes from each word form of a pipeline's vocabulary, looked up once
    per form (by its ORTH hash): its length, whether it is white space, whether it is a word
    (not punctuation or white space), whether it has a letter, its lower-case form and, when
    our lemmatizer gives the lemmas, its lemma; the strings interned."""

    def __init__(self, vocab, language: str, own_lemmas: bool):
        self.vocab = vocab
        self.language = language
        self.own_lemmas = own_lemmas
        self.forms: dict[int, tuple] = {}
        self.lemmas: dict[int, str] = {}  # a trained pipeline's lemma, by its hash

    def entries(self, orths: list[int]) -> list[tuple]:
        forms = self.forms
        if len(forms) > FORMS_KEPT:
            forms.clear()
            self.lemmas.clear()
        get = forms.get
        return [get(orth) or self._add(orth) for orth in orths]

    def _add(self, orth: int) -> tuple:
        lexeme = self.vocab[orth]
        text = lexeme.orth_
        has_alpha = any(ch.isalpha() for ch in text)
        lemma = None
        if self.own_lemmas:  # as `simplemma_lemmatizer` sets it, read back as a trained one's
            lemma = sys.intern((rule_lemma(text, self.language) or text).lower())
        entry = self.forms[orth] = (len(text), lexeme.is_space,
                                    not (lexeme.is_punct or lexeme.is_space), has_alpha,
                                    sys.intern(lexeme.lower_), lemma, text)
        return entry

    def lemma(self, key: int, text: str) -> str:
        """A trained pipeline's lemma (by its hash, 0 for none) of a word, lower-cased."""
        if not key:
            return sys.intern(text.lower())
        lemma = self.lemmas.get(key)
        if lemma is None:
            lemma = self.lemmas[key] = sys.intern(self.vocab.strings[key].lower())
        return lemma


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Where each of `doc.sents` starts and ends, read from the doc's array of sentence
    starts as `Doc.sents` reads them, without a Token object for every token."""
    if "sents" in doc.user_hooks:
        return [(span.start, span.end) for span in doc.sents]
    starts = doc.to_array(SENT_START).tolist()
    if len(starts) > 1 and not any(starts[1:]):
        return [(span.start, span.end) for span in doc.sents]  # none set: spaCy says so
    cuts = [i for i, start in enumerate(starts) if start == 1 and i]
    return [(begin, end) for begin, end in zip([0, *cuts], [*cuts, len(starts)], strict=True)
            if begin < end]


# The fields of a `WordTable` entry.
_LENGTH, _SPACE_, _WORD, _ALPHA, _FORM, _LEMMA, _TEXT = range(7)


class _Tokens:
    """A doc's tokens as the sentences need them: read from its arrays, not as Token objects."""

    def __init__(self, doc: Doc, text: str, words: WordTable):
        self.text = text
        self.idx = doc.to_array(IDX).tolist()
        self.entries = words.entries(doc.to_array(ORTH).tolist())
        self.lemma_keys = None if words.own_lemmas else doc.to_array(LEMMA).tolist()
        self.words = words

    def sentence(self, start: int, end: int, index: int, block: int,
                 is_heading: bool) -> Sentence:
        """The sentence of tokens `start` to `end`, without leading and trailing white space."""
        entries, idx = self.entries, self.idx
        while start < end and entries[start][_SPACE_]:
            start += 1
        while end > start and entries[end - 1][_SPACE_]:
            end -= 1
        if start == end:
            return Sentence(index=index, block=block, text="", lemmas=(), forms=(), offsets=(),
                            words=0, is_heading=is_heading)
        first = idx[start]
        found = [i for i in range(start, end) if entries[i][_WORD]]
        if self.lemma_keys is None:
            lemmas = tuple([entries[i][_LEMMA] for i in found])
        else:
            keys, lemma = self.lemma_keys, self.words.lemma
            lemmas = tuple([lemma(keys[i], entries[i][_TEXT]) for i in found])
        return Sentence(
            index=index,
            block=block,
            text=self.text[first:idx[end - 1] + entries[end - 1][_LENGTH]],
            lemmas=lemmas,
            forms=tuple([entries[i][_FORM] for i in found]),
            offsets=tuple([idx[i] - first for i in found]),
            words=sum(1 for i in found if entries[i][_ALPHA]),
            is_heading=is_heading,
        )


def _assemble(
    article: CleanArticle, title: tuple[Doc, str], block_docs: list[list[tuple[Doc, str]]],
    words: WordTable,
) -> AnalyzedArticle:
    """The article's sentences from its title's doc and each block's docs (one per piece),
    each doc with its text."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    title_sentence = _Tokens(*title, words).sentence(0, len(title[0]), index=-1, block=-1,
                                                      is_heading=True)
    for block_index, (block, docs) in enumerate(zip(article.blocks, block_docs, strict=True)):
        for doc, text in docs:
            tokens = _Tokens(doc, text, words)
            bounds = [(0, len(doc))] if block.is_heading else _sentence_bounds(doc)
            for start, end in bounds:
                sentence = tokens.sentence(start, end, len(sentences), block_index,
                                           block.is_heading)
                # A sentence the article already said (scrapers repeat bodies) is said once;
                # white space around it does not count.
                key = squeeze(sentence.text)
                if not key or key in seen:
                    continue
                seen.add(key)
                sentences.append(sentence)
    return AnalyzedArticle(article=article, title=title_sentence, sentences=tuple(sentences))
