"""Search as a reader meets it, on digests of many articles: `python bench/search.py`.

Builds digests of N articles from a JSONL file (`id`, `text`, optional `title`,
`published_at`; default ../shared/eval/nl_dpg2019.jsonl, once and seven times over) with the
real build, and the repository's own 6-article sample, then opens each site's home page in
headless Chromium, from `file://` with every other request aborted and over a local HTTP server
(python's http.server on 127.0.0.1), and prints one Markdown table row per site and mode:

- first result: seconds from the last key of a query to the first `.md-search-result__item`
  on screen after it (the answer to the whole query, not to a prefix answered while the
  keys came), over `--runs` cold page loads (a fresh browser context each, cache empty), the
  reader clicking the box and typing 0.3 s after the page's load event; how many within 1 s
  (the JSON has, per run, when each script was added and had run, from the page's clock);
- refine: for a word typed letter by letter in the warm page, milliseconds from each key to
  the results changing (median, worst);
- bytes before typing: every file the page loads but the HTML page itself, up to the box
  being ready (the engine's manifest and stemmer, loaded when the box gets focus), and the
  difference from the same page of the sample site;
- bytes per query: the index parts and result texts one query loads in a cold page, the
  query given in one input event (as pasted), so that the figure is that query's alone;
- the index on disk (files, MB), its build time (`generator.search.search_files`, timed inside
  the build) and the whole build's time, over `--builds` builds from nothing with every core
  (`digest build --fresh`, timed by bench/build.py's `run_build`).

Bytes are the files' sizes on disk, as http.server sends them (no compression). With `--keep
DIR` the built sites are kept in DIR, one folder per content, and reused while the generator,
the theme and mkdocs.yml are unchanged. `--json` prints the figures as JSON instead of the
table, `--json PATH` writes them to PATH beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, Page, Request, Route, sync_playwright
from playwright.sync_api import TimeoutError as AnswerTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.build import repeated_rows, run_build, write_project  # noqa: E402

DEFAULT_ARTICLES = ROOT.parent / "shared" / "eval" / "nl_dpg2019.jsonl"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# What a reader of Dutch news of 2019 might ask: a topic, a name, a stemmed plural, a word
# typed without its diaeresis, a word still being typed, a quoted phrase.
QUERIES = ("brexit", "Rutte", "verkiezingen", "Oekraine", "Rusland", "verk",
           '"minister van Buitenlandse Zaken"')
FIRST_QUERY = "Rusland"
REFINE_WORD = "verkiezingen"
TYPING_AFTER_LOAD_S = 0.3
WITHIN_S = 1.0
PAGE = "index.html"
# bench/build.py's `stage_timer` name for the time spent in `search_files`.
INDEX_STAGE = "search index"
# The baseline with Material's lunr search, measured before the split index (README).
BASELINE = [
    "Material's lunr search, before this index: 6 articles: 0.4 MB index in every page, "
    "first result 0.3 s from file://; 1,438: 5.7 MB, 4.5–5.6 s over http, none within 60 s "
    "in 4 of 5 from file://; 9,786: 38 MB, none within 30 s.",
]

# Installed before any script of the page: the times of keys, of the results changing and of
# the first result on screen, in the page's own clock.
INSTRUMENT = """
(() => {
  const bench = window.__bench = {
    keys: [], inputs: [], renders: [], withResults: [], firstItem: null, load: null,
    focus: null, scripts: []};
  addEventListener("keydown", () => bench.keys.push(performance.now()), true);
  addEventListener("input", () => bench.inputs.push(performance.now()), true);
  addEventListener("focusin", () => { if (bench.focus === null) bench.focus = performance.now(); });
  addEventListener("load", () => { bench.load = performance.now(); });
  // Every script the engine adds, with when it was added and when it had run.
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.tagName === "SCRIPT" && node.src) {
          bench.scripts.push({src: node.src, added: performance.now(), done: null});
        }
      }
    }
  }).observe(document, {childList: true, subtree: true});
  document.addEventListener("load", (event) => {
    const entry = bench.scripts.find((s) => s.src === event.target.src && s.done === null);
    if (entry) entry.done = performance.now();
  }, true);
  addEventListener("DOMContentLoaded", () => {
    const results = document.querySelector(".md-search-result");
    if (!results) return;
    new MutationObserver(() => {
      const now = performance.now();
      bench.renders.push(now);
      const item = results.querySelector(".md-search-result__item");
      if (item && item.getClientRects().length) {
        bench.withResults.push(now);
        if (bench.firstItem === null) bench.firstItem = now;
      }
    }).observe(results, {childList: true, subtree: true, characterData: true});
  });
  // The time of the last change to the box's text.
  bench.lastInput = () => bench.inputs[bench.inputs.length - 1];
  // The first time results were on screen since the box's text last changed, or null.
  bench.resultsSinceInput = () => {
    const lastInput = bench.lastInput();
    const found = bench.withResults.find((t) => t > lastInput);
    return found === undefined ? null : found - lastInput;
  };
  // An answer to the box's text is on screen: the results changed after the text did, and
  // they are not the placeholder or the "initializing" line.
  bench.answered = () => {
    const lastInput = bench.lastInput();
    const root = document.querySelector("[data-digest-search]");
    const words = JSON.parse(root.dataset.words);
    const meta = root.querySelector(".md-search-result__meta").textContent.trim();
    return bench.renders.some((t) => t > lastInput)
      && meta !== words.initializer.trim() && meta !== words.placeholder.trim();
  };
})();
"""


# Content ------------------------------------------------------------------------------------

def read_rows(path: Path) -> list[dict]:
    """The articles of a JSONL file, in order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def digest_rows(rows: Sequence[dict], count: int) -> list[dict]:
    """`count` articles: the rows, then copies of them as bench/build.py's `--repeat` makes
    them (each a different text, its sentences rotated)."""
    return repeated_rows(list(rows), math.ceil(count / max(1, len(rows))))[:count]


