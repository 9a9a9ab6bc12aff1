"""`digest serve`: a live preview that keeps answering while the digest is being edited.

Every build goes into a fresh folder under `build/serve/`, and the server switches to it only
when the build succeeded: after a bad edit the terminal says what is wrong and the browser
keeps the last good site. A small script, added to the HTML pages only as they are served,
reloads a page when a new build is in.
"""

from __future__ import annotations

import html
import io
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .analyze import Analyzer
from .errors import DigestError
from .mkdocs_site import CONFIG_FILE, build_site, read_site_config
from .read import display_path

log = logging.getLogger("digest")

SERVE_FOLDER = Path("build") / "serve"
LAST_GOOD = "last-good"  # names the folder of the last good build, for the next start
THEME_FOLDER = "theme"
VERSION_PATH = "/.digest/version"
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.3  # editors save in several steps: wait until the files stop changing

# Asks the server every second which build it serves; reloads the page when that changes.
RELOAD_SCRIPT = """<script>
(function () {
  var shown = VERSION;
  function poll() {
    fetch("/.digest/version", {cache: "no-store"})
      .then(function (answer) { return answer.text(); })
      .then(function (version) {
        if (version.trim() !== shown) { location.reload(); } else { setTimeout(poll, 1000); }
      }, function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
</script>
"""

Stamps = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Served:
    """What the server answers with: the last good site (if any), its version, and why the
    latest build failed (shown as a page only while there is no good site)."""

    site_dir: Path | None
    version: str
    problem: str = ""


class Preview:
    """Builds the site into fresh folders and keeps the last good one served.

    `rebuild` runs one build at a time: first on the main thread, then only on the watcher's.
    """

    def __init__(self, project_dir: Path, content_dir: Path):
        self.project_dir = project_dir
        self.content_dir = content_dir
        self.serve_dir = project_dir / SERVE_FOLDER
        self._started = str(int(time.time()))
        self._builds = 0
        self._analyzers: dict[tuple, Analyzer] = {}  # kept across builds: pipelines load once
        self.served = Served(self._previous_site(), self._version())

    def _version(self) -> str:
        # The start time makes a page left open from an earlier `digest serve` reload too.
        return f"{self._started}-{self._builds}"

    def _previous_site(self) -> Path | None:
        """The last good site of an earlier run, if any; everything else there is removed."""
        try:
            name = (self.serve_dir / LAST_GOOD).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            name = ""
        site_dir = self.serve_dir / name
        good = re.fullmatch(r"site-\d+", name) and (site_dir / "index.html").is_file()
        previous = site_dir if good else None
        self._remove_sites_except(previous)
        return previous

    def _remove_sites_except(self, *kept: Path | None) -> None:
        if not self.serve_dir.is_dir():
            return
        for entry in self.serve_dir.iterdir():
            if entry.name != LAST_GOOD and entry not in kept:
                shutil.rmtree(entry, ignore_errors=True)

    def _new_site_dir(self) -> Path:
        number = 1
        while (self.serve_dir / f"site-{number}").exists():
            number += 1
        return self.serve_dir / f"site-{number}"

    def _analyzer(self) -> Analyzer:
        _, settings = read_site_config(self.project_dir / CONFIG_FILE)
        key = tuple(sorted(settings.pipelines.items()))
        return self._analyzers.setdefault(key, Analyzer(settings.pipelines))

    def rebuild(self) -> None:
        """Build the site; serve it if the build succeeded, else say why in one line."""
        from mkdocs.exceptions import MkDocsException

        site_dir = self._new_site_dir()
        try:
            report = build_site(self.project_dir, self.content_dir, site_dir,
                                analyzer=self._analyzer(), previous_site=self.served.site_dir)
        except DigestError as error:
            self._failed(str(error), site_dir)
        except MkDocsException as error:
            self._failed(f"Error building the site: {error}", site_dir)
        except Exception as error:
            log.debug("the build failed", exc_info=True)
            self._failed(f"could not rebuild: {_describe(error)}", site_dir)
        else:
            previous = self.served.site_dir
            self._builds += 1
            self.served = Served(site_dir, self._version())
            try:
                (self.serve_dir / LAST_GOOD).write_text(site_dir.name, encoding="utf-8")
            except OSError:  # only the next start's fallback is lost
                log.debug("could not note the last good site", exc_info=True)
            # The site before stays: a request may still be reading from it.
            self._remove_sites_except(site_dir, previous)
            log.info("Built the digest in %.1f s: %d article(s), %d skipped",
                     report.seconds, report.articles, len(report.skipped))
            for problem in report.problems:
                log.warning("%s%s", "skipped " if problem.skipped else "", problem)

    def _failed(self, problem: str, site_dir: Path) -> None:
        shutil.rmtree(site_dir, ignore_errors=True)
        log.error("%s", problem)
        if self.served.site_dir is None:
            self._builds += 1  # the problem page changes: reload it
            self.served = Served(None, self._version(), problem)
        else:
            log.info("Still serving the last good site")


