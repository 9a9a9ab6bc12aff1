"""The whole build with the real MkDocs: the sample site, bad input, the CLI commands."""

from __future__ import annotations

import json
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.digest import build_digest
from generator.mkdocs_site import read_site_config
from generator.render import render_site
from generator.summarize import is_noise, is_summary_candidate
from tests.sitebuild import ROOT, build_project, make_project, run_digest

GOOD = "Rusland wijst drie Nederlandse diplomaten uit. Dat meldt het ministerie in Moskou.\n"
BROKEN_FRONT_MATTER = "---\ntitle: [niet gesloten\ndate: 2022-01-01\n---\nTekst van het artikel.\n"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = run_digest("build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site, result.stdout


def test_build_sample_is_strict_clean(sample_site):
    site, report = sample_site
    assert "articles read: 6" in report and "skipped: 0" in report
    for page in ("index.html", "timeline.html", "articles/index.html",
                 "themes/expulsions.html", "themes/other.html",
                 "search/manifest.js", "assets/javascripts/search-engine.js",
                 "assets/javascripts/snowball-stem.min.js"):
        assert (site / page).is_file(), page
    sample_files = sorted((ROOT / "content" / "articles").rglob("*.txt"))
    article_pages = [p for p in (site / "articles").glob("*.html") if p.name != "index.html"]
    assert len(article_pages) == len(sample_files)
    for original in sample_files:
        assert (site / "originals" / original.name).read_bytes() == original.read_bytes()


def test_build_sample_loads_nothing_from_the_network(sample_site):
    site, _ = sample_site
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for host in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr"):
            assert host not in html, f"{page} loads from {host}"


def nav_links(page: Path) -> int:
    return len(re.findall(r'class="md-nav__link', page.read_text(encoding="utf-8")))


def test_navigation_does_not_grow_with_article_count(tmp_path):
    def project_with(count: int) -> Path:
        articles = {
            f"nieuws-{i:03d}.txt": f"date 2022-0{1 + i % 9} Bericht nummer {i} over de haven "
            f"van Rotterdam. De gemeente meldt {i} nieuwe schepen in week {i}.\n"
            for i in range(count)
        }
        project = make_project(tmp_path / f"p{count}", articles)
        result = build_project(project)
        assert result.returncode == 0, result.stderr
        return project / "site" / "articles" / "nieuws-000.html"

    assert nav_links(project_with(5)) == nav_links(project_with(40))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
         "binary file (it contains NUL bytes), not text"),
        ("garbled.txt", b"Rusland \x81\x8d\x8f\x90\x9d wijst uit.",
         "cannot be decoded as UTF-8 or Windows-1252 (byte 8)"),
        ("broken.md", BROKEN_FRONT_MATTER.encode(), "line 3: front matter: "),
    ],
)
def test_build_skips_bad_article_and_builds_the_rest(tmp_path, name, data, reason):
    project = make_project(tmp_path / "project", {name: data, "goed.txt": GOOD})
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    assert "articles read: 1" in result.stdout
    assert "skipped: 1" in result.stdout
    skipped = next(line for line in result.stdout.splitlines() if name in line)
    assert f"content/articles/{name}: {reason}" in skipped
    assert (project / "site" / "articles" / "goed.html").is_file()

    strict = build_project(project, "--strict")
    assert strict.returncode == 1
    assert "--strict" in strict.stderr


def test_broken_themes_file_stops_the_build(tmp_path):
    themes = (ROOT / "content" / "themes.yml").read_text("utf-8")
    themes += "  - slug: sanctions\n    title: Nog eens\n    vocabulary:\n      nl: [sanctie]\n"
    project = make_project(tmp_path / "project", {"goed.txt": GOOD}, themes=themes)
    result = build_project(project)
    assert result.returncode == 1
    assert re.search(r"Error in themes file '.*themes\.yml': line \d+: duplicate slug "
                     r"'sanctions' \(first defined on line \d+\)", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_user_defined_theme_gets_its_page(tmp_path):
    themes = (ROOT / "content" / "themes.yml").read_text("utf-8") + (
        "  - slug: cyber-attacks\n"
        "    title: {nl: Cyberaanvallen, en: Cyber attacks}\n"
        "    vocabulary:\n"
        "      nl: [cyberaanval|hackersaanval, hacker + aanval|inbreken]\n"
        "      en: [cyberattack, hacker + attack]\n"
    )
    article = ("Een cyberaanval heeft de haven van Antwerpen platgelegd. Hackers drongen het "
               "systeem binnen. De cyberaanval duurde twee dagen, meldt de politie.\n")
    project = make_project(tmp_path / "project", {"hack.txt": article}, themes=themes)
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "themes" / "cyber-attacks.html").read_text("utf-8")
    assert "Cyberaanvallen" in page and "articles/hack.html" in page
    assert re.search(r"cyber-attacks +1\n", result.stdout)