def content_key(*parts: bytes) -> str:
    """A short fingerprint of a content folder's inputs."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:12]


def site_code() -> str:
    """A fingerprint of what shapes a built site from its content: the generator, the theme,
    mkdocs.yml and bench/build.py's project writer."""
    paths = [*(ROOT / "generator").rglob("*.py"),
             *(p for p in (ROOT / "theme").rglob("*") if p.is_file()),
             ROOT / "mkdocs.yml", ROOT / "bench" / "build.py"]
    return content_key(*(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes()
                         for p in sorted(paths)))


def write_sample_project(folder: Path) -> None:
    """The repository's own project: its mkdocs.yml, theme and content folder."""
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    shutil.copytree(ROOT / "content", folder / "content")


def sample_key() -> str:
    """The fingerprint of the repository's content folder."""
    files = sorted(p for p in (ROOT / "content").rglob("*") if p.is_file())
    return content_key(*(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes()
                         for p in files))


# Builds -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildTiming:
    """One build from nothing: its time and each stage's, the search index among them."""

    build_s: float
    stages: dict[str, float]
    articles: int
    skipped: int
    jobs: int

    @property
    def index_s(self) -> float:
        return self.stages[INDEX_STAGE]


@dataclass(frozen=True)
class BuiltSite:
    """A site ready to measure, and what its builds cost."""

    name: str  # "sample", or the number of articles in the content
    content_articles: int
    site: Path
    builds: tuple[BuildTiming, ...]
    index_files: int
    index_bytes: int
    code: str

    @property
    def articles(self) -> int:
        return self.builds[-1].articles


def built_site(name: str, key: str, content_articles: int, write: Callable[[Path], object],
               keep: Path, builds: int, jobs: int) -> BuiltSite:
    """The site of a content, from `keep` when it was built there by the same code, else
    built; each build (`builds` in all, kept ones included) is from nothing and timed by
    bench/build.py's `run_build`, as `digest build --fresh --jobs N` runs."""
    entry = keep / f"{name}-{key}"
    project = entry / "project"
    record = entry / "build.json"
    code = site_code()
    saved = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else None
    if saved and saved["code"] != code:
        note(f"{name}: the generator, theme or mkdocs.yml changed since {entry} was built: "
             "building again")
        saved = None
    if saved is None:
        shutil.rmtree(entry, ignore_errors=True)
        project.mkdir(parents=True)
        write(project)
    timings = [BuildTiming(**t) for t in (saved["builds"] if saved else [])
               if t["jobs"] == jobs]
    while len(timings) < builds:
        note(f"{name}: building ({content_articles} articles, build {len(timings) + 1} "
             f"of {builds}, {jobs} jobs)")
        shutil.rmtree(project / "build", ignore_errors=True)
        built = run_build(project, jobs, fresh=True)
        build_s = built["seconds"]
        timings.append(BuildTiming(build_s, built["stages"], built["articles"], built["skipped"],
                                   jobs))
        note(f"{name}: built in {build_s:.1f} s, index {timings[-1].index_s:.2f} s")
        record.write_text(json.dumps({"code": code, "builds": [asdict(t) for t in timings]},
                                     indent=1), encoding="utf-8")
    index = [p for p in (project / "site" / "search").rglob("*") if p.is_file()]
    return BuiltSite(name, content_articles, project / "site", tuple(timings), len(index),
                     sum(p.stat().st_size for p in index), code)


