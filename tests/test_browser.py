"""A reader's view: the built site opened from disk in headless Chromium, with no network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import files_only
from tests.sitebuild import build_project, make_project, run_digest

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = run_digest("build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def offline_page(browser):
    """A page on which every request that is not to a local file is blocked and recorded."""
    context = browser.new_context()
    attempted: list[str] = []
    files_only(context, attempted)
    page = context.new_page()
    yield page, attempted
    context.close()
    assert attempted == [], f"the site tried to reach the network: {attempted}"


def test_site_opens_offline_from_disk(site, offline_page):
    page, _ = offline_page
    page.goto((site / "index.html").as_uri())
    expect(page.locator("article h1")).to_be_visible()
    assert "6" in page.locator("article").inner_text()
    expect(page.locator("article a[href$='themes/expulsions.html']").first).to_be_visible()


def search(page: Page, query: str):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=20)  # the search reacts to key presses
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=20_000)
    return results


def test_search_finds_article_by_dutch_word(site, offline_page):
    page, _ = offline_page
    page.goto((site / "index.html").as_uri())
    results = search(page, "accreditatie")
    hrefs = [a.get_attribute("href") for a in results.locator("a").all()]
    assert any("articles/004-9f455500eaf14fbe.html" in (h or "") for h in hrefs), hrefs


def test_search_uses_dutch_stemming(site, offline_page):
    page, _ = offline_page
    page.goto((site / "index.html").as_uri())
    # The article says "uitwijzingen" and "uitwijzing"; the stem finds both forms.
    results = search(page, "uitwijzingen")
    text = results.all_inner_texts()
    assert any("Rusland heeft de tweede man" in t for t in text), text


def test_theme_page_leads_to_article(site, offline_page):
    page, _ = offline_page
    page.goto((site / "themes" / "expulsions.html").as_uri())
    link = page.locator("article h3 a").first
    title = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/articles/[^/]+\.html$"))
    expect(page.locator("article h1")).to_have_text(re.compile("^" + re.escape(title) + "¶?$"))
    body = page.locator("article").inner_text()
    assert "Samenvatting" in body and "Volledige tekst" in body
    expect(page.locator("article a[href$='themes/expulsions.html']").first).to_be_visible()


HOSTILE = """---
title: "<img src=x onerror=alert(1)>"
date: 2022-03-01
---
Een <script>alert(1)</script> in de tekst. Een link [klik](javascript:alert(1)) hier.

Een sjabloon {{ 7*7 }} en {% raw %} blijven tekst. Rusland wijst drie diplomaten uit.
"""


def test_article_page_escapes_hostile_text(tmp_path, offline_page):
    project = make_project(tmp_path / "project", {"evil.md": HOSTILE})
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    page, _ = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((project / "site" / "articles" / "evil.html").as_uri())
    text = page.locator("article").inner_text()
    assert "<img src=x onerror=alert(1)>" in page.title()
    assert "<img src=x onerror=alert(1)>" in text
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text and "{% raw %}" in text
    assert "49" not in text
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("article script, article img").count() == 0
    assert dialogs == []


WIRE = (
    "---\ntitle: NAVO stuurt Russische diplomaten weg\ndate: 2018-03-27\nsource: {source}\n---\n"
    "De NAVO stuurt zeven Russische diplomaten weg. Hun accreditatie bij het bondgenootschap "
    "wordt ingetrokken. De permanente missie van Rusland mag nog uit twintig mensen bestaan. "
    "Secretaris-generaal Stoltenberg maakte de maatregel vandaag bekend in Brussel. Die is een "
    "reactie op de aanslag met zenuwgas in Salisbury. Moskou ontkent elke betrokkenheid.\n"
)
RELATED = (
    "---\ntitle: Rusland zet zestig Amerikaanse diplomaten uit\ndate: 2018-03-29\n---\n"
    "Rusland zet zestig Amerikaanse diplomaten uit. Moskou reageert op de uitwijzing van "
    "Russische diplomaten na de aanslag met zenuwgas in Salisbury. Ook het consulaat in "
    "Sint-Petersburg moet dicht. De Verenigde Staten noemen de uitwijzing onterecht.\n"
)


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("linked") / "project", {
        "anp.md": WIRE.format(source="ANP"),
        "nos.md": WIRE.format(source="NOS"),
        "moskou.md": RELATED,
    })
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_theme_page_opens_with_a_digest_that_links_to_its_articles(linked_site, offline_page):
    page, _ = offline_page
    page.goto((linked_site / "themes" / "expulsions.html").as_uri())
    digest = page.locator("article h2").first
    expect(digest).to_have_text(re.compile("^In het kort"))
    lines = page.locator("article h2 + ul > li")
    texts = lines.all_inner_texts()
    assert 1 <= len(texts) <= 5
    assert len({t.split(" (")[0] for t in texts}) == len(texts), texts
    assert sum("De NAVO stuurt zeven Russische diplomaten weg" in t for t in texts) <= 1, texts
    lines.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/articles/(anp|nos|moskou)\.html$"))


def test_theme_page_lists_a_story_once_with_both_sources(linked_site, offline_page):
    page, _ = offline_page
    page.goto((linked_site / "themes" / "expulsions.html").as_uri())
    titles = page.locator("article h3").all_inner_texts()
    assert sum("NAVO stuurt Russische diplomaten weg" in t for t in titles) == 1, titles
    copy = page.locator("article p", has_text="Hetzelfde verhaal ook in").locator("a")
    expect(copy).to_have_count(1)
    assert copy.inner_text().startswith(("ANP", "NOS"))


def test_article_page_lists_related_articles_and_the_other_copy(linked_site, offline_page):
    page, _ = offline_page
    page.goto((linked_site / "articles" / "moskou.html").as_uri())
    related = page.locator("h2:has-text('Verwante artikelen') + ul > li")
    expect(related).to_have_count(1)
    assert "Hetzelfde verhaal ook in" in related.inner_text()
    related.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/(anp|nos)\.html$"))
    expect(page.locator("article li", has_text="Hetzelfde verhaal ook in")).to_have_count(1)
