"""Extractive summaries: the article's most telling sentences, kept in article order.

Bylines, datelines, credits and fragments are never candidates. A sentence's score is led by its
position (news puts the point first), then its centrality (lemma overlap with the rest of the
article, TF-IDF weighted) and its overlap with the article's own title; quotes, questions and
very short or long sentences are marked down. Sentences are then picked by maximal marginal
relevance, so that the summary does not say the same thing twice. `theme_digest` does the same
across the stories of a theme. Measured in docs/summaries.md (bench/summaries.py).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP_WORDS

from .model import AnalyzedArticle, DigestArticle, DigestLine, Sentence, squeeze

STOP_WORDS = {"nl": NL_STOP_WORDS, "en": EN_STOP_WORDS}

# News puts the point first: position dominates (Lead-3 is the baseline to beat), and
# centrality, the title and style decide between sentences near the top.
POSITION_WEIGHT = 2.0
POSITION_DECAY = 0.5
CENTRALITY_WEIGHT = 0.2
TITLE_WEIGHT = 0.2
SHORTLIST = 3  # MMR weighs this many sentences per sentence asked, the most relevant ones
SAME_SAYING = 0.8  # lemma cosine at which two sentences of a theme say the same thing
SAME_SAYING_SLACK = 0.1  # how much less relevant a newer article's line may be and still stand in
THEME_LEAD_WEIGHT = 0.3  # how much a digest line gains from leading its article's summary
THEME_SHORTLIST = 8  # a theme digest weighs this many sentences per line asked
UNSEEN = ""  # the key of `document_frequencies` that holds the weight of a lemma never seen
REDUNDANCY_WEIGHT = 0.6  # how much similarity to a chosen sentence counts against a candidate
MIN_WORDS = 6
# Style penalties, against a position prior that falls by 0.2 to 0.67 from one sentence to the next.
QUESTION_PENALTY = 0.25
QUOTE_PENALTY = 0.12  # opens on a quote mark
DANGLING_PENALTY = 0.15  # opens on a word that points back (`He …`, `Dat …`)
FRAGMENT_PENALTY = 0.15  # a piece of a quotation, cut off from its opening or closing mark
LENGTH_PENALTY = 0.1  # under 9 words or over MAX_WORDS
MAX_WORDS = 60

# A capital, after a quote mark or a list bullet or arrow (`→ Twee ooievaars …`) if any.
_OPENING = re.compile(r"^(?:[→•▶►-]\s*)?[\"'“‘„«(]?[A-ZÀ-Þ0-9]")
# A lead that opens on a lower-case section label or author handle (`verkeer fietsers De wethouder
# van …`, `weer - Een storm …`, `j.jansen Soms …`).
_LABELLED_LEAD = re.compile(r"^(?:[a-zà-ÿ][\w'.-]*\s+(?:[-–—]\s+)?){1,3}[A-ZÀ-Þ]")
_ENDING = re.compile(r"[.!?…][\"'”’»)]*$")
# Sentences that open on a reference to something said before do not stand alone.
_DANGLING_STARTS = frozenset(
    "dat dit die deze hij zij ze het we wij daarin daarom daarmee toen this that these those "
    "he she it they we".split()
)
# A lede that opens on a pronoun points at what it has not named yet (`They were not the first …`,
# `This bakery surely has …`): a teaser that holds the point back, not the point itself.
_TEASER_STARTS = {
    "en": frozenset("he she it they we this these that those".split()),
    "nl": frozenset("hij zij ze wij we".split()),
}
_QUOTE_CHARS = "\"“”„‘’«»'"
_QUESTION_END_CHARS = _QUOTE_CHARS + ")"  # what may stand after a question mark
# Bylines, datelines, credits and page furniture that scrapers leave in the text: what opens a
# sentence, the words that may stand anywhere in it, and two marks (`©`, `Home | Nieuws`).
# Apart, each test can skip ahead to a likely first character: one search that tried every
# alternative at every character took a third of the time of a summary.
_NOISE_OPENING = re.compile(
    r"\s*(?:By\s*\.|(?:Foto|Beeld|Photo|Image|Credit|Bron|Source|Lees ook|Read more)\s*:"
    r"|(?:Door|Van) onze (?:\w+ )?(?:redacteur|redactie|correspondent|verslaggever))",
    re.IGNORECASE,
)
_NOISE_WORDS = re.compile(
    r"(?=[pulsca])\b(?:PUBLISHED\s*:|UPDATED\s*:|Last updated\b|Scroll down for video\b"
    r"|click here\b|All rights reserved\b)",
    re.IGNORECASE,
)
_NOISE_SEPARATOR = re.compile(r"\s\|\s")


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
        and bool(_OPENING.match(text) or sentence.index == 0 and _LABELLED_LEAD.match(text))
        and bool(_ENDING.search(text))
    )


def is_noise(sentence: Sentence) -> bool:
    """A byline, dateline, credit or page furniture rather than news: never a summary line."""
    text = sentence.text
    return bool("©" in text or "|" in text and _NOISE_SEPARATOR.search(text)
                or _NOISE_OPENING.match(text) or _NOISE_WORDS.search(text))


def is_teaser_lead(sentence: Sentence, language: str) -> bool:
    """A lede that opens on a pronoun, before naming anything: a teaser, not a summary line."""
    first = sentence.text.strip().lstrip(_QUOTE_CHARS).split(" ", 1)[0].lower()
    return first in _TEASER_STARTS.get(language, frozenset())


def summarize(
    analyzed: AnalyzedArticle,
    length: SummaryLength = SummaryLength(),
    idf: Mapping[str, float] | None = None,
) -> tuple[Sentence, ...]:
    """The summary sentences of one article, in article order."""
    lede = next((s for s in analyzed.sentences if not s.is_heading), None)
    language = analyzed.article.language
    candidates = [s for s in analyzed.sentences if is_summary_candidate(s) and not is_noise(s)
                  and not (s is lede and is_teaser_lead(s, language))]
    if not candidates:
        # A short article of fragments still gets its first sentences rather than nothing.
        usable = [s for s in analyzed.sentences if not is_noise(s)] or list(analyzed.sentences)
        body = [s for s in usable if not s.is_heading] or usable
        candidates = body[: length.sentences]
    if len(candidates) <= length.sentences:
        return _within_words(tuple(candidates), length.words)
    stop_words: Collection[str] = STOP_WORDS.get(language, frozenset())
    weigh = tfidf_weigher(stop_words, idf)
    vectors = [weigh(s.lemmas) for s in candidates]
    norms = [_norm(vector) for vector in vectors]
    title = weigh(analyzed.title.lemmas) if analyzed.has_headline else {}
    title_norm = _norm(title)
    centrality = centralities(vectors)
    # The lead is what the summary keeps unless it has a reason not to: a lead sentence that
    # follows the one before it leans on a sentence the summary holds, so it does not dangle.
    in_lead = [rank < length.sentences and (rank == 0 or
               sentence.index == candidates[rank - 1].index + 1)
               for rank, sentence in enumerate(candidates)]
    relevance = [
        sentence_score(sentence, rank, central, _cosine(vector, title, norm, title_norm),
                       follows_lead)
        for rank, (sentence, vector, norm, central, follows_lead) in enumerate(
            zip(candidates, vectors, norms, centrality, in_lead, strict=True))
    ]
    # Redundancy is only weighed among the likeliest sentences, which keeps it cheap.
    shortlist = sorted(range(len(candidates)), key=lambda i: -relevance[i])
    chosen = pick_diverse(shortlist[: SHORTLIST * length.sentences], relevance, vectors,
                          length.sentences, norms=norms)
    # Over the word cap, the last picked (the least telling) go first; then article order.
    kept = _within_words(tuple(candidates[i] for i in chosen), length.words)
    return tuple(sorted(kept, key=lambda s: s.index))


def pick_diverse(
    shortlist: Sequence[int],
    relevance: Sequence[float],
    vectors: Sequence[Mapping[str, float]],
    count: int,
    chosen: Sequence[int] = (),
    same: float = math.inf,
    norms: Sequence[float] | None = None,
) -> list[int]:
    """Maximal marginal relevance: the next pick is relevant and unlike the ones before it.

    A candidate at cosine `same` or more with a pick (or with one already `chosen`) is left out.
    `norms` are the vectors' Euclidean norms, when already known.
    """
    if norms is None:
        norms = [_norm(vector) for vector in vectors]

    def similarity_to(i: int, j: int) -> float:
        return _cosine(vectors[i], vectors[j], norms[i], norms[j])

    picked = list(chosen)
    left = [i for i in shortlist if i not in picked]
    # Each candidate's highest cosine with a pick, brought up to date as the picks grow.
    similarity = {i: max((similarity_to(i, j) for j in picked), default=0.0) for i in left}
    while left and len(picked) < len(chosen) + count:
        left = [i for i in left if similarity[i] < same]
        if not left:
            break
        best = max(left, key=lambda i: relevance[i] - REDUNDANCY_WEIGHT * similarity[i])
        first = not picked
        picked.append(best)
        left.remove(best)
        for i in left:
            similarity[i] = (similarity_to(i, best) if first
                             else max(similarity[i], similarity_to(i, best)))
    return picked[len(chosen):]


def centralities(vectors: Sequence[Mapping[str, float]]) -> list[float]:
    """Each vector's cosine with the sum of all the others, from one total in linear time."""
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = weight + total.get(term, 0)
    total_norm2 = _norm2(total)
    scores = []
    for vector in vectors:
        norm2 = _norm2(vector)
        dot = _dot(vector, total)
        # |total - v|² = |total|² - 2 v·total + |v|²
        others2 = total_norm2 - 2 * dot + norm2
        inner = dot - norm2
        scores.append(inner / math.sqrt(norm2 * others2) if norm2 > 0 and others2 > 1e-12
                      and inner > 0 else 0.0)
    return scores


