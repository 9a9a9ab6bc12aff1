"""Hostile input: text that tries to run script or reach the network from the built site, and
files that try to break the build or lose an article.

Both go through the real `digest build`; the site is read in headless Chromium, from disk,
with every request that is not to a local file blocked and recorded.
"""

from __future__ import annotations

import html
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import files_only
from tests.sitebuild import build_project, make_project

# What the build report must say about each bad file: fragments of the reason after its path.
# Only what the behaviour fixes is asserted: the file's name always, the date and its line
# (line numbers count the file's lines, `---` being line 1), the messages that
# tests/test_build.py already pins, and the key words of the messages for a repeated key and
# a link out of the content folder as the robust build (fbed7ad) words them: align them here
# if those messages change. An empty tuple: the file must be named, with whatever reason.
REPORTED: dict[str, tuple[str, ...]] = {
    "empty.txt": ("the file is empty",),
    "whitespace.txt": (),
    "nul-bytes.txt": ("binary",),
    "image.txt": ("binary file (it contains NUL bytes), not text",),
    "garbled.txt": ("cannot be decoded as UTF-8 or Windows-1252",),
    "utf16-truncated.txt": (),
    "date-month-13.md": ("line 3", "2024-13-45"),
    "date-month-13-quoted.md": ("line 3", "2024-13-45"),
    "date-feb-30.md": ("line 3", "2022-02-30"),
    "date-feb-30-quoted.md": ("line 3", "2022-02-30"),
    "date-feb-30-time.md": ("line 3", "2022-02-30"),
    "date-feb-30-iso-time.md": ("line 3", "2022-02-30"),
    "duplicate-key.md": ("line 4", "'title'", "given twice"),
    "unknown-key.md": (),
    "title-list.md": (),
    "unclosed.md": (),
    "passwd-link.txt": ("outside the content folder",),
    "elsewhere": ("outside the content folder",),  # a linked folder
}
# Bad files that must not be built: the behaviour says they are skipped.
SKIPPED = ("empty.txt", "image.txt", "garbled.txt", "nul-bytes.txt", "duplicate-key.md",
           "passwd-link.txt")
# Inputs that may be built or reported, as long as the build finishes in time.
BUILT_OR_REPORTED = ("yaml-bomb.md", "huge-front-matter.md", "one-line-1mb.txt")
# Files a user never wrote as articles: neither read, nor reported, nor published.
IGNORED = (".DS_Store", "notes.txt~", ".~lock.goed-b.md#", ".hidden.txt", ".#goed-a.txt")
# The whole hostile build, 1 MB line and YAML bomb included, takes "seconds".
BUILD_SECONDS_MAX = 60

# Characters the cleaner removes: C0 controls but tab and newline, DEL, bidi embeddings,
# overrides and isolates.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

# --- hostile text in every field that reaches a page ------------------------------------------

HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
HOSTILE_MD = (
    "---\n"
    # YAML escapes: \u202E right-to-left override, \a bell, \e escape.
    'title: "<script>alert(1)</script> {{ 7*7 }} {% raw %} \\u202Eesrever\\a\\e[31m"\n'
    'source: "<img src=x onerror=alert(1)> \\"><svg onload=alert(1)> &amp; `tik` \\u202E"\n'
    'url: "javascript:alert(1)"\n'
    "date: 2022-03-01\n"
    'themes: [expulsions, "\\"><svg onload=alert(1)>"]\n'
    "---\n"
    "Rusland wijst drie Nederlandse diplomaten uit <script>alert(1)</script> na een ruzie "
    "in Moskou.\n\n"
    "Het ministerie beveelt de diplomaten <img src=x onerror=alert(1)> binnen een week het "
    "land te verlaten.\n\n"
    '## Tussenkop "><svg onload=alert(1)> {: onclick="alert(1)" }\n\n'
    "De ambassadeur werd ontboden. Sjabloon: {{ 7*7 }} en {% raw %} en {{ config }} "
    "blijven tekst.\n\n"
    "Een link [klik](javascript:alert(1)) en <a href=\"javascript:alert(1)\">hier</a> en "
    "<a href=\" &#106;avascript:alert(1)\">daar</a> en <a href=\"JaVaScRiPt:alert(1)\">"
    "ginds</a> en [ref][1].\n\n"
    "[1]: javascript:alert(1)\n\n"
    "Een frame <iframe src=http://example.com></iframe> en een plaatje "
    "![x](http://example.com/p.png) en <img src=\"http://example.com/q.png\"> en "
    "<link rel=stylesheet href=http://example.com/s.css>.\n\n"
    "Entiteiten: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62; &#x3C;i&#x3E;.\n\n"
    "Een alinea met attributen.\n"
    '{: onclick="alert(1)" }\n\n'
    "Backticks `<script>alert(1)</script>` en ``<img src=x onerror=alert(1)>`` en "
    "```<svg onload=alert(1)>```.\n\n"
    "Richting \u202eomgekeerd\u202c en controle\x07tekens \x1b[31mrood\x1b[0m.\n\n"
    "<details open ontoggle=alert(1)>open</details> <body onload=alert(1)> "
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"> '
    "<style>body{background:url(http://example.com/bg.png)}</style> "
    '<form action="javascript:alert(1)"><button>Verstuur</button></form>\n\n'
    "Het ministerie zegt dat de diplomaten ongewenst persoon zijn.\n"
)
URL_MD = (
    "---\ntitle: Adres {n} <svg onload=alert(1)>\ndate: 2022-02-0{n}\nurl: {url}\n---\n"
    "Oekraïne zet {n} Russische diplomaten uit. Zij moeten binnen drie dagen vertrekken, "
    "meldt het ministerie in Kyiv. Het gaat om spionage, zegt de minister.\n"
)
HOSTILE_URLS = (
    '"data:text/html,<script>alert(1)</script>"',
    '" JaVaScRiPt:alert(1)"',
    '"http://example.com/\\"><script>alert(1)</script>"',
    '"vbscript:msgbox(1)"',
)
ENTITIES_MD = (
    "---\ntitle: \"Tom &amp; Jerry &lt;b&gt;vet&lt;/b&gt; &#x6A;avascript:alert(1)\"\n"
    "date: 2022-01-15\n---\n"
    "Polen stuurt een Russische consul weg. Hij moet het land binnen een week verlaten.\n"
)
# File names valid on Linux that are markup, script or template themselves.
HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>.txt",
    '"><svg onload=alert(1)>.txt',
    "javascript:alert(1).txt",
    "it's a \"quote\" & more.txt",
    "{{ 7*7 }}.txt",
    "[x](javascript:alert(1)).txt",
)
NAMED_TXT = (
    "<svg onload=alert(1)> Litouwen stuurt diplomaten weg\n\n"
    "Litouwen stuurt {n} Russische diplomaten weg. Zij moeten het land binnen vijf dagen "
    "verlaten <img src=x onerror=alert(1)>. De ambassade in Vilnius bevestigt het bericht.\n"
)


def hostile_articles() -> dict[str, str]:
    articles = {"hostile.md": HOSTILE_MD, "entities.md": ENTITIES_MD}
    for n, url in enumerate(HOSTILE_URLS, start=1):
        articles[f"url-{n}.md"] = URL_MD.format(n=n, url=url)
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        articles[name] = NAMED_TXT.format(n=n + 1)
    return articles


# Everything on a page that could run script, leave the site, or load from the network.
DOM_PROBLEMS = """() => {
  const problems = [];
  const allowed = ['file:', 'http:', 'https:'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${el.tagName} has ${name}="${attr.value}"`);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster'].includes(name)) {
        const squeezed = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
        let scheme = null;
        try { scheme = new URL(attr.value, document.baseURI).protocol; } catch (e) {}
        if (squeezed.startsWith('javascript:') || (scheme && !allowed.includes(scheme)))
          problems.push(`${el.tagName} ${name}="${attr.value}"`);
      }
    }
  }
  for (const script of document.scripts)
    if ((script.textContent + script.src).includes('alert'))
      problems.push(`script: ${script.outerHTML.slice(0, 200)}`);
  // The one <details> of our own: the near misses, holding nothing but text in a list.
  const embedded = 'iframe[src], object, embed, meta[http-equiv="refresh" i], ' +
    'article img, article iframe, article form, article style, article link, ' +
    'article details:not(.near-misses), article details details, ' +
    'article details.near-misses :not(summary, ul, li, strong)';
  for (const el of document.querySelectorAll(embedded))
    problems.push(`element: ${el.outerHTML.slice(0, 200)}`);
  return problems;
}"""


