"""The one module that knows the static site generator is MkDocs (with mkdocs-material).

It reads the site settings from `mkdocs.yml`, hands the generator its `digest:` settings,
writes the generator's Markdown tree into the build folder, and runs MkDocs on it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import html
import logging
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Collection, Iterator
from concurrent.futures import Executor
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

from .analyze import Analyzer
from .cache import ArticleCache, saved_by, saves_done
from .config import DigestConfig, parse_digest_config
from .digest import ARTICLES_FOLDER, COLLECTION, Progress, build_digest
from .errors import DigestError
from .model import Digest
from .parallel import Forked, ProcessPool, fork
from .publish import discard, publish, staging_dir
from .read import display_path
from .render import NavItem, PreviousPages, SiteTree, render_site, write_files, write_tree
from .report import BuildReport, build_report
from .search import html_url, listing_pages, search_files

if TYPE_CHECKING:
    from mkdocs.structure.files import File

log = logging.getLogger("digest")

CONFIG_FILE = "mkdocs.yml"
BUILD_DOCS = Path("build") / "docs"
CACHE_DIR = Path("build") / "cache" / "articles"
TEMPLATES_CACHE = Path("build") / "cache" / "templates"


def read_site_config(config_file: Path) -> tuple[dict, DigestConfig]:
    """The raw site settings and the digest's own settings from `mkdocs.yml`."""
    shown = display_path(config_file)
    if not config_file.is_file():
        raise DigestError(shown, "the site config does not exist", what="in config")
    try:
        settings = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DigestError(shown, f"not valid YAML ({getattr(error, 'problem', error)})",
                          mark.line + 1 if mark else None, what="in config") from None
    if not isinstance(settings, dict):
        raise DigestError(shown, "must be a mapping of settings", what="in config")
    theme = settings.get("theme") or {}
    language = theme.get("language", "en") if isinstance(theme, dict) else "en"
    extra = settings.get("extra") or {}
    digest = parse_digest_config(
        extra.get("digest") if isinstance(extra, dict) else None,
        title=str(settings.get("site_name", "News digest")),
        language=language,
        shown=shown,
    )
    return settings, digest


# What the theme puts in the site: kept from the previous site while the stamp is unchanged.
_THEME_FILES = "assets/"
# What MkDocs writes on every build, dirty or not.
_WRITTEN_EVERY_BUILD = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


def site_stamp(project_dir: Path, site_dir: Path) -> str:
    """What shapes every page of the site besides its own Markdown: the site config, the theme
    and templates, MkDocs and Material. Only while it is unchanged are the pages whose
    Markdown did not change taken from the previous site."""
    digest = hashlib.sha256(str(site_dir).encode())
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(f"{package}=={metadata.version(package)}".encode())
    digest.update((project_dir / CONFIG_FILE).read_bytes())
    theme = project_dir / "theme"
    for path in sorted(theme.rglob("*")) if theme.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(theme).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp_file(project_dir: Path) -> Path:
    return project_dir / "build" / "site-stamp"


def _start_from(site_dir: Path, staging: Path, docs_dir: Path) -> set[str]:
    """Put the previous site's files in the staging folder as hard links (no copying), except
    the pages and files whose source is gone and those MkDocs will write again: their Markdown
    or file is newer than they are, or MkDocs writes them on every build. Returns the files
    linked, by their path in the site.

    MkDocs then renders only the pages whose Markdown is newer than their page (`dirty`), each
    into a new file, never into one the published site still shows; and the result is the site
    a full build makes."""
    linked: set[str] = set()
    folders = [("", os.fspath(site_dir), os.fspath(docs_dir), os.fspath(staging))]
    while folders:
        relative, site, docs, target = folders.pop()
        made = False
        with os.scandir(site) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{relative}{name}/", entry.path, f"{docs}/{name}",
                                    f"{target}/{name}"))
                    continue
                if not _still_current(relative + name, entry, docs):
                    continue
                if not made:
                    os.makedirs(target, exist_ok=True)
                    made = True
                os.link(entry.path, f"{target}/{name}")
                linked.add(relative + name)
    return linked


