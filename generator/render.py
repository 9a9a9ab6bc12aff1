"""Render a Digest into a tree of Markdown pages through the Jinja2 templates in `theme/`.

Nothing here knows which static site generator reads the tree. Article text reaches the
Markdown only escaped: every `{{ … }}` in a template goes through `markdown_escape` unless the
value is `Markup` built here from already-escaped parts.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TypeVar
from urllib.parse import quote, urlsplit

import jinja2
import yaml
from markupsafe import Markup

from .cache import ResultCache, signature
from .clean import shorten_at_word
from .model import (
    Digest,
    DigestArticle,
    Evidence,
    PublishedDate,
    Theme,
    one_per_story,
    printable,
)
from .parallel import fork_map
from .themes import OTHER_SLUG

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
TEMPLATES_DIR = THEME_DIR / "templates"
ORIGINALS_FOLDER = "originals"
RENAMED_ORIGINALS_FOLDER = "originals-renamed"
# A sentence quoted in a summary, a digest line or as evidence is cut here (a scraped page
# without full stops is one "sentence" of thousands of words).
SENTENCE_MAX_CHARS = 400
PARAGRAPH_PART_CHARS = 4000
# Articles per part of a theme page (the `per_page` setting): at most about 8 KB of HTML each.
PER_PAGE = 50
# The timeline and the article list show a line per article, a quarter of a theme page's entry
# or less: their parts hold this many times as many articles.
LINES_PER_ENTRY = 4
# Other copies of a story named in a listing entry; the article page names them all.
LISTED_COPIES = 5

T = TypeVar("T")

# Characters that Markdown (or an extension) could read as syntax, as numeric entities
# (replaced by a search for them: most text holds few, and `str.translate` looks up every
# character).
_MARKDOWN_SPECIAL = {ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]<>()#+!|~^=&"}
_MARKDOWN_SPECIALS = re.compile("[" + re.escape("".join(_MARKDOWN_SPECIAL)) + "]")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)](?=\s))", re.MULTILINE)


def markdown_escape(value: object) -> Markup:
    """Text as Markdown that shows exactly that text: no markup, link, HTML or template."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = _MARKDOWN_SPECIALS.sub(_special_entity, text)
    if "\n" not in text and not _LINE_START.match(text):  # most values: one line, plain
        return Markup(text)
    text = _LINE_START.sub(_escaped_line_start, text)
    # Leading spaces would make an indented code block.
    text = re.sub(r"\n[ \t]+", "\n", text)
    return Markup(text)


def _special_entity(match: re.Match) -> str:
    return _MARKDOWN_SPECIAL[match.group()]


def _escaped_line_start(match: re.Match) -> str:
    return match.group(1) + "".join(f"&#{ord(ch)};" for ch in match.group(2))


@dataclass(frozen=True)
class NavItem:
    """One entry of the site's navigation: a page, or a section of pages."""

    title: str
    path: str | None = None
    children: tuple[NavItem, ...] = ()


@dataclass(frozen=True)
class SiteTree:
    """The rendered site: Markdown pages (and other generated text files, such as the search
    index) by path, files to copy, and the navigation."""

    pages: dict[str, str]
    files: dict[str, Path]  # path in the tree → source file to copy
    nav: tuple[NavItem, ...]
    # Pages kept in the tree folder, where they already are as they should be (the text of one
    # taken as it is without being read is "" in `pages`).
    unchanged: frozenset[str] = frozenset()
    # The pages among them that were rendered and written there by `render_site`.
    written: tuple[str, ...] = ()


def load_labels(language: str) -> dict[str, str]:
    """The interface words of the site in its language."""
    status = (TEMPLATES_DIR / "labels.yml").stat()
    labels = _labels_file(status.st_mtime_ns, status.st_size)
    return {key: value.get(language) or value["en"] for key, value in labels.items()}


@functools.lru_cache(maxsize=1)
def _labels_file(mtime_ns: int, size: int) -> dict[str, dict[str, str]]:
    """The labels file, read again when its time or size changes (a build reads it three
    times, and parsing the YAML takes a thirtieth of a second)."""
    return yaml.safe_load((TEMPLATES_DIR / "labels.yml").read_text(encoding="utf-8"))