# Browser ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadedFile:
    """A file the page loaded: its address and its size on disk."""

    url: str
    bytes: int


@dataclass
class Reader:
    """A fresh browser context (empty cache) with one page on a site; it records every file
    loaded, every request to anywhere else (aborted) and every script error."""

    page: Page
    site: Path
    base: str
    loaded: list[LoadedFile] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    in_flight: int = 0
    last_event: float = 0.0

    def disk_file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path))
        elif url.startswith(self.base):
            path = self.site / unquote(parts.path).lstrip("/")
        else:
            return None
        return path / "index.html" if path.is_dir() else path

    def finished(self, request: Request) -> None:
        path = self.disk_file(request.url)
        if path is not None:
            self.loaded.append(LoadedFile(request.url, path.stat().st_size
                                          if path.is_file() else 0))
        self.settle()

    def settle(self) -> None:
        self.in_flight -= 1
        self.last_event = time.perf_counter()

    def wait_quiet(self, quiet_s: float = 0.25, timeout_s: float = 30) -> None:
        """Until no request has been in flight for `quiet_s`."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            self.page.wait_for_timeout(50)
            if self.in_flight <= 0 and time.perf_counter() - self.last_event >= quiet_s:
                return

    def box(self):
        return self.page.locator("input.md-search__input")

    def bytes_since(self, start: int, skip: str = "") -> tuple[int, list[LoadedFile]]:
        files = [f for f in self.loaded[start:] if f.url != skip]
        return sum(f.bytes for f in files), files


@contextlib.contextmanager
def reader(browser: Browser, site: Path, base: str) -> Iterator[Reader]:
    """A page in a fresh context that may load files from `base` only."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(INSTRUMENT)
    tab = Reader(page, site, base)

    def abort(route: Route) -> None:
        tab.blocked.append(route.request.url)
        route.abort()

    context.route(re.compile("^(?!" + re.escape(base) + ")"), abort)

    def started(_request: Request) -> None:
        tab.in_flight += 1
        tab.last_event = time.perf_counter()

    page.on("request", started)
    page.on("requestfinished", tab.finished)
    def failed(request: Request) -> None:
        tab.failed.append(request.url)
        tab.settle()

    page.on("requestfailed", failed)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@contextlib.contextmanager
def launched() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site over http from 127.0.0.1 on a free port, in a thread; its root address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def site_root(site: Path, mode: str) -> Iterator[str]:
    if mode == "file":
        yield site.resolve().as_uri() + "/"
    else:
        with served(site) as base:
            yield base


@dataclass(frozen=True)
class ColdRun:
    """One cold page load: the first result, then a word typed letter by letter."""

    first_result_s: float | None  # None: no result within the timeout
    refine_ms: tuple[float | None, ...]
    timeline: tuple[tuple, ...]  # per file: name, start and end in ms after the first key
    errors: tuple[str, ...]
    blocked: tuple[str, ...]


