"""`digest serve`: a live preview on loopback that rebuilds on changes and keeps answering,
with the last good site, while an edit is broken."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.sitebuild import ROOT, make_project

ARTICLE = "Rusland wijst drie Nederlandse diplomaten uit. Dat meldt het ministerie in Moskou.\n"
MORE = "\nDe ambassadeur moet binnen een week vertrekken, zegt de woordvoerder.\n"
ANSWER_SECONDS = 5  # every request is answered within this, during builds and broken edits



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    terminal: Path  # what the command printed, stdout and stderr together
    url: str

    def output(self) -> str:
        return self.terminal.read_text("utf-8", errors="replace")

    def wait_for_output(self, pattern: str, seconds: float = 60, start: int = 0) -> str:
        """Wait until the output from character `start` on matches `pattern`; the match."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output()[start:])
            if match:
                return match.group(0)
            assert self.process.poll() is None, f"digest serve stopped:\n{self.output()}"
            time.sleep(0.2)
        raise AssertionError(f"the output never showed {pattern!r}:\n{self.output()}")


@contextmanager
def serving(project: Path) -> Iterator[Server]:
    """`digest serve` on a free loopback port, stopped afterwards."""
    port = free_port()
    terminal = project.parent / "terminal.txt"
    with terminal.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "--project", str(project), "serve",
             "--content", str(project / "content"), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=sink, stderr=subprocess.STDOUT, preexec_fn=_as_from_a_terminal,
        )
    try:
        yield Server(process, terminal, f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        process.wait(timeout=10)


def _as_from_a_terminal() -> None:
    """In the server's process, before it starts: Ctrl-C interrupts it, as it does a command
    started from a terminal, even when the tests run as a background job of a script (which
    ignores SIGINT, and passes that on to every process it starts)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def fetch(url: str) -> tuple[int, str]:
    """Status and text of a page; fails if the server does not answer in ANSWER_SECONDS."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert time.monotonic() - started < ANSWER_SECONDS, f"{url} took too long"
    return status, body.decode("utf-8")


def fetch_until(url: str, wanted: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = fetch(url)[1]
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}; last page:\n{text[:500]}")


def answers_until_rebuilt(server: Server, pages: list[str], wanted: str, start: int) -> None:
    """Until the build after output position `start` is over, every page answers at once
    with the last good site (showing `wanted`)."""
    deadline = time.monotonic() + 60
    while not re.search(r"Built the digest|ERROR", server.output()[start:]):
        assert time.monotonic() < deadline, f"no build finished:\n{server.output()}"
        for page in pages:
            status, text = fetch(server.url + page)
            assert (status, wanted in text) == (200, True), text[:500]
        time.sleep(0.2)
    for page in pages:
        status, text = fetch(server.url + page)
        assert (status, wanted in text) == (200, True), text[:500]


def test_serve_rebuilds_when_an_article_changes(tmp_path):
    other = "De haven van Rotterdam sloeg dit jaar meer containers over. Dat meldt het bedrijf.\n"
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE, "haven.txt": other})
    with serving(project) as server:
        url = server.url + "articles/nieuws.html"
        fetch_until(url, "Rusland wijst drie Nederlandse diplomaten uit")
        serve_dir = project / "build" / "serve"
        first = {p.name: p for p in serve_dir.glob("site-*")}
        (project / "content" / "articles" / "nieuws.txt").write_text(ARTICLE + MORE, "utf-8")
        fetch_until(url, "binnen een week vertrekken")
        # Only what changed was rendered again: the other article's page is the same file,
        # linked from the site before.
        [before] = first.values()
        [after] = [p for p in serve_dir.glob("site-*") if p.name not in first]
        assert (after / "articles" / "haven.html").stat().st_ino == \
            (before / "articles" / "haven.html").stat().st_ino
        assert (after / "articles" / "nieuws.html").stat().st_ino != \
            (before / "articles" / "nieuws.html").stat().st_ino


def test_serve_prints_its_address_and_stops_on_ctrl_c(tmp_path):
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE})
    with serving(project) as server:
        server.wait_for_output(re.escape(f"Serving the digest on {server.url}\n"))
        status, page = fetch(server.url)
        assert status == 200 and "Nieuwsdigest Rusland" in page
        # The reload script is in the page served, not in the site on disk (read from file://).
        version = fetch(server.url + ".digest/version")[1]
        assert f'var shown = "{version}";' in page
        on_disk = [p.read_text("utf-8") for p in (project / "build").rglob("*.html")]
        assert on_disk and not any(".digest/version" in text for text in on_disk)

        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=10) == 0
        assert "Traceback" not in server.output()


def test_serve_keeps_answering_while_an_article_is_broken(tmp_path):
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE})
    broken = project / "content" / "articles" / "kapot.md"
    with serving(project) as server:
        fetch_until(server.url + "articles/nieuws.html", "diplomaten uit")
        start = len(server.output())
        broken.write_text("---\ndate: 2024-13-45\n---\nDe ambassade sluit.\n", "utf-8")
        server.wait_for_output(r"Rebuilding: .*kapot\.md changed", start=start)
        answers_until_rebuilt(server, ["", "articles/nieuws.html"], "diplomaten uit", start)
        assert "Traceback" not in server.output()

        broken.write_text("---\ndate: 2024-12-15\n---\nDe ambassade in Moskou sluit.\n", "utf-8")
        fetch_until(server.url + "articles/kapot.html", "De ambassade in Moskou sluit")


def test_serve_keeps_the_last_good_site_while_the_themes_file_is_broken(tmp_path):
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE})
    themes = project / "content" / "themes.yml"
    good_themes = themes.read_text("utf-8")
    with serving(project) as server:
        url = server.url + "articles/nieuws.html"
        fetch_until(url, "diplomaten uit")
        start = len(server.output())
        themes.write_text("themes:\n  - slug: [expulsions\n", "utf-8")
        server.wait_for_output(r"Rebuilding: .*themes\.yml changed", start=start)
        answers_until_rebuilt(server, ["", "articles/nieuws.html"], "diplomaten uit", start)
        problem = server.wait_for_output(r".*\bERROR\b.*", start=start)
        assert "content/themes.yml" in problem and "not valid YAML" in problem, problem
        assert "Traceback" not in server.output()

        # An article edited while the themes file is broken waits for the fix.
        start = len(server.output())
        (project / "content" / "articles" / "nieuws.txt").write_text(ARTICLE + MORE, "utf-8")
        answers_until_rebuilt(server, ["articles/nieuws.html"], "diplomaten uit", start)
        assert "binnen een week" not in fetch(url)[1]
        themes.write_text(good_themes, "utf-8")
        fetch_until(url, "binnen een week vertrekken")


def test_serve_answers_when_the_first_build_fails(tmp_path):
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE}, themes="themes: [\n")
    with serving(project) as server:
        server.wait_for_output(re.escape(f"Serving the digest on {server.url}"))
        status, page = fetch(server.url + "articles/nieuws.html")
        assert status == 503 and "themes.yml" in page and "not valid YAML" in page
        (project / "content" / "themes.yml").write_text(
            (ROOT / "content" / "themes.yml").read_text("utf-8"), "utf-8")
        fetch_until(server.url + "articles/nieuws.html", "diplomaten uit")