@dataclass
class Reader:
    """One browser page reused for every visit, with what it tried to do behind our back."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def visit(self, page: Path | str) -> list[str]:
        """Open a page (a file or a file:// address); the DOM problems found on it."""
        self.page.goto(page.as_uri() if isinstance(page, Path) else page)
        self.page.wait_for_load_state("load")
        return self.dom_problems()

    def dom_problems(self) -> list[str]:
        return self.page.evaluate(DOM_PROBLEMS)

    def text(self) -> str:
        return self.page.evaluate("() => document.title + '\\n' + document.body.innerText")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", hostile_articles())
    result = build_project(project)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    return project / "site"


@pytest.fixture(scope="module")
def reader(browser):
    context = browser.new_context()
    page = context.new_page()
    reader = Reader(page)
    files_only(context, reader.requests)
    page.on("dialog", lambda dialog: (reader.dialogs.append(dialog.message),
                                      dialog.dismiss()))
    yield reader
    context.close()


@pytest.mark.browser
def test_hostile_pages_run_no_script_and_load_nothing(hostile_site, reader):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 5 + len(HOSTILE_NAMES) + len(HOSTILE_URLS)
    problems: list[str] = []
    texts: dict[str, str] = {}
    for page in pages:
        shown = page.relative_to(hostile_site).as_posix()
        problems += [f"{shown}: {p}" for p in reader.visit(page)]
        texts[shown] = text = reader.text()
        if found := INVISIBLE.findall(text):
            problems.append(f"{shown}: shows control or bidi characters {found!r}")
        if re.search(r"Sjabloon: 49|alert\(1\)</script> 49|^49\.txt", text, re.MULTILINE):
            problems.append(f"{shown}: a template was evaluated ('49' shown)")
    assert not problems, "\n".join(problems)
    assert reader.dialogs == []
    assert reader.requests == []
    # Every page that shows the hostile article's title shows it as written.
    for shown in ("index.html", "timeline.html", "articles/index.html",
                  "themes/expulsions.html", "articles/hostile.html"):
        assert HOSTILE_TITLE in texts[shown], shown
    # Each hostile file name is shown, as text, on the page of its article.
    article_texts = [t for shown, t in texts.items() if shown.startswith("articles/")]
    for name in HOSTILE_NAMES:
        assert any(name in text for text in article_texts), name


@pytest.mark.browser
def test_hostile_article_page_shows_the_text_as_written(hostile_site, reader):
    assert reader.visit(hostile_site / "articles" / "hostile.html") == []
    page = reader.page
    h1 = page.locator("article h1").inner_text()
    assert h1.startswith(HOSTILE_TITLE + " esrever"), repr(h1)
    assert HOSTILE_TITLE in page.title()
    body = page.locator("article").inner_text()
    for written in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                    "Sjabloon: {{ 7*7 }} en {% raw %} en {{ config }}",
                    "[klik](javascript:alert(1))", '<a href="javascript:alert(1)">hier</a>',
                    "<iframe src=http://example.com></iframe>",
                    "![x](http://example.com/p.png)", "&lt;script&gt;", '{: onclick="alert(1)" }',
                    "`<script>alert(1)</script>`", "javascript:alert(1)",
                    "<img src=x onerror=alert(1)> \"><svg onload=alert(1)> &amp; `tik`"):
        assert written in body, written
    assert INVISIBLE.findall(body) == []
    # An address that is not http(s) is shown, never linked.
    for n, scheme in ((None, "javascript:"), (1, "data:"), (2, "JaVaScRiPt:"), (4, "vbscript:")):
        if n is not None:
            assert reader.visit(hostile_site / "articles" / f"url-{n}.html") == []
        url_line = page.locator("article li", has_text="Oorspronkelijke publicatie")
        assert scheme in url_line.inner_text()
        assert url_line.locator("a").count() == 0, scheme
    assert reader.visit(hostile_site / "articles" / "url-3.html") == []
    link = page.locator("article li", has_text="Oorspronkelijke publicatie").locator("a")
    assert link.get_attribute("href").startswith("http://example.com/")
    assert reader.visit(hostile_site / "articles" / "entities.html") == []
    assert page.locator("article h1").inner_text().startswith(
        "Tom &amp; Jerry &lt;b&gt;vet&lt;/b&gt; &#x6A;avascript:alert(1)")
    assert reader.dialogs == []
    assert reader.requests == []


