"""Related articles, today's similarity beside the new: `python bench/related.py`.

The two methods are `generator.link.link_articles` with different settings: *before* is the
similarity as it was (the 40 most telling lemmas by TF-IDF, every word alike, no themes), *now*
the shipped one (`INDEX_TERMS`, `NAME_WEIGHT`, a shared theme adding `SHARED_THEME_BONUS`).

Sets, each measured with both methods:
- **English stories** (--english, default tests/fixtures/related_en.jsonl): short articles
  written for this project in story groups (`story`), with unrelated ones (`story: null`) and
  the themes a classifier would give them (`themes`). Also its themed articles alone, a small
  digest on one broad subject (trade and cyber-attacks) where stories share much vocabulary.
  coverage = share of the articles in a story group with at least one related link;
  precision = share of all related links that join two articles of one story group;
  recall = share of the related links an article could have (its group's other articles, at
  most the limit of five) that it got.
- **Dutch news** (--dutch, e.g. ../shared/eval/nl_dpg2019.jsonl): no story labels, so
  coverage over all articles, links per article, the median days between linked articles,
  and precision judged by themes: of the links from an article with a theme label
  (--dutch-labels, e.g. ../shared/eval/nl_dpg2019_themes_dev.jsonl; else the classifier's
  themes), the share whose other article has one of those themes (its label, or the themes the
  classifier gives it). Themes come from the classifier with content/themes.yml.
- **Dutch small digests**: from the Dutch articles, digests of sixteen made as a reader makes
  one, with three articles on each of four subjects (--topics: an article is on a subject when
  the word stands in its title or first 300 characters) and four articles on none, forty
  draws, seeded; coverage, precision and recall as for the English stories, the subject taken
  for the story, averaged over the draws.
- **Scale** (--repeat N, with --dutch): the Dutch articles twice and N times over, each copy
  with rare words of its own (`renamed_copies`); the time of linking alone.

The time is that of `link_articles` alone (analysis excluded), the best of three below
5,000 articles.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.themes import read_jsonl_articles, read_labels  # noqa: E402
from generator import link  # noqa: E402
from generator.analyze import Analyzer  # noqa: E402
from generator.classify import ThemeClassifier  # noqa: E402
from generator.clean import clean_article  # noqa: E402
from generator.model import (  # noqa: E402
    AnalyzedArticle,
    CleanArticle,
    FrontMatter,
    PublishedDate,
    Sentence,
    SourceFile,
)
from generator.summarize import document_frequencies  # noqa: E402
from generator.themes import load_themes  # noqa: E402

TOPICS = ("brexit", "venezuela", "boeing", "anne faber", "ajax", "israël", "baudet",
          "feyenoord", "christchurch", "oekraïne", "rusland")
ENGLISH_STORIES = ROOT / "tests" / "fixtures" / "related_en.jsonl"
SHIPPED_THEMES = ROOT / "content" / "themes.yml"
# The settings of the similarity before names, themes and the number of shared lemmas counted.
BEFORE = {"INDEX_TERMS": 40, "MIN_RELATED": 0.12, "NAME_WEIGHT": 1.0, "MIN_SHARED_TERMS": 1}


@dataclass(frozen=True)
class Method:
    """A way to link: settings of `generator.link` and whether it is given the themes."""

    name: str
    settings: dict
    uses_themes: bool


METHODS = (Method("before", BEFORE, uses_themes=False), Method("now", {}, uses_themes=True))


@dataclass(frozen=True)
class Labelled:
    """A set of analyzed articles with what is known of them."""

    articles: tuple[AnalyzedArticle, ...]
    themes: tuple[tuple[str, ...], ...]
    stories: tuple[str | None, ...] = ()  # story group per article, where labelled


@contextlib.contextmanager
def link_settings(settings: dict) -> Iterator[None]:
    """`generator.link`'s module settings changed for the duration."""
    saved = {name: getattr(link, name) for name in settings}
    for name, value in settings.items():
        setattr(link, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(link, name, value)


def related_by(method: Method, labelled: Labelled) -> tuple[list[tuple[int, ...]], float]:
    """Each article's related articles by a method, and the time of linking."""
    idf = document_frequencies(labelled.articles)
    runs = 3 if len(labelled.articles) < 5000 else 1
    best = float("inf")
    with link_settings(method.settings):
        for _ in range(runs):
            start = time.perf_counter()
            links = link.link_articles(labelled.articles, idf,
                                       themes=labelled.themes if method.uses_themes else None)
            best = min(best, time.perf_counter() - start)
    return [item.related for item in links], best


def story_figures(labelled: Labelled, related: Sequence[tuple[int, ...]]) -> dict[str, float]:
    """Coverage, precision and recall against the story groups."""
    stories = labelled.stories
    grouped = [i for i, story in enumerate(stories) if story]
    links = [(i, j) for i, targets in enumerate(related) for j in targets]
    right = sum(1 for i, j in links if stories[i] and stories[i] == stories[j])
    possible = sum(min(link.RELATED_LIMIT, stories.count(stories[i]) - 1) for i in grouped)
    found = sum(1 for i in grouped for j in related[i] if stories[j] == stories[i])
    return {
        "coverage": sum(1 for i in grouped if related[i]) / max(1, len(grouped)),
        "precision": right / len(links) if links else 1.0,
        "recall": found / max(1, possible),
        "links": len(links) / max(1, len(related)),
    }


def theme_figures(
    labelled: Labelled, related: Sequence[tuple[int, ...]],
    labels: dict[int, tuple[str, ...]],
) -> dict[str, float]:
    """Coverage and links per article, the median days apart, and the share of links from an
    article with a theme label that reach an article with one of its themes."""
    themes_of = {i: set(labels.get(i, labelled.themes[i])) for i in range(len(related))}
    judged = [(i, j) for i in labels if labels[i] for j in related[i]]
    days = [abs(_day(labelled.articles[i]) - _day(labelled.articles[j]))
            for i, targets in enumerate(related) for j in targets
            if labelled.articles[i].article.date and labelled.articles[j].article.date]
    return {
        "coverage": sum(1 for targets in related if targets) / max(1, len(related)),
        "links": sum(len(targets) for targets in related) / max(1, len(related)),
        "days": statistics.median(days) if days else float("nan"),
        "theme_precision": (sum(1 for i, j in judged if themes_of[i] & themes_of[j])
                            / len(judged) if judged else float("nan")),
        "judged": len(judged),
    }


def _day(article: AnalyzedArticle) -> int:
    date = article.article.date
    assert date is not None
    return date.year * 372 + date.month * 31 + (date.day or 1)


def english_stories(path: Path, analyzer: Analyzer) -> Labelled:
    """The labelled English stories, cleaned and analyzed as the build does."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    articles = [clean_article(SourceFile(
        path=PurePosixPath(f"{row['id']}.md"), text=row["text"], encoding="utf-8",
        front_matter=FrontMatter(title=row["title"], language="en",
                                 date=PublishedDate(*map(int, row["date"].split("-")))),
    )) for row in rows]
    return Labelled(tuple(analyzer.analyze(articles)),
                    tuple(tuple(row["themes"]) for row in rows),
                    tuple(row["story"] for row in rows))


def subset(labelled: Labelled, keep: Callable[[int], bool]) -> Labelled:
    indexes = [i for i in range(len(labelled.articles)) if keep(i)]
    return Labelled(tuple(labelled.articles[i] for i in indexes),
                    tuple(labelled.themes[i] for i in indexes),
                    tuple(labelled.stories[i] for i in indexes))


def classified(articles: Sequence[CleanArticle], analyzer: Analyzer) -> Labelled:
    """Articles analyzed, with the themes the classifier gives them."""
    analyzed = analyzer.analyze(articles)
    classifier = ThemeClassifier(load_themes(SHIPPED_THEMES, "nl"))
    return Labelled(tuple(analyzed),
                    tuple(tuple(m.slug for m in classifier.classify(a)) for a in analyzed))


def small_digests(
    labelled: Labelled, topics: Sequence[str], draws: int = 40, seed: int = 11
) -> list[Labelled]:
    """Digests of four subjects of three articles each and four articles on none."""
    def opening(article: AnalyzedArticle) -> str:
        return f"{article.article.title} {article.article.text[:300]}".lower()

    on_topic = {topic: [i for i, a in enumerate(labelled.articles) if topic in opening(a)]
                for topic in topics}
    on_topic = {topic: found for topic, found in on_topic.items() if len(found) >= 3}
    if len(on_topic) < 4:
        return []
    on_none = [i for i, a in enumerate(labelled.articles)
               if not any(topic in opening(a) for topic in topics)]
    chance = random.Random(seed)
    digests = []
    for _ in range(draws):
        chosen: dict[int, str | None] = {}
        for topic in chance.sample(sorted(on_topic), 4):
            for i in chance.sample(on_topic[topic], 3):
                chosen.setdefault(i, topic)
        for i in chance.sample(on_none, 4):
            chosen[i] = None
        digests.append(Labelled(tuple(labelled.articles[i] for i in chosen),
                                tuple(labelled.themes[i] for i in chosen),
                                tuple(chosen.values())))
    return digests


def renamed_copies(labelled: Labelled, repeat: int) -> Labelled:
    """The articles `repeat` times, each copy with its own rare words: in copy k every lemma in
    at most one article in a hundred (or in one article) becomes `lemma#k`. Copies share only
    the common vocabulary, as different stories of one kind do, and the collection has the
    many more rare words of a large collection."""
    count = len(labelled.articles)
    frequency: dict[str, int] = {}
    for article in labelled.articles:
        for lemma in {lemma for s in (article.title, *article.sentences) for lemma in s.lemmas}:
            frequency[lemma] = frequency.get(lemma, 0) + 1
    rare = {lemma for lemma, found in frequency.items() if found <= max(1, count // 100)}
    articles, themes = list(labelled.articles), list(labelled.themes)
    for copy in range(1, repeat):
        for article, article_themes in zip(labelled.articles, labelled.themes, strict=True):
            path = PurePosixPath(f"copy-{copy}/{article.article.path}")
            articles.append(replace(
                article, article=replace(article.article, path=path),
                title=_renamed(article.title, rare, copy),
                sentences=tuple(_renamed(s, rare, copy) for s in article.sentences)))
            themes.append(article_themes)
    return Labelled(tuple(articles), tuple(themes))


def print_small_digests(digests: Sequence[Labelled]) -> None:
    """The table of the small digests: each method's figures, averaged."""
    print()
    print("| set | articles | method | coverage | precision | recall | links/article "
          "| time (s) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for method in METHODS:
        figures = []
        seconds = 0.0
        for digest in digests:
            related, took = related_by(method, digest)
            figures.append(story_figures(digest, related))
            seconds += took
        mean = {key: statistics.mean(f[key] for f in figures) for key in figures[0]}
        print(f"| Dutch small digests ×{len(digests)} | {len(digests[0].articles)} "
              f"| {method.name} | {mean['coverage']:.2f} | {mean['precision']:.2f} "
              f"| {mean['recall']:.2f} | {mean['links']:.2f} "
              f"| {seconds / len(digests):.3f} |")


def _renamed(sentence: Sentence, rare: set[str], copy: int) -> Sentence:
    return replace(sentence, lemmas=tuple(
        f"{lemma}#{copy}" if lemma in rare else lemma for lemma in sentence.lemmas))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--english", type=Path, default=ENGLISH_STORIES)
    parser.add_argument("--dutch", type=Path, help="JSONL of Dutch articles")
    parser.add_argument("--dutch-labels", type=Path, help="JSONL of theme labels")
    parser.add_argument("--topics", default=",".join(TOPICS),
                        help="subjects of the Dutch small digests, comma-separated")
    parser.add_argument("--repeat", type=int, default=0,
                        help="also time linking the Dutch articles this many times over")
    options = parser.parse_args(argv)
    analyzer = Analyzer()

    print("| set | articles | method | coverage | precision | recall | links/article "
          "| time (s) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    english = english_stories(options.english, analyzer)
    themed = subset(english, lambda i: bool(english.themes[i]))
    for name, labelled in (("English stories", english), ("English, one subject", themed)):
        for method in METHODS:
            related, seconds = related_by(method, labelled)
            f = story_figures(labelled, related)
            print(f"| {name} | {len(labelled.articles)} | {method.name} | {f['coverage']:.2f} "
                  f"| {f['precision']:.2f} | {f['recall']:.2f} | {f['links']:.2f} "
                  f"| {seconds:.3f} |")
    if not options.dutch:
        return

    rows = read_jsonl_articles(options.dutch)
    ids = list(rows)
    dutch = classified([rows[i] for i in ids], analyzer)
    labels: dict[int, tuple[str, ...]] = {}
    if options.dutch_labels:
        position = {article_id: n for n, article_id in enumerate(ids)}
        labels = {position[article_id]: label.themes
                  for article_id, label in read_labels(options.dutch_labels).items()
                  if article_id in position and not label.borderline}
    else:
        labels = {i: themes for i, themes in enumerate(dutch.themes) if themes}
    print()
    print("| set | articles | method | coverage | links/article | median days apart "
          "| share of judged links in a shared theme (judged) | time (s) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for method in METHODS:
        related, seconds = related_by(method, dutch)
        f = theme_figures(dutch, related, labels)
        print(f"| Dutch news | {len(ids)} | {method.name} | {f['coverage']:.2f} "
              f"| {f['links']:.2f} | {f['days']:.0f} | {f['theme_precision']:.2f} "
              f"({f['judged']}) | {seconds:.2f} |")
    digests = small_digests(dutch, [t.strip().lower() for t in options.topics.split(",")])
    if digests:
        print_small_digests(digests)
    if options.repeat > 1:
        print()
        print("| set | articles | method | coverage | links/article | time (s) |")
        print("|---|---:|---|---:|---:|---:|")
        for repeat in sorted({2, options.repeat}):
            large = renamed_copies(dutch, repeat)
            for method in METHODS:
                related, seconds = related_by(method, large)
                coverage = sum(1 for targets in related if targets) / len(related)
                print(f"| Dutch news, renamed copies ×{repeat} | {len(large.articles)} "
                      f"| {method.name} | {coverage:.2f} "
                      f"| {sum(map(len, related)) / len(related):.2f} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
