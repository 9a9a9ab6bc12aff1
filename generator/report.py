"""The short report a build prints: what was read, what was skipped and why, per-theme counts."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Digest, Problem
from .themes import OTHER_SLUG


@dataclass(frozen=True)
class BuildReport:
    articles: int
    problems: tuple[Problem, ...]
    theme_counts: tuple[tuple[str, int], ...]
    seconds: float
    site_dir: str
    published: bool = True  # False when a --strict build found problems and left the old site

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.skipped)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.skipped)


def build_report(
    digest: Digest, seconds: float, site_dir: str, published: bool = True
) -> BuildReport:
    counts = [(theme.slug, len(digest.in_theme(theme.slug))) for theme in digest.themes]
    counts.append((OTHER_SLUG, len(digest.unthemed())))
    return BuildReport(len(digest.articles), digest.problems, tuple(counts), seconds, site_dir,
                       published)


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