def cold_run(browser: Browser, site: Path, base: str, query: str, refine_word: str,
             timeout_s: float) -> ColdRun:
    """Load the page, click the box and type `query` 0.3 s after the load event, time its
    first result; then select the box's text and type `refine_word` letter by letter, timing
    each key's answer."""
    with reader(browser, site, base) as tab:
        page = tab.page
        page.goto(base + PAGE, wait_until="load")
        page.wait_for_timeout(max(0.0, page.evaluate(
            f"__bench.load + {TYPING_AFTER_LOAD_S * 1000} - performance.now()")))
        tab.box().click()
        page.keyboard.type(query)
        first: float | None = None
        try:
            page.wait_for_function("__bench.resultsSinceInput() !== null",
                                   timeout=timeout_s * 1000, polling=50)
            first = page.evaluate("__bench.resultsSinceInput() / 1000")
        except AnswerTimeout:
            pass
        timeline = page.evaluate("""() => {
            const typed = __bench.lastInput();
            const at = (t) => t === null ? null : Math.round(t - typed);
            return [["load", at(__bench.load), null], ["focus", at(__bench.focus), null],
                    ["first key", at(__bench.keys[0]), null],
                    ["results first on screen", at(__bench.firstItem), null],
                    ["results for the whole query", at(__bench.resultsSinceInput() === null
                      ? null : typed + __bench.resultsSinceInput()), null]].concat(
              __bench.scripts.map((s) => [s.src, at(s.added), at(s.done)]));
        }""")
        refine: list[float | None] = []
        if first is not None:
            tab.box().select_text()
            for letter in refine_word:
                page.keyboard.press(letter)
                try:
                    page.wait_for_function("__bench.answered()", timeout=timeout_s * 1000,
                                           polling=20)
                    refine.append(page.evaluate("""() => {
                        const typed = __bench.lastInput();
                        return __bench.renders.find((t) => t > typed) - typed; }"""))
                except AnswerTimeout:
                    refine.append(None)
                    break
                page.wait_for_timeout(50)
        return ColdRun(first, tuple(refine),
                       tuple((short_url(url, base), start, end) for url, start, end in timeline),
                       tuple(tab.errors), tuple(tab.blocked))


def short_url(url: str, base: str) -> str:
    return url[len(base):] if url.startswith(base) else url


@dataclass(frozen=True)
class QueryLoad:
    """What one query loads in a cold page, beside what the page loaded before it."""

    query: str
    page_bytes: int  # on load, but the HTML page
    box_bytes: int  # when the box gets focus: the engine's manifest and stemmer
    query_bytes: int
    query_files: tuple[tuple[str, int], ...]
    shown: int  # results on screen
    meta: str  # the count line
    errors: tuple[str, ...]
    blocked: tuple[str, ...]

    @property
    def before_typing(self) -> int:
        return self.page_bytes + self.box_bytes


def query_load(browser: Browser, site: Path, base: str, query: str, timeout_s: float) -> QueryLoad:
    """The bytes loaded by the page, by the box getting focus, and by one query."""
    with reader(browser, site, base) as tab:
        page = tab.page
        page.goto(base + PAGE, wait_until="load")
        tab.wait_quiet()
        page_bytes, _ = tab.bytes_since(0, skip=base + PAGE)
        at_focus = len(tab.loaded)
        tab.box().click()
        page.evaluate("DigestSearch.preload().then(() => true)")
        tab.wait_quiet()
        box_bytes, _ = tab.bytes_since(at_focus)
        at_query = len(tab.loaded)
        # In one input event, as pasted: the bytes of this query, not of the prefixes that
        # typing it key by key would also ask for (the cold runs and `verk` show those).
        page.keyboard.insert_text(query)
        with contextlib.suppress(AnswerTimeout):
            page.wait_for_function("__bench.answered()", timeout=timeout_s * 1000, polling=50)
        tab.wait_quiet()
        query_bytes, files = tab.bytes_since(at_query)
        shown = page.locator(".md-search-result__item").count()
        meta = page.locator(".md-search-result__meta").inner_text().strip()
        return QueryLoad(query, page_bytes, box_bytes, query_bytes,
                         tuple((short_url(f.url, base), f.bytes) for f in files), shown, meta,
                         tuple(tab.errors), tuple(tab.blocked))


@dataclass(frozen=True)
class Measured:
    """The figures of one site in one mode."""

    site: BuiltSite
    mode: str
    runs: tuple[ColdRun, ...]
    queries: tuple[QueryLoad, ...]


def measure(browser: Browser, site: BuiltSite, mode: str, runs: int, queries: Sequence[str],
            first_query: str, refine_word: str, timeout_s: float) -> Measured:
    cold = []
    loads = []
    with site_root(site.site, mode) as base:
        for number in range(runs):
            run = cold_run(browser, site.site, base, first_query, refine_word, timeout_s)
            cold.append(run)
            shown = "none" if run.first_result_s is None else f"{run.first_result_s:.2f} s"
            note(f"{site.name} {mode} run {number + 1}/{runs}: first result {shown}, refine "
                 f"{fmt_ms(median_of(run.refine_ms))} ms median")
        for query in queries:
            loads.append(query_load(browser, site.site, base, query, timeout_s))
            note(f"{site.name} {mode} {query}: {loads[-1].query_bytes / 1000:.1f} KB, "
                 f"{loads[-1].meta}")
    return Measured(site, mode, tuple(cold), tuple(loads))


