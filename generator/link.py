"""Link articles to each other: copies of one story, and related stories by content.

Two articles carry the same story when most of the word sequences of the shorter one stand in
the longer one too (the same wire text in two outlets, or one file saved twice). Related
stories are the most similar other stories by the cosine of their most telling lemmas (TF-IDF,
the names of people, places and organisations counting more), a shared theme adding a little.
Candidates come from an inverted index over those lemmas, so linking stays fast at thousands
of articles; a rebuild computes the similarities of the articles that changed only, the others
kept from the build before. `python bench/related.py` measures it against labelled stories,
`python bench/similarity.py` the time of a rebuild.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from .model import AnalyzedArticle, sentences_for_now
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
# Above this share of changed articles a rebuild computes every similarity anew, in `jobs`
# processes: each changed one costs one to two rows of the full computation.
REBUILD_SHARE = 0.25
# Two sums of the same products in another order differ by far less than this (they hold at
# most 2 * INDEX_TERMS products of weights of unit vectors).
_ORDER_SLACK = 1e-9
# The way the similarities a memo keeps were computed; a memo of another is not used.
_MEMO_VERSION = 1
# Characters after which a capitalised word may begin a sentence (or a quote) of its own.
_SENTENCE_OPENERS = frozenset('.!?:;"“„\'‘«(')
# A word of a text holds a letter or a digit (`[^\W_]` is what `str.isalnum` accepts).
_WORD = re.compile(r"[^\W_]")


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
    copies: MutableMapping[tuple[str, str], bool | None] | None = None,
    jobs: int = 1,
    similar: MutableMapping[str, Any] | None = None,
) -> tuple[Links, ...]:
    """Same-story copies and up to `limit` related stories for each article.

    `themes`, when given, holds the slugs of each article's themes: a shared one raises the
    similarity of two articles that already share telling lemmas by `SHARED_THEME_BONUS`.
    `vectors` are the articles' `story_vector`s, when they are known already. `copies` keeps
    whether two articles (by their fingerprints) carry the same story, a question of their
    texts alone: what it holds is not asked again, and what is asked is added (a candidate
    pair that did not need asking, as None: its texts are not made ready for it). `similar`
    keeps the similarities of the articles between builds (see `_similarities`): what the
    build before left in it is used where the articles did not change, and it is then
    replaced with this build's.
    """
    if vectors is None:
        vectors = [story_vector(a, idf) for a in articles]
    bonus = SHARED_THEME_BONUS if themes is not None else 0.0
    neighbourhoods = _similarities(vectors, MIN_RELATED - bonus, jobs,
                                   [a.fingerprint for a in articles], similar)
    # Each article's shingles (`_shingle_array`), made once.
    shingles: dict[int, np.ndarray] = {}

    def shingles_of(i: int) -> np.ndarray:
        if i not in shingles:
            shingles[i] = _shingle_array(articles[i])
        return shingles[i]

    def pair(i: int, j: int) -> tuple[str, str] | None:
        """How `copies` knows two articles: by their fingerprints, when both have one."""
        key = (articles[i].fingerprint, articles[j].fingerprint)
        return key if copies is not None and all(key) else None

    def same_story(i: int, j: int) -> bool:
        key = pair(i, j)
        found = copies.get(key) if copies is not None and key else None
        if found is not None:
            return found
        a, b = shingles_of(i), shingles_of(j)
        answer = (min(a.size, b.size) >= SAME_STORY_LENGTH * max(a.size, b.size)
                  and containment(a, b) >= SAME_STORY_CONTAINMENT)
        if copies is not None and key:
            copies[key] = answer
        return answer

    pairs = sorted(
        (-similarity, i, j)
        for i, neighbours in enumerate(neighbourhoods)
        for j, similarity in neighbours.items()
        if j > i and similarity >= SAME_STORY_CANDIDATE
    )
    # The texts of the candidates the build before did not look at, compared by `jobs`
    # processes (the others, when asked for, here).
    compared = sorted({k for _, i, j in pairs
                       if copies is None or (key := pair(i, j)) is None or key not in copies
                       for k in (i, j)})
    shingles.update(zip(compared, fork_map(lambda k: _shingle_array(articles[k]), compared,
                                           jobs, here=False), strict=True))
    stories = _Stories(len(articles))
    for _, i, j in pairs:
        # Every copy must carry the story of every other: a round-up that holds two briefs
        # does not make the two briefs one story.
        if stories.find(i) != stories.find(j) and all(
            same_story(a, b) for a in stories.members(i) for b in stories.members(j)
        ):
            stories.join(i, j)
    if copies is not None:  # a candidate not asked about is not looked at next time either
        for _, i, j in pairs:
            if (key := pair(i, j)) is not None:
                copies.setdefault(key, None)

    if themes is not None:
        neighbourhoods = _with_shared_themes(neighbourhoods, [frozenset(t) for t in themes])
    links = []
    story_of = [stories.find(i) for i in range(len(articles))]
    for i, neighbours in enumerate(neighbourhoods):
        story = story_of[i]
        story_copies = tuple(j for j in stories.members(i) if j != i)
        # One entry per other story: its most similar article stands for it.
        best: dict[int, tuple[float, int]] = {}
        for j, similarity in neighbours.items():
            other = story_of[j]
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
    """Every run of five words of the article body, as numbers: the hashes of the words, which
    are the same in this process and its forks only (nothing keeps them)."""
    words = list(filter(_WORD.search, chain.from_iterable([s.forms for s in analyzed.sentences])))
    if len(words) < SHINGLE:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(map(hash, zip(*(words[k:] for k in range(SHINGLE)), strict=False)))


def _shingle_array(analyzed: AnalyzedArticle) -> np.ndarray:
    """`word_shingles` as a sorted array: a tenth of the memory of a set of Python numbers,
    which at ten thousand articles would be hundreds of megabytes. The sentences unpickled for
    it are let go again."""
    with sentences_for_now(analyzed):
        found = word_shingles(analyzed)
    return np.sort(np.fromiter(found, dtype=np.int64, count=len(found)))


def containment(a: Collection[int] | np.ndarray, b: Collection[int] | np.ndarray) -> float:
    """The share of the smaller set of numbers (each number once) that is also in the larger
    one."""
    small, large = sorted((_numbers(a), _numbers(b)), key=len)
    if not small.size:
        return 0.0
    return np.intersect1d(small, large, assume_unique=True).size / small.size


def _numbers(values: Collection[int] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    return np.fromiter(values, dtype=np.int64, count=len(values))


def _similarities(
    vectors: Sequence[Mapping[str, float]],
    floor: float = MIN_RELATED,
    jobs: int = 1,
    fingerprints: Sequence[str] = (),
    memo: MutableMapping[str, Any] | None = None,
) -> list[dict[int, float]]:
    """For each vector, its cosine with every other vector it is related to (`floor` or more),
    by position, in order.

    Candidates share a lemma that is not among the most common ones: a lemma in a large share
    of all articles (`rusland` in a Russia digest) links everything to everything, and would
    make the comparison quadratic in the number of articles.

    `memo` holds what the build before computed, by the articles' `fingerprints` (an article
    without one is never taken from it), and is replaced with what this one computed:
    `method` (this code's version and settings), `floor`, `common` (the common lemmas),
    `fingerprints` (the article at each position), `vectors` (the vector each was compared
    by; None for an article without a fingerprint) and `rows` (the result). With the same
    method, floor and common lemmas, only the rows of the articles that are new or whose
    vector changed are computed, and those of their candidates amended: the result is the
    same to the last bit as computing them all.
    """
    counts = Counter(chain.from_iterable(vectors))
    threshold = max(COMMON_FLOOR, int(COMMON_SHARE * len(vectors)))
    common = frozenset(lemma for lemma, count in counts.items() if count > threshold)
    fingerprints = fingerprints or [""] * len(vectors)
    rows = _amended(vectors, floor, common, fingerprints, memo, jobs)
    if rows is None:
        index = _Postings(vectors, common)
        rows = fork_map(lambda i: index.row(i, floor), range(len(vectors)), jobs)
    if memo is not None:
        memo.clear()
        memo.update(
            method=(_MEMO_VERSION, MIN_SHARED_TERMS),
            floor=floor,
            common=common,
            fingerprints=tuple(fingerprints),
            vectors=tuple(v if f else None for f, v in zip(fingerprints, vectors, strict=True)),
            rows=tuple(rows),
        )
    return rows


def _amended(
    vectors: Sequence[Mapping[str, float]],
    floor: float,
    common: frozenset[str],
    fingerprints: Sequence[str],
    memo: Mapping[str, Any] | None,
    jobs: int,
) -> list[dict[int, float]] | None:
    """The rows of `_similarities` from the memo's, computed anew for the changed articles
    only; None when the memo cannot be used or too many articles changed."""
    # The number of articles matters only through the lemmas it makes common: with the same
    # ones, every kept article has the same candidates among the kept ones, and the same sums.
    if (not memo or memo.get("method") != (_MEMO_VERSION, MIN_SHARED_TERMS)
            or memo.get("floor") != floor or memo.get("common") != common):
        return None
    old_fingerprints, old_vectors, old_rows = memo["fingerprints"], memo["vectors"], memo["rows"]
    if not len(old_fingerprints) == len(old_vectors) == len(old_rows):
        return None
    # Where each article of the build before is now (-1: gone, or changed).
    moved = [-1] * len(old_fingerprints)
    unmoved = True
    was = {fingerprint: k for k, fingerprint in enumerate(old_fingerprints) if fingerprint}
    changed = []
    for i, (fingerprint, vector) in enumerate(zip(fingerprints, vectors, strict=True)):
        k = was.pop(fingerprint, None) if fingerprint else None
        # The same lemmas in the same order with the same weights: the same sums.
        if k is None or not (old_vectors[k] is vector
                             or list(old_vectors[k].items()) == list(vector.items())):
            changed.append(i)
        else:
            moved[k] = i
            unmoved = unmoved and k == i
    if len(changed) > REBUILD_SHARE * len(vectors):
        return None

    # The candidates of the changed articles, by the lemmas that make them candidates.
    wanted = {lemma for i in changed for lemma in vectors[i] if lemma not in common}
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors if wanted else ()):
        for lemma in vector.keys() & wanted:
            postings[lemma].append((i, vector[lemma]))
    # Every position is filled below: a changed article's row here, a kept one's after.
    rows: list[dict[int, float]] = [{}] * len(vectors)
    is_changed = set(changed)

    def amend(j: int) -> tuple[dict[int, float], list[tuple[int, float]]]:
        """The changed article's row, and its similarity to the kept articles related to it."""
        scores = _scores(j, vectors, postings, common)
        related = []
        # A kept article's similarity to a changed one is summed in its own order, as its row
        # was: the sum in the changed one's order may differ in the last bit, but not by more
        # than the slack.
        for i, score in scores.items():
            if score >= floor - _ORDER_SLACK and i not in is_changed:
                exact = _pair_score(vectors[i], vectors[j], common)
                if exact >= floor and _share_enough(vectors[i], vectors[j]):
                    related.append((i, exact))
        return _kept(j, scores, vectors, floor), related

    added: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for j, (row, related) in zip(changed, fork_map(amend, changed, jobs), strict=True):
        rows[j] = row
        for i, score in related:
            added[i][j] = score
    gone = {k for k, i in enumerate(moved) if i < 0}
    for k, i in enumerate(moved):
        if i < 0:
            continue
        row = old_rows[k]
        if unmoved and i not in added and row.keys().isdisjoint(gone):
            rows[i] = row
            continue
        kept = [(moved[m], score) for m, score in row.items() if moved[m] >= 0]
        rows[i] = dict(sorted(kept + list(added.get(i, {}).items())))
    return rows


def _scores(
    i: int,
    vectors: Sequence[Mapping[str, float]],
    postings: Mapping[str, Sequence[tuple[int, float]]],
    common: frozenset[str],
) -> defaultdict[int, float]:
    """The dot product of vector `i` with each of its candidates (the vectors that share a
    lemma with it that is not common), summed over its lemmas in its order, the common ones
    last; `postings` holds the (position, weight) of every vector with each lemma of `i`'s
    that is not common."""
    vector = vectors[i]
    scores: defaultdict[int, float] = defaultdict(float)
    shared_common = []
    for lemma, weight in vector.items():
        if lemma in common:
            shared_common.append((lemma, weight))
            continue
        for j, other in postings[lemma]:
            if j != i:
                scores[j] += weight * other
    # The common lemmas still count towards the similarity of the candidates.
    for lemma, weight in shared_common:
        for j in scores:
            scores[j] += weight * vectors[j].get(lemma, 0.0)
    return scores


class _Postings:
    """`_kept(i, _scores(i, ...))` for every vector, by arrays: the same candidates, each sum
    made of the same products added in the same order, so the same to the last bit (numpy
    multiplies and adds each element as Python does two floats), in a seventh of the time."""

    def __init__(self, vectors: Sequence[Mapping[str, float]], common: frozenset[str]):
        self.vectors = vectors
        self.common = common
        found: defaultdict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, vector in enumerate(vectors):
            for lemma, weight in vector.items():
                positions, weights = found[lemma]
                positions.append(i)
                weights.append(weight)
        # Per lemma that is not common, the positions of the vectors with it, and its weight
        # in each; per common lemma, its weight in every vector (0.0 where it is not).
        self.postings = {lemma: (np.array(positions, dtype=np.intp), np.array(weights))
                         for lemma, (positions, weights) in found.items() if lemma not in common}
        self.dense: dict[str, np.ndarray] = {}
        self.present: dict[str, np.ndarray] = {}
        for lemma in common & found.keys():
            self.dense[lemma] = column = np.zeros(len(vectors))
            column[found[lemma][0]] = found[lemma][1]
            self.present[lemma] = present = np.zeros(len(vectors), dtype=np.intp)
            present[found[lemma][0]] = 1
        self.lengths = np.array([len(vector) for vector in vectors], dtype=np.intp)

    def row(self, i: int, floor: float) -> dict[int, float]:
        vector = self.vectors[i]
        telling = [(lemma, weight) for lemma, weight in vector.items()
                   if lemma not in self.common]
        if not telling:
            return {}
        found = [self.postings[lemma] for lemma, _ in telling]
        positions = np.concatenate([positions for positions, _ in found])
        # Each product, lemma after lemma; `bincount` adds them up in that order.
        products = np.repeat([weight for _, weight in telling],
                             [len(positions) for positions, _ in found])
        products *= np.concatenate([weights for _, weights in found])
        scores: np.ndarray = np.bincount(positions, weights=products,
                                         minlength=len(self.vectors))
        shared = np.bincount(positions, minlength=len(self.vectors))  # lemmas in common
        shared[i] = 0  # not a candidate of itself
        candidates = np.flatnonzero(shared)
        for lemma, weight in vector.items():
            if lemma in self.common:
                scores[candidates] += weight * self.dense[lemma][candidates]
                shared[candidates] += self.present[lemma][candidates]
        above = candidates[scores[candidates] >= floor]
        # Those that share enough lemmas (`_share_enough`), as counted above.
        enough = above[shared[above] >= np.minimum(min(MIN_SHARED_TERMS, len(vector)),
                                                   self.lengths[above])]
        return dict(zip(enough.tolist(), scores[enough].tolist(), strict=True))


def _pair_score(
    vector: Mapping[str, float], other: Mapping[str, float], common: frozenset[str]
) -> float:
    """`_scores` of `vector` for one candidate `other`, summed in the same order."""
    score = 0.0
    for lemma, weight in vector.items():
        if lemma not in common and lemma in other:
            score += weight * other[lemma]
    for lemma, weight in vector.items():
        if lemma in common:
            score += weight * other.get(lemma, 0.0)
    return score


def _kept(
    i: int, scores: Mapping[int, float], vectors: Sequence[Mapping[str, float]], floor: float
) -> dict[int, float]:
    """The candidates of vector `i` that are related to it, by position."""
    # The shared lemmas are counted only for the few above the floor.
    return {j: score for j, score in sorted(scores.items())
            if score >= floor and _share_enough(vectors[i], vectors[j])}


def _share_enough(vector: Mapping[str, float], other: Mapping[str, float]) -> bool:
    """Whether two vectors share enough lemmas to be related (an article of a single telling
    lemma can share no more than that)."""
    return len(vector.keys() & other.keys()) >= min(MIN_SHARED_TERMS, len(vector), len(other))


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
