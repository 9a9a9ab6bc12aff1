"""The search index rebuilt with its memo: `python bench/search_index.py DIGEST.pickle`.

DIGEST.pickle holds `(config, digest)` as pickled by a build (a `DigestConfig` and a
`Digest`; `python bench/snapshot.py` makes one from a JSONL set). Each case builds the index
(`generator.search.search_files`, the site's listing pages,
html addresses, the config's part size) twice side by side: from nothing, and with the memo the
build before it left, taken through pickle as a build keeps it between runs. Cases, in order,
each starting from the memo of the case before:

- from nothing: an empty memo (the time to fill it);
- nothing changed;
- one article's text changed (the middle one, newest first, a sentence added);
- one article added (the newest of all: every other document's id moves by one);
- one article deleted (the middle one: the ids after it move back by one).

Each row gives both times, the least of `--runs` builds, in CPU seconds (the process's own
time, which other work on a shared machine disturbs less) and on the wall clock; the documents
read again (those whose entry was not in the memo) and whether the files are identical, byte
for byte, to the build from nothing. A last line gives the memo's size pickled and the time to
pickle and unpickle it (a build that keeps the memo in a file pays both).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.model import Block, Digest, DigestArticle, PublishedDate  # noqa: E402
from generator.search import html_url, listing_pages, search_files  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("digest", type=Path, help="a pickled (config, digest)")
    parser.add_argument("--runs", type=int, default=3, help="builds per figure, the best kept")
    args = parser.parse_args(argv)
    with args.digest.open("rb") as stream:
        config, digest = pickle.load(stream)
    part_bytes = config.search_part_kb * 1024

    print(f"{len(digest.articles):,} articles, parts of {part_bytes:,} bytes\n")
    print("| case | from nothing: CPU (s) | wall (s) | with the memo: CPU (s) | wall (s) "
          "| documents read | identical |")
    print("|---|---:|---:|---:|---:|---:|---|")
    memo: dict[str, Any] = {}
    for case, edited in cases(digest):
        expected, _, nothing_times = timed(args.runs, edited, None, part_bytes)
        before = set(memo.get("documents", ()))
        files, memo, memo_times = timed(args.runs, edited, pickle.dumps(memo), part_bytes)
        read = len(set(memo["documents"]) - before)
        print(f"| {case} | {nothing_times[0]:.2f} | {nothing_times[1]:.2f} "
              f"| {memo_times[0]:.2f} | {memo_times[1]:.2f} | {read:,} "
              f"| {'yes' if files == expected else 'NO'} |")

    started = time.perf_counter()
    pickled = pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL)
    dumped = time.perf_counter() - started
    started = time.perf_counter()
    pickle.loads(pickled)
    loaded = time.perf_counter() - started
    print(f"\nThe memo pickled: {len(pickled) / 1e6:.1f} MB, pickled in {dumped:.2f} s, "
          f"unpickled in {loaded:.2f} s.")
    return 0


def timed(
    runs: int, digest: Digest, pickled_memo: bytes | None, part_bytes: int
) -> tuple[dict[str, str], dict[str, Any], tuple[float, float]]:
    """The files built, the memo they left, and the least CPU and wall time of `runs` builds,
    each with the memo unpickled afresh before the clocks start (none: from nothing)."""
    cpu, wall = [], []
    pages = listing_pages(digest)
    for _ in range(runs):
        memo = {} if pickled_memo is None else pickle.loads(pickled_memo)
        started_cpu, started = time.process_time(), time.perf_counter()
        files = search_files(digest, pages, url_of=html_url, part_bytes=part_bytes,
                             memo=None if pickled_memo is None else memo)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return files, memo, (min(cpu), min(wall))


def cases(digest: Digest) -> list[tuple[str, Digest]]:
    """Each case's name and digest, each edited from the one before."""
    middle = len(digest.articles) // 2
    changed = replace(digest, articles=tuple(
        with_sentence(item, "Een zin die er in deze versie bij kwam.") if i == middle else item
        for i, item in enumerate(digest.articles)))
    added = replace(changed, articles=(newest_copy(digest.articles), *changed.articles))
    deleted = replace(added, articles=tuple(
        item for i, item in enumerate(added.articles) if i != middle + 1))
    return [("from nothing", digest), ("nothing changed", digest),
            ("one article's text changed", changed), ("one article added (newest)", added),
            ("one article deleted", deleted)]


def with_sentence(item: DigestArticle, sentence: str) -> DigestArticle:
    """The article with a sentence after its last paragraph."""
    article = item.analyzed.article
    blocks = (*article.blocks[:-1], Block(f"{article.blocks[-1].text} {sentence}"))
    return replace(item, analyzed=replace(item.analyzed, article=replace(article, blocks=blocks)))


def newest_copy(articles: Sequence[DigestArticle]) -> DigestArticle:
    """A new article, newer than all: the first one's text with a sentence more, in the next
    year, under another title and slug."""
    item = with_sentence(articles[0], "Een nieuw bericht.")
    year = max(a.article.date.year for a in articles if a.article.date) + 1
    article = replace(item.analyzed.article, title=f"Nieuw: {item.article.title}",
                      date=PublishedDate(year, 1, 1))
    return replace(item, slug=f"{item.slug}-nieuw",
                   analyzed=replace(item.analyzed, article=article))


if __name__ == "__main__":
    raise SystemExit(main())