class _EarlyStart:
    """`_start_from` begun before the tree is written, by a forked process (forked while
    this one is small, and done on another core while this one makes the digest); the files
    whose source the build then writes or removes are taken out again (`linked`): the same
    files as `_start_from` after the tree is written. Where processes cannot be forked, it is
    `_start_from` then."""

    def __init__(self, site_dir: Path, staging: Path, docs_dir: Path):
        self.folders = (site_dir, staging, docs_dir)
        self.pid: int | None = None
        self.status = 0
        self.spool = tempfile.TemporaryFile() if hasattr(os, "fork") else None
        if self.spool is None:
            return
        self.pid = fork()
        if self.pid == 0:  # a forked copy: it links, says what, and ends without cleaning up
            status = 1
            try:
                pickle.dump(_start_from(*self.folders), self.spool,
                            protocol=pickle.HIGHEST_PROTOCOL)
                self.spool.flush()
                status = 0
            finally:
                os._exit(status)

    def linked(self, changed: Collection[str]) -> set[str]:
        """The files of the previous site in the staging folder, by their path in the site,
        once those of the `changed` sources (written or removed by this build) are out."""
        site_dir, staging, docs_dir = self.folders
        if self.spool is None:
            return _start_from(site_dir, staging, docs_dir)
        status = self.wait()
        with self.spool:
            self.spool.seek(0)
            try:
                linked: set[str] = pickle.load(self.spool)  # noqa: S301 (from our own fork)
            except (EOFError, pickle.UnpicklingError):
                linked = set()
        if status != 0:  # the process failed halfway: linked here, from the start
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            return _start_from(site_dir, staging, docs_dir)
        for source in changed:
            name = html_url(source)  # the page or file the source gives in the site
            if name in linked:
                linked.discard(name)
                target = staging / name
                target.unlink()
                # A folder left empty is not the site's (MkDocs makes those it writes into).
                for folder in target.parents:
                    if folder == staging or _holds_any(folder):
                        break
                    folder.rmdir()
        return linked

    def wait(self) -> int:
        """Wait for the process to be done; its exit status."""
        if self.pid is not None:
            self.status = os.waitpid(self.pid, 0)[1]
            self.pid = None
        return self.status

    def abandon(self) -> None:
        """Wait for the process, for a build that stops here."""
        self.wait()
        if self.spool is not None:
            self.spool.close()


def _holds_any(folder: Path) -> bool:
    """Whether a folder holds anything, from its first entry (`Path.iterdir` lists them all:
    ten thousand for the articles' folder, for each article that changed)."""
    with os.scandir(folder) as entries:
        return next(entries, None) is not None


