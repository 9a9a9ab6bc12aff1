"""Measure the theme classifier against labels: `python bench/themes.py --articles A --labels L`.

--articles is a JSONL file of articles, or a folder of article files (such as content/articles)
read by the project's own reader; there an article's id is its file name without the suffix.
A JSONL row is `id` and either `text` (optional `title`, `published_at`), as in
../shared/eval/nl_dpg2019.jsonl, cleaned as a `.md` file with that front matter; or `article`
(optional `title`), as in ../shared/eval/en_cnndm_dev.jsonl, saved as a plain `.txt` file the
way a user saves a page (its title, if any, on the first line) and read, cleaned and
language-detected as the build does a file with no front matter.
--labels is a JSONL file of `id`, `themes` (main theme first) and `borderline`. Every article
not listed is a negative for every theme; borderline rows are not scored. Without --labels, the
labels are the articles' own: a JSONL row's `themes` (and `borderline`), as in
bench/en_written_themes.jsonl. --only REGEX scores only the articles whose id it matches.

The articles go through the real pipeline (clean → analyze → classify with the shipped
content/themes.yml, or --themes PATH). The script prints, per theme and overall, TP, FP, FN,
precision, recall, F1 and the false-positive rate over the negatives (a note names any theme
with no labelled positive, whose recall is then not measured), then every wrongly assigned
article by id and title, then how often the main theme (the first labelled) comes first among
the themes found, then the time of the analysis and of classification.
With --json it prints the same figures as JSON, plus `assigned`: {article id: [themes]}.

Labels: ../shared/eval/nl_dpg2019_themes_dev.jsonl for the Dutch set, and
bench/en_cnndm_themes_dev.jsonl for ../shared/eval/en_cnndm_dev.jsonl, labelled by hand by a
Claude session (issue 12) that read all 125 articles against the theme definitions in
../shared/eval/README.md: none is about any of the three themes and one is borderline
(troop-build-up), so on that set the benchmark measures false positives only.

bench/en_written_themes.jsonl is an English development set written for this project by a
Claude session (issue 12), in its own words, from the theme definitions: 90 short news
articles in the styles of wire copy, broadcasters and newspapers, some with page furniture,
each with `id`, `title`, `text`, its `themes` and a note `kind` (positive or negative, and
why): clear positives of each theme, some in two, and hard negatives (sports bans, deported
migrants, a summoned ambassador, police at a protest, a battle report, a company fined, ...).
Its figures are development figures. Articles `t01`–`t65` were used to tune the English
vocabulary; `h01`–`h25` were written after the tuning was finished, as a held-back check
(`--only '^h'`):

    python bench/themes.py --articles bench/en_written_themes.jsonl
    python bench/themes.py --articles bench/en_written_themes.jsonl --only '^h'
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.analyze import Analyzer  # noqa: E402
from generator.classify import ThemeClassifier  # noqa: E402
from generator.clean import clean_article  # noqa: E402
from generator.errors import DigestError  # noqa: E402
from generator.model import (  # noqa: E402
    AnalyzedArticle,
    CleanArticle,
    FrontMatter,
    PublishedDate,
    SourceFile,
    ThemeMatch,
)
from generator.read import iter_articles  # noqa: E402
from generator.themes import load_themes  # noqa: E402

SHIPPED_THEMES = ROOT / "content" / "themes.yml"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Label:
    """What a labels file says of one article: its themes, main theme first."""

    themes: tuple[str, ...]
    borderline: bool


@dataclass(frozen=True)
class ThemeScore:
    """The counts for one theme (or all of them) and the articles it got wrong."""

    theme: str
    tp: int
    fp: int
    fn: int
    negatives: int
    false_positives: tuple[str, ...]
    false_negatives: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fp_rate(self) -> float:
        return self.fp / self.negatives if self.negatives else 0.0


def read_jsonl_articles(path: Path) -> dict[str, CleanArticle]:
    """Articles from JSONL rows: a row with `text` cleaned as the build cleans a `.md` file
    with front matter, a row with `article` as it reads and cleans a plain `.txt` file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    saved = read_saved_as_text([row for row in rows if "text" not in row and "article" in row])
    articles = {}
    for row in rows:
        if "text" not in row and "article" in row:
            if str(row["id"]) in saved:
                articles[str(row["id"])] = saved[str(row["id"])]
            continue
        found = _ISO_DATE.match(str(row.get("published_at") or ""))
        date = None
        if found:
            day = int(found.group(3)) if found.group(3) else None
            date = PublishedDate(int(found.group(1)), int(found.group(2)), day)
        source = SourceFile(
            path=PurePosixPath(f"{row['id']}.md"), text=row["text"],
            front_matter=FrontMatter(title=row.get("title") or None, date=date),
            encoding="utf-8",
        )
        articles[str(row["id"])] = clean_article(source)
    return articles


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,150}")