def search_for(page: Page, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10)  # the search reacts to key presses
    # "N overeenkomende documenten" or "Geen overeenkomende documenten": the search ran.
    expect(page.locator(".md-search-result__meta")).to_contain_text(
        "overeenkomende", timeout=20_000)


@pytest.mark.browser
def test_hostile_search_runs_no_script(hostile_site, reader):
    assert reader.visit(hostile_site / "index.html") == []
    search_for(reader.page, "<img src=x onerror=alert(1)>")
    assert reader.dom_problems() == []
    assert reader.dialogs == []
    # Results that quote the hostile text, rendered from the search index.
    search_for(reader.page, "Sjabloon")
    results = reader.page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=20_000)
    assert reader.dom_problems() == []
    results.first.locator("a").first.click()
    reader.page.wait_for_load_state("load")
    assert reader.dom_problems() == []
    assert reader.dialogs == []
    assert reader.requests == []


# --- hostile files beside good ones ----------------------------------------------------------

def sentences(subject: str, count: int) -> str:
    return " ".join(
        f"{subject} meldt op dag {i} dat de haven van Rotterdam {i * 7 % 97} schepen telde."
        for i in range(count)
    )


GOOD_TEXT = (
    "Rusland wijst drie Nederlandse diplomaten uit. Zij moeten het land binnen een week "
    "verlaten, meldt het ministerie in Moskou. De ambassade bevestigt het bericht.\n"
)
# The article each good file makes, and a phrase its page must show.
GOOD: dict[str, tuple[str | bytes, str]] = {
    "goed-a.txt": (GOOD_TEXT, "De ambassade bevestigt het bericht"),
    "goed-b.md": (
        "---\ntitle: Polen sluit consulaat\ndate: 2022-04-02\nsource: PAP\n---\n"
        "Polen sluit het Russische consulaat in Poznan. Het personeel moet vertrekken.\n",
        "Het personeel moet vertrekken",
    ),
    # One ANSI colour code is a stray, not a binary file.
    "ansi.txt": (
        "\x1b[31mLetland\x1b[0m zet twee Russische diplomaten uit. Ze hebben drie dagen om "
        "te vertrekken, zegt de minister in Riga.\n",
        "Ze hebben drie dagen om te vertrekken",
    ),
    "title-time.md": (
        "---\ntitle: 12:30\ndate: 2022-05-01\n---\n"
        "Om half een begint in Den Haag het debat over de begroting van Defensie.\n",
        "het debat over de begroting van Defensie",
    ),
    "index.txt": (
        "De burgemeester van Zwolle opent de nieuwe indexbrug over de IJssel. Het verkeer "
        "kan er vanaf maandag over.\n",
        "Het verkeer kan er vanaf maandag over",
    ),
    # Shapes that once took time in the square of their length, each for another reason: a
    # paragraph with a long run of plain and thin spaces (a regular expression read the run
    # again from every space in it), a long run of punctuation (spaCy looked through the whole
    # text at each cut in it) and a letter with thousands of combining marks (sorted by
    # Unicode's normalization).
    "spaces.txt": (
        "De gemeenteraad vergadert vanavond." + " \u2009" * 30_000
        + " Daarna stemt de raad over het plan.\n",
        "Daarna stemt de raad over het plan",
    ),
    "punctuation.txt": (
        "De haven ligt stil. " + "".join("!?.,;:-*#"[i % 9] for i in range(150_000))
        + " Morgen varen de schepen weer uit.\n",
        "Morgen varen de schepen weer uit",
    ),
    "marks.txt": (
        "Het woord a" + "\u0301\u0323\u0308\u0327\u0300\u031b" * 20_000
        + " staat er vreemd bij, zegt de redactie.\n",
        "staat er vreemd bij",
    ),
    # One sentence of 3,000 words: the summary can only be that sentence, cut.
    "long-sentence.txt": (
        "Het kabinet besluit na lang overleg dat "
        + ", ".join(f"gemeente {i} extra geld krijgt" for i in range(750)) + ".\n",
        "gemeente 749 extra geld krijgt",
    ),
}
YAML_BOMB = "---\ntitle: Lachsalvo\n" + "".join(
    f"{name}: &{name} [" + ", ".join([f"*{prev}" if prev else '"lol"'] * 9) + "]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
) + "lol: *i\n---\nEen bestand dat een miljard keer lacht.\n"
BAD: dict[str, str | bytes] = {
    "empty.txt": b"",
    "whitespace.txt": b" \n\t\r\n  \n",
    "nul-bytes.txt": b"Rusland\x00wijst\x00diplomaten\x00uit.\x00\n",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
    # 0x81 and 0x8d are not UTF-8 starts nor Windows-1252 characters.
    "garbled.txt": b"Rusland \x81\x8d\x8f\x90\x9d wijst uit.\n",
    "utf16-truncated.txt": b"\xff\xfe" + "Rusland wijst uit.\n".encode("utf-16-le")[:-1],
    "date-month-13.md": "---\ntitle: Datum\ndate: 2024-13-45\n---\nTekst over de datum.\n",
    "date-month-13-quoted.md": "---\ntitle: Datum\ndate: \"2024-13-45\"\n---\nTekst.\n",
    "date-feb-30.md": "---\ntitle: Datum\ndate: 2022-02-30\n---\nTekst over de datum.\n",
    "date-feb-30-quoted.md": "---\ntitle: Datum\ndate: '2022-02-30'\n---\nTekst.\n",
    "date-feb-30-time.md": "---\ntitle: Datum\ndate: 2022-02-30 10:30:00\n---\nTekst.\n",
    "date-feb-30-iso-time.md": "---\ntitle: Datum\ndate: 2022-02-30T10:30:00Z\n---\nTekst.\n",
    "duplicate-key.md": "---\ntitle: Eerste\ndate: 2022-03-01\ntitle: Tweede\n---\nTekst.\n",
    "unknown-key.md": "---\ntitle: Onbekend\nauteur: Jan\n---\nTekst met een onbekende sleutel.\n",
    "title-list.md": "---\ntitle: [a, b]\n---\nTekst met een lijst als titel.\n",
    "unclosed.md": "---\ntitle: Open\ndate: 2022-01-01\nDe front matter sluit nooit.\n",
    "yaml-bomb.md": YAML_BOMB,
    "huge-front-matter.md": "---\ntitle: \"" + "reuzentitel " * 50_000 + "\"\n---\nTekst.\n",
    "one-line-1mb.txt": sentences("Het havenbedrijf", 13_000)[:1_000_000] + ".",
}
IGNORED_DATA: dict[str, bytes] = {
    ".DS_Store": b"\x00\x00\x00\x01Bud1\x00VERBORGENMARKER",
    "notes.txt~": b"Reservekopie van notities. BACKUPMARKER.\n",
    ".~lock.goed-b.md#": b"Jan,jan-pc,jan,01.04.2022 10:00,file:///LOCKMARKER;\n",
    ".hidden.txt": b"Verborgen artikel met VERBORGENTEKSTMARKER.\n",
}
LATIN1_NAME = b"caf\xe9-latin1.txt"
LATIN1_TEXT = ("In het café in Gent wordt een nieuwe burgemeester gekozen. De cafébaas "
               "trakteert het hele dorp.\n")