def render_site(
    digest: Digest, articles_dir: Path, latest_per_theme: int = 5, per_page: int = PER_PAGE,
    previous: PreviousPages | None = None, jobs: int = 1, write_into: Path | None = None,
) -> SiteTree:
    """Every page of the digest as Markdown, with the navigation that reaches them.

    Theme pages are cut into parts of `per_page` articles, the timeline and the article list
    into parts of `LINES_PER_ENTRY` times as many, newest first (`paginate`), so that no page
    grows with the digest; the navigation holds only their first parts. An article page that
    shows what it showed in the previous build is taken from `previous`; the others are
    rendered by `jobs` forked processes. With `write_into`, a tree folder, each process writes
    the pages it renders there (those whose bytes changed), as `write_tree` would: the tree
    then lists them among the `unchanged`, and those written as `written` (the pages of ten
    thousand articles, held here, were the largest memory of a build)."""
    labels = load_labels(digest.language)
    env = _environment()
    by_slug = digest.by_slug()
    theme_titles = {theme.slug: theme.title for theme in digest.themes}
    theme_titles[OTHER_SLUG] = labels["other"]
    context = {
        "digest": digest,
        "labels": labels,
        "theme_titles": theme_titles,
        "by_slug": by_slug,
        "language": digest.language,
        "digest_latest": latest_per_theme,
        "theme_thresholds": {theme.slug: theme.threshold for theme in digest.themes},
    }

    def page(template: str, path: str, **values) -> str:
        return env.get_template(template).render(context, page_path=path, **values)

    pages: dict[str, str] = {}
    unchanged: set[str] = set()  # pages read back from the tree folder as they are
    stamp = _render_stamp(context) if previous else b""
    named: dict[str, bytes] = {}
    shown_of = {article.slug: _shown_on_page(article, by_slug, stamp, named)
                for article in digest.articles} if previous else {}
    # The pages to render, each with what it is kept by and a signature of what it shows:
    # rendered together, by `jobs` forked processes, once every page is known.
    todo: list[tuple[str, str, dict, str, bytes]] = []

    def listing(template: str, path: str, **values) -> None:
        """A listing page, taken from the previous build when it shows the same entries."""
        shown = signature(stamp, template, path, _signed(values, shown_of)) if previous else b""
        kept = previous.kept(path, LISTING_KEY + path, shown) if previous else None
        pages[path] = kept or ""
        if kept is None:
            todo.append((template, path, values, LISTING_KEY + path, shown))
        else:
            unchanged.add(path)

    sections = theme_sections(digest)
    pages["index.md"] = page("home.md.j2", "index.md", sections=sections)
    themes = {theme.slug: theme for theme in digest.themes}
    themes[OTHER_SLUG] = Theme(OTHER_SLUG, labels["other"], labels["other_description"], {})
    for slug, _, stories in sections:
        for part, articles in paginate(stories, theme_page(slug), per_page):
            listing("theme.md.j2", part.path, theme=themes[slug], part=part, articles=articles,
                    lines=digest.theme_digests.get(slug, ()))
    lines_per_part = per_page * LINES_PER_ENTRY
    before: Sequence[DigestArticle] = ()  # the articles of the part before
    for part, articles in paginate(digest.articles, TIMELINE_PAGE, lines_per_part):
        # A month (or the undated) that the part before began goes on here: its heading says so.
        continued = bool(before) and month_key(before[-1]) == month_key(articles[0])
        listing("timeline.md.j2", part.path, part=part, months=by_month(articles),
                continued=continued)
        before = articles
    for part, articles in paginate(digest.articles, ARTICLES_PAGE, lines_per_part):
        listing("articles.md.j2", part.path, part=part, articles=articles)
    listings = len(todo)
    files: dict[str, Path] = {}
    for article in digest.articles:
        path = article_page(article.slug)
        original = original_path(article)
        files[original] = articles_dir / article.article.path
        shown = shown_of.get(article.slug, b"")
        fingerprint = article.analyzed.fingerprint
        kept = previous.kept(path, fingerprint, shown) if previous and fingerprint else None
        pages[path] = kept or ""
        if kept is None:
            todo.append(("article.md.j2", path, {"item": article, "original": original},
                         fingerprint, shown))
        else:
            unchanged.add(path)
    # A listing takes the time of tens of article pages: they are spread over the shares.
    spread = (len(todo) - listings) / max(1, listings)
    order = sorted(range(len(todo)),
                   key=lambda k: ((k + 0.5) * spread if k < listings else k - listings, k))
    root = os.fspath(write_into) if write_into is not None else ""

    def rendered(k: int) -> str | tuple[bytes, bool]:
        text = page(todo[k][0], todo[k][1], **todo[k][2])
        if write_into is None:
            return text
        # Written by the process that rendered it: this one holds no page's text.
        data = text.encode("utf-8")
        return _content_hash(data), write_file(root, todo[k][1], data)

    written: list[str] = []
    for k, made in zip(order, fork_map(rendered, order, jobs), strict=True):
        _, path, _, key, shown = todo[k]
        if isinstance(made, str):
            pages[path] = made
            # Hashed only to be kept.
            content_hash = _content_hash(made.encode("utf-8")) if previous and key else b""
        else:
            pages[path] = ""
            unchanged.add(path)
            content_hash, was_written = made
            if was_written:
                written.append(path)
        if previous and key:
            previous.keep(path, key, shown, content_hash)

    nav = (
        NavItem(labels["home"], "index.md"),
        NavItem(labels["themes"], children=tuple(
            NavItem(theme_titles[slug], theme_page(slug))
            for slug in [t.slug for t in digest.themes] + [OTHER_SLUG]
        )),
        NavItem(labels["timeline"], TIMELINE_PAGE),
        NavItem(labels["all_articles"], ARTICLES_PAGE),
    )
    return SiteTree(pages=pages, files=files, nav=nav, unchanged=frozenset(unchanged),
                    written=tuple(sorted(written)))


