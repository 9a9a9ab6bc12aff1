"""The similarity of stories in a rebuild beside a build from nothing:
`python bench/similarity.py ANALYZED [--jobs N]`.

ANALYZED is a pickled list of `AnalyzedArticle` made by this project's code (a large digest's
articles, e.g. ten thousand; none ships with the project: `python bench/snapshot.py` makes one
from a JSONL set). The word weights and the story
vectors are computed from them as a build does, then `link_articles` is timed:

- **from nothing**: an empty memo of similarities and of copies, as a first build;
- **nothing changed**: the memos the first build left, and the same vectors, which come back
  from the result cache as one pickle with the memo (so they are the very objects it holds);
- **one changed**: one article's vector changed (its weights nudged, its lemmas the same),
  the other vectors as before;
- **one edited**: one article's last sentence taken out, the word weights of the collection
  computed again and with them every vector: the vectors of the other articles with one of
  the words whose weight changed change too, as in a build.

Each row shows the time beside that of the same input without the similarity memo, and
whether the links and the memo are those of a computation from nothing. Then the time of
`word_shingles` for every article beside the way they were made before (crc32 of the joined
words), and whether both answer every same-story question of the digest alike.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import link  # noqa: E402
from generator.link import link_articles, story_vector, word_shingles  # noqa: E402
from generator.model import AnalyzedArticle  # noqa: E402
from generator.summarize import document_frequencies  # noqa: E402


def crc32_shingles(analyzed: AnalyzedArticle) -> frozenset[int]:
    """`word_shingles` as it was: the crc32 of each run of words joined by spaces."""
    words = [form for sentence in analyzed.sentences for form in sentence.forms
             if any(ch.isalnum() for ch in form)]
    if len(words) < link.SHINGLE:
        return frozenset({zlib.crc32(" ".join(words).encode())}) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[k:k + link.SHINGLE]).encode())
        for k in range(len(words) - link.SHINGLE + 1)
    )


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = run()
    return value, time.perf_counter() - start


def nudged(vector: dict[str, float]) -> dict[str, float]:
    """The vector with its first weight a little larger, again of unit length."""
    weights = list(vector.values())
    weights[0] *= 1.05
    norm = math.sqrt(sum(w * w for w in weights))
    return {lemma: w / norm for lemma, w in zip(vector, weights, strict=True)}


def same_rows(a: Any, b: Any) -> bool:
    """Whether two memos hold the same values, their rows in the same order."""
    return a.keys() == b.keys() and all(
        [list(row.items()) for row in a[key]] == [list(row.items()) for row in b[key]]
        if key == "rows" else a[key] == b[key] for key in a)


def same_story_answers(articles: Sequence[AnalyzedArticle], idf: dict[str, float],
                       vectors: list[dict[str, float]], jobs: int) -> tuple[int, int]:
    """How many same-story questions the digest asks, and how many the two kinds of
    shingles answer differently."""
    similar = link._similarities(vectors, link.MIN_RELATED - link.SHARED_THEME_BONUS, jobs)
    pairs = [(i, j) for i, row in enumerate(similar) for j, score in row.items()
             if j > i and score >= link.SAME_STORY_CANDIDATE]
    differ = 0
    old: dict[int, frozenset[int]] = {}
    new: dict[int, frozenset[int]] = {}
    for i, j in pairs:
        answers = []
        for made, make in ((old, crc32_shingles), (new, word_shingles)):
            for k in (i, j):
                if k not in made:
                    made[k] = make(articles[k])
            a, b = made[i], made[j]
            answers.append(min(len(a), len(b)) >= link.SAME_STORY_LENGTH * max(len(a), len(b))
                           and link.containment(a, b) >= link.SAME_STORY_CONTAINMENT)
        differ += answers[0] != answers[1]
    return len(pairs), differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("analyzed", type=Path, help="a pickled list of AnalyzedArticle")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args()
    with args.analyzed.open("rb") as file:
        articles: list[AnalyzedArticle] = pickle.load(file)  # noqa: S301 (a file of our own)
    idf = document_frequencies(articles)
    vectors, vector_time = timed(lambda: [story_vector(a, idf) for a in articles])
    themes: list[list[str]] = [[] for _ in articles]  # as a build, the floor lowered for them
    print(f"{len(articles):,} articles; story vectors {vector_time:.2f} s; jobs {args.jobs}")

    def linked(vectors: list[dict[str, float]], similar: dict | None, copies: dict,
               edition: Sequence[AnalyzedArticle] = articles,
               ) -> tuple[tuple[link.Links, ...], float]:
        return timed(lambda: link_articles(edition, idf, themes=themes, vectors=vectors,
                                           copies=copies, jobs=args.jobs, similar=similar))

    first: dict[str, Any] = {}
    copies: dict[tuple[str, str], bool] = {}
    _, full_time = linked(vectors, first, copies)
    # What the next build reads back from the result cache: one pickle of both.
    (kept_vectors, kept_memo), load_time = timed(
        lambda: pickle.loads(pickle.dumps((vectors, first), protocol=pickle.HIGHEST_PROTOCOL)))
    # The vectors it holds are the result cache's own: pickled with them, they are stored once.
    size = (len(pickle.dumps((vectors, first), protocol=pickle.HIGHEST_PROTOCOL))
            - len(pickle.dumps(vectors, protocol=pickle.HIGHEST_PROTOCOL)))
    middle = len(articles) // 2
    changed = list(kept_vectors)
    changed[middle] = nudged(changed[middle])
    edited = list(articles)
    edited[middle] = replace(articles[middle], sentences=articles[middle].sentences[:-1],
                             fingerprint=articles[middle].fingerprint + " edited")
    reweighed = document_frequencies(edited)
    edited_vectors = [
        kept if kept == vector else vector
        for kept, vector in zip(kept_vectors, (story_vector(a, reweighed) for a in edited),
                                strict=True)
    ]
    edited_count = sum(a is not b for a, b in zip(kept_vectors, edited_vectors, strict=True))

    print()
    print(f"{'link_articles':<28} {'no memo':>9} {'memo':>9}  identical to from nothing")
    print(f"{'from nothing':<28} {full_time:>8.2f}s {'':>9}  -")
    for name, input_vectors, edition in (
            ("nothing changed", kept_vectors, articles),
            ("one changed", changed, articles),
            (f"one edited ({edited_count} vectors)", edited_vectors, edited)):
        memo = dict(kept_memo)
        links, memo_time = linked(input_vectors, memo, dict(copies), edition)
        fresh: dict[str, Any] = {}
        fresh_links, fresh_time = linked(input_vectors, fresh, dict(copies), edition)
        identical = links == fresh_links and same_rows(memo, fresh)
        print(f"{name:<28} {fresh_time:>8.2f}s {memo_time:>8.2f}s  {identical}")
    print(f"the memo adds {size / 1e6:.1f} MB to a pickle of the vectors; both are unpickled "
          f"in {load_time:.2f} s")

    print()
    # The shingles are counted, not kept: ten thousand sets of each would weigh on the other.
    old_count, old_time = timed(lambda: [len(crc32_shingles(a)) for a in articles])
    new_count, new_time = timed(lambda: [len(word_shingles(a)) for a in articles])
    sizes = sum(a != b for a, b in zip(old_count, new_count, strict=True))
    asked, differ = same_story_answers(articles, idf, vectors, args.jobs)
    print(f"{'word_shingles, every article':<28} {'crc32':>9} {'hash':>9}")
    print(f"{'':<28} {old_time:>8.2f}s {new_time:>8.2f}s")
    print(f"articles with another number of shingles: {sizes}; same-story questions {asked:,}, "
          f"answered otherwise {differ}")


if __name__ == "__main__":
    main()