def _describe(error: Exception) -> str:
    """One line for an error nobody foresaw: its type, and its file and line where known."""
    where = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    place = f" in '{where}'" + (f", line {line}" if line else "") if where else ""
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}{place}: {message[0] if message else '(no message)'}"


def with_reload_script(page: bytes, version: str) -> bytes:
    """The page with the reload script added before `</body>` (or at the end)."""
    script = RELOAD_SCRIPT.replace("VERSION", json.dumps(version)).encode("utf-8")
    end = page.lower().rfind(b"</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


def problem_page(problem: str) -> bytes:
    """The page shown while there is no good site to show."""
    return (
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Digest preview</title>"
        "</head>\n<body><h1>The digest could not be built</h1>\n"
        f"<pre>{html.escape(problem)}</pre>\n"
        "<p>Fix the file and save it; this page reloads when the build succeeds.</p>\n"
        "</body></html>\n"
    ).encode()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Files of the served site, HTML pages with the reload script, and the build version."""

    def __init__(self, *args, served: Served, **kwargs):
        self.served = served  # one build for the whole request, even if a new one comes in
        super().__init__(*args, directory=str(served.site_dir or "."), **kwargs)

    def send_head(self):
        url_path = urlsplit(self.path).path
        if url_path == VERSION_PATH:
            return self._answer(self.served.version.encode("utf-8"), "text/plain; charset=utf-8")
        if self.served.site_dir is None:
            page = with_reload_script(problem_page(self.served.problem), self.served.version)
            return self._answer(page, "text/html; charset=utf-8", HTTPStatus.SERVICE_UNAVAILABLE)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and url_path.endswith("/"):
            path = os.path.join(path, "index.html")
        if path.endswith((".html", ".htm")) and os.path.isfile(path):
            try:
                page = Path(path).read_bytes()
            except OSError:
                return super().send_head()
            return self._answer(with_reload_script(page, self.served.version),
                                "text/html; charset=utf-8")
        return super().send_head()

    def _answer(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        # Ask the browser to check every time: the files change with every build.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        log.debug("%s - " + format, self.address_string(), *args)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, lambda *args: PreviewHandler(*args, served=preview.served))

    def handle_error(self, request, client_address) -> None:
        # Mostly a browser that closed the connection: nothing for the terminal.
        log.debug("request from %s failed", client_address, exc_info=True)


def parse_address(address: str) -> tuple[str, int]:
    """`127.0.0.1:8000` → ("127.0.0.1", 8000); `[::1]:8000` → ("::1", 8000)."""
    host, _, port = address.rpartition(":")
    if not re.fullmatch(r"\d{1,5}", port) or int(port) > 65535:
        raise DigestError(address, "not an address like 127.0.0.1:8000", what="in address")
    return host.strip("[]") or "127.0.0.1", int(port)


def watched_files(project_dir: Path, content_dir: Path) -> Stamps:
    """Modification time and size of every file a build reads: the content folder, the theme
    folder and the site config."""
    stamps: Stamps = {}
    # A content folder holding the project (`--content .`) must not watch the builds.
    outputs = {os.path.realpath(project_dir / "build"), os.path.realpath(project_dir / "site")}
    for root in (content_dir, project_dir / THEME_FOLDER):
        visited: set[str] = set()
        for folder, subfolders, names in os.walk(root, followlinks=True):
            real = os.path.realpath(folder)
            if real in visited or real in outputs:  # a link back, or the builds themselves
                subfolders[:] = []
                continue
            visited.add(real)
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                if not _is_scratch(name):
                    _stamp(os.path.join(folder, name), stamps)
    _stamp(str(project_dir / CONFIG_FILE), stamps)
    return stamps


def _is_scratch(name: str) -> bool:
    """A hidden, lock or backup file (`.x.swp`, `.~lock.x#`, `~$x.md`, `#x#`, `x~`), which no
    build reads (the same names as the article reader ignores)."""
    return name.startswith((".", "~$")) or name.endswith("~") or (
        len(name) > 1 and name.startswith("#") and name.endswith("#"))


def _stamp(path: str, stamps: Stamps) -> None:
    try:
        status = os.stat(path)
    except OSError:
        return  # gone, or not readable: the build will say so
    stamps[path] = (status.st_mtime_ns, status.st_size)


def changed_files(before: Stamps, after: Stamps) -> list[str]:
    """The files added, removed or changed between two looks."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path) != after.get(path))


def watch(preview: Preview, stamps: Stamps, stop: threading.Event) -> None:
    """Rebuild when a watched file changes, once the files have stopped changing."""
    while not stop.wait(POLL_SECONDS):
        try:
            stamps = _rebuild_on_change(preview, stamps, stop)
        except Exception as error:  # the watcher must go on, whatever happens
            log.debug("the watcher failed", exc_info=True)
            log.error("could not rebuild: %s", _describe(error))


def _rebuild_on_change(preview: Preview, stamps: Stamps, stop: threading.Event) -> Stamps:
    """Rebuild if a watched file changed since `stamps`; the stamps to compare with next."""
    now = watched_files(preview.project_dir, preview.content_dir)
    if now == stamps:
        return stamps
    while not stop.wait(SETTLE_SECONDS):
        settled = watched_files(preview.project_dir, preview.content_dir)
        if settled == now:
            break
        now = settled
    if stop.is_set():
        return now
    changed = changed_files(stamps, now)
    more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
    log.info("Rebuilding: %s changed%s", display_path(Path(changed[0])), more)
    # Taken before the build: a file saved during the build makes another build.
    stamps = now
    preview.rebuild()
    return stamps


def serve_site(project_dir: Path, content_dir: Path, address: str = "127.0.0.1:8000") -> None:
    """Live preview: serve the site, rebuild it when a watched file changes, and keep
    serving the last good site while a build fails. Returns on Ctrl-C."""
    host, port = parse_address(address)
    preview = Preview(project_dir, content_dir)
    try:
        server = PreviewServer((host, port), preview)
    except OSError as error:
        raise DigestError(address, f"cannot listen there ({error.strerror or error})",
                          what="serving on") from None
    stop = threading.Event()
    watcher: threading.Thread | None = None
    try:
        stamps = watched_files(project_dir, content_dir)
        preview.rebuild()
        shown_host = f"[{host}]" if ":" in host else host
        print(f"Serving the digest on http://{shown_host}:{server.server_address[1]}/",
              flush=True)
        watcher = threading.Thread(target=watch, args=(preview, stamps, stop),
                                   name="digest-watch", daemon=True)
        watcher.start()
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("Stopped the preview")
    finally:
        stop.set()
        server.server_close()
        if watcher is not None:
            try:
                watcher.join(timeout=2)  # a build under way is left to end with the process
            except KeyboardInterrupt:
                pass