# What a listing page is kept by in the result cache, before its path (an article page is kept
# by its article's fingerprint, a hex digest).
LISTING_KEY = "listing:"


class PreviousPages:
    """Article pages of the previous build, each kept in the tree folder and known by a
    signature of everything it shows; a page whose signature is unchanged is read back instead
    of rendered (after a check that the file still holds what was written)."""

    def __init__(self, results: ResultCache, docs_dir: Path):
        self.results = results
        self.docs_dir = docs_dir
        self.docs = os.fspath(docs_dir)
        # Each page file as the last build left it: size, time, inode and content hash.
        self.files: dict[str, tuple[int, int, int, bytes]] = \
            results.lookup(*_FILES_KEY) or {}
        self.hashes: dict[str, bytes] = {}  # the content hash of each page of this build

    def kept(self, path: str, key: str, shown: bytes) -> str | None:
        """The page as the previous build wrote it, if it showed the same; else None. `key`
        is what the page is kept by: its article's fingerprint, or its path as a listing.

        A file whose size, time and inode are those noted when it was written is taken as
        it is without being read (as git's index does): its text is then "" here."""
        written = self.results.lookup("page", key, shown)
        if written is None:
            return None
        target = f"{self.docs}/{path}"
        noted = self.files.get(path)
        if noted is not None and noted[3] == written:
            try:
                status = os.stat(target)
            except OSError:
                return None
            if (status.st_size, status.st_mtime_ns, status.st_ino) == noted[:3]:
                self.hashes[path] = written
                return ""
        try:
            data = Path(target).read_bytes()
        except OSError:
            return None
        if _content_hash(data) != written:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        self.hashes[path] = written
        return text

    def keep(self, path: str, key: str, shown: bytes, content_hash: bytes) -> None:
        """Remember what a page rendered now shows (by the `_content_hash` of its bytes)."""
        self.hashes[path] = content_hash
        self.results.store("page", key, shown, content_hash)

    def note_files(self) -> None:
        """Note each page file as it now is in the tree folder (after `write_tree`), for the
        next build's `kept`."""
        files = {}
        for path, content_hash in self.hashes.items():
            try:
                status = os.stat(f"{self.docs}/{path}")
            except OSError:
                continue
            files[path] = (status.st_size, status.st_mtime_ns, status.st_ino, content_hash)
        self.results.store(*_FILES_KEY, files)