OUTSIDE_TEXT = "Een verdwaald artikel buiten de inhoud, met het woord BUITENMARKER.\n"


@dataclass(frozen=True)
class HostileBuild:
    site: Path
    output: str  # stdout and stderr
    seconds: float

    def report_lines(self, name: str) -> list[str]:
        return [line for line in self.output.splitlines() if f"articles/{name}" in line]

    def page(self, stem: str) -> Path:
        return self.site / "articles" / f"{stem}.html"

    def article_pages(self) -> dict[str, str]:
        return {p.name: html.unescape(p.read_text("utf-8", errors="replace"))
                for p in (self.site / "articles").glob("*.html") if p.name != "index.html"}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> HostileBuild:
    root = tmp_path_factory.mktemp("hostile-files")
    files = {name: data for name, (data, _) in GOOD.items()} | BAD | IGNORED_DATA
    project = make_project(root / "project", files)
    articles = project / "content" / "articles"
    (articles / "link-to-goed.txt").symlink_to("goed-a.txt")
    (articles / "passwd-link.txt").symlink_to("/etc/passwd")
    (root / "outside").mkdir()
    (root / "outside" / "stray.txt").write_text(OUTSIDE_TEXT, encoding="utf-8")
    (articles / "elsewhere").symlink_to(root / "outside", target_is_directory=True)
    (articles / ".#goed-a.txt").symlink_to("jan@jan-pc.4242:1648800000")  # an Emacs lock
    with open(os.path.join(os.fsencode(articles), LATIN1_NAME), "wb") as latin1:
        latin1.write(LATIN1_TEXT.encode("utf-8"))
    started = time.perf_counter()
    result = build_project(project)
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    return HostileBuild(project / "site", output, seconds)


