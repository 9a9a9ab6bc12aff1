"""Work shared among forked processes: the same results, in the same order, as in one process;
a failure in any process is the caller's."""

from __future__ import annotations

import os
import time

import pytest

from generator import parallel
from generator.cache import ArticleCache
from generator.config import DigestConfig
from generator.digest import build_digest
from generator.parallel import Forked, ProcessPool, fork_map
from generator.render import PreviousPages, SiteTree, render_site, write_tree
from tests.test_cache import content, site_files


@pytest.fixture
def small_shares(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 2)


def test_fork_map_gives_the_results_in_order_from_other_processes(small_shares):
    items = list(range(11))
    results = fork_map(lambda n: (n * n, os.getpid()), items, jobs=3)
    assert [square for square, _ in results] == [n * n for n in items]
    assert len({pid for _, pid in results}) == 3  # three processes did the work
    assert results[0][1] == os.getpid()


def test_fork_map_not_here_leaves_every_share_to_forked_processes(small_shares):
    items = list(range(11))
    results = fork_map(lambda n: (n * n, os.getpid()), items, jobs=3, here=False)
    assert [square for square, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids


@pytest.mark.parametrize("failing", [1, 9])  # in this process's share, in a forked one's
def test_fork_map_raises_a_failure_in_any_process(small_shares, failing):
    def work(n: int) -> int:
        if n == failing:
            raise ValueError("no square for you")
        return n * n

    with pytest.raises((ValueError, RuntimeError), match="no square for you"):
        fork_map(work, list(range(11)), jobs=3)


def test_fork_map_brings_back_shares_written_in_many_batches(small_shares, monkeypatch):
    monkeypatch.setattr(parallel, "BATCH", 3)
    items = [f"item {n} " * n for n in range(40)]  # 13 per process: four batches and one over
    results = fork_map(lambda text: (text.upper(), os.getpid()), items, jobs=3)
    assert [text for text, _ in results] == [item.upper() for item in items]
    assert len({pid for _, pid in results}) == 3


def test_fork_map_says_when_a_process_ended_without_its_results(small_shares):
    def work(n: int) -> int:
        if n == 9:
            os._exit(0)  # as a process killed halfway would
        return n

    with pytest.raises(RuntimeError, match="ended without its results"):
        fork_map(work, list(range(11)), jobs=3)


def test_fork_map_stays_in_this_process_for_a_little_work():
    assert {pid for pid in fork_map(lambda _: os.getpid(), range(5), jobs=4)} == {os.getpid()}


def test_forked_gives_the_value_another_process_computed_while_this_one_went_on(tmp_path):
    started = tmp_path / "started"

    def work() -> tuple[int, list[int]]:
        started.write_text("yes")
        return os.getpid(), [n * n for n in range(5)]

    forked = Forked(work)
    here = [n + 1 for n in range(3)]  # this process goes on meanwhile
    pid, squares = forked.result()
    assert pid != os.getpid() and squares == [0, 1, 4, 9, 16] and here == [1, 2, 3]
    assert started.read_text() == "yes"


def test_forked_gives_the_value_before_it_does_what_comes_then(tmp_path):
    go_on, done = tmp_path / "go on", tmp_path / "done"

    def then() -> None:
        # Done only once this process has the value and says so (or after ten seconds: then
        # `result` waited for it, and the test fails).
        for _ in range(1000):
            if go_on.exists():
                done.write_text("after the value")
                return
            time.sleep(0.01)
        done.write_text("before the value")

    forked = Forked(lambda: 42, then=then)
    assert forked.result() == 42
    go_on.write_text("yes")
    forked.wait()
    assert done.read_text() == "after the value"


def test_forked_raises_what_the_other_process_raised():
    def work() -> int:
        raise ValueError("no value for you")

    with pytest.raises(RuntimeError, match="ValueError: no value for you"):
        Forked(work).result()


STORIES = {
    f"bericht-{n:02}.txt": (f"date 2024-05-{n % 28 + 1:02} Bericht {n} over de haven van "
                            f"{['Rotterdam', 'Antwerpen', 'Hamburg'][n % 3]}. De diplomaten "
                            f"worden uitgewezen door land {n % 5}. Het gebeurde op dag {n}.\n")
    for n in range(24)
}


def test_a_digest_made_by_forked_processes_is_the_digest_one_process_makes(
        tmp_path, analyzer, small_shares):
    folder = content(tmp_path / "content", STORIES)
    alone = build_digest(folder, DigestConfig(), analyzer, ArticleCache(tmp_path / "a", {}))
    cache = ArticleCache(tmp_path / "b", {})
    with ProcessPool(2) as pool:
        shared = build_digest(folder, DigestConfig(), analyzer, cache, pool, jobs=3)
    # The articles came from the analysis processes with their sentences pickled, and were
    # summarized by forked processes: this one still holds them pickled.
    assert not any("sentences" in vars(a.analyzed) for a in shared.articles)
    assert shared == alone
    pages = render_site(alone, folder / "articles").pages
    docs = tmp_path / "docs"
    assert render_site(shared, folder / "articles", previous=PreviousPages(cache.results, docs),
                       jobs=3).pages == pages
    # What the forked processes made was kept: a second build takes all of it from the cache.
    cache.results.save()
    again = ArticleCache(tmp_path / "b", {})
    assert build_digest(folder, DigestConfig(), analyzer, again, jobs=3) == alone
    assert again.results.misses == 0


def test_a_tree_written_by_forked_processes_is_the_tree_one_process_writes(
        tmp_path, small_shares):
    original = tmp_path / "bericht.txt"
    original.write_text("origineel", encoding="utf-8")
    pages = {f"articles/{n:02}.md": f"# Bericht {n}\n" for n in range(9)}
    tree = SiteTree(pages=pages, files={"originals/bericht.txt": original}, nav=())
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    (shared / "articles").mkdir(parents=True)
    (shared / "articles" / "03.md").write_text("# Bericht 3\n", encoding="utf-8")  # as it is
    (shared / "stray.md").write_text("weg", encoding="utf-8")
    written = write_tree(tree, shared, jobs=3)
    assert written == sorted(set(write_tree(tree, alone)) - {"articles/03.md"})
    assert site_files(shared) == site_files(alone)


def test_pages_written_by_the_processes_that_render_them_are_the_pages_of_the_tree(
        tmp_path, analyzer, small_shares):
    folder = content(tmp_path / "content", STORIES)
    digest = build_digest(folder, DigestConfig(), analyzer)
    held, written = tmp_path / "held", tmp_path / "written"
    write_tree(render_site(digest, folder / "articles"), held)
    tree = render_site(digest, folder / "articles", jobs=3, write_into=written)
    assert len(tree.written) > len(STORIES) and set(tree.written) <= tree.unchanged
    assert all(tree.pages[path] == "" for path in tree.written)  # no page's text held here
    write_tree(tree, written)
    assert site_files(written) == site_files(held)
    # Rendered again into the same folder: the same bytes, nothing written.
    assert render_site(digest, folder / "articles", jobs=3, write_into=written).written == ()
