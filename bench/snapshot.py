"""The inputs of the stage benchmarks, made from a JSONL set as a build makes them:
`python bench/snapshot.py PATH.jsonl OUT_FOLDER [--repeat N] [--limit N]`.

Writes `OUT_FOLDER/analyzed.pickle` (the list of `AnalyzedArticle` a build collects) for
`bench/similarity.py` and `bench/per_article.py`, and `OUT_FOLDER/digest.pickle` (the site's
`DigestConfig` and the `Digest`) for `bench/search_index.py`. The articles are put in a
project as `bench/build.py` does (`--repeat N`: each N times, each copy's sentences rotated),
so `python bench/snapshot.py ../shared/eval/nl_dpg2019.jsonl /tmp/digest10k --repeat 7` gives
the 9,786 articles the README's figures are measured on.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.analyze import Analyzer  # noqa: E402
from generator.cache import ArticleCache  # noqa: E402
from generator.digest import build_digest, collect_articles  # noqa: E402
from generator.mkdocs_site import CACHE_DIR, CONFIG_FILE, read_site_config  # noqa: E402

# bench/build.py, which makes the project (by name: a `build` folder beside it would otherwise
# decide how the imports are sorted).
_project = importlib.import_module("build")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines()
            if line.strip()][: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        project = _project.write_project(_project.repeated_rows(rows, args.repeat), Path(tmp))
        config = read_site_config(project / CONFIG_FILE)[1]
        analyzer = Analyzer(config.pipelines)
        cache = ArticleCache(project / CACHE_DIR, config.pipelines)
        with ProcessPoolExecutor(os.cpu_count() or 1) as executor:
            analyzed, _ = collect_articles(project / "content", analyzer, cache, executor)
        cache.save()
        digest = build_digest(project / "content", config, analyzer, cache)  # from the cache
    with open(args.out / "analyzed.pickle", "wb") as file:
        pickle.dump(analyzed, file, protocol=pickle.HIGHEST_PROTOCOL)
    with open(args.out / "digest.pickle", "wb") as file:
        pickle.dump((config, digest), file, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(analyzed)} articles, {len(digest.articles)} in the digest: {args.out}")


if __name__ == "__main__":
    main()
