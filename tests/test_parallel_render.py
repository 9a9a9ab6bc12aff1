"""MkDocs' pages rendered by several processes: the same site, byte for byte, as MkDocs alone;
and a page's warning or failure in any process is the build's."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.mkdocs_site import PARALLEL_MIN_PAGES, mkdocs_build
from tests.sitebuild import ROOT

PAGES = 3 * PARALLEL_MIN_PAGES


def docs_tree(folder: Path, broken: int | None = None) -> Path:
    """A home page and PAGES article pages, each linking to the next; page `broken` links to
    a page that does not exist. Each page defines a link reference that the next but one uses
    without defining it (a page must not see what a page before it defined), and has two
    headings of the same name, a table and attributes."""
    docs = folder / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "index.md").write_text("# Begin\n\n[Eerste](articles/a000.md)\n", "utf-8")
    for number in range(PAGES):
        target = "missing" if number == broken else f"a{(number + 1) % PAGES:03}"
        (docs / "articles" / f"a{number:03}.md").write_text(
            f"# Pagina {number}\n\nTekst van pagina {number} met [een bron][bron{number}] en "
            f"[de bron van een vorige][bron{number - 2}].\n\n## Meer\n\n| a | b |\n|---|---|\n"
            f"| {number} | x |\n\n## Meer\n\n[Volgende]({target}.md){{: .volgende }}\n\n"
            f"[bron{number}]: https://example.org/{number}\n", "utf-8")
    (docs / "originals").mkdir()
    for number in range(7):  # files that are not pages, copied as they are
        (docs / "originals" / f"a{number:03}.txt").write_text(f"Origineel {number}\n", "utf-8")
    return docs


def config_for(folder: Path, docs: Path, site: str, strict: bool = False):
    return load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(docs),
                       site_dir=str(folder / site), strict=strict, nav=[{"Begin": "index.md"}])


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_pages_rendered_by_two_processes_give_the_site_mkdocs_gives(tmp_path):
    docs = docs_tree(tmp_path)
    mkdocs_build(config_for(tmp_path, docs, "alone"), jobs=1)
    mkdocs_build(config_for(tmp_path, docs, "shared"), jobs=2)
    alone, shared = site_files(tmp_path / "alone"), site_files(tmp_path / "shared")
    assert len([p for p in alone if p.startswith("articles/")]) == PAGES
    assert len([p for p in alone if p.startswith("originals/")]) == 7
    assert shared == alone


@pytest.mark.parametrize(("extensions", "made"), [
    ([], 1),  # MkDocs' own extensions and the config's, all Python-Markdown's: one Markdown
    (["pymdownx.caret"], PAGES // 2),  # another's extension: a Markdown for each page
])
def test_one_markdown_converts_every_page_when_its_extensions_forget_each_page(
        tmp_path, monkeypatch, extensions, made):
    docs = docs_tree(tmp_path)
    config = config_for(tmp_path, docs, "shared")
    config["markdown_extensions"] += extensions
    counted = []
    made_here = markdown.Markdown.__init__

    def counting(self, **settings):
        counted.append(1)
        made_here(self, **settings)

    monkeypatch.setattr(markdown.Markdown, "__init__", counting)
    mkdocs_build(config, jobs=2)
    assert made <= len(counted) <= made + 1  # this process's share of the pages
    alone = config_for(tmp_path, docs, "alone")
    alone["markdown_extensions"] += extensions
    mkdocs_build(alone, jobs=1)
    assert site_files(tmp_path / "shared") == site_files(tmp_path / "alone")
    # Pages are shared out in turn: this process converted page 0, then page 2.
    page = (tmp_path / "shared" / "articles" / "a002.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/2"' in page
    assert 'href="https://example.org/0"' not in page


def test_templates_compiled_once_are_kept_and_give_the_same_site(tmp_path):
    docs = docs_tree(tmp_path)
    kept = tmp_path / "templates"
    mkdocs_build(config_for(tmp_path, docs, "alone"), jobs=1)
    mkdocs_build(config_for(tmp_path, docs, "first"), jobs=2, templates_cache=kept)
    compiled = {p.name: p.stat().st_mtime_ns for p in kept.iterdir()}
    assert compiled  # the theme's templates, compiled
    mkdocs_build(config_for(tmp_path, docs, "again"), jobs=2, templates_cache=kept)
    assert {p.name: p.stat().st_mtime_ns for p in kept.iterdir()} == compiled  # read, not made
    alone = site_files(tmp_path / "alone")
    assert site_files(tmp_path / "first") == alone
    assert site_files(tmp_path / "again") == alone


def test_a_changed_template_is_compiled_again(tmp_path):
    docs = docs_tree(tmp_path)
    kept = tmp_path / "templates"
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    main = overrides / "main.html"

    def build(site: str) -> str:
        config = config_for(tmp_path, docs, site)
        config.theme.dirs.insert(0, str(overrides))
        mkdocs_build(config, jobs=2, templates_cache=kept)
        return (tmp_path / site / "articles" / "a001.html").read_text("utf-8")

    main.write_text('{% extends "base.html" %}{% block content %}OLD-MARK{% endblock %}', "utf-8")
    assert "OLD-MARK" in build("first")
    main.write_text('{% extends "base.html" %}{% block content %}NEW-MARK{% endblock %}', "utf-8")
    second = build("second")
    assert "NEW-MARK" in second
    assert "OLD-MARK" not in second


@pytest.mark.parametrize("broken", [0, 1])  # one page in each process's share
def test_a_warning_in_any_process_fails_a_strict_build(tmp_path, broken):
    docs = docs_tree(tmp_path, broken=broken)
    with pytest.raises(Abort):
        mkdocs_build(config_for(tmp_path, docs, "site", strict=True), jobs=2)
    mkdocs_build(config_for(tmp_path, docs, "lenient"), jobs=2)  # not strict: built
    assert (tmp_path / "lenient" / "articles" / f"a{broken:03}.html").is_file()


# The pages are shared out in turn after the home page: a000 goes to the forked process,
# a001 to the parent.
@pytest.mark.parametrize(("broken", "message"), [
    (0, "a page could not be built (see the messages above)"),
    (1, "'no-such-template.html' not found"),
])
def test_a_page_that_fails_in_any_process_fails_the_build(tmp_path, broken, message):
    docs = docs_tree(tmp_path)
    page = docs / "articles" / f"a{broken:03}.md"
    page.write_text("---\ntemplate: no-such-template.html\n---\n# Kapot\n", "utf-8")
    with pytest.raises(Exception, match=re.escape(message)):
        mkdocs_build(config_for(tmp_path, docs, "site"), jobs=2)


def test_files_of_the_tree_are_linked_into_the_site_not_copied(tmp_path):
    docs = docs_tree(tmp_path)
    mkdocs_build(config_for(tmp_path, docs, "shared"), jobs=2)
    original, published = docs / "originals" / "a003.txt", tmp_path / "shared" / "originals"
    assert (published / "a003.txt").stat().st_ino == original.stat().st_ino
    assert (published / "a003.txt").read_text("utf-8") == "Origineel 3\n"
    # The theme's own files are copied: they are not the generator's to replace.
    theme_file = next(p for p in (tmp_path / "shared" / "assets").rglob("*.js"))
    assert theme_file.stat().st_nlink == 1
