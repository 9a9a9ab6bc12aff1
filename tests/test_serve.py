"""`digest serve`: a live preview on loopback that rebuilds when an article changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.sitebuild import ROOT, make_project

ARTICLE = "Rusland wijst drie Nederlandse diplomaten uit. Dat meldt het ministerie in Moskou.\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, wanted: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}; last page:\n{text[:500]}")


def test_serve_rebuilds_when_an_article_changes(tmp_path):
    project = make_project(tmp_path / "project", {"nieuws.txt": ARTICLE})
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "serve",
         "--content", str(project / "content"), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/articles/nieuws.html"
        fetch_until(url, "Rusland wijst drie Nederlandse diplomaten uit")
        (project / "content" / "articles" / "nieuws.txt").write_text(
            ARTICLE + "\nDe ambassadeur moet binnen een week vertrekken, zegt de woordvoerder.\n",
            encoding="utf-8",
        )
        fetch_until(url, "binnen een week vertrekken")
    finally:
        server.terminate()
        server.wait(timeout=10)