def _still_current(relative: str, entry: os.DirEntry, docs: str) -> bool:
    """Whether MkDocs, building dirty, would leave this file of the previous site as it is
    (`docs` is the folder of the tree that stands for the file's folder)."""
    if relative in _WRITTEN_EVERY_BUILD:
        return False
    if relative.startswith(_THEME_FILES):
        return True
    name = entry.name
    source = name[:-5] + ".md" if name.endswith(".html") else name
    try:
        # The comparison MkDocs makes (`File.is_modified`).
        return entry.stat(follow_symlinks=False).st_mtime >= os.stat(f"{docs}/{source}").st_mtime
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    """MkDocs warns that a dirty build may leave navigation and links inaccurate; here they are
    not (the navigation is bounded, and the search index comes from the generator), and the
    warning would fail a --strict build."""

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")

    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def check_site_config(project_dir: Path, level: int = logging.WARNING) -> list[str]:
    """What MkDocs finds wrong in the site config (unknown theme, bad plugin option…), from
    `level` up (warnings, or errors only)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= level:
                messages.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False  # said once, by the caller
    shown = display_path(project_dir / CONFIG_FILE)
    try:
        with tempfile.TemporaryDirectory() as docs_dir:  # the pages are not written yet
            load_config(config_file=str(project_dir / CONFIG_FILE), docs_dir=docs_dir)
    except MkDocsException as error:
        if not messages:  # "Aborted with N configuration errors!" only when nothing said why
            messages.append(str(error))
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return [f"Error in config '{shown}': {message}" for message in messages]


def mkdocs_nav(items: tuple[NavItem, ...]) -> list:
    """The generator's navigation in MkDocs' `nav` form (titles are shown as HTML)."""
    return [
        {html.escape(item.title, quote=False): item.path if item.path
         else mkdocs_nav(item.children)}
        for item in items
    ]


@contextlib.contextmanager
def _executor(jobs: int, scheduler: str | None) -> Iterator[Executor | None]:
    """Where the per-article work runs: a Dask cluster's workers when a scheduler address is
    given (`pip install -e '.[cluster]'`), else `jobs` local processes, else this process."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise DigestError(scheduler, "--scheduler needs Dask's distributed package: "
                                         "pip install -e '.[cluster]'", what="reaching") from None
        try:
            client = Client(scheduler, timeout=10, set_as_default=False)
        except OSError as error:
            raise DigestError(scheduler, f"no Dask scheduler answers ({error})",
                              what="reaching") from None
        with client, client.get_executor() as executor:
            yield executor
    elif jobs > 1:
        with ProcessPool(jobs) as executor:
            yield executor
    else:
        yield None


# A rebuild that analyzes at most this share of the articles (of those taken from the cache)
# makes the search index while it renders the pages (`generate_tree`).
SIDE_BY_SIDE_SHARE = 0.25


def generate_tree(
    project_dir: Path,
    content_dir: Path,
    analyzer: Analyzer | None = None,
    jobs: int = 1,
    fresh: bool = False,
    progress: Progress | None = None,
    scheduler: str | None = None,
    changed: set[str] | None = None,
) -> tuple[Digest, SiteTree, DigestConfig]:
    """Build the digest and write its Markdown tree into the build folder; `changed`, when
    given, gets the paths in the tree folder that were written or removed.

    Articles already analyzed by an earlier build are taken from the cache in the build folder
    (`fresh` ignores and replaces it); the others are analyzed by `jobs` processes. A rebuild
    writes the cache's results in the background: `cache.saves_done` waits for them."""
    _, config = read_site_config(project_dir / CONFIG_FILE)
    cache = ArticleCache(project_dir / CACHE_DIR, config.pipelines)
    if fresh:
        cache.clear()
        shutil.rmtree(project_dir / TEMPLATES_CACHE, ignore_errors=True)  # the theme's too
    with _executor(jobs, scheduler) as executor:
        digest = build_digest(content_dir, config, analyzer, cache, executor, progress, jobs)
    # The digest lives as long as the build: the collector need not walk it again and again
    # (`build_site` unfreezes what was frozen when it ends).
    gc.freeze()
    cache.save()
    docs_dir = project_dir / BUILD_DOCS

    def search_tree(writers: int) -> tuple[list[str], list[str]]:
        """The index's files, by path, and those written (by `writers` processes). The
        entries of the documents that did not change are taken as they were, from the memo."""
        memo = cache.search.lookup("search", COLLECTION, b"") or {}
        index = search_files(digest, listing_pages(digest), url_of=html_url,
                             part_bytes=config.search_part_kb * 1024, memo=memo, jobs=jobs)
        cache.search.store("search", COLLECTION, b"", memo)
        return sorted(index), write_files(index, docs_dir, writers)

    previous = PreviousPages(cache.results, docs_dir)

    def pages() -> SiteTree:
        return render_site(digest, content_dir / ARTICLES_FOLDER, config.latest_per_theme,
                           per_page=config.per_page, previous=previous, jobs=jobs,
                           write_into=docs_dir)

    # In a rebuild that takes most articles from the cache, the index is made and written by
    # a process of its own while this one renders the pages (both read the digest only):
    # most of either is then one process's work. Otherwise each shares out its work among
    # `jobs` processes, and doing both at once would only share the same cores, while
    # holding the index and the pages at once: the index is made first.
    if cache.hits > 0 and cache.misses <= SIDE_BY_SIDE_SHARE * cache.hits:
        # It writes what the index keeps once it has given the index.
        searching = Forked(lambda: search_tree(writers=1), then=cache.search.save)
        try:
            tree = pages()
        except BaseException:
            searching.wait()  # a build that stops here leaves no process behind
            raise
        index, index_written = searching.result()
        if searching.pid is not None:
            saved_by(searching.pid)
    else:
        index, index_written = search_tree(writers=jobs)
        cache.search.save(background=cache.hits > 0)  # a rebuild's, while it goes on
        tree = pages()
    # The index's files are in the tree folder already, as they should be.
    tree = replace(tree, pages={**tree.pages, **dict.fromkeys(index, "")},
                   unchanged=tree.unchanged.union(index))
    removed: list[str] = []
    written = write_tree(tree, docs_dir, jobs, removed)
    if changed is not None:
        changed.update(written, tree.written, index_written, removed)
    previous.note_files()
    # A rebuild writes what it keeps while it goes on.
    cache.results.save(background=cache.hits > 0)
    return digest, tree, config


