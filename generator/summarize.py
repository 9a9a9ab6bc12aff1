"""Extractive summaries: the article's most telling sentences, kept in article order.

A sentence's score blends its position (news puts the point first), its centrality (lemma
overlap with the rest of the article, TF-IDF weighted) and its overlap with the title; quotes,
questions and very short or long sentences are marked down. Sentences are then picked by
maximal marginal relevance, so that the summary does not say the same thing twice.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP_WORDS

from .model import AnalyzedArticle, Sentence

STOP_WORDS = {"nl": NL_STOP_WORDS, "en": EN_STOP_WORDS}

POSITION_WEIGHT = 0.45
CENTRALITY_WEIGHT = 0.35
TITLE_WEIGHT = 0.20
REDUNDANCY_WEIGHT = 0.6  # how much similarity to a chosen sentence counts against a candidate
MIN_WORDS = 6
MAX_WORDS = 60

_OPENING = re.compile(r"^[\"'“‘„«(]?[A-ZÀ-Þ0-9]")
_ENDING = re.compile(r"[.!?…][\"'”’»)]*$")
# Sentences that open on a reference to something said before do not stand alone.
_DANGLING_STARTS = frozenset(
    "dat dit die deze hij zij ze het we wij daarin daarom daarmee toen this that these those "
    "he she it they we".split()
)
_QUOTE_CHARS = "\"“”„‘’«»'"


@dataclass(frozen=True)
class SummaryLength:
    """How long a summary is: a number of sentences, and optionally a cap on words."""

    sentences: int = 3
    words: int | None = None


def is_summary_candidate(sentence: Sentence) -> bool:
    """A whole sentence, not a heading, a fragment or a one-liner."""
    text = sentence.text.strip()
    return (
        not sentence.is_heading
        and MIN_WORDS <= sentence.words <= MAX_WORDS * 2
        and bool(_OPENING.match(text))
        and bool(_ENDING.search(text))
    )


def summarize(
    analyzed: AnalyzedArticle,
    length: SummaryLength = SummaryLength(),
    idf: Mapping[str, float] | None = None,
) -> tuple[Sentence, ...]:
    """The summary sentences of one article, in article order."""
    candidates = [s for s in analyzed.sentences if is_summary_candidate(s)]
    if not candidates:
        # A short article of fragments still gets its first sentences rather than nothing.
        body = [s for s in analyzed.sentences if not s.is_heading] or list(analyzed.sentences)
        candidates = body[: length.sentences]
    if len(candidates) <= length.sentences:
        return _within_words(tuple(candidates), length.words)
    stop_words: Collection[str] = STOP_WORDS.get(analyzed.article.language, frozenset())
    vectors = [_vector(s.lemmas, stop_words, idf) for s in candidates]
    title = _vector(analyzed.title.lemmas, stop_words, idf) \
        if analyzed.article.title_from_text else {}
    # Each sentence's centrality is measured against all the others: the total minus itself.
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    relevance = [
        sentence_score(sentence, rank, vector, _without(total, vector), title)
        for rank, (sentence, vector) in enumerate(zip(candidates, vectors, strict=True))
    ]
    chosen: list[int] = []
    while len(chosen) < length.sentences:
        best = max(
            (i for i in range(len(candidates)) if i not in chosen),
            key=lambda i: relevance[i] - REDUNDANCY_WEIGHT * max(
                (cosine(vectors[i], vectors[j]) for j in chosen), default=0.0
            ),
        )
        chosen.append(best)
    picked = tuple(candidates[i] for i in sorted(chosen))
    return _within_words(picked, length.words)


def sentence_score(
    sentence: Sentence,
    rank: int,
    vector: Mapping[str, float],
    others: Mapping[str, float],
    title: Mapping[str, float],
) -> float:
    """How much a sentence deserves a place in the summary, before redundancy."""
    score = (
        POSITION_WEIGHT * position_prior(rank)
        + CENTRALITY_WEIGHT * cosine(vector, others)
        + TITLE_WEIGHT * cosine(vector, title)
    )
    return score - style_penalty(sentence)


def _without(total: Mapping[str, float], vector: Mapping[str, float]) -> dict[str, float]:
    """The total of all sentence vectors less one of them, zero weights left out."""
    others = dict(total)
    for term, weight in vector.items():
        remaining = others[term] - weight
        if remaining > 1e-12:
            others[term] = remaining
        else:
            del others[term]
    return others


def position_prior(rank: int) -> float:
    """1 for the lead sentence, falling off with each sentence after it."""
    return 1.0 / (1.0 + 0.5 * rank)


def style_penalty(sentence: Sentence) -> float:
    """Questions, quotes and very short or very long sentences make weaker summary lines."""
    text = sentence.text.strip()
    penalty = 0.0
    if text.rstrip(_QUOTE_CHARS + ")").endswith("?"):
        penalty += 0.25
    if text[:1] in _QUOTE_CHARS:
        penalty += 0.12
    first = text.lstrip(_QUOTE_CHARS).split(" ", 1)[0].lower()
    if first in _DANGLING_STARTS:
        penalty += 0.15
    if _unbalanced_quotes(text):
        penalty += 0.15
    if sentence.words < 9:
        penalty += 0.1
    if sentence.words > MAX_WORDS:
        penalty += 0.1
    return penalty


def _unbalanced_quotes(text: str) -> bool:
    """A piece of a quotation cut off from its opening or its closing quote mark."""
    curly = text.count("“") + text.count("„") != text.count("”")
    single = text.count("‘") != text.count("’")
    straight = text.count('"') % 2 == 1
    # A straight apostrophe closing a quote: `… wenst', verklaarde …`
    apostrophes = len(re.findall(r"(?:^|\s)'", text)) != len(re.findall(r"'(?=[\s,.;:!?]|$)", text))
    return curly or single or straight or apostrophes


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _vector(
    lemmas: Sequence[str], stop_words, idf: Mapping[str, float] | None
) -> dict[str, float]:
    counts = Counter(
        lemma for lemma in lemmas if lemma not in stop_words and any(ch.isalpha() for ch in lemma)
    )
    if idf is None:
        return dict(counts)
    default = max(idf.values(), default=1.0)
    return {lemma: count * idf.get(lemma, default) for lemma, count in counts.items()}


def _within_words(sentences: tuple[Sentence, ...], limit: int | None) -> tuple[Sentence, ...]:
    """Drop sentences from the end until the word cap holds, keeping at least one."""
    if limit is None:
        return sentences
    kept = list(sentences)
    while len(kept) > 1 and sum(s.words for s in kept) > limit:
        kept.pop()
    return tuple(kept)


def document_frequencies(articles: Sequence[AnalyzedArticle]) -> dict[str, float]:
    """Inverse document frequency of each lemma over the whole collection."""
    df: Counter[str] = Counter()
    for article in articles:
        df.update({lemma for s in article.sentences for lemma in s.lemmas})
    n = len(articles)
    return {lemma: math.log((1 + n) / (1 + count)) + 1.0 for lemma, count in df.items()}