def sentence_score(
    sentence: Sentence, rank: int, centrality: float, title_similarity: float,
    in_lead: bool = False,
) -> float:
    """How much a sentence deserves a place in the summary, before redundancy.

    `in_lead`: the sentence is one of the article's opening run, each right after the one
    before, so a reference back to the sentence before it points at a summary line.
    """
    score = (
        POSITION_WEIGHT * position_prior(rank)
        + CENTRALITY_WEIGHT * centrality
        + TITLE_WEIGHT * title_similarity
    )
    return score - style_penalty(sentence, in_lead)


def position_prior(rank: int) -> float:
    """1 for the lead sentence, falling off with each sentence after it."""
    return 1.0 / (1.0 + POSITION_DECAY * rank)


def style_penalty(sentence: Sentence, follows_summary_line: bool = False) -> float:
    """Questions, quotes and very short or very long sentences make weaker summary lines.

    A sentence that opens on a reference back (`He …`, `Dat …`) is marked down too, unless it
    follows a sentence of the summary (`follows_summary_line`), which it then leans on.
    """
    text = sentence.text.strip()
    penalty = 0.0
    if text.rstrip(_QUESTION_END_CHARS).endswith("?"):
        penalty += QUESTION_PENALTY
    if text[:1] in _QUOTE_CHARS:
        penalty += QUOTE_PENALTY
    first = text.lstrip(_QUOTE_CHARS).split(" ", 1)[0].lower()
    if first in _DANGLING_STARTS and not follows_summary_line:
        penalty += DANGLING_PENALTY
    if _unbalanced_quotes(text):
        penalty += FRAGMENT_PENALTY
    if sentence.words < 9:
        penalty += LENGTH_PENALTY
    if sentence.words > MAX_WORDS:
        penalty += LENGTH_PENALTY
    return penalty


