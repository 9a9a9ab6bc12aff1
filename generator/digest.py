"""Collect everything before rendering: read → clean → analyze → summarize → classify → Digest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path, PurePosixPath

from .analyze import Analyzer
from .classify import ThemeClassifier
from .clean import clean_article
from .config import DigestConfig
from .errors import DigestError
from .link import link_articles
from .model import CleanArticle, Digest, DigestArticle, Problem, one_per_story
from .read import display_path, iter_articles
from .summarize import document_frequencies, summarize, theme_digest
from .themes import load_themes

ARTICLES_FOLDER = "articles"
THEMES_FILE = "themes.yml"
THEME_DIGEST_MIN = 3
THEME_DIGEST_MAX = 5


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
    paths = [a.article.path for a in analyzed]
    slugs = article_slugs(paths)
    links = link_articles(analyzed, idf)
    articles = [
        DigestArticle(
            slug=slugs[a.article.path],
            analyzed=a,
            summary=summarize(a, config.summary, idf),
            themes=classifier.classify(a),
            related=tuple(slugs[paths[j]] for j in link.related),
            same_story=tuple(slugs[paths[j]] for j in link.same_story),
        )
        for a, link in zip(analyzed, links, strict=True)
    ]
    articles.sort(key=newest_first)
    digest = Digest(
        title=config.title,
        language=config.language,
        articles=tuple(articles),
        themes=themes,
        problems=tuple(problems),
    )
    theme_digests = {}
    for theme in themes:
        stories = one_per_story(digest.in_theme(theme.slug))
        # A digest of one story would only repeat its summary, shown just below it.
        theme_digests[theme.slug] = (
            theme_digest(stories, idf, digest_size(len(stories))) if len(stories) > 1 else ()
        )
    return replace(digest, theme_digests=theme_digests)


def digest_size(stories: int) -> int:
    """Lines in a theme's digest: about one per story, from three to five."""
    return min(THEME_DIGEST_MAX, max(THEME_DIGEST_MIN, stories))


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