def read_saved_as_text(rows: list[dict]) -> dict[str, CleanArticle]:
    """Each row's `article` saved as `<id>.txt` (its `title`, if any, on the first line) in a
    temporary folder and read from there by the project's reader, as a user's saved page is;
    an id that is no plain file name is saved under its row number."""
    if not rows:
        return {}
    with tempfile.TemporaryDirectory(prefix="bench-themes-") as folder:
        id_of = {}
        for number, row in enumerate(rows):
            article_id = str(row["id"])
            name = article_id if _PLAIN_NAME.fullmatch(article_id) else f"row-{number:06d}"
            title = str(row.get("title") or "").strip()
            text = f"{title}\n\n{row['article']}" if title else str(row["article"])
            (Path(folder) / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
            id_of[name] = article_id
        read = read_folder_articles(Path(folder))
    return {id_of[name]: read[name] for name in id_of if name in read}


def read_folder_articles(folder: Path) -> dict[str, CleanArticle]:
    """Articles from a content folder, read and cleaned as the build does; ids are the paths
    in the folder without their suffix."""
    articles = {}
    for item in iter_articles(folder):
        if isinstance(item, DigestError):
            print(f"skipped: {item}", file=sys.stderr)
            continue
        articles[item.path.with_suffix("").as_posix()] = clean_article(item)
    return articles


def read_labels(path: Path, inline: bool = False) -> dict[str, Label]:
    """The labels by article id; with `inline`, from the rows of an articles file that carry
    their own `themes` (rows without the key are unlabelled, so negatives)."""
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if inline and "themes" not in row:
                continue
            labels[str(row["id"])] = Label(tuple(row.get("themes") or ()),
                                           bool(row.get("borderline", False)))
    return labels


def score_theme(
    theme: str, ids: list[str], labels: dict[str, Label], assigned: dict[str, list[str]]
) -> ThemeScore:
    """True and false positives and negatives of one theme; borderline articles not scored."""
    tp = fp = fn = negatives = 0
    false_positives, false_negatives = [], []
    for article_id in ids:
        label = labels.get(article_id, Label((), False))
        if label.borderline:
            continue
        truth = theme in label.themes
        predicted = theme in assigned[article_id]
        negatives += not truth
        if truth and predicted:
            tp += 1
        elif predicted:
            fp += 1
            false_positives.append(article_id)
        elif truth:
            fn += 1
            false_negatives.append(article_id)
    return ThemeScore(theme, tp, fp, fn, negatives, tuple(false_positives),
                      tuple(false_negatives))


def overall(scores: list[ThemeScore]) -> ThemeScore:
    """All themes together: counts summed over (article, theme) pairs."""
    return ThemeScore(
        "all", sum(s.tp for s in scores), sum(s.fp for s in scores), sum(s.fn for s in scores),
        sum(s.negatives for s in scores),
        tuple(i for s in scores for i in s.false_positives),
        tuple(i for s in scores for i in s.false_negatives),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--labels", type=Path,
                        help="labels file (default: the JSONL articles' own `themes`)")
    parser.add_argument("--themes", type=Path, default=SHIPPED_THEMES)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", metavar="REGEX",
                        help="score only the articles whose id this matches (re.search)")
    args = parser.parse_args(argv)
    if args.labels is None and args.articles.is_dir():
        parser.error("--labels is needed for a folder of articles")

    themes = load_themes(args.themes)
    articles = (read_folder_articles(args.articles) if args.articles.is_dir()
                else read_jsonl_articles(args.articles))
    if args.only:
        articles = {i: a for i, a in articles.items() if re.search(args.only, i)}
    labels = (read_labels(args.labels) if args.labels
              else read_labels(args.articles, inline=True))
    if args.only:
        labels = {i: label for i, label in labels.items() if i in articles}
    ids = list(articles)
    if not ids:
        raise SystemExit(f"{args.articles}: no articles to classify")
    analyzer = Analyzer()
    for language in sorted({a.language for a in articles.values()}):
        analyzer.pipeline(language)  # build the pipelines outside the timing

    started = time.perf_counter()
    analyzed: list[AnalyzedArticle] = analyzer.analyze(articles.values())
    analysis_s = time.perf_counter() - started
    started = time.perf_counter()
    classifier = ThemeClassifier(themes)
    matches: list[tuple[ThemeMatch, ...]] = [classifier.classify(a) for a in analyzed]
    classify_s = time.perf_counter() - started

    assigned = {i: [m.slug for m in found] for i, found in zip(ids, matches, strict=True)}
    scores_of = {i: {m.slug: m.score for m in found} for i, found in zip(ids, matches, strict=True)}
    by_id = dict(zip(ids, analyzed, strict=True))
    scores = [score_theme(t.slug, ids, labels, assigned) for t in themes]
    for theme, theme_scores in zip(themes, scores, strict=True):
        for article_id in theme_scores.false_negatives:
            # What a missed article scored, to read next to why it was missed.
            scores_of[article_id][theme.slug] = classifier.score(by_id[article_id], theme).score
    total = overall(scores)
    main_right, main_wrong = main_theme_first(ids, labels, assigned)
    unknown = sorted(set(labels) - set(ids))
    timing = {"articles": len(ids), "analysis_s": round(analysis_s, 3),
              "classification_s": round(classify_s, 3),
              "ratio": round(classify_s / analysis_s, 4) if analysis_s else 0.0}

    if args.json:
        print(json.dumps({
            "themes": {s.theme: figures(s) for s in scores},
            "overall": figures(total),
            "timing": timing,
            "main_theme_first": {"right": main_right, "wrong": main_wrong},
            "unknown_label_ids": unknown,
            "assigned": assigned,
        }, ensure_ascii=False, indent=1))
        return

    print("| theme | TP | FP | FN | precision | recall | F1 | FP rate |")
    print("|---|---|---|---|---|---|---|---|")
    for s in [*scores, total]:
        print(f"| {s.theme} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.3f} | {s.recall:.3f} | "
              f"{s.f1:.3f} | {s.fp_rate:.4%} |")
    unmeasured = [s for s in scores if not s.tp + s.fn]
    if unmeasured:
        print()
    for s in unmeasured:
        print(f"note: {s.theme} has no labelled positive among the {s.negatives} scored "
              f"articles: its recall is not measured, only its false positives")
    errors = [("FP", s.theme, i) for s in scores for i in s.false_positives]
    errors += [("FN", s.theme, i) for s in scores for i in s.false_negatives]
    if errors:
        print()
        print("| error | theme | id | score | title |")
        print("|---|---|---|---|---|")
        for kind, theme, article_id in errors:
            title = articles[article_id].title.replace("|", "\\|")
            score = scores_of[article_id].get(theme, "")
            print(f"| {kind} | {theme} | {article_id} | {score} | {title} |")
    for article_id in unknown:
        print(f"label for unknown article id {article_id}", file=sys.stderr)
    print()
    print("| main theme first | of | wrong |")
    print("|---|---|---|")
    print(f"| {main_right} | {main_right + len(main_wrong)} | {', '.join(main_wrong)} |")
    print()
    print("| articles | analysis s | classification s | classification / analysis |")
    print("|---|---|---|---|")
    print(f"| {timing['articles']} | {analysis_s:.2f} | {classify_s:.3f} | "
          f"{timing['ratio']:.1%} |")


def main_theme_first(
    ids: list[str], labels: dict[str, Label], assigned: dict[str, list[str]],
) -> tuple[int, list[str]]:
    """Of the scored articles that got their main (first labelled) theme at all, how many got
    it first, and the ids of those that did not."""
    right, wrong = 0, []
    for article_id in ids:
        label = labels.get(article_id)
        if label is None or label.borderline or not label.themes:
            continue
        if label.themes[0] not in assigned[article_id]:
            continue  # a false negative, counted above
        if assigned[article_id][0] == label.themes[0]:
            right += 1
        else:
            wrong.append(article_id)
    return right, wrong


def figures(score: ThemeScore) -> dict:
    """One theme's figures as JSON."""
    return {
        "tp": score.tp, "fp": score.fp, "fn": score.fn, "negatives": score.negatives,
        "precision": round(score.precision, 4), "recall": round(score.recall, 4),
        "f1": round(score.f1, 4), "fp_rate": round(score.fp_rate, 6),
        "false_positives": list(score.false_positives),
        "false_negatives": list(score.false_negatives),
    }


if __name__ == "__main__":
    main()