# An apostrophe inside a word (`don’t`, `We've`) is no quote mark.
_INNER_APOSTROPHE = re.compile(r"(?<=\w)[’'](?=\w)")
_SINGLE_OPENS = re.compile(r"‘|(?:^|[\s(\[])'")
_SINGLE_CLOSES = re.compile(r"’|'(?=[\s,.;:!?)\]]|$)")
# A plural possessive (`the Owls’ win`, `drivers' title`) looks like a closing quote mark.
_POSSESSIVE = re.compile(r"s[’'](?=[\s,.;:!?)\]]|$)")
# The marks that `_unbalanced_quotes` counts.
_QUOTE_MARKS = re.compile("[\"'‘’“”„]")


def _unbalanced_quotes(text: str) -> bool:
    """A piece of a quotation cut off from its opening or its closing quote mark."""
    if not _QUOTE_MARKS.search(text):
        return False  # as most sentences are: no quote mark to count
    curly = text.count("“") + text.count("„") != text.count("”")
    straight = text.count('"') % 2 == 1
    # Single quotes, curly or straight (`… wenst', verklaarde …`), less apostrophes.
    text = _INNER_APOSTROPHE.sub("", text)
    opens = len(_SINGLE_OPENS.findall(text))
    closes = len(_SINGLE_CLOSES.findall(text))
    if closes > opens:
        # Closing marks that no quote opened are possessives where they can be.
        closes -= min(closes - opens, len(_POSSESSIVE.findall(text)))
    return curly or straight or opens != closes


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two weighted term vectors: 1 for the same direction, 0 for nothing shared."""
    return _cosine(a, b, _norm(a), _norm(b))


def _cosine(a: Mapping[str, float], b: Mapping[str, float], norm_a: float, norm_b: float
            ) -> float:
    """`cosine`, with the vectors' Euclidean norms already known."""
    if not a or not b:
        return 0.0
    # The shorter vector's terms are looked up in the longer one.
    dot = _dot(b, a) if len(a) > len(b) else _dot(a, b)
    norm = norm_a * norm_b
    return dot / norm if norm else 0.0


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two term vectors, summed over `a`'s terms in their order."""
    return sum(map(operator.mul, a.values(), map(b.get, a.keys(), itertools.repeat(0.0))))