# Figures ------------------------------------------------------------------------------------

def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def median_of(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def fmt_spread(values: Sequence[float | None], digits: int = 2) -> str:
    """`median (min–max)`, `–` for none; a timed-out run counts as a missing value."""
    found = [v for v in values if v is not None]
    if not found:
        return "none"
    middle = statistics.median(found)
    text = f"{middle:.{digits}f}"
    if len(found) > 1:
        text += f" ({min(found):.{digits}f}–{max(found):.{digits}f})"
    missing = len(values) - len(found)
    return text + (f", {missing} none" if missing else "")


def row_figures(measured: Measured, sample: Measured | None) -> dict:
    """The figures of a table row, as numbers."""
    site = measured.site
    firsts = [run.first_result_s for run in measured.runs]
    refine = [ms for run in measured.runs for ms in run.refine_ms]
    before = measured.queries[0].before_typing if measured.queries else None
    sample_before = sample.queries[0].before_typing if sample and sample.queries else None
    query_bytes = [q.query_bytes for q in measured.queries]
    heaviest = max(measured.queries, key=lambda q: q.query_bytes, default=None)
    builds = site.builds
    return {
        "site": site.name,
        "content_articles": site.content_articles,
        "articles": site.articles,
        "mode": measured.mode,
        "first_result_s": firsts,
        "first_result_median_s": median_of(firsts),
        "within_1s": sum(1 for f in firsts if f is not None and f <= WITHIN_S),
        "runs": len(firsts),
        "refine_ms": refine,
        "refine_median_ms": median_of(refine),
        "refine_worst_ms": max(ms for ms in refine if ms is not None)
        if refine and None not in refine else None,
        "before_typing_bytes": before,
        "page_bytes": measured.queries[0].page_bytes if measured.queries else None,
        "box_bytes": measured.queries[0].box_bytes if measured.queries else None,
        "vs_sample_bytes": None if before is None or sample_before is None
        else before - sample_before,
        "query_bytes_median": median_of(query_bytes),
        "query_bytes_max": heaviest.query_bytes if heaviest else None,
        "heaviest_query": heaviest.query if heaviest else None,
        "queries": [asdict(q) for q in measured.queries],
        "code": site.code,
        "index_files": site.index_files,
        "index_bytes": site.index_bytes,
        "build_s": [b.build_s for b in builds],
        "index_s": [b.index_s for b in builds],
        "stages": [b.stages for b in builds],
        "jobs": builds[-1].jobs,
        "index_share": [b.index_s / b.build_s for b in builds],
        "errors": sorted({e for run in measured.runs for e in run.errors}
                         | {e for q in measured.queries for e in q.errors}),
        "blocked": sorted({u for run in measured.runs for u in run.blocked}
                          | {u for q in measured.queries for u in q.blocked}),
        "timelines": [run.timeline for run in measured.runs],
    }


COLUMNS = ["site", "articles", "mode", "first result s", f"≤ {WITHIN_S:g} s", "refine ms",
           "refine worst ms", "before typing KB", "vs sample KB", "query KB median",
           "query KB max", "index files", "index MB", "index s", "build s", "index / build"]


def kb(count: float | None) -> str:
    return "–" if count is None else f"{count / 1000:.1f}"


def table_row(figures: dict) -> list[str]:
    heaviest = figures["heaviest_query"]
    return [
        figures["site"],
        f"{figures['articles']:,}",
        figures["mode"],
        fmt_spread(figures["first_result_s"]),
        f"{figures['within_1s']}/{figures['runs']}",
        fmt_ms(figures["refine_median_ms"]),
        fmt_ms(figures["refine_worst_ms"]) if None not in figures["refine_ms"] else "none",
        kb(figures["before_typing_bytes"]),
        ("+" if (figures["vs_sample_bytes"] or 0) > 0 else "") + kb(figures["vs_sample_bytes"]),
        kb(figures["query_bytes_median"]),
        f"{kb(figures['query_bytes_max'])} (`{heaviest}`)" if heaviest else "–",
        f"{figures['index_files']:,}",
        f"{figures['index_bytes'] / 1e6:.2f}",
        fmt_spread(figures["index_s"]),
        fmt_spread(figures["build_s"], 1),
        fmt_spread([share * 100 for share in figures["index_share"]], 1) + " %",
    ]


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(table_row(row)) + " |" for row in rows]
    return "\n".join(lines)


