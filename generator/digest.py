"""Collect everything before rendering: read → clean → analyze → summarize → classify → Digest."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from .analyze import Analyzer
from .classify import ThemeClassifier
from .clean import clean_article
from .config import DigestConfig
from .errors import DigestError
from .model import CleanArticle, Digest, DigestArticle, Problem
from .read import display_path, iter_articles
from .summarize import document_frequencies, summarize
from .themes import load_themes

ARTICLES_FOLDER = "articles"
THEMES_FILE = "themes.yml"


def build_digest(
    content_dir: Path, config: DigestConfig, analyzer: Analyzer | None = None
) -> Digest:
    """The whole digest of a content folder. A bad themes file raises DigestError; a bad
    article is skipped and listed in `Digest.problems`."""
    themes = load_themes(content_dir / THEMES_FILE, config.language)
    articles_dir = content_dir / ARTICLES_FOLDER
    if not articles_dir.is_dir():
        raise DigestError(display_path(articles_dir), "the articles folder does not exist")
    problems: list[Problem] = []
    clean: list[CleanArticle] = []
    for item in iter_articles(articles_dir):
        if isinstance(item, DigestError):
            problems.append(Problem(item.path, _reason(item)))
            continue
        clean.append(clean_article(item))

    known = {theme.slug for theme in themes}
    for article in clean:
        for slug in article.pinned_themes or ():
            if slug not in known:
                problems.append(Problem(
                    display_path(articles_dir / article.path),
                    f"front matter: theme '{slug}' is not defined in {THEMES_FILE}; ignored",
                    skipped=False,
                ))

    analyzed = (analyzer or Analyzer(config.pipelines)).analyze(clean)
    idf = document_frequencies(analyzed)
    classifier = ThemeClassifier(themes)
    slugs = article_slugs([a.path for a in clean])
    articles = [
        DigestArticle(
            slug=slugs[a.article.path],
            analyzed=a,
            summary=summarize(a, config.summary, idf),
            themes=classifier.classify(a),
        )
        for a in analyzed
    ]
    articles.sort(key=newest_first)
    return Digest(
        title=config.title,
        language=config.language,
        articles=tuple(articles),
        themes=themes,
        problems=tuple(problems),
    )


def newest_first(article: DigestArticle) -> tuple:
    """Dated articles newest first, then undated ones, each by title."""
    date = article.article.date
    if date is None:
        return (1, 0, 0, 0, article.article.title, article.slug)
    year, month, day = date.sort_key()
    return (0, -year, -month, -day, article.article.title, article.slug)


def article_slugs(paths: list[PurePosixPath]) -> dict[PurePosixPath, str]:
    """A unique, stable, URL-safe name for each article file."""
    slugs: dict[PurePosixPath, str] = {}
    taken: set[str] = set()
    for path in sorted(paths, key=lambda p: p.as_posix()):
        base = slugify(path.with_suffix("").as_posix()) or "article"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs[path] = slug
    return slugs


def slugify(text: str) -> str:
    """`Nieuws/Oekraïne 1` → `nieuws-oekraine-1`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _reason(error: DigestError) -> str:
    return error.reason if error.line is None else f"line {error.line}: {error.reason}"