def test_hostile_files_build_in_seconds_without_traceback(hostile_build):
    assert "Traceback" not in hostile_build.output, hostile_build.output[-3000:]
    assert hostile_build.seconds < BUILD_SECONDS_MAX, hostile_build.seconds


def test_hostile_files_leave_every_good_article_its_page(hostile_build):
    missing = [name for name in [*GOOD, "link-to-goed.txt"] if name != "index.txt"
               and not hostile_build.page(Path(name).stem).is_file()]
    assert missing == [], hostile_build.output[-3000:]
    pages = hostile_build.article_pages()
    for name, (_, phrase) in GOOD.items():
        assert any(phrase in text for text in pages.values()), name
    assert GOOD["goed-a.txt"][1] in pages["link-to-goed.html"]
    assert "\x1b" not in hostile_build.page("ansi").read_text("utf-8")


def h1_text(page: Path) -> str:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.DOTALL)
    assert heading, page
    return html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).rstrip("¶").strip()


def test_hostile_files_front_matter_is_read_as_written(hostile_build):
    assert h1_text(hostile_build.page("title-time")) == "12:30"


def test_hostile_files_index_txt_has_its_own_page_beside_the_listing(hostile_build):
    listing = (hostile_build.site / "articles" / "index.html").read_text("utf-8")
    assert h1_text(hostile_build.site / "articles" / "index.html") == "Alle artikelen"
    for stem in ("goed-a", "goed-b", "ansi", "title-time", "link-to-goed"):
        assert f'href="{stem}.html"' in listing, stem
    index_pages = [name for name, text in hostile_build.article_pages().items()
                   if GOOD["index.txt"][1] in text]
    assert len(index_pages) == 1, index_pages
    assert f'href="{index_pages[0]}"' in listing


def test_hostile_files_long_sentence_is_cut_with_an_ellipsis(hostile_build):
    page = hostile_build.page("long-sentence").read_text("utf-8")
    summary = re.search(r'id="samenvatting".*?<ul>(.*?)</ul>', page, re.DOTALL)
    assert summary, "no summary on the page"
    assert "…" in summary.group(1)
    assert len(re.sub(r"<[^>]+>", "", summary.group(1))) < 2_000


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_hostile_files_bad_file_is_reported_with_its_reason(hostile_build, name):
    lines = hostile_build.report_lines(name)
    assert lines, f"{name} is not in the report:\n{hostile_build.output[-3000:]}"
    reason = lines[0].split(f"articles/{name}", 1)[1]
    assert reason.strip(": "), lines[0]
    for words in REPORTED[name]:
        # `line 3` is not `line 30`; a date may go on with a time.
        assert re.search(rf"(?<!\w){re.escape(words)}(?!\d)", reason), f"{words!r}: {reason!r}"
    if name in SKIPPED:
        assert not hostile_build.page(Path(name).stem).is_file(), name


@pytest.mark.parametrize("name", BUILT_OR_REPORTED)
def test_hostile_files_huge_or_explosive_input_is_built_or_reported(hostile_build, name):
    built = hostile_build.page(Path(name).stem).is_file()
    assert built or hostile_build.report_lines(name), hostile_build.output[-3000:]


def test_hostile_files_non_utf8_name_is_built_or_reported(hostile_build):
    built = any("De cafébaas trakteert het hele dorp" in text
                for text in hostile_build.article_pages().values())
    reported = [line for line in hostile_build.output.splitlines() if "latin1.txt" in line]
    assert built or reported, hostile_build.output[-3000:]


def test_hostile_files_ignored_files_appear_nowhere(hostile_build):
    for name in IGNORED:
        assert name not in hostile_build.output, name
    published = [p for p in hostile_build.site.rglob("*") if p.is_file()]
    for path in published:
        assert not any(name in path.name for name in IGNORED), path
    markers = ("VERBORGENMARKER", "BACKUPMARKER", "LOCKMARKER", "VERBORGENTEKSTMARKER")
    for path in published:
        data = path.read_bytes()
        assert not any(marker.encode() in data for marker in markers), path


def test_hostile_files_nothing_from_outside_the_content_folder_is_published(hostile_build):
    for path in hostile_build.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"root:x:0:0" not in data and b"BUITENMARKER" not in data, path
