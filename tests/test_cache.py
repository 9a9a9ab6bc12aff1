"""The per-article cache and parallel analysis: the same digest and site as a fresh,
single-process build, while only what changed is analyzed again."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import struct
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import cache as cache_module
from generator.analyze import Analyzer
from generator.cache import STAGE_MODULES, ArticleCache, cache_salt, signature
from generator.classify import ThemeClassifier
from generator.config import DigestConfig
from generator.digest import build_digest, collect_articles
from generator.model import AnalyzedArticle, sentences_for_now
from generator.parallel import Forked, ProcessPool
from generator.render import PreviousPages, render_site, write_tree
from tests.sitebuild import ROOT, build_project, make_project

THEMES = """themes:
  - slug: expulsions
    title: Uitwijzingen
    vocabulary:
      nl: [diplomaat + wijzen + uit]
"""
ARTICLES = {
    "navo.txt": "De NAVO wijst zeven Russische diplomaten uit. Hun accreditatie vervalt.\n",
    "haven.txt": "De haven van Rotterdam groeit. Het havenbedrijf is tevreden over het jaar.\n",
    "weer.txt": "Het wordt een natte week. De weerman verwacht veel regen in het noorden.\n",
}


def content(folder: Path, articles: dict[str, str], themes: str = THEMES) -> Path:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "themes.yml").write_text(themes, encoding="utf-8")
    for name, text in articles.items():
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    return folder


def digest_with(folder: Path, cache: ArticleCache, analyzer, executor=None, pages=False):
    """The digest, its articles and results kept as a build keeps them; with `pages`, the
    results are kept once the caller has rendered the pages, as a build does."""
    digest = build_digest(folder, DigestConfig(), analyzer, cache, executor)
    if cache is not None:
        cache.save()
        if not pages:
            cache.results.save()
    return digest


def test_cache_gives_the_same_digest_without_analyzing_again(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    first = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    cache = ArticleCache(tmp_path / "cache", {})
    again = digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (3, 0)
    assert again == first


def test_cache_misses_when_the_file_or_its_path_changes(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (folder / "articles" / "haven.txt").write_text("De haven krimpt dit jaar.\n", "utf-8")
    (folder / "articles" / "weer.txt").rename(folder / "articles" / "regen.txt")
    cache = ArticleCache(tmp_path / "cache", {})
    digest = digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (1, 2)
    assert digest.by_slug()["haven"].article.text == "De haven krimpt dit jaar."
    assert "regen" in digest.by_slug()


def test_cache_misses_when_the_pipelines_or_our_code_differ():
    assert cache_salt({"nl": None}) != cache_salt({"nl": "nl_core_news_sm"})
    here = ROOT / "generator"
    for module in STAGE_MODULES:
        digest = hashlib.sha256((here / f"{module}.py").read_bytes()).hexdigest()
        assert f"{module}:{digest}" in cache_salt({}).splitlines()
    a, b = ArticleCache(Path("x"), {}), ArticleCache(Path("x"), {"en": "en_core_web_sm"})
    assert a.key(b"tekst", "a.txt") != b.key(b"tekst", "a.txt")


def test_changed_themes_reclassify_without_analyzing_again(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    before = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    assert [a.slug for a in before.in_theme("expulsions")] == ["navo"]
    content(folder, {}, THEMES.replace("diplomaat + wijzen + uit", "haven"))
    cache = ArticleCache(tmp_path / "cache", {})
    after = digest_with(folder, cache, analyzer)
    assert cache.misses == 0
    assert [a.slug for a in after.in_theme("expulsions")] == ["haven"]


@pytest.mark.parametrize(("new_text", "recomputed"), [
    # Words no other article has: only the changed article is summarized and classified.
    ("De haven van Rotterdam groeit. Het havenbedrijf is blij met het jaar.\n",
     {("summary", "haven"), ("vector", "haven"), ("themes", "haven")}),
    # Stop words it now shares with another article weigh nothing in a summary: not again.
    ("De haven van Rotterdam groeit in een goed jaar. Het havenbedrijf is tevreden.\n",
     {("summary", "haven"), ("vector", "haven"), ("themes", "haven")}),
    # A word another article has weighs differently now: that article is summarized again.
    ("De haven van Rotterdam groeit. Het havenbedrijf vreest regen dit jaar.\n",
     {("summary", "haven"), ("vector", "haven"), ("themes", "haven"), ("summary", "weer"),
      ("vector", "weer")}),
])
def test_a_rebuild_summarizes_classifies_and_weighs_again_only_what_changed(
        tmp_path, analyzer, new_text, recomputed, monkeypatch):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (folder / "articles" / "haven.txt").write_text(new_text, "utf-8")
    cache = ArticleCache(tmp_path / "cache", {})
    made: list[tuple[str, str]] = []
    store = cache.results.store

    def watched(stage, article, signature, value):  # a result made now, not found
        if stage not in ("copies", "similar"):  # of the whole collection
            made.append((stage, next(a.slug for a in fresh.articles
                                     if a.analyzed.fingerprint == article)))
        store(stage, article, signature, value)

    fresh_cache = ArticleCache(tmp_path / "fresh", {})
    fresh = digest_with(folder, fresh_cache, analyzer)
    cache.results.store = watched
    unpickled: list[str] = []
    asked = AnalyzedArticle.__getattr__

    def unpickling(self, name):
        if name == "sentences":
            unpickled.append(self.article.path.stem)
        return asked(self, name)

    monkeypatch.setattr(AnalyzedArticle, "__getattr__", unpickling)
    again = digest_with(folder, cache, analyzer)
    assert set(made) == recomputed
    # The articles taken from the cache unpickled their sentences only to be summarized (the
    # one analyzed again has them as it was made), and let go of them again.
    summarized = {slug for stage, slug in recomputed if stage == "summary"}
    assert sorted(unpickled) == sorted(summarized - {"haven"})
    assert {a.slug for a in again.articles if "sentences" in vars(a.analyzed)} == {"haven"}
    assert again == fresh == digest_with(folder, None, analyzer)


def test_an_unpickled_article_unpickles_its_sentences_when_they_are_first_asked_for(
        analyzed):
    article = analyzed("Het water stijgt. De dijken houden het.\n\nDe burgemeester is blij.")
    pickled = pickle.dumps(article)
    copy = pickle.loads(pickled)
    assert "sentences" not in vars(copy) and copy.vocabulary == article.vocabulary
    assert pickle.dumps(copy) == pickled  # pickled again as it came, without unpickling
    assert "sentences" not in vars(copy)
    assert copy.sentences == article.sentences and len(copy.sentences) == 3
    assert copy == article and "sentences" in vars(copy)
    assert pickle.dumps(copy) == pickled
    # Read for now only: put back as they came, and unpickled again when asked for.
    again = pickle.loads(pickled)
    with sentences_for_now(again):
        assert again.sentences == article.sentences and "sentences" in vars(again)
    assert "sentences" not in vars(again) and pickle.dumps(again) == pickled
    assert again.sentences == article.sentences
    with sentences_for_now(article):  # an article made here keeps them
        assert article.sentences
    assert "sentences" in vars(article)
    with pytest.raises(AttributeError, match="no attribute 'lemmas'"):
        copy.lemmas  # noqa: B018


def test_a_damaged_result_file_is_ignored_with_a_warning(tmp_path, analyzer, caplog):
    folder = content(tmp_path / "content", ARTICLES)
    first = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    results = ArticleCache(tmp_path / "cache", {}).results.file
    results.write_bytes(results.read_bytes()[:-10])
    cache = ArticleCache(tmp_path / "cache", {})
    with caplog.at_level(logging.WARNING, logger="digest"):
        again = digest_with(folder, cache, analyzer)
    assert again == first
    assert (cache.results.hits, cache.results.misses) == (0, 11)  # 3 × 3 stages, copies, links
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring a damaged or foreign cache file {results.name}; it is made anew"]


@pytest.mark.parametrize("damage", [
    lambda data: data[:-20],                        # cut short
    lambda data: data[:-5] + b"xxxxx",              # bytes changed under the checksum
    lambda data: b"some other format\n" + data,     # written by something else
    lambda data: b"",                               # empty
])
def test_a_damaged_pack_is_ignored_with_a_warning_and_replaced(tmp_path, analyzer, caplog,
                                                                damage):
    folder = content(tmp_path / "content", ARTICLES)
    first = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (pack,) = packs(tmp_path / "cache")
    pack.write_bytes(damage(pack.read_bytes()))
    cache = ArticleCache(tmp_path / "cache", {})
    with caplog.at_level(logging.WARNING, logger="digest"):
        again = digest_with(folder, cache, analyzer)
    assert again == first
    assert (cache.hits, cache.misses) == (0, 3)
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring a damaged or foreign cache pack {pack.name}; its articles are made anew"]
    healed = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, healed, analyzer)
    assert healed.hits == 3
    assert len(packs(tmp_path / "cache")) == 1


def test_a_rebuild_adds_a_pack_of_what_it_made_and_forgets_what_it_did_not_use(
        tmp_path, analyzer):
    articles = {f"bericht-{i:02d}.txt": f"Bericht {i}: de gemeente meldt {i} nieuwe woningen "
                                        f"aan de rand van de stad." for i in range(8)}
    folder = content(tmp_path / "content", articles)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (folder / "articles" / "bericht-00.txt").write_text("Bericht nul: de brug gaat dicht.",
                                                        "utf-8")
    cache = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (7, 1)
    assert len(packs(tmp_path / "cache")) == 2  # one stale article of eight: kept a while
    (folder / "articles" / "bericht-01.txt").unlink()
    (folder / "articles" / "bericht-02.txt").unlink()
    cache = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (6, 0)
    # Three of nine unused: the packs are written again as one, of the six still used.
    (pack,) = packs(tmp_path / "cache")
    assert len(ArticleCache(tmp_path / "cache", {})._load()) == 6


def test_a_file_noted_unchanged_is_not_read_again_and_any_change_to_it_is_seen(
        tmp_path, analyzer, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # no change as close to a build as a tick
    folder = content(tmp_path / "content", ARTICLES)
    first = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    cache = ArticleCache(tmp_path / "cache", {})
    assert digest_with(folder, cache, analyzer) == first
    assert (cache.files_read, cache.hits) == (0, 3)
    # Other words of the same length, the file's modification time put back as it was.
    haven = folder / "articles" / "haven.txt"
    before = haven.stat()
    text = haven.read_text("utf-8")
    haven.write_text(text.replace("haven", "hoven"), "utf-8")
    os.utime(haven, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert haven.stat().st_size == before.st_size
    cache = ArticleCache(tmp_path / "cache", {})
    again = digest_with(folder, cache, analyzer)
    assert (cache.files_read, cache.hits, cache.misses) == (1, 2, 1)
    assert again == digest_with(folder, None, analyzer)


def test_a_file_changed_as_its_times_were_noted_is_read_again(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    cache = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, cache, analyzer)
    assert cache.files_read == 3  # written a moment before: their times cannot be trusted


class AnalyzesNothingHere(Analyzer):
    def analyze(self, articles):
        raise AssertionError("analyzed in the build process")


def test_a_changed_file_goes_to_the_executor_before_the_cache_is_read(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (folder / "articles" / "haven.txt").write_text("De haven krimpt. Het havenbedrijf zwijgt.",
                                                   "utf-8")
    cache = ArticleCache(tmp_path / "cache", {})
    with ProcessPoolExecutor(2) as executor:
        analyzed, problems = collect_articles(folder, AnalyzesNothingHere({}), cache, executor)
    assert problems == [] and len(analyzed) == 3
    assert (cache.hits, cache.misses) == (2, 1)
    assert {a.article.path.name: a for a in analyzed}["haven.txt"] == collect_articles(
        folder, analyzer)[0][0]


def test_one_changed_file_starts_one_analysis_process(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    (folder / "articles" / "haven.txt").write_text("De haven groeit weer.", "utf-8")
    with ProcessPool(4) as pool:
        analyzed, problems = collect_articles(
            folder, AnalyzesNothingHere({}), ArticleCache(tmp_path / "cache", {}), pool)
        assert pool.pool is not None and pool.pool._max_workers == 1
    assert problems == [] and len(analyzed) == 3
    with ProcessPool(4) as pool:  # from nothing: every process
        collect_articles(folder, AnalyzesNothingHere({}), ArticleCache(tmp_path / "new", {}),
                         pool)
        assert pool.pool is not None and pool.pool._max_workers == 3  # one per file


def test_the_analysis_processes_give_the_themes_of_what_they_analyze(tmp_path, analyzer,
                                                                     monkeypatch):
    folder = content(tmp_path / "content", ARTICLES)
    alone = build_digest(folder, DigestConfig(), analyzer)
    here, classify = os.getpid(), ThemeClassifier.classify_with_near_misses

    def elsewhere(self, item):
        assert os.getpid() != here, "classified in the build process"
        return classify(self, item)

    monkeypatch.setattr(ThemeClassifier, "classify_with_near_misses", elsewhere)
    with ProcessPool(2) as pool:
        shared = build_digest(folder, DigestConfig(), analyzer, ArticleCache(tmp_path / "c", {}),
                              pool)
    assert shared == alone
    assert shared.problems == alone.problems == ()


def test_the_results_are_read_while_the_processes_analyze(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    first = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, first, analyzer)
    first.search.store("search", "*", b"", {"kept": True})  # as the search index keeps it
    first.search.save()
    (folder / "articles" / "haven.txt").write_text("De haven groeit weer.", "utf-8")
    cache = ArticleCache(tmp_path / "cache", {})
    with ProcessPool(2) as pool:
        collect_articles(folder, AnalyzesNothingHere({}), cache, pool)
    cache.results.file.unlink()  # read already: what it held is still at hand
    assert cache.results.read()
    # The search index's memo is left to the process that makes the index.
    cache.search.file.unlink()
    assert cache.search.lookup("search", "*", b"") is None


def test_a_first_build_starts_the_analysis_before_reading_the_files_for_their_keys(
        tmp_path, analyzer, monkeypatch):
    folder = content(tmp_path / "content", ARTICLES)
    events: list[str] = []
    key_of = ArticleCache.key_of

    def noted(self, path, relative_path):
        events.append("key")
        return key_of(self, path, relative_path)

    class Recorded(ProcessPool):
        def map(self, *args, **kwargs):
            events.append("analysis")
            return super().map(*args, **kwargs)

    monkeypatch.setattr(ArticleCache, "key_of", noted)
    builds = []
    for _ in range(2):
        events.clear()
        cache = ArticleCache(tmp_path / "cache", {})
        with Recorded(2) as pool:
            analyzed, problems = collect_articles(folder, AnalyzesNothingHere({}), cache, pool)
        cache.save()
        assert problems == [] and len(analyzed) == 3
        builds.append(list(events))
    assert builds[0] == ["analysis"] + ["key"] * 3
    # The next build knows the files: it reads them for their keys to find what changed, and
    # finds nothing to analyze.
    assert builds[1] == ["key"] * 3


def packs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pack"))


def test_parallel_analysis_gives_the_same_digest(tmp_path, analyzer):
    articles = {f"bericht-{i:02d}.txt": f"Bericht {i}: de gemeente meldt {i} nieuwe woningen. "
                f"De wethouder is tevreden.\n" for i in range(12)}
    articles.update(ARTICLES)
    articles["leeg.txt"] = ""
    folder = content(tmp_path / "content", articles)
    single = build_digest(folder, DigestConfig(), analyzer)
    with ProcessPoolExecutor(2) as executor:
        parallel = build_digest(folder, DigestConfig(), analyzer, executor=executor)
        # The analysis processes ended once the articles were collected: they hold a language
        # pipeline each, which the summaries and links made after them do not need.
        with pytest.raises(RuntimeError, match="shutdown"):
            executor.submit(len, "")
    assert parallel == single
    assert [str(p) for p in parallel.problems] == [str(p) for p in single.problems]


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_rebuilds_after_adding_changing_and_deleting_equal_a_fresh_build(tmp_path):
    project = make_project(tmp_path / "project", ARTICLES)
    articles = project / "content" / "articles"
    assert build_project(project, "--jobs", "2").returncode == 0
    (articles / "nieuw.txt").write_text("Een nieuw bericht over de haven. Zo gaat dat.\n", "utf-8")
    (articles / "haven.txt").write_text("De haven krimpt. Het havenbedrijf zwijgt.\n", "utf-8")
    (articles / "weer.txt").unlink()
    rebuilt = build_project(project, "--jobs", "2")
    assert rebuilt.returncode == 0, rebuilt.stderr
    incremental = site_files(project / "site")
    fresh = build_project(project, "--jobs", "1", "--fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert site_files(project / "site") == incremental
    assert "nieuw.html" in " ".join(incremental) and "articles/weer.html" not in incremental


@pytest.mark.parametrize("share", [0.0, 1.0])  # the index made before the pages, beside them
def test_a_rebuild_gives_the_same_search_index_made_before_or_beside_the_pages(
        tmp_path, monkeypatch, share):
    from generator import mkdocs_site

    project = make_project(tmp_path / "project", ARTICLES)
    articles = project / "content" / "articles"
    mkdocs_site.build_site(project, project / "content", jobs=2)
    (articles / "haven.txt").write_text("De haven krimpt. Het havenbedrijf zwijgt.\n", "utf-8")
    forked: list[object] = []
    monkeypatch.setattr(mkdocs_site, "SIDE_BY_SIDE_SHARE", share)
    monkeypatch.setattr(mkdocs_site, "Forked",
                        lambda *args, **kwargs: forked.append(args) or Forked(*args, **kwargs))
    mkdocs_site.build_site(project, project / "content", jobs=2)
    assert len(forked) == (share > 0)
    incremental = site_files(project / "site")
    mkdocs_site.build_site(project, project / "content", jobs=1, fresh=True)
    assert site_files(project / "site") == incremental
    assert any(path.startswith("search/docs/") for path in incremental)


def test_a_rebuild_whose_pages_fail_leaves_no_process_making_the_index(tmp_path, monkeypatch):
    from generator import mkdocs_site

    project = make_project(tmp_path / "project", ARTICLES)
    mkdocs_site.build_site(project, project / "content", jobs=2)
    (project / "content" / "articles" / "haven.txt").write_text("De haven krimpt.\n", "utf-8")
    site = site_files(project / "site")

    def failing(*args, **kwargs):
        raise RuntimeError("a template that breaks")

    started: list[Forked] = []
    monkeypatch.setattr(mkdocs_site, "SIDE_BY_SIDE_SHARE", 1.0)
    monkeypatch.setattr(mkdocs_site, "render_site", failing)
    monkeypatch.setattr(mkdocs_site, "Forked",
                        lambda *args, **kwargs: started.append(Forked(*args, **kwargs))
                        or started[-1])
    with pytest.raises(RuntimeError, match="a template that breaks"):
        mkdocs_site.build_site(project, project / "content", jobs=2)
    assert len(started) == 1 and started[0].pid is None  # waited for
    assert site_files(project / "site") == site


def test_a_rebuild_never_writes_into_a_file_of_the_published_site(tmp_path):
    # The rebuild starts from hard links to the previous site's files: a page MkDocs renders
    # again must go into a new file, or the published site would change while it is built.
    project = make_project(tmp_path / "project", ARTICLES)
    articles = project / "content" / "articles"
    assert build_project(project).returncode == 0
    site = project / "site"
    witness = tmp_path / "witness"
    before = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site)
        (witness / relative).parent.mkdir(parents=True, exist_ok=True)
        os.link(path, witness / relative)
        before[relative] = path.read_bytes()
    (articles / "haven.txt").write_text("De haven krimpt. Het havenbedrijf zwijgt.\n", "utf-8")
    assert build_project(project).returncode == 0
    after = {p.relative_to(witness): p.read_bytes() for p in witness.rglob("*") if p.is_file()}
    assert after == before
    assert (site / "articles" / "haven.html").read_bytes() != before[Path("articles/haven.html")]


def test_a_rebuild_renders_only_the_pages_whose_markdown_changed(tmp_path):
    project = make_project(tmp_path / "project", ARTICLES)
    articles = project / "content" / "articles"
    assert build_project(project).returncode == 0
    site = project / "site"
    times = {p.name: p.stat().st_mtime_ns for p in (site / "articles").glob("*.html")}
    (articles / "haven.txt").write_text("De haven krimpt. Het havenbedrijf zwijgt.\n", "utf-8")
    result = build_project(project, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (site / "articles").glob("*.html")}
    assert after["haven.html"] != times["haven.html"]
    assert after["weer.html"] == times["weer.html"]  # taken from the previous site
    # A change to the site config renders every page again.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\n# een opmerking\n", encoding="utf-8")
    assert build_project(project).returncode == 0
    assert (site / "articles" / "weer.html").stat().st_mtime_ns != times["weer.html"]


STORY = ("De gemeenteraad van Zandvoort besluit na een lang debat dat het strand voortaan "
         "elke nacht wordt schoongemaakt door een nieuw bedrijf uit Haarlem. De wethouder "
         "verwacht dat de kosten binnen twee jaar worden terugverdiend door meer toeristen.\n")


def rendered_pages(folder: Path, cache: ArticleCache, analyzer, docs: Path) -> dict[str, str]:
    digest = digest_with(folder, cache, analyzer, pages=True)
    previous = PreviousPages(cache.results, docs)
    tree = render_site(digest, folder / "articles", previous=previous)
    write_tree(tree, docs)
    previous.note_files()
    cache.results.save()
    # A page kept as it is in the folder is not read: its text is there.
    return {path: text or (docs / path).read_text(encoding="utf-8") if path in tree.unchanged
            else text for path, text in tree.pages.items()}


def test_an_article_page_is_rendered_again_when_an_article_it_names_changes(tmp_path,
                                                                             analyzer):
    # Two copies of one story: each page names the other by its source.
    copy = "---\nsource: {source}\ndate: 2024-03-0{day}\n---\n" + STORY
    folder = content(tmp_path / "content", {
        "a.md": copy.format(source="Dagblad Noord", day=1),
        "b.md": copy.format(source="Dagblad Zuid", day=2)})
    docs = tmp_path / "docs"
    first = rendered_pages(folder, ArticleCache(tmp_path / "cache", {}), analyzer, docs)
    assert "Dagblad Zuid" in first["articles/a.md"]
    content(folder, {"b.md": copy.format(source="Weekblad Zuid", day=2)})
    cache = ArticleCache(tmp_path / "cache", {})
    again = rendered_pages(folder, cache, analyzer, docs)
    assert "Weekblad Zuid" in again["articles/a.md"]
    assert again == render_site(digest_with(folder, None, analyzer), folder / "articles").pages
    # Nothing changed: both pages come from the previous build.
    cache = ArticleCache(tmp_path / "cache", {})
    cache.results.misses = 0
    assert rendered_pages(folder, cache, analyzer, docs) == again
    assert cache.results.misses == 0


def test_a_page_file_changed_by_hand_is_rendered_again(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    docs = tmp_path / "docs"
    first = rendered_pages(folder, ArticleCache(tmp_path / "cache", {}), analyzer, docs)
    (docs / "articles" / "haven.md").write_text("iets anders\n", encoding="utf-8")
    again = rendered_pages(folder, ArticleCache(tmp_path / "cache", {}), analyzer, docs)
    assert again == first


def test_a_file_that_cannot_be_used_is_reported_again_from_the_cache(tmp_path, analyzer):
    folder = content(tmp_path / "content", {**ARTICLES, "leeg.txt": "  \n\n"})
    first = digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    cache = ArticleCache(tmp_path / "cache", {})
    again = digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (4, 0)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert len(again.problems) == 1 and again.problems[0].path.endswith("leeg.txt")


def test_what_the_processes_analyzed_is_kept_as_they_pickled_it(tmp_path, analyzer,
                                                                  monkeypatch):
    folder = content(tmp_path / "content", {**ARTICLES, "leeg.txt": "  \n\n"})
    alone = collect_articles(folder, analyzer)
    put: list[str] = []
    monkeypatch.setattr(ArticleCache, "put", lambda self, key, value: put.append(key))
    cache = ArticleCache(tmp_path / "cache", {})
    with ProcessPool(2) as pool:
        analyzed, problems = collect_articles(folder, AnalyzesNothingHere({}), cache, pool)
    cache.save()
    assert put == []  # nothing pickled again here
    assert [a.fingerprint for a in analyzed] == [
        cache.key((folder / "articles" / a.article.path).read_bytes(), a.article.path.as_posix())
        for a in analyzed]
    assert len(list((tmp_path / "cache").glob("*.pack"))) == 1
    monkeypatch.undo()
    again = ArticleCache(tmp_path / "cache", {})
    cached, cached_problems = collect_articles(folder, AnalyzesNothingHere({}), again)
    assert (again.hits, again.misses) == (4, 0)  # the file without text too
    assert cached == analyzed == alone[0]
    assert [str(p) for p in cached_problems] == [str(p) for p in problems] \
        == [str(p) for p in alone[1]]


def test_the_pack_of_a_build_that_stopped_halfway_is_removed(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    ended = ProcessPoolExecutor(1)
    dead_pid = ended.submit(os.getpid).result()
    ended.shutdown()
    halfway = tmp_path / "cache" / f".new-{dead_pid}-1.tmp"
    halfway.write_bytes(b"half a pack")
    running = tmp_path / "cache" / f".new-{os.getpid()}-2.tmp"  # a build still writing
    running.write_bytes(b"a pack being written")
    cache = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (3, 0)
    assert not halfway.exists() and running.exists()


def test_a_pack_that_cannot_be_written_is_said_and_the_build_goes_on(tmp_path, analyzer,
                                                                      caplog):
    folder = content(tmp_path / "content", ARTICLES)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    cache = ArticleCache(blocked, {})
    with ProcessPool(2) as pool, caplog.at_level(logging.WARNING, logger="digest"):
        digest = build_digest(folder, DigestConfig(), analyzer, cache, pool)
        cache.save()
    assert len(digest.articles) == 3
    assert "could not write the cache file" in caplog.text
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_a_pack_of_another_format_is_said_once_and_removed(tmp_path, analyzer, caplog):
    folder = content(tmp_path / "content", ARTICLES)
    (tmp_path / "cache").mkdir()
    foreign = tmp_path / "cache" / "0123456789abcdef.pack"
    foreign.write_bytes(b"news-digest article cache 1\n" + b"0" * 64 + b"\nold entries")
    with caplog.at_level(logging.WARNING, logger="digest"):
        cache = ArticleCache(tmp_path / "cache", {})
        digest_with(folder, cache, analyzer)
        assert cache.misses == 3
        assert [r.getMessage() for r in caplog.records] == [
            f"ignoring a damaged or foreign cache pack {foreign.name}; its articles are made anew"]
        caplog.clear()
        again = ArticleCache(tmp_path / "cache", {})
        digest_with(folder, again, analyzer)
    assert not foreign.exists()
    assert (again.hits, again.misses) == (3, 0)
    assert caplog.records == []


def test_results_saved_in_the_background_are_there_once_the_saves_are_done(tmp_path):
    results = cache_module.ResultCache(tmp_path / "results.pickle", "salt")
    results.store("summary", "abc", b"signed", (0, 2))
    results.save(background=True)
    assert cache_module._SAVING  # written by another process
    cache_module.saves_done()
    assert not cache_module._SAVING
    again = cache_module.ResultCache(tmp_path / "results.pickle", "salt")
    assert again.lookup("summary", "abc", b"signed") == (0, 2)


def test_a_rebuild_writes_its_results_in_the_background_and_waits_for_them(tmp_path,
                                                                           monkeypatch):
    project = make_project(tmp_path / "project", ARTICLES)
    assert build_project(project).returncode == 0
    (project / "content" / "articles" / "haven.txt").write_text(
        "De haven krimpt. Het havenbedrijf zwijgt.", encoding="utf-8")
    saved: list[bool] = []
    save = cache_module.ResultCache.save

    def recorded(self, background=False):
        saved.append(background)
        return save(self, background)

    monkeypatch.setattr(cache_module.ResultCache, "save", recorded)
    from generator.mkdocs_site import build_site, read_site_config

    build_site(project, project / "content", jobs=2)
    # Every save of this process in the background: the results', and the search index's
    # memo unless the process that made the index while the pages were rendered wrote it.
    assert saved and all(saved)
    assert not cache_module._SAVING
    # What the rebuild made is in the files when the build has returned.
    pipelines = read_site_config(project / "mkdocs.yml")[1].pipelines
    cache = ArticleCache(project / "build" / "cache" / "articles", pipelines)
    changed = project / "content" / "articles" / "haven.txt"
    assert ("summary", cache.key(changed.read_bytes(), "haven.txt")) in cache.results.read()
    memo = cache.search.lookup("search", "*", b"")
    assert any("haven" in entry[4].split() for entry in memo["documents"].values())


def test_packs_written_again_as_one_keep_the_one_whose_content_they_repeat(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    extra = [folder / "articles" / f"extra-{n}.txt" for n in range(2)]
    for n, file in enumerate(extra):
        file.write_text(f"De gemeente opent brug {n}. Het verkeer rijdt er morgen over.",
                        encoding="utf-8")
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    assert len(packs(tmp_path / "cache")) == 2
    for file in extra:  # two of the packs' five articles unused: they are written again as
        file.unlink()  # one pack, which holds what the first did
    digest_with(folder, ArticleCache(tmp_path / "cache", {}), analyzer)
    assert len(packs(tmp_path / "cache")) == 1
    cache = ArticleCache(tmp_path / "cache", {})
    digest_with(folder, cache, analyzer)
    assert (cache.hits, cache.misses) == (3, 0)


def test_a_kept_page_file_as_it_was_written_is_not_read_and_one_touched_is(tmp_path, analyzer):
    folder = content(tmp_path / "content", ARTICLES)
    docs = tmp_path / "docs"
    first = rendered_pages(folder, ArticleCache(tmp_path / "cache", {}), analyzer, docs)
    cache = ArticleCache(tmp_path / "cache", {})
    digest = digest_with(folder, cache, analyzer, pages=True)
    tree = render_site(digest, folder / "articles", previous=PreviousPages(cache.results, docs))
    page = "articles/haven.md"
    assert page in tree.unchanged and tree.pages[page] == ""  # taken as it is, not read
    # Changed by hand to text of the same size: its time and inode say so.
    text = (docs / page).read_text(encoding="utf-8")
    (docs / page).write_text("x" * len(text.encode("utf-8")), encoding="utf-8")
    again = rendered_pages(folder, ArticleCache(tmp_path / "cache", {}), analyzer, docs)
    assert again == first
    assert (docs / page).read_text(encoding="utf-8") == text


def tree_of(folder: Path) -> list[str]:
    """Every file and folder under the folder, by its path in it."""
    return sorted(p.relative_to(folder).as_posix() + ("/" if p.is_dir() else "")
                  for p in folder.rglob("*"))


def test_the_previous_site_linked_early_is_what_linking_it_after_the_tree_gives(tmp_path):
    from generator.mkdocs_site import _EarlyStart, _start_from

    docs, site = tmp_path / "docs", tmp_path / "site"
    sources = {"index.md": "# Home", "articles/a.md": "A", "articles/b.md": "B",
               "old/c.md": "C", "originals/a.txt": "a", "originals/c.txt": "c"}
    for path, text in sources.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, "utf-8")
    for path in [*sources, "assets/style.css", "404.html"]:
        page = site / (path[:-3] + ".html" if path.endswith(".md") else path)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("built", "utf-8")
    (tmp_path / "early").mkdir()
    early = _EarlyStart(site, tmp_path / "early", docs)
    early.wait()  # it linked what it found: then the build writes into the tree, or removes
    assert (tmp_path / "early" / "old" / "c.html").is_file()
    changed = {"articles/a.md", "old/c.md", "originals/c.txt", "articles/new.md"}
    (docs / "articles" / "a.md").write_text("A again", "utf-8")
    (docs / "articles" / "new.md").write_text("New", "utf-8")
    (docs / "old" / "c.md").unlink()
    (docs / "old").rmdir()
    (docs / "originals" / "c.txt").write_text("c again", "utf-8")
    (tmp_path / "late").mkdir()
    late = _start_from(site, tmp_path / "late", docs)
    assert early.linked(changed) == late == {"index.html", "articles/b.html", "originals/a.txt",
                                             "assets/style.css"}
    assert tree_of(tmp_path / "early") == tree_of(tmp_path / "late")


@given(st.lists(st.floats(allow_nan=False)), st.text())
def test_a_signature_of_numbers_is_that_of_their_bytes(weights, part):
    packed = b"".join(struct.pack("d", weight) for weight in weights)
    assert signature(part, weights=weights) == signature(part, packed=packed)
    assert signature(part, weights=[*weights, 1.0]) != signature(part, packed=packed)
