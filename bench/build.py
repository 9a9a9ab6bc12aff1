"""Time builds of many articles: `python bench/build.py PATH.jsonl [--limit N] [--repeat N]
[--jobs N] [--json]`.

PATH is a JSONL file of articles (`id`, `text`, optional `title`, `published_at`), such as
../shared/eval/nl_dpg2019.jsonl, or with `article` for `text`, as
../shared/eval/en_cnndm_dev.jsonl. Each becomes a `.md` file in a temporary project
(`--repeat N` puts each in N times, each copy a different text: its sentences rotated, so that
no cache can fold the copies together). In one run the script times, side by side:

- a full build from nothing (`digest build --fresh`), with the time of each stage;
- a bare mkdocs-material build of the very Markdown tree the generator wrote, with the same
  config and navigation (what MkDocs alone costs);
- a rebuild after one article changed, and a rebuild with nothing changed;

and prints the peak memory, the pages, the largest page and the site's size.

Each build runs in a Python process of its own, as `digest build` and `mkdocs build` do (the
time is that of the build, without starting Python and importing). The memory is measured in
a second full build and a second bare build, while this process samples the memory of that
process and of its workers and forks: reading their page tables five times a second takes a
core's share from a build that keeps every core busy (two to three seconds of a full build of
ten thousand articles on two cores), and nothing from single-process MkDocs, so the builds
that are timed are not sampled.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import mkdocs_site  # noqa: E402
from generator.cache import saves_done  # noqa: E402
from generator.mkdocs_site import BUILD_DOCS, CONFIG_FILE, build_site, mkdocs_nav  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“‘„])")


def write_project(rows: list[dict], folder: Path) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    articles = folder / "content" / "articles"
    articles.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "themes.yml", folder / "content" / "themes.yml")
    for row in rows:
        front = {"title": row.get("title"), "date": row.get("published_at")}
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                 for key, value in front.items() if value]
        (articles / f"{row['id']}.md").write_text(
            "---\n" + "\n".join(lines) + "\n---\n" + row["text"] + "\n", encoding="utf-8")
    return folder


def repeated_rows(rows: list[dict], repeat: int) -> list[dict]:
    """Each article `repeat` times; copy k has its sentences rotated by k, so each copy is a
    different text (and none is the same story as another by its five-word runs at the seams)."""
    copies = []
    for copy in range(repeat):
        for row in rows:
            if copy == 0:
                copies.append(row)
                continue
            sentences = _SENTENCE_END.split(row["text"])
            turn = copy % max(1, len(sentences))
            text = " ".join(sentences[turn:] + sentences[:turn])
            copies.append({**row, "id": f"{row['id']}-{copy}", "text": text})
    return copies


def process_tree(root: int) -> list[int]:
    """The process and every process below it (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def proportional_size(pid: int) -> int:
    """A process's proportional set size in bytes: each page it shares counted in part."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def memory_peak(root: int, running: subprocess.Popen, every: float = 0.2) -> float:
    """The largest memory a process and all its workers and forks held together while it ran,
    in MB, sampled: the sum of their proportional set sizes, so that pages a fork shares are
    counted once. The process measured is another than this one, whose sampling takes nothing
    from it but a share of a core."""
    peak = 0.0
    while running.poll() is None:
        total = sum(proportional_size(pid) for pid in process_tree(root))
        peak = max(peak, total / 1e6)
        time.sleep(every)
    return peak


@contextlib.contextmanager
def stage_timer(times: dict[str, float]) -> Iterator[None]:
    """Time the stages of a build by wrapping the functions the adapter calls."""
    names = {"build_digest": "read, clean, analyze, summarize, classify, link",
             "render_site": "render Markdown", "search_files": "search index",
             "write_tree": "write the tree"}
    saved = {name: getattr(mkdocs_site, name) for name in names}

    def timed(name: str, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                times[names[name]] = times.get(names[name], 0) + time.perf_counter() - started
        return run

    for name, function in saved.items():
        setattr(mkdocs_site, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(mkdocs_site, name, function)


def run_build(project: Path, jobs: int, fresh: bool = False, sampled: bool = False) -> dict:
    """A build of the project in a process of its own: its time, the time of each stage, and
    (`sampled`) its memory."""
    return _in_process("build", str(project), str(jobs), "fresh" if fresh else "again",
                       sampled=sampled)


def bare_mkdocs_build(project: Path, sampled: bool = False) -> dict:
    """`mkdocs build` of the generator's Markdown tree, same config and navigation, in a
    process of its own: its time and (`sampled`) its memory. (The navigation is the
    generator's, found by another process, from the cache: what the generator holds is not
    measured with it.)"""
    nav = _in_process("nav", str(project))["nav"]
    (project / "bare-nav.json").write_text(json.dumps(nav), encoding="utf-8")
    return _in_process("bare", str(project), sampled=sampled)


def _in_process(*arguments: str, sampled: bool = False) -> dict:
    with tempfile.TemporaryFile("w+") as out:
        running = subprocess.Popen([sys.executable, __file__, "--run", *arguments], stdout=out)
        peak = memory_peak(running.pid, running) if sampled else None
        if running.wait():
            raise SystemExit(f"the build failed: {arguments}")
        out.seek(0)
        return {**json.loads(out.read()), "pss_mb": peak}


def _run(kind: str, project: Path, *rest: str) -> None:
    """What `_in_process` runs: a build, its figures printed as JSON."""
    if kind == "nav":
        tree = mkdocs_site.generate_tree(project, project / "content")[1]  # from the cache
        saves_done()
        print(json.dumps({"nav": mkdocs_nav(tree.nav)}))
        return
    if kind == "bare":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        nav = json.loads((project / "bare-nav.json").read_text(encoding="utf-8"))
        config = load_config(config_file=str(project / CONFIG_FILE),
                             docs_dir=str((project / BUILD_DOCS).resolve()),
                             site_dir=str(project / "bare-site"), nav=nav)
        started = time.perf_counter()
        build(config)
        figures: dict = {"seconds": time.perf_counter() - started}
    else:
        jobs, fresh = int(rest[0]), rest[1] == "fresh"
        times: dict[str, float] = {}
        started = time.perf_counter()
        with stage_timer(times):
            report = build_site(project, project / "content", project / "site", jobs=jobs,
                                fresh=fresh)
        total = time.perf_counter() - started
        times["MkDocs and the rest"] = total - sum(times.values())
        figures = {"seconds": total, "stages": times, "articles": report.articles,
                   "skipped": len(report.skipped)}
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(figures))


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        _run(sys.argv[2], Path(sys.argv[3]), *sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1,
                        help="put each article in N times, each copy a different text")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    jobs = args.jobs or os.cpu_count() or 1
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines()
            if line.strip()][: args.limit]
    rows = [{**row, "text": row["text"] if "text" in row else row["article"]} for row in rows]
    rows = repeated_rows(rows, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(rows, Path(tmp))
        full_build = run_build(project, jobs, fresh=True)
        full, stages = full_build["seconds"], full_build["stages"]
        site = project / "site"
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        html_sizes = {p.relative_to(site).as_posix(): p.stat().st_size
                      for p in site.rglob("*.html")}
        largest = max(html_sizes, key=lambda page: html_sizes[page])
        full_digest = site_digest(site)
        bare_build = bare_mkdocs_build(project)
        bare = bare_build["seconds"]
        unchanged = run_build(project, jobs)["seconds"]
        same_unchanged = site_digest(site) == full_digest
        changed_file = sorted((project / "content" / "articles").glob("*.md"))[len(rows) // 2]
        changed_file.write_text(changed_file.read_text(encoding="utf-8")
                                + "\nEen zin die de bewerker toevoegde.\n", encoding="utf-8")
        one_changed = run_build(project, jobs)["seconds"]
        rebuilt = site_digest(site)
        run_build(project, 1, fresh=True)
        same_one_changed = site_digest(site) == rebuilt
        # The memory, in builds of their own (see the module's docstring).
        full_sampled = run_build(project, jobs, fresh=True, sampled=True)
        bare_sampled = bare_mkdocs_build(project, sampled=True)
    peak_self, peak_worker = full_sampled["rss_mb"], full_sampled["worker_rss_mb"]
    together, bare_mb = full_sampled["pss_mb"], bare_sampled["pss_mb"]
    figures = {
        "articles": full_build["articles"], "skipped": full_build["skipped"], "jobs": jobs,
        "full_s": round(full, 1), "bare_mkdocs_s": round(bare, 1),
        "full_over_bare": round(full / bare, 2),
        "one_changed_s": round(one_changed, 1), "unchanged_s": round(unchanged, 1),
        "rebuilds_equal_full_builds": same_unchanged and same_one_changed,
        "peak_rss_mb": round(peak_self), "peak_worker_rss_mb": round(peak_worker),
        "peak_pss_together_mb": round(together), "bare_mkdocs_pss_mb": round(bare_mb),
        "html_pages": len(html_sizes), "site_mb": round(size / 1e6, 1),
        "largest_page_kb": round(html_sizes[largest] / 1e3), "largest_page": largest,
        "stages_s": {name: round(seconds, 1) for name, seconds in stages.items()},
        "sampled_full_s": round(full_sampled["seconds"], 1),
        "sampled_bare_mkdocs_s": round(bare_sampled["seconds"], 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print("| articles | full build s | bare MkDocs s | full / bare | one changed s (of full) | "
          "none changed s | rebuild = full build | "
          "full build's peak RSS MB (main + largest worker) | all processes together, PSS MB "
          "(bare MkDocs) | html pages | site MB | largest page |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {figures['articles']} | {full:.1f} | {bare:.1f} | {full / bare:.2f}× | "
          f"{one_changed:.1f} ({one_changed / full:.0%}) | {unchanged:.1f} | "
          f"{'yes' if figures['rebuilds_equal_full_builds'] else 'NO'} | "
          f"{peak_self:.0f} + {peak_worker:.0f} | {together:.0f} ({bare_mb:.0f}) | "
          f"{len(html_sizes)} | {size / 1e6:.1f} | "
          f"{html_sizes[largest] / 1e3:.0f} KB ({largest}) |")
    print()
    print(f"Memory from a second full build and bare build, sampled every 0.2 s (they took "
          f"{full_sampled['seconds']:.1f} s and {bare_sampled['seconds']:.1f} s).")
    print()
    print("| stage of the full build | s |")
    print("|---|---|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