def test_analyze_prints_json_per_article(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    sample = sorted((ROOT / "content" / "articles").glob("*.txt"))[0]
    result = run_digest("analyze", str(sample), str(empty), "--json")
    assert result.returncode == 1  # one file could not be read
    assert "Traceback" not in result.stderr
    entries = json.loads(result.stdout)
    article, error = entries
    assert set(article) == {"path", "title", "date", "language", "source", "summary",
                            "themes", "text"}
    assert 2 <= len(article["summary"]) <= 4
    assert all(sentence in article["text"] for sentence in article["summary"])
    for theme in article["themes"]:
        assert set(theme) == {"slug", "score", "evidence"}
    assert error == {"path": str(empty), "error": "the file is empty"}


def test_check_passes_on_sample_content():
    result = run_digest("check")
    assert result.returncode == 0, result.stdout
    assert "no problems" in result.stdout


def test_check_lists_every_problem(tmp_path):
    project = make_project(tmp_path / "project", {"empty.txt": b"", "goed.txt": GOOD},
                           themes="themes:\n  - slug: x\n    title: X\n")
    shutil.rmtree(project / "build", ignore_errors=True)
    result = run_digest("--project", str(project), "check", "--content",
                        str(project / "content"))
    assert result.returncode == 1
    assert "themes.yml': line 2: theme is missing 'vocabulary'" in result.stdout
    assert "content/articles/empty.txt: the file is empty" in result.stdout
    assert "2 problem(s)" in result.stdout


def test_sample_summaries_are_whole_clean_sentences_said_once(analyzer):
    _, config = read_site_config(ROOT / "mkdocs.yml")
    digest = build_digest(ROOT / "content", config, analyzer)
    assert digest.articles
    for item in digest.articles:
        summary = item.summary
        assert summary, item.slug
        assert all(is_summary_candidate(s) and not is_noise(s) for s in summary), item.slug
        assert len({s.text for s in summary}) == len(summary), item.slug
    for lines in digest.theme_digests.values():
        texts = [line.sentence.text for line in lines]
        assert len(set(texts)) == len(texts)


def test_check_reports_what_build_warns_about(tmp_path):
    pinned = "---\ntitle: Kop\nthemes: [onbekend]\n---\n" + GOOD
    project = make_project(tmp_path / "project", {"vast.md": pinned, "goed.txt": GOOD,
                                                  "datum.md": "---\ndate: 2022-02-30\n---\nTekst."})
    warning = "content/articles/vast.md: front matter: theme 'onbekend' is not defined in " \
              "themes.yml; ignored"
    skipped = "content/articles/datum.md: line 2: front matter: date '2022-02-30' is not a real " \
              "date (2022-02 has 28 days)"
    check = run_digest("--project", str(project), "check", "--content", str(project / "content"))
    assert check.returncode == 1
    assert f"warning: {warning}" in check.stdout.replace(str(project) + "/", "")
    assert skipped in check.stdout.replace(str(project) + "/", "")
    assert "checked: 2 article(s) would be built; 2 problem(s)" in check.stdout
    build = build_project(project)
    assert build.returncode == 0, build.stderr
    report = build.stdout.replace(str(project) + "/", "")
    assert f"- {warning}" in report and f"- {skipped}" in report


def test_analyze_piped_into_head_exits_quietly(tmp_path):
    files = [tmp_path / f"bericht-{i}.txt" for i in range(30)]
    for path in files:
        path.write_text(GOOD * 40, encoding="utf-8")
    command = [sys.executable, "-m", "generator.cli", "analyze", "--json", *map(str, files)]
    result = subprocess.run(
        f"{shlex.join(command)} | head -n 2", shell=True, cwd=ROOT, capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.startswith("[\n  {")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_a_sentence_of_thousands_of_words_is_clipped_in_summaries(tmp_path, analyzer):
    endless = " ".join(["Rusland wijst diplomaten uit en de ambassade sluit"] * 6000)
    project = make_project(tmp_path / "project", {"eindeloos.txt": endless, "goed.txt": GOOD})
    config = read_site_config(project / "mkdocs.yml")[1]
    digest = build_digest(project / "content", config, analyzer)
    tree = render_site(digest, project / "content" / "articles")
    article = digest.by_slug()["eindeloos"]
    assert article.article.title.endswith("…") and len(article.article.title) <= 90
    assert len(article.summary[0].text) > 50_000  # the sentence itself is kept whole
    for path in ("themes/expulsions.md", "index.md", "articles/index.md", "timeline.md"):
        assert max(len(line) for line in tree.pages[path].splitlines()) < 1000, path
    page = tree.pages["articles/eindeloos.md"]
    summary_and_evidence = page[page.index("\n## "): page.index("\n## " + "Volledige tekst")]
    lines = [line for line in summary_and_evidence.splitlines() if "wijst" in line]
    assert lines and all(len(line) < 1000 and line.rstrip(" *").endswith("…") for line in lines)
    # The full text is all there, in parts Markdown can take.
    full_text = page[page.index("\n## " + "Volledige tekst"):].split("\n## ")[1]
    assert full_text.count("wijst") == 6000
    assert max(len(line) for line in full_text.splitlines()) < 6000


def test_a_wrong_theme_name_stops_the_build_before_any_article_is_analyzed(tmp_path):
    project = make_project(tmp_path / "project", {"goed.txt": GOOD})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("name: material", "name: nergens"),
                      encoding="utf-8")
    result = build_project(project)
    assert result.returncode == 1
    assert "Unrecognised theme name: 'nergens'" in result.stderr
    assert result.stderr.count("Unrecognised theme name") == 1
    assert "Traceback" not in result.stderr
    assert not (project / "build" / "docs" / "articles").exists()


def test_a_themes_file_nested_too_deeply_is_one_clear_message(tmp_path):
    project = make_project(tmp_path / "project", {"goed.txt": GOOD},
                           themes="themes: " + "[" * 3000)
    result = build_project(project)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "content/themes.yml': lists or mappings nested too deeply")


