"""The search as a reader uses it: sites built with the real `digest build`, opened from disk
in headless Chromium with every request that is not to a local file blocked and recorded.

The box, its keys and its results are mkdocs-material's (`.md-search__input`,
`.md-search-result__item`); the answers come from the digest's split index under `search/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import files_only
from tests.sitebuild import build_project, make_project

pytestmark = pytest.mark.browser

# Generous for a loaded test machine; the search answers in far less.
ANSWER_MS = 10_000


def article(title: str, date: str, text: str, source: str | None = None,
            themes: list[str] | None = None) -> str:
    """An article file with front matter."""
    lines = ["---", f"title: {title!r}", f"date: {date}"]
    if source:
        lines.append(f"source: {source}")
    if themes is not None:
        lines.append(f"themes: [{', '.join(themes)}]")
    return "\n".join([*lines, "---", text, ""])


DUTCH = {
    # Says "diplomaat", never "diplomaten".
    "diplomaat.md": article(
        "Moskou stuurt Nederlandse diplomaat het land uit", "2022-04-12",
        "Het Russische ministerie van Buitenlandse Zaken verklaart een Nederlandse diplomaat tot "
        "persona non grata. De diplomaat moet binnen twee weken vertrekken. Den Haag noemt de "
        "stap ongegrond en beraadt zich op een antwoord.",
        source="NOS", themes=["expulsions"]),
    # "zware artillerie" as a phrase, and "Oekraïne" with its diaeresis.
    "grens.md": article(
        "Satellietbeelden tonen tanks bij de grens met Oekraïne", "2021-11-20",
        "Nieuwe satellietbeelden laten honderden tanks en zware artillerie zien op een "
        "oefenterrein vlak bij de grens met Oekraïne. Analisten tellen ook veldhospitalen en "
        "brandstofdepots. Kiev vraagt de bondgenoten om steun.",
        source="ANP", themes=["troop-build-up"]),
    # Both words of the phrase, apart.
    "regen.md": article(
        "Regen legt legeroefening bij Assen stil", "2021-10-03",
        "De artillerie van de landmacht bleef in de kazerne. Zware regenval zette het "
        "oefenterrein bij Assen onder water, meldt een woordvoerder.",
        themes=[]),
    # Gazprom: three in the sanctions theme (two of 2022, one of 2021), one in no theme.
    "gazprom-banken.md": article(
        "EU bevriest tegoeden van banken die voor Gazprom werken", "2022-02-28",
        "De Europese Unie bevriest de tegoeden van drie banken die betalingen voor Gazprom "
        "afhandelen. Ook de uitvoer van onderdelen voor pijpleidingen wordt verboden. Brussel "
        "wil zo de inkomsten van het Kremlin raken.",
        source="Reuters", themes=["sanctions"]),
    "gazprom-investeringen.md": article(
        "Verenigde Staten verbieden investeringen in Gazprom", "2022-06-15",
        "Amerikaanse bedrijven mogen niet langer investeren in nieuwe projecten van Gazprom. Het "
        "ministerie van Financiën zet ook twaalf bestuurders van het concern op een zwarte lijst.",
        source="ANP", themes=["sanctions"]),
    "gazprom-schepen.md": article(
        "Washington straft schepen die een gasleiding aanleggen", "2021-08-20",
        "De Amerikaanse regering legt strafmaatregelen op aan vier schepen die buizen leggen voor "
        "een gasleiding van Gazprom. Duitsland betreurt het besluit.",
        source="NOS", themes=["sanctions"]),
    "gazprom-voetbal.md": article(
        "Voetbalbond stopt met sponsor Gazprom", "2022-05-28",
        "De Europese voetbalbond beëindigt het sponsorcontract met Gazprom. De finale van het "
        "toernooi verhuist van Sint-Petersburg naar Parijs.",
        source="AD", themes=[]),
    # Article text is data, in the results as everywhere.
    "kremlin.md": article(
        "<img src=x onerror=alert(1)> Kremlin zwijgt", "2022-03-02",
        "Het Kremlin <script>alert(1)</script> geeft geen commentaar op de berichten over de "
        "onderhandelingen.",
        themes=[]),
}

ENGLISH = {
    # Says "sanctions", never "sanctioned".
    "steel.md": article(
        "EU adopts new sanctions on Russian steel", "2022-03-15",
        "The European Union adopted new sanctions on Russian steel and iron. The measures ban "
        "imports worth billions of euros a year, officials in Brussels said.",
        source="Reuters", themes=["sanctions"]),
    "envoy.md": article(
        "Norway tells a Russian envoy to leave", "2023-01-09",
        "Norway told a Russian envoy to leave the country within a week. The foreign ministry "
        "in Oslo gave no further reasons.",
        source="AP", themes=["expulsions"]),
}


@dataclass
class Reader:
    """A browser tab on the built site that records what a reader must never see: a request
    to the network, a file the site asks for and does not have, a dialog, a script error."""

    page: Page
    requests: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Reader:
        self.page.goto(path.as_uri())
        return self

    def box(self) -> Locator:
        return self.page.locator("input.md-search__input")

    def results(self) -> Locator:
        return self.page.locator(".md-search-result__item")

    def meta(self) -> Locator:
        return self.page.locator(".md-search-result__meta")

    def type(self, query: str) -> Locator:
        """Type `query` into the search box, key by key, and wait for its first result."""
        box = self.box()
        box.click()
        box.fill("")
        box.press_sequentially(query, delay=20)
        expect(self.results().first).to_be_visible(timeout=ANSWER_MS)
        return self.results()

    def hrefs(self) -> list[str]:
        return [link.get_attribute("href") or ""
                for link in self.page.locator(".md-search-result__item > a").all()]

    def article_names(self) -> set[str]:
        """The articles among the results, by file name."""
        return {m.group(1) for href in self.hrefs()
                if (m := re.search(r"articles/([^/]+)\.html$", href)) and m.group(1) != "index"}

    def filter(self, label: str) -> Locator:
        return self.page.locator(".digest-search__filter", has_text=re.compile(
            "^" + re.escape(label) + r"\s*\d+$"))


@pytest.fixture
def reader(browser):
    context = browser.new_context()
    page = context.new_page()
    reader = Reader(page)
    files_only(context, reader.requests)
    page.on("dialog", lambda dialog: (reader.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: reader.errors.append(str(error)))
    page.on("requestfailed", lambda request: reader.missing.append(request.url)
            if request.url.startswith("file://") else None)
    page.on("requestfinished", lambda request: reader.loaded.append(request.url))
    yield reader
    context.close()
    assert reader.requests == [], f"the site tried to reach the network: {reader.requests}"
    assert reader.missing == [], f"the site asked for files it does not have: {reader.missing}"
    assert reader.dialogs == [], f"a dialog opened: {reader.dialogs}"
    assert reader.errors == [], f"script errors: {reader.errors}"


def build_site(folder: Path, articles: dict[str, str], language: str = "nl",
               digest_settings: str = "") -> Path:
    """A site built with `digest build` from `articles`, in `language`, with extra lines for
    the `digest:` settings of its mkdocs.yml; returns the site folder."""
    project = make_project(folder, articles)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s+language:) nl$", rf"\1 {language}", text)
    text = text.replace("\n  digest:\n", "\n  digest:\n" + digest_settings, 1)
    config.write_text(text, encoding="utf-8")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def dutch_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("dutch") / "project", DUTCH)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("english") / "project", ENGLISH, language="en")


# --- finding -----------------------------------------------------------------------------------

def test_search_shows_results_with_title_date_source_and_themes(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("diplomaat")
    item = reader.page.locator(".md-search-result__item",
                               has=reader.page.locator("a[href$='articles/diplomaat.html']"))
    expect(item).to_have_count(1)
    expect(item.locator("h1")).to_have_text("Moskou stuurt Nederlandse diplomaat het land uit")
    text = item.inner_text()
    assert "12 april 2022" in text and "NOS" in text, text
    expect(item.locator(".md-tag")).to_have_text(["Uitwijzingen van diplomaten"])
    expect(item.locator("mark").first).to_have_text(re.compile("^diplomaat$", re.I))
    expect(reader.meta()).to_contain_text(re.compile(r"\d+ overeenkomende documenten|"
                                                     r"1 overeenkomende document"))


def test_search_finds_a_word_by_its_stem(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("diplomaten")
    assert "diplomaat" in reader.article_names(), reader.hrefs()


def test_search_ignores_accents(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("Oekraine")
    assert "grens" in reader.article_names(), reader.hrefs()
    item = reader.page.locator(".md-search-result__item",
                               has=reader.page.locator("a[href$='articles/grens.html']"))
    expect(item.locator("mark", has_text="Oekraïne").first).to_be_visible()


def test_search_finds_a_word_while_it_is_typed(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("Gazpr")
    assert {"gazprom-banken", "gazprom-investeringen"} <= reader.article_names(), reader.hrefs()


def test_search_refines_with_every_key(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("zware")
    assert {"grens", "regen"} <= reader.article_names()
    reader.box().press_sequentially(" artillerie vlak", delay=20)
    expect(reader.page.locator(".md-search-result__item a[href$='articles/regen.html']")) \
        .to_have_count(0, timeout=ANSWER_MS)
    assert reader.article_names() == {"grens"}, reader.hrefs()


def test_search_finds_a_quoted_phrase_only_as_a_phrase(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("zware artillerie")
    assert {"grens", "regen"} <= reader.article_names(), reader.hrefs()
    reader.type('"zware artillerie"')
    expect(reader.page.locator(".md-search-result__item a[href$='articles/regen.html']")) \
        .to_have_count(0, timeout=ANSWER_MS)
    assert "grens" in reader.article_names(), reader.hrefs()


def test_search_ranks_articles_before_listing_pages(dutch_site, reader):
    # The theme page has the word in its description, the article in its text.
    reader.open(dutch_site / "index.html").type("strafmaatregelen")
    kinds = ["article" if re.search(r"articles/(?!index\.html)[^/]+\.html$", href) else "listing"
             for href in reader.hrefs()]
    assert kinds == ["article", "listing"], reader.hrefs()
    assert reader.article_names() == {"gazprom-schepen"}
    assert reader.hrefs()[1].endswith("themes/sanctions.html")


# --- filters -----------------------------------------------------------------------------------

def test_filters_narrow_by_theme_and_year_with_one_click_each(dutch_site, reader):
    # "Sanctions articles about Gazprom in 2022": two clicks.
    reader.open(dutch_site / "index.html").type("Gazprom")
    sanctions = reader.filter("Sancties")
    expect(sanctions).to_have_count(1)
    in_theme = int(sanctions.locator(".digest-search__count").inner_text())
    assert in_theme >= 3
    expect(sanctions).to_have_attribute("aria-pressed", "false")
    sanctions.click()
    expect(reader.filter("Sancties")).to_have_attribute("aria-pressed", "true")
    expect(reader.meta()).to_contain_text(f"{in_theme} overeenkomende", timeout=ANSWER_MS)
    assert reader.article_names() == {"gazprom-banken", "gazprom-investeringen",
                                      "gazprom-schepen"}
    year = reader.filter("2022")
    expect(year).to_have_count(1)
    expect(reader.filter("2021").locator(".digest-search__count")).to_have_text("1")
    in_year = int(year.locator(".digest-search__count").inner_text())
    year.click()
    expect(reader.filter("2022")).to_have_attribute("aria-pressed", "true")
    expect(reader.meta()).to_contain_text(f"{in_year} overeenkomende", timeout=ANSWER_MS)
    assert reader.article_names() == {"gazprom-banken", "gazprom-investeringen"}
    for item in reader.results().all():
        assert "2022" in item.inner_text() and "Sancties" in item.inner_text()
    # One more click lifts a filter again.
    reader.filter("2022").click()
    expect(reader.meta()).to_contain_text(f"{in_theme} overeenkomende", timeout=ANSWER_MS)


# --- keys and links ----------------------------------------------------------------------------

def test_slash_focuses_the_box_and_arrows_and_enter_open_a_result(dutch_site, reader):
    page = reader.open(dutch_site / "themes" / "sanctions.html").page
    page.locator("article h1").click()  # the page, not the box, has the focus
    page.keyboard.press("/")
    expect(reader.box()).to_be_focused()
    page.keyboard.type("diplomaat", delay=20)
    expect(reader.results().first).to_be_visible(timeout=ANSWER_MS)
    first = reader.hrefs()[0]
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result__item > a").first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(reader.box()).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(first.split("/")[-1]) + "$"))


def test_s_focuses_the_box_and_escape_closes_the_search(dutch_site, reader):
    page = reader.open(dutch_site / "index.html").page
    page.keyboard.press("s")
    expect(reader.box()).to_be_focused()
    expect(reader.box()).to_have_value("")
    assert page.locator("#__search").is_checked()
    page.keyboard.type("Gazprom", delay=20)
    expect(reader.results().first).to_be_visible(timeout=ANSWER_MS)
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    expect(reader.box()).not_to_be_focused()
    expect(page.locator(".md-search__output")).to_be_hidden()


def test_enter_in_the_box_opens_the_first_result(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("persona non grata")
    first = reader.hrefs()[0]
    reader.box().press("Enter")
    expect(reader.page).to_have_url(re.compile(re.escape(first.split("/")[-1]) + "$"))


def test_a_result_opens_its_article_from_a_page_below_the_root(dutch_site, reader):
    page = reader.open(dutch_site / "articles" / "regen.html").page
    reader.type("Voetbalbond")
    page.locator(".md-search-result__item a[href$='articles/gazprom-voetbal.html']").click()
    expect(page).to_have_url(re.compile(r"/articles/gazprom-voetbal\.html$"))
    expect(page.locator("article h1")).to_have_text(re.compile("^Voetbalbond stopt met sponsor"))


def test_search_shows_article_text_as_text(dutch_site, reader):
    reader.open(dutch_site / "index.html").type("Kremlin")
    item = reader.page.locator(".md-search-result__item",
                               has=reader.page.locator("a[href$='articles/kremlin.html']"))
    expect(item.locator("h1")).to_contain_text("<img src=x onerror=alert(1)> Kremlin zwijgt")
    assert reader.page.locator(".md-search-result img, .md-search-result script").count() == 0


# --- an English site ---------------------------------------------------------------------------

def test_english_site_searches_with_english_stems_and_words(english_site, reader):
    reader.open(english_site / "index.html")
    expect(reader.box()).to_have_attribute("placeholder", "Search")
    reader.type("sanctioned")
    assert "steel" in reader.article_names(), reader.hrefs()
    expect(reader.meta()).to_contain_text(re.compile(r"matching document"))
    expect(reader.page.locator(".digest-search__facet-name")).to_have_text(["Themes", "Year"])


# --- a split index -----------------------------------------------------------------------------

SUBJECTS = ("tanks", "schepen", "vliegtuigen", "drones", "raketten", "soldaten", "konvooien",
            "helikopters")
PLACES = ("Koersk", "Belgorod", "Brest", "Minsk", "Rostov", "Voronezj", "Pskov", "Smolensk")


def many_articles(count: int) -> dict[str, str]:
    """`count` short articles of their own words, one of which mentions a zeppelin."""
    articles = {}
    for i in range(count):
        subject, place = SUBJECTS[i % len(SUBJECTS)], PLACES[(i // len(SUBJECTS)) % len(PLACES)]
        text = (f"Bij {place} zijn volgens waarnemers {10 + i} {subject} gezien. "
                f"Het is bericht {i} over de troepen bij {place}, geschreven op dag {i}.")
        if i == count - 7:
            text += " Boven de stad hing zelfs een zeppelin."
        articles[f"bericht-{i:03d}.md"] = article(
            f"Waarnemers zien {subject} bij {place} ({i})", f"20{18 + i % 5}-0{1 + i % 9}-1{i % 9}",
            text)
    return articles


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("split") / "project", many_articles(120),
                      digest_settings="    search_part_kb: 1\n")


def test_split_index_answers_and_loads_only_the_parts_it_needs(split_site, reader):
    parts = [p for p in (split_site / "search").rglob("*") if p.is_file()]
    assert len(parts) >= 10, parts
    reader.open(split_site / "index.html").type("zeppelin")
    assert reader.article_names() == {"bericht-113"}, reader.hrefs()
    index = (split_site / "search").as_uri() + "/"
    loaded = [url for url in reader.loaded if url.startswith(index)]
    assert 0 < len(loaded) < len(parts), loaded
    reader.type("Koersk")
    expect(reader.meta()).to_contain_text(re.compile(r"\d+ overeenkomende documenten"))
