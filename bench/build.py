"""Time a full build on many articles: `python bench/build.py PATH.jsonl [--limit N] [--repeat N]`.

PATH is a JSONL file of articles (`id`, `text`, optional `title`, `published_at`), such as
../shared/eval/nl_dpg2019.jsonl. Each becomes a `.md` file in a temporary project; the script
builds it with the real MkDocs and prints a table of stage times and output size, with the
largest HTML page.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.analyze import Analyzer  # noqa: E402
from generator.mkdocs_site import build_site, read_site_config  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1,
                        help="put each article in N times, to time a larger digest (the copies "
                             "are recognised as one story each)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines()
            if line.strip()][: args.limit]
    rows = [{**row, "id": f"{row['id']}-{copy}" if copy else row["id"]}
            for copy in range(args.repeat) for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(rows, Path(tmp))
        _, config = read_site_config(project / "mkdocs.yml")
        started = time.perf_counter()
        report = build_site(project, project / "content", project / "site",
                            analyzer=Analyzer(config.pipelines))
        total = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
        html_sizes = {p.relative_to(project / "site").as_posix(): p.stat().st_size
                      for p in (project / "site").rglob("*.html")}
        largest = max(html_sizes, key=lambda page: html_sizes[page])
    for problem in report.skipped[:5]:
        print(f"skipped: {problem}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| articles | skipped | build s | articles/s | html pages | site MB | largest page | "
          "peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {report.articles} | {len(report.skipped)} | {total:.1f} | "
          f"{report.articles / total:.0f} | {len(html_sizes)} | {size / 1e6:.1f} | "
          f"{html_sizes[largest] / 1e3:.0f} KB ({largest}) | {peak:.0f} |")


if __name__ == "__main__":
    main()
