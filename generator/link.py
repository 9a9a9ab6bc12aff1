"""Link articles to each other: copies of one story, and related stories by content.

Two articles carry the same story when most of the word sequences of the shorter one stand in
the longer one too (the same wire text in two outlets, or one file saved twice). Related
stories are the most similar other stories by the cosine of their most telling lemmas (TF-IDF,
the names of people, places and organisations counting more), a shared theme adding a little.
Candidates come from an inverted index over those lemmas, so linking stays fast at thousands
of articles. `python bench/related.py` measures it against labelled stories.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import defaultdict
from collections.abc import Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

from .model import AnalyzedArticle
from .parallel import fork_map
from .summarize import STOP_WORDS, tfidf_weigher

RELATED_LIMIT = 5
# The lemmas that represent an article in the similarity index: its most telling ones.
INDEX_TERMS = 40
# Similarities below this are chance overlap, not a related story.
MIN_RELATED = 0.12
# Nor is one telling lemma in common (a name, a rare word): related stories share several.
MIN_SHARED_TERMS = 2
# A name (a capitalised word inside a sentence: a person, place, organisation) says more about
# which story an article tells than a common word does.
NAME_WEIGHT = 1.5
# Added to the similarity of two articles that share a theme: it decides between near equals.
SHARED_THEME_BONUS = 0.03
# Pairs above this cosine are checked for being the same story.
SAME_STORY_CANDIDATE = 0.5
SHINGLE = 5
# Share of the shorter article's word sequences that must stand in the longer one.
SAME_STORY_CONTAINMENT = 0.6
# A copy may be cut or padded by an outlet, but is not a small part of a longer article.
SAME_STORY_LENGTH = 0.4
# Lemmas in more articles than this share (and this floor) do not make two articles candidates.
COMMON_SHARE = 0.05
COMMON_FLOOR = 50
# Characters after which a capitalised word may begin a sentence (or a quote) of its own.
_SENTENCE_OPENERS = frozenset('.!?:;"“„\'‘«(')


@dataclass(frozen=True)
class Links:
    """What one article links to, by position in the list given to `link_articles`."""

    same_story: tuple[int, ...]
    related: tuple[int, ...]


def link_articles(
    articles: Sequence[AnalyzedArticle],
    idf: Mapping[str, float],
    limit: int = RELATED_LIMIT,
    themes: Sequence[Collection[str]] | None = None,
    vectors: Sequence[Mapping[str, float]] | None = None,
    copies: MutableMapping[tuple[str, str], bool] | None = None,
    jobs: int = 1,
) -> tuple[Links, ...]:
    """Same-story copies and up to `limit` related stories for each article.

    `themes`, when given, holds the slugs of each article's themes: a shared one raises the
    similarity of two articles that already share telling lemmas by `SHARED_THEME_BONUS`.
    `vectors` are the articles' `story_vector`s, when they are known already. `copies` keeps
    whether two articles (by their fingerprints) carry the same story, a question of their
    texts alone: what it holds is not asked again, and what is asked is added.
    """
    if vectors is None:
        vectors = [story_vector(a, idf) for a in articles]
    bonus = SHARED_THEME_BONUS if themes is not None else 0.0
    similar = _similarities(vectors, MIN_RELATED - bonus, jobs)
    shingles: dict[int, frozenset[int]] = {}

    def shingles_of(i: int) -> frozenset[int]:
        if i not in shingles:
            shingles[i] = word_shingles(articles[i])
        return shingles[i]

    def same_story(i: int, j: int) -> bool:
        known = (articles[i].fingerprint, articles[j].fingerprint)
        if copies is not None and all(known) and known in copies:
            return copies[known]
        a, b = shingles_of(i), shingles_of(j)
        answer = (min(len(a), len(b)) >= SAME_STORY_LENGTH * max(len(a), len(b))
                  and containment(a, b) >= SAME_STORY_CONTAINMENT)
        if copies is not None and all(known):
            copies[known] = answer
        return answer

    pairs = sorted(
        (-similarity, i, j)
        for i, neighbours in enumerate(similar)
        for j, similarity in neighbours.items()
        if j > i and similarity >= SAME_STORY_CANDIDATE
    )
    stories = _Stories(len(articles))
    for _, i, j in pairs:
        # Every copy must carry the story of every other: a round-up that holds two briefs
        # does not make the two briefs one story.
        if stories.find(i) != stories.find(j) and all(
            same_story(a, b) for a in stories.members(i) for b in stories.members(j)
        ):
            stories.join(i, j)

    if themes is not None:
        similar = _with_shared_themes(similar, [frozenset(t) for t in themes])
    links = []
    for i, neighbours in enumerate(similar):
        story = stories.find(i)
        story_copies = tuple(j for j in stories.members(i) if j != i)
        # One entry per other story: its most similar article stands for it.
        best: dict[int, tuple[float, int]] = {}
        for j, similarity in neighbours.items():
            other = stories.find(j)
            if other == story or similarity < MIN_RELATED:
                continue
            if other not in best or (-similarity, j) < (-best[other][0], best[other][1]):
                best[other] = (similarity, j)
        ranked = heapq.nsmallest(limit, best.values(), key=lambda s: (-s[0], s[1]))
        links.append(Links(same_story=story_copies, related=tuple(j for _, j in ranked)))
    return tuple(links)


def story_vector(analyzed: AnalyzedArticle, idf: Mapping[str, float]) -> dict[str, float]:
    """The article's most telling lemmas, TF-IDF weighted, names weighing `NAME_WEIGHT` times
    as much, with unit length."""
    stop_words: Collection[str] = STOP_WORDS.get(analyzed.article.language, frozenset())
    weigh = tfidf_weigher(stop_words, idf, sublinear=True)
    weights = weigh(lemma for s in (analyzed.title, *analyzed.sentences) for lemma in s.lemmas)
    for lemma in names(analyzed) & weights.keys():
        weights[lemma] *= NAME_WEIGHT
    top = heapq.nsmallest(INDEX_TERMS, weights.items(), key=lambda item: (-item[1], item[0]))
    norm = math.sqrt(sum(w * w for _, w in top))
    return {lemma: w / norm for lemma, w in top} if norm else {}


def names(analyzed: AnalyzedArticle) -> frozenset[str]:
    """The lemmas of the words the article capitalises inside a sentence: the names of people,
    places and organisations (`Antwerp`, `Peskov`, `GRU`; `Rusland`, `Kremlin`). The first
    word of a sentence or a quote says nothing, and neither does a headline, where English
    capitalises every word."""
    found = set()
    for sentence in analyzed.body_sentences:
        text = sentence.text
        for position, (lemma, offset) in enumerate(
                zip(sentence.lemmas, sentence.offsets, strict=True)):
            if position == 0 or not text[offset:offset + 1].isupper():
                continue
            before = offset - 1
            while before >= 0 and text[before].isspace():
                before -= 1
            if before >= 0 and text[before] not in _SENTENCE_OPENERS:
                found.add(lemma)
    return frozenset(found)


def word_shingles(analyzed: AnalyzedArticle) -> frozenset[int]:
    """Every run of five words of the article body, as stable numbers."""
    words = [form for sentence in analyzed.sentences for form in sentence.forms
             if any(ch.isalnum() for ch in form)]
    if len(words) < SHINGLE:
        return frozenset({zlib.crc32(" ".join(words).encode())}) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[k:k + SHINGLE]).encode())
        for k in range(len(words) - SHINGLE + 1)
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the smaller set that is also in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def _similarities(
    vectors: Sequence[Mapping[str, float]], floor: float = MIN_RELATED, jobs: int = 1
) -> list[dict[int, float]]:
    """For each vector, its cosine with every other vector it is related to (`floor` or more).

    Candidates share a lemma that is not among the most common ones: a lemma in a large share
    of all articles (`rusland` in a Russia digest) links everything to everything, and would
    make the comparison quadratic in the number of articles.
    """
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for lemma, weight in vector.items():
            postings[lemma].append((i, weight))
    common = max(COMMON_FLOOR, int(COMMON_SHARE * len(vectors)))

    def neighbours(i: int) -> dict[int, float]:
        vector = vectors[i]
        scores: defaultdict[int, float] = defaultdict(float)
        shared_common = []
        for lemma, weight in vector.items():
            if len(postings[lemma]) > common:
                shared_common.append((lemma, weight))
                continue
            for j, other in postings[lemma]:
                if j != i:
                    scores[j] += weight * other
        # The common lemmas still count towards the similarity of the candidates.
        for lemma, weight in shared_common:
            for j in scores:
                scores[j] += weight * vectors[j].get(lemma, 0.0)
        # Counted only for the few above the floor; an article of a single telling lemma can
        # share no more than that.
        return {
            j: score for j, score in sorted(scores.items()) if score >= floor
            and len(vector.keys() & vectors[j].keys())
            >= min(MIN_SHARED_TERMS, len(vector), len(vectors[j]))
        }

    return fork_map(neighbours, range(len(vectors)), jobs)


def _with_shared_themes(
    similar: Sequence[dict[int, float]], themes: Sequence[frozenset[str]]
) -> list[dict[int, float]]:
    """The similarities, raised where two articles share a theme."""
    return [
        {j: score + (SHARED_THEME_BONUS if themes[i] & themes[j] else 0.0)
         for j, score in neighbours.items()}
        for i, neighbours in enumerate(similar)
    ]


class _Stories:
    """Articles joined into stories (union-find), with the members of each story."""

    def __init__(self, size: int):
        self._parent = list(range(size))
        self._members = [[i] for i in range(size)]

    def find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def members(self, i: int) -> list[int]:
        """The articles of `i`'s story, in order."""
        return self._members[self.find(i)]

    def join(self, i: int, j: int) -> None:
        a, b = sorted((self.find(i), self.find(j)))
        if a != b:
            self._parent[b] = a
            self._members[a] = sorted(self._members[a] + self._members[b])
            self._members[b] = []
