"""Atomic output: a build that fails or is killed leaves the previous site exactly as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publish import clear_stale, publish, staging_dir
from tests.sitebuild import ROOT, build_project, make_project

ARTICLES = {
    f"bericht-{i:02d}.txt": f"De gemeente opent haven {i} voor nieuwe schepen. Het havenbedrijf "
    f"verwacht in week {i} meer containers dan vorig jaar. De wethouder is tevreden.\n"
    for i in range(12)
}


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site by its path, with a hash of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*")) if path.is_file()
    }


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


@pytest.fixture
def built_project(tmp_path) -> Path:
    project = make_project(tmp_path / "project", ARTICLES)
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    return project


def change_an_article(project: Path) -> None:
    (project / "content" / "articles" / "bericht-00.txt").write_text(
        "Het havenbedrijf meldt een nieuw record. De wethouder spreekt van een goed jaar.\n",
        encoding="utf-8")


def test_a_failing_build_leaves_the_previous_site_as_it_was(built_project):
    site = built_project / "site"
    before = snapshot(site)
    change_an_article(built_project)
    # A theme override that fails while MkDocs renders the pages, after it has begun writing.
    (built_project / "theme" / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}',
        encoding="utf-8")
    result = build_project(built_project)
    assert result.returncode == 1
    assert "Error building the site: ZeroDivisionError: integer division or modulo by zero" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_a_strict_build_with_a_problem_is_not_published(built_project):
    site = built_project / "site"
    before = snapshot(site)
    change_an_article(built_project)
    (built_project / "content" / "articles" / "leeg.txt").write_bytes(b"")
    result = build_project(built_project, "--strict")
    assert result.returncode == 1
    assert "Not published:" in result.stdout
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_a_killed_build_leaves_the_previous_site_as_it_was(built_project):
    site = built_project / "site"
    before = snapshot(site)
    change_an_article(built_project)
    command = [sys.executable, "-m", "generator.cli", "--project", str(built_project), "build",
               "--content", str(built_project / "content"), "--site-dir", str(site)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    whole = time.monotonic() - started
    before_new = snapshot(site)
    assert before_new != before
    # Kill builds at moments spread over a whole build, the last ones near its end.
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98):
        change_an_article_again = (built_project / "content" / "articles" / "bericht-01.txt")
        change_an_article_again.write_text(f"Een andere tekst, versie {fraction}. Zo is het.\n",
                                           encoding="utf-8")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(site)
        if after != before_new:
            # Killed after it had put the new site in place: then that site must be whole,
            # the very site a build of this content that runs to its end makes.
            whole_site = built_project / "whole-site"
            finished = subprocess.run([*command[:-1], str(whole_site)], cwd=ROOT, env=env,
                                      capture_output=True)
            assert finished.returncode == 0
            assert after == snapshot(whole_site), fraction
        before_new = after
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert leftovers(site) == []


def test_publish_swaps_a_complete_build_in(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("oud", encoding="utf-8")
    staging = staging_dir(site)
    (staging / "index.html").write_text("nieuw", encoding="utf-8")
    publish(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "nieuw"
    assert leftovers(site) == []


def test_publish_puts_the_first_site_in_place(tmp_path):
    site = tmp_path / "site"
    staging = staging_dir(site)
    (staging / "index.html").write_text("nieuw", encoding="utf-8")
    publish(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "nieuw"


def test_clear_stale_brings_back_a_site_left_aside_and_removes_dead_builds(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    aside = tmp_path / f".site.previous-{dead.pid}"
    aside.mkdir()
    (aside / "index.html").write_text("oud", encoding="utf-8")
    (tmp_path / f".site.building-{dead.pid}").mkdir()
    running = tmp_path / f".site.building-{os.getppid()}"
    running.mkdir()
    clear_stale(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "oud"
    assert leftovers(tmp_path / "site") == [running.name]