# Each process renders at least this many pages (a page takes a few milliseconds; a fork of a
# build of ten thousand articles, a few hundredths of a second).
PARALLEL_MIN_PAGES = 24


def mkdocs_build(config, dirty: bool = False, jobs: int = 1,
                 templates_cache: Path | None = None, kept: Collection[str] | None = None,
                 ) -> None:
    """MkDocs' build, with the pages rendered by `jobs` processes where that is possible.

    The steps are those of `mkdocs.commands.build.build`; only the two loops over the pages
    (reading and converting Markdown, then rendering the theme) are shared out: each process is
    forked once files, navigation and theme are loaded, and renders every `jobs`-th page and
    copies every `jobs`-th other file.
    Plugins can gather from every page, so a site with plugins is built by MkDocs itself.

    The theme's templates are compiled once and kept in `templates_cache`, when one is given
    (Jinja checks each against its source): compiling them is a quarter of a second of every
    build, and was done again by each process.

    `kept`, in a dirty build, names the files of the site that are the previous site's (see
    `_start_from`): those are the files MkDocs finds not modified, known without comparing
    the times of thirty thousand files and their sources again."""
    from mkdocs import utils
    from mkdocs.commands import build as steps
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    if jobs <= 1 or not hasattr(os, "fork") or len(config.plugins):
        steps.build(config, dirty=dirty)
        return
    warnings = utils.CountHandler()
    warnings.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        if not dirty:
            utils.clean_directory(config.site_dir)
        else:
            log.debug("A 'dirty' build is being performed")
        files = get_files(config)
        docs_dir = os.path.abspath(config.docs_dir)
        env = config.theme.get_env()
        if templates_cache is not None:
            templates_cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(os.fspath(templates_cache))
        files.add_files_from_theme(env, config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for file in pages:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)

        def modified(file: File) -> bool:
            return not dirty or (file.is_modified() if kept is None
                                 else file.dest_uri not in kept)

        todo = [file.page for file in pages if modified(file)]

        in_nav = set(map(id, nav.pages))

        def render(share: list, copies: list) -> None:
            # The pages in the navigation are read and converted before any page is rendered,
            # as MkDocs does; a page outside it is shown by no other, and is read, converted,
            # rendered and let go one at a time (else every page's HTML is held at once).
            first = [page for page in share if id(page) in in_nav]
            with _markdown_reused(config):
                for page in first:
                    steps._populate_page(page, config, files, dirty)
                for page in first:
                    build(page)
                for page in share:
                    if id(page) not in in_nav:
                        steps._populate_page(page, config, files, dirty)
                        build(page)
                        page.markdown = page.content = None
            for page in share:
                page.validate_anchor_links(files=files,
                                           log_level=config.validation.links.anchors)
            for file in copies:  # as `files.copy_static_files` does, for this share
                _place_file(file, docs_dir)

        def build(page: Page) -> None:
            steps._build_page(page, config, pages, nav, env, dirty,
                              excluded=page.file.inclusion.is_excluded())

        # The other files (originals, search index) are copied by the processes too, in turn.
        static = [file for file in files if not file.is_documentation_page()
                  and InclusionLevel.is_included(file.inclusion) and modified(file)]
        processes = min(jobs, max(1, len(todo) // PARALLEL_MIN_PAGES))
        children = []
        for number in range(1, processes):
            pid = fork()
            if pid == 0:  # a forked copy: it renders its share, and ends without cleaning up
                status = 0
                try:
                    render(todo[number::processes], static[number::processes])
                except BaseException:  # noqa: BLE001 (reported by the parent's BuildError)
                    status = 1
                else:
                    status = 2 if warnings.get_counts() else 0
                finally:
                    logging.shutdown()
                    os._exit(status)
            children.append(pid)
        failed = None
        try:
            render(todo[0::processes], static[0::processes])
            for template in config.theme.static_templates:
                steps._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                steps._build_extra_template(template, files, config, nav)
        except Exception as error:  # noqa: BLE001 (after the other processes have ended)
            failed = error
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
        if failed is not None:
            raise failed
        if any(status not in (0, 2) for status in statuses):
            raise BuildError("a page could not be built (see the messages above)")
        if config.strict and (warnings.get_counts() or 2 in statuses):
            raise Abort("Aborted with warnings in strict mode!")
    finally:
        logger.removeHandler(warnings)


# Python-Markdown's own extensions: each one that keeps anything from a page forgets it in
# `reset()`, as Python-Markdown asks of an extension, so that one `Markdown` converts page
# after page (`_markdown_reused`).
_RESETTING_EXTENSIONS = frozenset(
    "abbr admonition attr_list codehilite def_list extra fenced_code footnotes legacy_attrs "
    "legacy_em md_in_html meta nl2br sane_lists smarty tables toc wikilinks".split())


@contextlib.contextmanager
def _markdown_reused(config) -> Iterator[None]:
    """MkDocs makes a `Markdown` for each page it converts, with every extension set up again:
    a quarter of a millisecond a page, ten thousand times. With only Python-Markdown's own
    extensions, one is made and `reset()` for each page instead (MkDocs then registers its
    own processors of the page on it, each replacing that of the page before). With any
    other extension, MkDocs makes its own."""
    import markdown
    from mkdocs.structure import pages

    names = [name if isinstance(name, str) else "" for name in config["markdown_extensions"]]
    if not all(name.removeprefix("markdown.extensions.") in _RESETTING_EXTENSIONS
               for name in names) or pages.markdown is not markdown:
        yield
        return
    made: dict[str, markdown.Markdown] = {}

    class Reused:
        def __getattr__(self, name: str):
            return getattr(markdown, name)

        @staticmethod
        def Markdown(**settings) -> markdown.Markdown:  # noqa: N802 (as `markdown.Markdown`)
            key = repr(sorted(settings.items()))
            if key not in made:
                made[key] = markdown.Markdown(**settings)
            return made[key].reset()

    pages.markdown = Reused()
    try:
        yield
    finally:
        pages.markdown = markdown


def _place_file(file: File, docs_dir: str) -> None:
    """Put a file other than a page in the site: as MkDocs copies it (`File.copy_file`), but
    a file of the generator's tree (search index, originals) as a hard link to it, no copy,
    where the file system allows. `write_tree` never writes into a file of the tree, it
    replaces it: the site keeps what it linked."""
    source, target = file.abs_src_path, file.abs_dest_path
    if source is None or file.generated_by or not source.startswith(docs_dir + os.sep):
        file.copy_file()
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        file.copy_file()


def build_site(
    project_dir: Path,
    content_dir: Path,
    site_dir: Path | None = None,
    strict: bool = False,
    analyzer: Analyzer | None = None,
    jobs: int = 1,
    fresh: bool = False,
    progress: Progress | None = None,
    scheduler: str | None = None,
    previous_site: Path | None = None,
) -> BuildReport:
    """Generate the Markdown tree, build the site from it with MkDocs beside the old site, and
    put it in place when it is complete. With `strict`, a build with any problem is not
    published: the previous site stays as it was. MkDocs renders only the pages that changed
    since the previous site (`previous_site`, by default the site itself) was built."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import BuildError, MkDocsException

    started = time.perf_counter()
    read_site_config(project_dir / CONFIG_FILE)  # our own message for a broken config
    problems = check_site_config(project_dir, logging.ERROR)  # MkDocs' for what it cannot use
    if problems:
        raise DigestError(display_path(project_dir / CONFIG_FILE),
                          "; ".join(p.split(": ", 1)[1] for p in problems), what="in config")
    docs_dir = project_dir / BUILD_DOCS
    docs_dir.mkdir(parents=True, exist_ok=True)
    site_dir = (site_dir or project_dir / "site").absolute()
    staging = staging_dir(site_dir)
    try:
        # MkDocs checks its settings before the digest is collected: a wrong theme name
        # should not wait for every article to be analyzed.
        config = load_config(
            config_file=str(project_dir / CONFIG_FILE),
            docs_dir=str(docs_dir.resolve()),
            site_dir=str(staging),
            strict=strict,
        )
        # The previous build's site is where this one starts, if it was built with the same
        # config, theme and versions (live preview builds each into a folder of its own): its
        # files are linked into the staging folder by a process of their own while the digest
        # is made.
        start = (previous_site or site_dir).absolute()
        stamp = site_stamp(project_dir, site_dir)
        start_stamp = stamp if start == site_dir else site_stamp(project_dir, start)
        dirty = not fresh and _stamp_file(project_dir).is_file() and start.is_dir() \
            and _stamp_file(project_dir).read_text(encoding="utf-8") == start_stamp
        early = _EarlyStart(start, staging, docs_dir) if dirty else None
        changed: set[str] = set()
        try:
            digest, tree, _ = generate_tree(project_dir, content_dir, analyzer, jobs, fresh,
                                            progress, scheduler, changed)
        except BaseException:
            if early is not None:
                early.abandon()
            raise
        kept = early.linked(changed) if early is not None else None
        config.nav = mkdocs_nav(tree.nav)
        del tree  # its pages are written: MkDocs' processes need not hold them
        try:
            with _quiet_dirty_warning():
                mkdocs_build(config, dirty, jobs, project_dir / TEMPLATES_CACHE, kept)
        except MkDocsException:
            raise
        except Exception as error:  # a theme override or a plugin of the user's that fails
            message = " ".join(f"{type(error).__name__}: {error}".split())
            raise BuildError(message) from error
        published = not (strict and digest.problems)
        if published:
            _stamp_file(project_dir).unlink(missing_ok=True)  # no stamp while the site moves
            publish(staging, site_dir)
            _stamp_file(project_dir).write_text(stamp, encoding="utf-8")
    finally:
        saves_done()
        discard(staging)
        gc.unfreeze()
    return build_report(digest, time.perf_counter() - started, display_path(site_dir),
                        published=published, articles_dir=content_dir / ARTICLES_FOLDER)
