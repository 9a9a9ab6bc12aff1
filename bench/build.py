"""Time builds of many articles: `python bench/build.py PATH.jsonl [--limit N] [--repeat N]
[--jobs N] [--json]`.

PATH is a JSONL file of articles (`id`, `text`, optional `title`, `published_at`), such as
../shared/eval/nl_dpg2019.jsonl. Each becomes a `.md` file in a temporary project
(`--repeat N` puts each in N times, each copy a different text: its sentences rotated, so that
no cache can fold the copies together). In one run the script times, side by side:

- a full build from nothing (`digest build --fresh`), with the time of each stage;
- a bare mkdocs-material build of the very Markdown tree the generator wrote, with the same
  config and navigation (what MkDocs alone costs);
- a rebuild after one article changed, and a rebuild with nothing changed;

and prints the peak memory, the pages, the largest page and the site's size.
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
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import mkdocs_site  # noqa: E402
from generator.mkdocs_site import BUILD_DOCS, CONFIG_FILE, build_site, mkdocs_nav  # noqa: E402
from generator.report import BuildReport  # noqa: E402

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


@contextlib.contextmanager
def memory_peak(every: float = 0.25) -> Iterator[dict[str, float]]:
    """The largest memory this process and all its workers and forks held together, sampled:
    the sum of their proportional set sizes, so that pages a fork shares are counted once.

    The sampling runs in a process of its own: a thread here would take the interpreter's lock
    from the build it measures (and slowed a build of 10,000 articles by a quarter)."""
    sampler = subprocess.Popen(
        [sys.executable, __file__, "--sample-memory", str(os.getpid()), str(every)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    peak = {"mb": 0.0}
    try:
        yield peak
    finally:
        out, _ = sampler.communicate("")  # its standard input closed: it stops, says the peak
        peak["mb"] = float(out)


def sample_memory(root: int, every: float) -> None:
    """The sampling process: until its standard input closes, the processes below `root`
    (itself aside) summed; then the peak, in MB, on standard output."""
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    peak = 0.0
    while not stop.is_set():
        total = sum(proportional_size(pid) for pid in process_tree(root) if pid != os.getpid())
        peak = max(peak, total / 1e6)
        stop.wait(every)
    print(peak)


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


def timed_build(project: Path, jobs: int, fresh: bool = False
                ) -> tuple[float, dict, BuildReport]:
    times: dict[str, float] = {}
    started = time.perf_counter()
    with stage_timer(times):
        report = build_site(project, project / "content", project / "site", jobs=jobs,
                            fresh=fresh)
    total = time.perf_counter() - started
    times["MkDocs and the rest"] = total - sum(times.values())
    return total, times, report


def bare_mkdocs_build(project: Path) -> tuple[float, float]:
    """`mkdocs build` of the generator's Markdown tree, same config and navigation: its time,
    and its peak memory, sampled as the full build's is."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    tree = mkdocs_site.generate_tree(project, project / "content")[1]  # from the cache: quick
    config = load_config(config_file=str(project / CONFIG_FILE),
                         docs_dir=str((project / BUILD_DOCS).resolve()),
                         site_dir=str(project / "bare-site"), nav=mkdocs_nav(tree.nav))
    with memory_peak() as peak:
        started = time.perf_counter()
        build(config)
        seconds = time.perf_counter() - started
    return seconds, peak["mb"]


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    if sys.argv[1:2] == ["--sample-memory"]:
        sample_memory(int(sys.argv[2]), float(sys.argv[3]))
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
    rows = repeated_rows(rows, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(rows, Path(tmp))
        with memory_peak() as together:
            full, stages, report = timed_build(project, jobs, fresh=True)
        # The full build's own peak: what this process and its workers (analysis, MkDocs'
        # page rendering) held at most, before anything else runs here.
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        site = project / "site"
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        html_sizes = {p.relative_to(site).as_posix(): p.stat().st_size
                      for p in site.rglob("*.html")}
        largest = max(html_sizes, key=lambda page: html_sizes[page])
        full_digest = site_digest(site)
        bare, bare_mb = bare_mkdocs_build(project)
        unchanged, _, _ = timed_build(project, jobs)
        same_unchanged = site_digest(site) == full_digest
        changed_file = sorted((project / "content" / "articles").glob("*.md"))[len(rows) // 2]
        changed_file.write_text(changed_file.read_text(encoding="utf-8")
                                + "\nEen zin die de bewerker toevoegde.\n", encoding="utf-8")
        one_changed, _, _ = timed_build(project, jobs)
        rebuilt = site_digest(site)
        timed_build(project, 1, fresh=True)
        same_one_changed = site_digest(site) == rebuilt
    figures = {
        "articles": report.articles, "skipped": len(report.skipped), "jobs": jobs,
        "full_s": round(full, 1), "bare_mkdocs_s": round(bare, 1),
        "full_over_bare": round(full / bare, 2),
        "one_changed_s": round(one_changed, 1), "unchanged_s": round(unchanged, 1),
        "rebuilds_equal_full_builds": same_unchanged and same_one_changed,
        "peak_rss_mb": round(peak_self), "peak_worker_rss_mb": round(peak_worker),
        "peak_pss_together_mb": round(together["mb"]), "bare_mkdocs_pss_mb": round(bare_mb),
        "html_pages": len(html_sizes), "site_mb": round(size / 1e6, 1),
        "largest_page_kb": round(html_sizes[largest] / 1e3), "largest_page": largest,
        "stages_s": {name: round(seconds, 1) for name, seconds in stages.items()},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print("| articles | full build s | bare MkDocs s | full / bare | one changed s (of full) | "
          "none changed s | rebuild = full build | "
          "full build's peak RSS MB (main + largest worker) | all processes together, PSS MB "
          "(bare MkDocs) | "
          "html pages | site MB | "
          "largest page |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {report.articles} | {full:.1f} | {bare:.1f} | {full / bare:.2f}× | "
          f"{one_changed:.1f} ({one_changed / full:.0%}) | {unchanged:.1f} | "
          f"{'yes' if figures['rebuilds_equal_full_builds'] else 'NO'} | "
          f"{peak_self:.0f} + {peak_worker:.0f} | {together['mb']:.0f} ({bare_mb:.0f}) | "
          f"{len(html_sizes)} | "
          f"{size / 1e6:.1f} | "
          f"{html_sizes[largest] / 1e3:.0f} KB ({largest}) |")
    print()
    print("| stage of the full build | s |")
    print("|---|---|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
