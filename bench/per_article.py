"""Time the per-article results of a build against a baseline: `python bench/per_article.py PATH`.

PATH is a pickled list of `AnalyzedArticle` (what `collect_articles` returns; `python
bench/snapshot.py` makes one from a JSONL set). Every article is
summarized (`summarize` with the idf of the whole list), classified (`ThemeClassifier.classify`)
and given its near misses (`near_misses`, with the matches `classify` found), once by the code
as it stands and once by the baseline: `generator/summarize.py` and `generator/classify.py` as
they were at --baseline (a git revision; by default the last before these steps were made
faster), imported beside the current modules. The row `themes` is what a build runs for each
article: `classify_with_near_misses`, one pass over the article, against the baseline's
`classify` then `near_misses`.

The script asserts that both give the same summaries, matches (scores as exact floats) and near
misses for every article, and prints one table of the CPU seconds each step took over all the
articles (the process's own time, which other work on a shared machine disturbs less than the
wall clock's), the best of --rounds runs, baseline and current taking turns to go first.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import classify, summarize  # noqa: E402
from generator.model import AnalyzedArticle  # noqa: E402
from generator.themes import load_themes  # noqa: E402

# The last commit before the per-article results were made faster.
BASELINE = "3abc9a7874fa4c5fae0831a01bdd6027d89b61ab"


def baseline_module(name: str, revision: str) -> ModuleType:
    """`generator/<name>.py` as it was at `revision`, imported as `generator._baseline_<name>`
    (its relative imports are today's modules)."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:generator/{name}.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader(f"generator._baseline_{name}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "generator"
    # Dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    exec(compile(source, f"{revision}:generator/{name}.py", "exec"), module.__dict__)
    return module


def timed(step: Callable[[AnalyzedArticle], Any], articles: Sequence[AnalyzedArticle]
          ) -> tuple[float, list[Any]]:
    """The CPU seconds the step took over all the articles, and what it gave for each."""
    start = time.process_time()
    results = [step(article) for article in articles]
    return time.process_time() - start, results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--baseline", default=BASELINE,
                        help="a git revision (default: %(default)s)")
    parser.add_argument("--themes", type=Path, default=ROOT / "content" / "themes.yml")
    parser.add_argument("--language", default="nl", help="the themes file's default language")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    with args.path.open("rb") as file:
        articles: list[AnalyzedArticle] = pickle.load(file)
    themes = load_themes(args.themes, args.language)
    old_summarize = baseline_module("summarize", args.baseline)
    old_classify = baseline_module("classify", args.baseline)
    idf = summarize.document_frequencies(articles)
    length = summarize.SummaryLength(args.sentences)
    old_length = old_summarize.SummaryLength(args.sentences)
    old_classifier = old_classify.ThemeClassifier(themes)
    new_classifier = classify.ThemeClassifier(themes)
    old_matches = [old_classifier.classify(article) for article in articles]
    new_matches = [new_classifier.classify(article) for article in articles]
    matches_of = {id(article): (old, new)
                  for article, old, new in zip(articles, old_matches, new_matches, strict=True)}
    # What is loaded is kept out of the collector's passes, as in a build's worker processes
    # (`generator.parallel.fork`).
    gc.freeze()

    def old_themes(article: AnalyzedArticle) -> Any:
        matches = old_classifier.classify(article)
        return matches, old_classifier.near_misses(article, matches)

    # What each step is, in the baseline and now.
    steps: dict[str, tuple[Callable[[AnalyzedArticle], Any], Callable[[AnalyzedArticle], Any]]] = {
        "summarize": (lambda article: old_summarize.summarize(article, old_length, idf),
                      lambda article: summarize.summarize(article, length, idf)),
        "classify": (old_classifier.classify, new_classifier.classify),
        "near_misses": (
            lambda article: old_classifier.near_misses(article, matches_of[id(article)][0]),
            lambda article: new_classifier.near_misses(article, matches_of[id(article)][1])),
        "themes": (old_themes, new_classifier.classify_with_near_misses),
    }
    best: dict[str, list[float]] = {name: [float("inf")] * 2 for name in steps}
    for round_number in range(args.rounds):
        for name, (old_step, new_step) in steps.items():
            # Baseline and current take turns going first, so that neither always runs warm.
            order = [(0, old_step), (1, new_step)]
            results: list[list[Any]] = [[], []]
            for side, step in order if round_number % 2 == 0 else order[::-1]:
                seconds, results[side] = timed(step, articles)
                best[name][side] = min(best[name][side], seconds)
            # Exact: repr tells 0.1 from 0.1000000001 and shows every field.
            different = [article.article.path for article, old, new
                         in zip(articles, *results, strict=True) if repr(old) != repr(new)]
            assert not different, f"{name} differs for {len(different)} articles: {different[:5]}"

    print(f"{len(articles)} articles, best of {args.rounds} rounds; the same results as "
          f"{args.baseline[:12]} for every article")
    print()
    print("| step | baseline CPU s | now CPU s | speed-up |")
    print("|---|---|---|---|")
    for name, (old_seconds, new_seconds) in best.items():
        print(f"| {name} | {old_seconds:.2f} | {new_seconds:.2f} | "
              f"{old_seconds / new_seconds:.2f}x |")


if __name__ == "__main__":
    main()