def test_build_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    articles = {f"bericht-{i:02d}.txt": f"Bericht {i} over de haven. Het gaat goed.\n"
                for i in range(12)}
    project = make_project(tmp_path / "project", articles)
    command = [sys.executable, "-m", "generator.cli", "--project", str(project), "build",
               "--content", str(project / "content"), "--site-dir", str(project / "site"),
               "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DIGEST_PROGRESS_DELAY": "0"}
    # On a terminal: the stage, the articles done of all, the time left.
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=follower, stdout=follower,
                               stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    text = shown.decode("utf-8", "replace")
    assert "analyzing articles" in text and "/12 [" in text and "<" in text, text
    # Not a terminal (CI, a pipe): no bar at all.
    result = subprocess.run([*command, "--fresh"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0
    assert "analyzing" not in result.stderr + result.stdout


def test_check_and_build_name_undated_articles_without_failing(tmp_path):
    undated = "De veerpont tussen de twee dorpen vaart deze zomer vaker. Dat meldt de gemeente.\n"
    project = make_project(tmp_path / "project", {"veer.txt": undated})
    note = "content/articles/veer.txt: no date: none in the front matter, a `date` marker " \
           "or a dateline; listed as undated"
    check = run_digest("--project", str(project), "check", "--content", str(project / "content"))
    assert check.returncode == 0, check.stdout
    assert f"note: {note}" in check.stdout.replace(str(project) + "/", "")
    build = build_project(project, "--strict")
    assert build.returncode == 0, build.stdout + build.stderr
    assert f"- {note}" in build.stdout.replace(str(project) + "/", "")