def sizes_of(args: argparse.Namespace, available: int) -> list[int]:
    if args.sizes:
        return [int(n) for n in args.sizes.split(",")]
    return [available * int(r) for r in (args.repeat or "1,7").split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES,
                        help="JSONL of articles (default: %(default)s)")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--sizes", help="digest sizes in articles, e.g. 1438,10066")
    sizes.add_argument("--repeat", help="digest sizes as copies of the file, e.g. 1,7 (default)")
    parser.add_argument("--runs", type=int, default=5, help="cold page loads per site and mode")
    parser.add_argument("--modes", default="file,http", help="file, http or both")
    parser.add_argument("--query", action="append", dest="queries",
                        help="a query whose bytes are counted (repeatable; default: "
                             + ", ".join(QUERIES) + ")")
    parser.add_argument("--first-query", default=FIRST_QUERY,
                        help="the query of the cold loads (default: %(default)s)")
    parser.add_argument("--refine-word", default=REFINE_WORD,
                        help="the word typed letter by letter (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds to wait for an answer (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="keep the built sites here and reuse them")
    parser.add_argument("--builds", type=int, default=1,
                        help="timed builds per size (kept builds count; default: 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="build processes, as `digest build --jobs` (default: every core)")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="the figures as JSON: instead of the table, or into PATH beside it")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if set(modes) - {"file", "http"}:
        parser.error("--modes takes file, http or both")
    rows = read_rows(args.articles)
    queries = args.queries or list(QUERIES)

    with contextlib.ExitStack() as stack:
        keep = args.keep or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="bench-search-sites-")))
        keep.mkdir(parents=True, exist_ok=True)
        themes = (ROOT / "content" / "themes.yml").read_bytes()
        sites = [built_site("sample", sample_key(), 6, write_sample_project, keep,
                            args.builds, args.jobs)]
        for size in sizes_of(args, len(rows)):
            content = digest_rows(rows, size)
            key = content_key(json.dumps(content, sort_keys=True).encode(), themes)
            sites.append(built_site(
                str(size), key, len(content),
                functools.partial(write_project, content), keep, args.builds, args.jobs))
        load = os.getloadavg()
        measured = []
        with launched() as browser:
            for site in sites:
                for mode in modes:
                    measured.append(measure(browser, site, mode, args.runs, queries,
                                            args.first_query, args.refine_word, args.timeout))
        samples = {m.mode: m for m in measured if m.site.name == "sample"}
        figures = [row_figures(m, samples.get(m.mode)) for m in measured]

    report = {
        "articles_file": str(args.articles),
        "page": PAGE,
        "runs": args.runs,
        "first_query": args.first_query,
        "refine_word": args.refine_word,
        "queries": queries,
        "code": site_code(),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip(),
        "load_average": [round(x, 2) for x in load],
        "rows": figures,
        "baseline": BASELINE,
    }
    if args.json:
        text = json.dumps(report, indent=1, ensure_ascii=False)
        if args.json == "-":
            print(text)
            return 0
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(markdown(figures))
    print()
    print(f"First result: seconds from the last key of `{args.first_query}` to its first "
          f"result, in {args.runs} cold loads of `{PAGE}`: median (range), and how many within "
          f"{WITHIN_S:g} s. Refine: ms from each key of `{args.refine_word}`, typed letter by "
          "letter, to the results changing. Before typing: the files the page and the box's "
          "focus load, the HTML page aside; vs sample: beside the sample site's page. Query: "
          "what one query loads, over " + ", ".join(f"`{q}`" for q in queries) + ". Index s: "
          "`search_files` in each build from nothing; index / build: its share of the whole "
          "build.")
    print(f"Load average before measuring: {', '.join(f'{x:.2f}' for x in load)}.")
    for row in figures:
        for error in row["errors"]:
            print(f"- {row['site']} {row['mode']}: script error: {error}")
        if row["blocked"]:
            print(f"- {row['site']} {row['mode']}: {len(row['blocked'])} request(s) to the "
                  f"network aborted: {row['blocked'][:3]}")
        for query in row["queries"]:
            if not query["shown"]:
                print(f"- {row['site']} {row['mode']}: `{query['query']}` showed no result "
                      f"({query['meta']})")
    print()
    print("Baseline: " + " ".join(BASELINE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