def _norm2(vector: Mapping[str, float]) -> float:
    """The squared Euclidean length of a term vector."""
    return sum(map(operator.mul, vector.values(), vector.values()))


def _norm(vector: Mapping[str, float]) -> float:
    """The Euclidean norm of a term vector."""
    return math.sqrt(_norm2(vector))


def tfidf_weigher(
    stop_words: Collection[str], idf: Mapping[str, float] | None, sublinear: bool = False
) -> Callable[[Iterable[str]], dict[str, float]]:
    """Turn lemmas into TF-IDF weights, stop words and numbers left out; `sublinear` counts a
    lemma said n times as 1 + log n (for whole articles, where repetition says less)."""
    # A lemma the collection never saw is as rare as a lemma can be.
    unseen = (idf.get(UNSEEN) or max(idf.values(), default=1.0)) if idf is not None else 1.0

    def weigh(lemmas: Iterable[str]) -> dict[str, float]:
        # Counted first, so that a lemma said twice is looked at once; most lemmas are all
        # letters, which `isalpha` tells without a look at each character.
        return {
            lemma: (1 + math.log(count) if sublinear else count)
            * (1.0 if idf is None else idf.get(lemma, unseen))
            for lemma, count in Counter(lemmas).items()
            if lemma not in stop_words
            and (lemma.isalpha() or any(ch.isalpha() for ch in lemma))
        }

    return weigh


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
        df.update(article.vocabulary)
    n = len(articles)
    idf = {lemma: math.log((1 + n) / (1 + count)) + 1.0 for lemma, count in df.items()}
    idf[UNSEEN] = math.log(1 + n) + 1.0
    return idf


def theme_digest(
    articles: Sequence[DigestArticle], idf: Mapping[str, float] | None, size: int = 5
) -> tuple[DigestLine, ...]:
    """The theme's most central sentences that say different things, newest article first.

    `articles` are the theme's stories newest first, one article each. The candidates are their
    summary sentences; each is scored by its cosine with all the others together (linear in
    their number) less its style penalty, and the lines are picked by maximal marginal relevance
    from a shortlist of the best scored. A sentence two articles share is taken once, and of two
    that say the same thing the newer article's is kept. The lines are in article order (newest
    first), and in sentence order within an article.
    """
    lines: list[DigestLine] = []
    rank_of: list[int] = []  # the article's place in `articles`, 0 for the newest
    place_of: list[int] = []  # the sentence's place in its article's summary
    seen: set[str] = set()
    for rank, article in enumerate(articles):
        for place, sentence in enumerate(article.summary):
            key = squeeze(sentence.text)
            # Wire copy: the same sentence in two articles is one candidate, the newer one.
            if key and key not in seen:
                seen.add(key)
                lines.append(DigestLine(article.slug, sentence))
                rank_of.append(rank)
                place_of.append(place)
    if len(lines) <= size:
        return tuple(lines)
    weighers = {
        language: tfidf_weigher(STOP_WORDS.get(language, frozenset()), idf)
        for language in {a.article.language for a in articles}
    }
    language_of = {a.slug: a.article.language for a in articles}
    vectors = [weighers[language_of[line.slug]](line.sentence.lemmas) for line in lines]
    # Out of its article a line must stand alone: style counts against it as in a summary.
    # A story's lead tells it best: the first summary sentence of each article gets a head start.
    relevance = [
        c + THEME_LEAD_WEIGHT * position_prior(place) - style_penalty(line.sentence)
        for c, place, line in zip(centralities(vectors), place_of, lines, strict=True)
    ]
    # Most relevant first; between equals, the newer article.
    ranked = sorted(range(len(lines)), key=lambda i: (-relevance[i], rank_of[i], i))
    chosen: list[int] = []
    start = 0
    while len(chosen) < size and start < len(ranked):
        shortlist = ranked[start: start + THEME_SHORTLIST * size]
        start += len(shortlist)
        # Of two sentences that say the same thing, the newer article's stands for both.
        shortlist = list(dict.fromkeys(
            _newest_saying(i, vectors, rank_of, relevance) for i in shortlist
        ))
        chosen += pick_diverse(shortlist, relevance, vectors, size - len(chosen), chosen,
                               same=SAME_SAYING)
    return tuple(lines[i] for i in sorted(chosen))


def _newest_saying(
    i: int,
    vectors: Sequence[Mapping[str, float]],
    rank_of: Sequence[int],
    relevance: Sequence[float],
) -> int:
    """A candidate of a newer article that says what candidate `i` says about as well, or `i`."""
    return next((
        j for j in range(i)
        if rank_of[j] < rank_of[i] and relevance[j] >= relevance[i] - SAME_SAYING_SLACK
        and cosine(vectors[i], vectors[j]) >= SAME_SAYING
    ), i)