# Where the page files' notes are kept among the results.
_FILES_KEY = ("tree", "pages", b"")


def _content_hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _signed(value: object, shown_of: dict[str, bytes]) -> object:
    """A listing's values in a form whose text says what the page shows: each article by the
    signature of what its page shows (which covers what a listing entry shows of it)."""
    if isinstance(value, DigestArticle):
        return shown_of[value.slug]
    if isinstance(value, dict):
        return tuple((key, _signed(item, shown_of)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_signed(item, shown_of) for item in value)
    return value


def _render_stamp(context: dict) -> bytes:
    """What shapes every article page besides its article: templates, labels, themes, and
    the code of the filters."""
    sources = [path.read_bytes() for path in sorted(TEMPLATES_DIR.rglob("*")) if path.is_file()]
    sources += [Path(__file__).read_bytes(), (Path(__file__).parent / "model.py").read_bytes()]
    return signature(sources, sorted(context["labels"].items()), context["language"],
                     sorted(context["theme_titles"].items()), context["digest"].themes,
                     sorted(context["theme_thresholds"].items()), LISTED_COPIES,
                     context["digest_latest"])


def _shown_on_page(article: DigestArticle, by_slug: dict[str, DigestArticle], stamp: bytes,
                   named: dict[str, bytes]) -> bytes:
    """A signature of what an article page shows: the article (its file, by its cache key),
    what the digest made of it, and how it names the articles it links to (`named` keeps the
    signature of how each is named, made once)."""
    linked = {slug for slug in (*article.related, *article.same_story)}
    linked.update(copy for slug in article.related for copy in by_slug[slug].same_story)
    for slug in linked.difference(named):
        other = by_slug[slug].article
        named[slug] = signature(slug, other.title, other.date and other.date.iso, other.source,
                                str(other.path), by_slug[slug].same_story)
    # Its themes and near misses are made from its file and the themes (in the stamp). The
    # signatures, each of 16 bytes, are hashed as they are.
    summary = tuple(s.index for s in article.summary)
    return signature(article.analyzed.fingerprint, article.slug, summary, article.related,
                     article.same_story,
                     packed=stamp + b"".join([named[s] for s in sorted(linked)]))


def write_tree(tree: SiteTree, docs_dir: Path, jobs: int = 1,
               removed: list[str] | None = None) -> list[str]:
    """Make the folder hold exactly the tree: write the pages and copy the files whose bytes
    changed (shared among `jobs` forked processes), remove what the tree no longer has (and
    add its path to `removed`, when given). Returns the paths written, sorted."""
    wanted: dict[str, str | Path] = {**tree.pages, **tree.files}
    written = write_files({path: page_or_file for path, page_or_file in wanted.items()
                           if path not in tree.unchanged}, docs_dir, jobs)
    root = os.fspath(docs_dir)
    for folder, folders, names in os.walk(root, topdown=False):  # files before their folders
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name in names + [name for name in folders if os.path.islink(f"{folder}/{name}")]:
            if prefix + name not in wanted:
                os.unlink(f"{folder}/{name}")
                if removed is not None:
                    removed.append(prefix + name)
        if folder != root and not os.listdir(folder):
            os.rmdir(folder)
    return written


def write_files(wanted: Mapping[str, str | bytes | Path], docs_dir: Path, jobs: int = 1
                ) -> list[str]:
    """Write the pages (text) and copy the files (source paths) by their paths in the folder,
    those whose bytes changed, shared among `jobs` forked processes. Returns the paths
    written, sorted."""
    todo = sorted(wanted)
    root = os.fspath(docs_dir)
    done = fork_map(lambda path: write_file(root, path, wanted[path]), todo, jobs)
    return [path for path, written in zip(todo, done, strict=True) if written]


def write_file(root: str, path: str, page_or_file: str | bytes | Path) -> bool:
    """Write a page (text or bytes) or copy a file to its path in the folder `root`, unless
    the file there holds its bytes already; whether it was written. (Paths as strings, not
    `Path`s: a rebuild looks at twenty thousand files.)"""
    target = f"{root}/{path}"
    # Encoded one page at a time: the pages of ten thousand articles are a hundred megabytes.
    content = page_or_file.encode("utf-8") if isinstance(page_or_file, str) else page_or_file
    if _same_content(target, content):
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    _write_anew(Path(target), content)
    return True


def _write_anew(target: Path, content: bytes | Path) -> None:
    """Write the bytes (or copy the file) to the target as a new file, never into the file
    that stood there: the published site may share it (a hard link, see `mkdocs_site`), and
    must not change while the next one is built."""
    try:
        os.lstat(target)
    except FileNotFoundError:
        temporary = target
    else:
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if isinstance(content, bytes):
            with open(temporary, "wb") as stream:
                stream.write(content)
        else:
            shutil.copyfile(content, temporary)
        if temporary != target:
            os.replace(temporary, target)
    except BaseException:
        if temporary != target:
            temporary.unlink(missing_ok=True)
        raise


def _same_content(target: str, content: bytes | Path) -> bool:
    """Whether the file already holds these bytes, or a copy of that file made after the file
    last changed: of its size, and written after the file's status last changed (which any
    write, replacement or `touch` of it does, unlike its modification time, which `cp -p`
    can set to any time)."""
    try:
        stat = os.lstat(target)
    except OSError:
        return False
    if not S_ISREG(stat.st_mode):
        return False
    if isinstance(content, bytes):
        if stat.st_size != len(content):
            return False
        with open(target, "rb") as stream:
            return stream.read() == content
    source = os.stat(content)
    return stat.st_size == source.st_size and stat.st_mtime_ns > source.st_ctime_ns


def theme_page(slug: str) -> str:
    return f"themes/{slug}.md"


TIMELINE_PAGE = "timeline.md"
ARTICLES_PAGE = "articles/index.md"


def part_page(first: str, number: int) -> str:
    """Where part `number` of a listing is: the first keeps the listing's path, the others go
    in a folder named after it (`themes/sanctions.md`, `themes/sanctions/2.md`). No article
    page can be one: article pages are files in `articles/`, and slugs hold no `/`."""
    return first if number == 1 else f"{first.removesuffix('.md')}/{number}.md"


@dataclass(frozen=True)
class Part:
    """One part of a listing cut into parts: which of how many, and the parts it links to."""

    listing: str  # the path of the first part
    number: int  # 1 is the newest
    count: int

    @property
    def path(self) -> str:
        return part_page(self.listing, self.number)

    @property
    def first(self) -> str | None:
        return part_page(self.listing, 1) if self.number > 1 else None

    @property
    def newer(self) -> str | None:
        return part_page(self.listing, self.number - 1) if self.number > 1 else None

    @property
    def older(self) -> str | None:
        return part_page(self.listing, self.number + 1) if self.number < self.count else None

    @property
    def last(self) -> str | None:
        return part_page(self.listing, self.count) if self.number < self.count else None


def paginate(items: Sequence[T], listing: str, per_page: int) -> list[tuple[Part, Sequence[T]]]:
    """A listing's items (newest first) as parts of `per_page`, each with its `Part`; an empty
    listing is one empty part."""
    count = max(1, -(-len(items) // per_page))
    return [(Part(listing, number, count),
             items[(number - 1) * per_page: number * per_page])
            for number in range(1, count + 1)]


def article_page(slug: str) -> str:
    return f"articles/{slug}.md"


def original_path(article: DigestArticle) -> str:
    """Where the original file is published; `.md` originals get `.txt` so they stay files.

    A file whose name cannot be shown as it is (bytes that are not UTF-8, control characters)
    is published under its article's slug instead, in a folder of its own."""
    path = article.article.path.as_posix()
    if printable(path) != path:
        return f"{RENAMED_ORIGINALS_FOLDER}/{article.slug}.txt"
    return f"{ORIGINALS_FOLDER}/{path}" + (".txt" if not path.endswith(".txt") else "")


def theme_sections(digest: Digest) -> list[tuple[str, str, tuple[DigestArticle, ...]]]:
    """(slug, title, articles) for each theme, then the unthemed articles."""
    sections = [(t.slug, t.title, one_per_story(digest.in_theme(t.slug))) for t in digest.themes]
    sections.append((OTHER_SLUG, "", one_per_story(digest.unthemed())))
    return sections


def by_month(articles: Iterable[DigestArticle]) -> list[tuple[str | None, list[DigestArticle]]]:
    """Articles grouped by month, newest month first; undated ones last (key None)."""
    months: OrderedDict[str | None, list[DigestArticle]] = OrderedDict()
    for article in articles:  # already newest first
        months.setdefault(month_key(article), []).append(article)
    return list(months.items())


def month_key(article: DigestArticle) -> str | None:
    """`2018-03`, the month the timeline puts an article in; None when it is undated."""
    date = article.article.date
    return date.month_key if date else None


def paragraph_parts(text: str, size: int = PARAGRAPH_PART_CHARS) -> list[str]:
    """A paragraph as parts of about `size` characters, cut after a sentence where one ends
    near the limit, else at a space: Markdown takes time that grows with the square of a
    paragraph's length, and a scraped page can be one paragraph of a million characters."""
    parts = []
    start = 0
    while len(text) - start > size:
        window = text[start: start + size]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        if cut < size // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= size // 2 else size
        parts.append(window[:cut].strip())
        start += cut
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def clip_sentence(text: str) -> str:
    """A sentence as a summary shows it: cut at a word boundary, with an ellipsis, when long."""
    return shorten_at_word(text, SENTENCE_MAX_CHARS)


def highlight(evidence: Evidence) -> Markup:
    """The evidence sentence with its matched words in bold, clipped like a summary line."""
    text = clip_sentence(evidence.sentence)
    clipped = text != evidence.sentence.strip()
    if clipped:
        text = text[:-1]  # the ellipsis goes back on after the last part
    parts: list[str] = []
    position = 0
    for start, end in _merge(evidence.spans):
        if end > len(text):
            break
        parts.append(markdown_escape(text[position:start]))
        parts.append(f"**{markdown_escape(text[start:end])}**")
        position = end
    parts.append(markdown_escape(text[position:]))
    return Markup("".join(parts) + ("…" if clipped else ""))


def external_link(url: str) -> Markup:
    """A link to an http(s) address; any other scheme is shown as text, never linked."""
    parsed = urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return markdown_escape(url)
    safe = quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%-._~")
    safe = safe.replace("(", "%28").replace(")", "%29")
    return Markup(f"[{markdown_escape(parsed.netloc)}]({safe})")


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def relative_path(target: str, folder: str) -> str:
    """`posixpath.relpath(target, folder)`, the way to the target's folder worked out once per
    pair of folders (`relpath` asks the system for the working folder on every call, and a
    digest links tens of thousands of times to a handful of folders)."""
    head, name = posixpath.split(target)
    parts = target.split("/") + ([] if folder == "." else folder.split("/"))
    if any(part in ("", ".", "..") for part in parts) \
            or folder == target or folder.startswith(target + "/"):
        return posixpath.relpath(target, folder)  # not a plain path below the site's root
    way = _folder_path(head or ".", folder)
    return name if way == "." else f"{way}/{name}"


@functools.lru_cache(maxsize=1024)
def _folder_path(target: str, folder: str) -> str:
    return posixpath.relpath(target, folder)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        auto_reload=False,  # an environment lives for one build: no checks of the files' times
        autoescape=False,
        finalize=markdown_escape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["link"] = lambda target, page_path: Markup(
        quote(relative_path(target, posixpath.dirname(page_path) or "."))
    )
    # Page titles: themes show them unescaped in <title>, the header and the nav.
    env.filters["yaml_text"] = lambda text: Markup(
        json.dumps(html.escape(str(text), quote=False), ensure_ascii=False)
    )
    env.filters["highlight"] = highlight
    env.filters["clip"] = clip_sentence
    env.filters["printable"] = printable
    env.filters["paragraph_parts"] = paragraph_parts
    # Output of our own macros: already escaped where it holds article text.
    env.filters["trusted"] = Markup
    env.filters["date"] = lambda date, language: date.display(language) if date else ""
    env.filters["month_name"] = lambda key, language: PublishedDate(
        int(key[:4]), int(key[5:7])).display(language).capitalize()
    env.filters["external_link"] = external_link
    env.globals.update(theme_page=theme_page, article_page=article_page,
                       listed_copies=LISTED_COPIES)
    return env
