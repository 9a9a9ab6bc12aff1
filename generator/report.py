"""The short report a build prints: what was read, what was skipped and why, per-theme counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .model import CleanArticle, Digest, Problem
from .read import display_path
from .themes import OTHER_SLUG

UNDATED_REASON = ("no date: none in the front matter, a `date` marker or a dateline; "
                  "listed as undated")


@dataclass(frozen=True)
class BuildReport:
    articles: int
    problems: tuple[Problem, ...]
    theme_counts: tuple[tuple[str, int], ...]
    seconds: float
    site_dir: str
    published: bool = True  # False when a --strict build found problems and left the old site
    # Articles without a date that are not among the problems: named, but no reason for
    # --strict to fail (the `require_dates` setting makes them problems).
    undated: tuple[Problem, ...] = ()

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.skipped)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.skipped) + self.undated


def undated_problems(articles: Iterable[CleanArticle], articles_dir: Path | None = None
                     ) -> list[Problem]:
    """A warning for each article without a date, naming its file (under `articles_dir`, as
    the other problems name it, when given)."""
    return [undated_problem(article, articles_dir) for article in articles if article.date is None]


def undated_problem(article: CleanArticle, articles_dir: Path | None = None) -> Problem:
    shown = display_path(articles_dir / article.path) if articles_dir else article.path.as_posix()
    return Problem(shown, UNDATED_REASON, skipped=False)


def build_report(
    digest: Digest, seconds: float, site_dir: str, published: bool = True,
    articles_dir: Path | None = None,
) -> BuildReport:
    counts = [(theme.slug, len(digest.in_theme(theme.slug))) for theme in digest.themes]
    counts.append((OTHER_SLUG, len(digest.unthemed())))
    # With `require_dates` the undated articles are problems already: not named twice.
    warned = [p.path for p in digest.problems if p.reason == UNDATED_REASON]
    undated = tuple(
        undated_problem(a.article, articles_dir) for a in digest.articles
        if a.article.date is None and not any(
            path.endswith(a.article.path.as_posix()) for path in warned)
    )
    return BuildReport(len(digest.articles), digest.problems, tuple(counts), seconds, site_dir,
                       published, undated)


def format_report(report: BuildReport) -> str:
    lines = [f"Built {report.site_dir} in {report.seconds:.1f} s" if report.published else
             f"Not published: {report.site_dir} is left as it was ({report.seconds:.1f} s)"]
    lines.append(f"  articles read: {report.articles}")
    lines.append(f"  skipped: {len(report.skipped)}")
    lines += [f"    - {problem}" for problem in report.skipped]
    if report.warnings:
        lines.append(f"  warnings: {len(report.warnings)}")
        lines += [f"    - {problem}" for problem in report.warnings]
    lines.append("  themes:")
    width = max(len(slug) for slug, _ in report.theme_counts)
    lines += [f"    {slug:<{width}}  {count}" for slug, count in report.theme_counts]
    return "\n".join(lines)
