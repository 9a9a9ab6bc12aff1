"""Link articles to each other: copies of one story, and related stories by content.

Two articles carry the same story when most of the word sequences of the shorter one stand in
the longer one too (the same wire text in two outlets, or one file saved twice). Related
stories are the most similar other stories by lemma TF-IDF cosine. Candidates come from an
inverted index over each article's most telling lemmas, so linking stays fast at thousands of
articles.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import AnalyzedArticle
from .summarize import STOP_WORDS, tfidf_weigher

RELATED_LIMIT = 5
# The lemmas that represent an article in the similarity index: its most telling ones.
INDEX_TERMS = 40
# Similarities below this are chance overlap, not a related story.
MIN_RELATED = 0.12
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


@dataclass(frozen=True)
class Links:
    """What one article links to, by position in the list given to `link_articles`."""

    same_story: tuple[int, ...]
    related: tuple[int, ...]


def link_articles(
    articles: Sequence[AnalyzedArticle],
    idf: Mapping[str, float],
    limit: int = RELATED_LIMIT,
) -> tuple[Links, ...]:
    """Same-story copies and up to `limit` related stories for each article."""
    vectors = [story_vector(a, idf) for a in articles]
    similar = _similarities(vectors)
    shingles: dict[int, frozenset[int]] = {}

    def shingles_of(i: int) -> frozenset[int]:
        if i not in shingles:
            shingles[i] = word_shingles(articles[i])
        return shingles[i]

    def same_story(i: int, j: int) -> bool:
        a, b = shingles_of(i), shingles_of(j)
        return (min(len(a), len(b)) >= SAME_STORY_LENGTH * max(len(a), len(b))
                and containment(a, b) >= SAME_STORY_CONTAINMENT)

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

    links = []
    for i, neighbours in enumerate(similar):
        story = stories.find(i)
        copies = tuple(j for j in stories.members(i) if j != i)
        # One entry per other story: its most similar article stands for it.
        best: dict[int, tuple[float, int]] = {}
        for j, similarity in neighbours.items():
            other = stories.find(j)
            if other == story:
                continue
            if other not in best or (-similarity, j) < (-best[other][0], best[other][1]):
                best[other] = (similarity, j)
        ranked = heapq.nsmallest(limit, best.values(), key=lambda s: (-s[0], s[1]))
        links.append(Links(same_story=copies, related=tuple(j for _, j in ranked)))
    return tuple(links)


def story_vector(analyzed: AnalyzedArticle, idf: Mapping[str, float]) -> dict[str, float]:
    """The article's most telling lemmas, TF-IDF weighted, with unit length."""
    weigh = tfidf_weigher(STOP_WORDS.get(analyzed.article.language, frozenset()), idf,
                          sublinear=True)
    weights = weigh(lemma for s in (analyzed.title, *analyzed.sentences) for lemma in s.lemmas)
    top = heapq.nsmallest(INDEX_TERMS, weights.items(), key=lambda item: (-item[1], item[0]))
    norm = math.sqrt(sum(w * w for _, w in top))
    return {lemma: w / norm for lemma, w in top} if norm else {}


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


def _similarities(vectors: Sequence[Mapping[str, float]]) -> list[dict[int, float]]:
    """For each vector, its cosine with every other vector it is related to.

    Candidates share a lemma that is not among the most common ones: a lemma in a large share
    of all articles (`rusland` in a Russia digest) links everything to everything, and would
    make the comparison quadratic in the number of articles.
    """
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for lemma, weight in vector.items():
            postings[lemma].append((i, weight))
    common = max(COMMON_FLOOR, int(COMMON_SHARE * len(vectors)))
    similar: list[dict[int, float]] = []
    for i, vector in enumerate(vectors):
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
        similar.append({j: score for j, score in sorted(scores.items()) if score >= MIN_RELATED})
    return similar


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
