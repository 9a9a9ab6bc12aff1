"""Builders for pipeline inputs, and one shared Analyzer (building a spaCy pipeline takes a moment).

The builders are session-scoped fixtures that return functions, so that hypothesis tests can use
them too.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from playwright.sync_api import Browser, sync_playwright

from generator.analyze import Analyzer
from generator.clean import clean_article
from generator.model import AnalyzedArticle, CleanArticle, FrontMatter, SourceFile
from generator.themes import load_themes

SHIPPED_THEMES = Path(__file__).resolve().parent.parent / "content" / "themes.yml"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def build_source(
    text: str, path: str = "article.txt", front_matter: FrontMatter | None = None
) -> SourceFile:
    """An article as `read` hands it on: decoded text and its front matter."""
    return SourceFile(
        path=PurePosixPath(path), text=text, front_matter=front_matter or FrontMatter(),
        encoding="utf-8",
    )


def build_clean(text: str, path: str = "article.txt", **front_matter) -> CleanArticle:
    """An article cleaned from `text`, with any front-matter fields given (`title=`, `date=`…)."""
    return clean_article(build_source(text, path, FrontMatter(**front_matter)))


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The rule-based pipelines, built once for the whole test session."""
    return Analyzer()


@pytest.fixture(scope="session")
def source():
    """`source(text, path=..., front_matter=...)` → SourceFile."""
    return build_source


@pytest.fixture(scope="session")
def cleaned():
    """`cleaned(text, title=..., date=..., ...)` → CleanArticle."""
    return build_clean


@pytest.fixture(scope="session")
def analyzed(analyzer):
    """`analyzed(text, title=..., language="nl", themes=...)`: clean_article + Analyzer.analyze."""

    def build(
        text: str,
        title: str | None = None,
        language: str | None = "nl",
        themes: tuple[str, ...] | None = None,
        path: str = "article.txt",
    ) -> AnalyzedArticle:
        article = build_clean(text, path, title=title, language=language, themes=themes)
        return analyzer.analyze([article])[0]

    return build


@pytest.fixture(scope="session")
def shipped_themes_path() -> Path:
    """The themes file the project ships (configuration, not sample articles)."""
    return SHIPPED_THEMES


@pytest.fixture(scope="session")
def shipped_themes(shipped_themes_path):
    """The shipped themes, loaded for the site language `nl`."""
    return load_themes(shipped_themes_path)


def files_only(context, attempted: list[str]) -> None:
    """Let the browser context load local files only: any other request is refused and its
    address added to `attempted`."""

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", route)


@pytest.fixture(scope="session")
def browser() -> Browser:
    """Headless Chromium from the system's packages (`CHROMIUM`), one for the whole session."""
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).is_file():
        raise RuntimeError(f"Chromium not found at {executable}: install it or set CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
