"""An English digest built with the real MkDocs: every word of its interface, its dates and its
search follow `theme.language: en`, and nothing Dutch is left in its pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import material
import pytest
import yaml

from generator.model import MONTHS_EN, MONTHS_NL
from generator.search import STOP_WORDS
from tests.sitebuild import ROOT, build_project, make_project

STORIES = Path(__file__).parent / "fixtures" / "related_en.jsonl"
# English stories from the related-articles fixture, and one without a date.
PICKED = ("ev-duties", "ev-brandy", "ev-carmakers", "ev-talks", "port-attack", "port-blame",
          "port-denial", "port-sanctions", "bakery")
UNDATED = "bakery"
THEMES = """\
themes:
  - slug: trade
    title: Trade disputes
    description: States raise duties on each other's goods, or answer them.
    vocabulary:
      en:
        - duty|duties|tariff + car|cars|brandy
  - slug: cyber-attacks
    title: Cyber-attacks
    description: States or groups attack computer systems.
    vocabulary:
      en:
        - ransomware|hacker|hackers|hacking|hack
        - attack + computer|port
"""


def english_project(folder: Path) -> Path:
    rows = {row["id"]: row for row in map(json.loads, STORIES.read_text("utf-8").splitlines())}
    articles: dict[str, bytes | str] = {}
    for name in PICKED:
        row = rows[name]
        front = {"title": row["title"], "language": "en", "source": "Wire"}
        if name != UNDATED:
            front["date"] = row["date"]
        articles[f"{name}.md"] = f"---\n{yaml.safe_dump(front)}---\n{row['text']}\n"
    project = make_project(folder, articles, themes=THEMES)
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    config["site_name"] = "Trade and cyber news"
    config["site_description"] = "News on trade disputes and cyber-attacks."
    config["theme"]["language"] = "en"
    # Parts of two articles, so that the pagers are built too.
    config["extra"]["digest"]["per_page"] = 2
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return project


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    project = english_project(tmp_path_factory.mktemp("english"))
    result = build_project(project, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def dutch_interface_words() -> set[str]:
    """Every interface text of the site in Dutch where English says something else: our
    labels (`labels.yml`), the search box's own words, Material's Dutch words, month names."""
    labels = yaml.safe_load((ROOT / "theme" / "templates" / "labels.yml").read_text("utf-8"))
    words = {value["nl"] for value in labels.values() if value["nl"] != value["en"]}
    search_box = (ROOT / "theme" / "overrides" / "partials" / "digest-search.html").read_text()
    nl_words = re.search(r'"nl": \{(.*?)\}', search_box)
    assert nl_words
    words |= set(re.findall(r'"[a-z]+": "([^"]+)"', nl_words.group(1)))
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    material_en = dict(re.findall(r'"([\w.]+)": "([^"]*)"', (languages / "en.html").read_text()))
    material_nl = dict(re.findall(r'"([\w.]+)": "([^"]*)"', (languages / "nl.html").read_text()))
    words |= {text for key, text in material_nl.items()
              if text != material_en.get(key) and key != "language"}
    words |= set(MONTHS_NL)
    # Words that English writes the same way (`in`, `November`, `Footer`) say nothing.
    english = {text.lower() for text in [*material_en.values(), *MONTHS_EN,
                                         *(value["en"] for value in labels.values())]}
    return {word for word in words if len(word) > 2 and word.lower() not in english}


def visible_text(page: Path) -> str:
    """What a reader sees of a page and what its attributes say: the HTML without scripts,
    styles and the icons' drawings, tags made spaces, entities read."""
    source = page.read_text(encoding="utf-8")
    source = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", source, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt|data-words)="([^"]*)"',
                                     source))
    return html.unescape(re.sub(r"<[^>]+>", " ", source) + " " + attributes)


def test_english_site_has_no_dutch_interface_word(english_site):
    words = dutch_interface_words()
    assert {"Tijdlijn", "Zonder datum", "maart", "Zoeken"} <= words  # the lists were read
    patterns = {word: re.compile(r"(?<!\w)" + re.escape(word).replace("%d", r"\d+") + r"(?!\w)",
                                 re.IGNORECASE) for word in words}
    pages = sorted(english_site.rglob("*.html"))
    assert len(pages) > 10
    found = {
        (page.relative_to(english_site).as_posix(), word)
        for page in pages
        for text in [visible_text(page)]
        for word, pattern in patterns.items()
        if pattern.search(text)
    }
    assert found == set()


def test_english_site_pages_are_marked_english(english_site):
    for page in english_site.rglob("*.html"):
        assert '<html lang="en"' in page.read_text(encoding="utf-8"), page


def test_english_site_shows_dates_in_english(english_site):
    article = visible_text(english_site / "articles" / "ev-duties.html")
    assert "4 October 2024" in article
    timeline = visible_text(english_site / "timeline.html")
    assert "October 2024" in timeline and "December 2024" in timeline
    assert "Undated" in visible_text(english_site / "timeline" / "2.html")
    home = visible_text(english_site / "index.html")
    assert re.search(r"Period: \d+ \w+ 2024 – \d+ \w+ 2024", home)
    for month in re.findall(r"\d+ (\w+) 2024", home + article + timeline):
        assert month in MONTHS_EN


def test_english_site_search_uses_english_settings(english_site):
    manifest = (english_site / "search" / "manifest.js").read_text(encoding="utf-8")
    data = json.loads(manifest[manifest.index("{"): manifest.rindex("}") + 1])
    assert data["language"] == "en"
    assert data["stopWords"] == sorted(STOP_WORDS["en"])
    themes = dict(data["themes"])
    assert themes["other"] == "Other" and themes["trade"] == "Trade disputes"
    documents = [(english_site / "search" / "docs").glob("*.js")]
    texts = "".join(path.read_text(encoding="utf-8") for found in documents for path in found)
    assert '"dateDisplay": "4 October 2024"' in texts or '"dateDisplay":"4 October 2024"' in texts
    # The postings hold English stems: `duties` and `duty` are one term, `dutie` none.
    postings = "".join(path.read_text(encoding="utf-8")
                       for path in (english_site / "search").rglob("terms*/*.js"))
    postings += "".join(path.read_text(encoding="utf-8")
                        for path in (english_site / "search").glob("terms*.js"))
    assert '"duti"' in postings and '"dutie"' not in postings
