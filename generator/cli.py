"""The `digest` command: build, serve, analyze, check."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .analyze import Analyzer
from .classify import ThemeClassifier, unmatchable
from .config import DigestConfig
from .digest import (
    ARTICLES_FOLDER,
    THEMES_FILE,
    Progress,
    build_digest,
    collect_article,
    collect_articles,
    isolated,
)
from .errors import DigestError
from .mkdocs_site import CONFIG_FILE, build_site, check_site_config, read_site_config
from .model import Problem, printable
from .read import display_path
from .render import clip_sentence
from .report import format_report, undated_problems
from .serve import serve_site
from .summarize import summarize
from .themes import load_themes, theme_warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__)
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="folder holding mkdocs.yml (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the site and print a report")
    build.add_argument("--content", type=Path, default=None, help="content folder")
    build.add_argument("--site-dir", type=Path, default=None, help="where the site goes")
    build.add_argument("--strict", action="store_true",
                       help="exit non-zero when any article is skipped or any warning is given")
    build.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N",
                       help="processes that read and analyze articles (default: every core)")
    build.add_argument("--fresh", action="store_true",
                       help="ignore and replace the cache of analyzed articles")
    build.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                       help="analyze articles on this Dask cluster (pip install -e '.[cluster]')")

    serve = commands.add_parser("serve", help="live preview that rebuilds on changes")
    serve.add_argument("--content", type=Path, default=None)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")

    analyze = commands.add_parser("analyze", help="analyze article files, print JSON")
    analyze.add_argument("files", nargs="+", type=Path)
    analyze.add_argument("--json", action="store_true", help="print JSON (the only format)")
    analyze.add_argument("--content", type=Path, default=None,
                         help="content folder whose themes.yml is used")
    analyze.add_argument("--explain", action="store_true",
                         help="add, for each theme an article is not in, how near it came")

    check = commands.add_parser("check", help="validate content and config")
    check.add_argument("--content", type=Path, default=None)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    content = args.content or args.project / "content"
    try:
        if args.command == "build":
            return _build(args.project, content, args.site_dir, args.strict, args.jobs,
                          args.fresh, args.scheduler)
        if args.command == "serve":
            serve_site(args.project, content, args.dev_addr)
            return 0
        if args.command == "analyze":
            return _analyze(args.project, content, args.files, args.explain)
        return _check(args.project, content)
    except DigestError as error:
        print(printable(str(error)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`digest analyze … | head`): nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if os.environ.get("DIGEST_DEBUG"):
            raise
        print(f"digest: internal error: {type(error).__name__}: {printable(str(error))[:300]} "
              "(this is a bug; run with DIGEST_DEBUG=1 to see where)", file=sys.stderr)
        return 2


@contextlib.contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A bar of the articles analyzed and to do, with the time left, on a terminal when the
    build takes more than two seconds; nothing when the output is not a terminal (CI)."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    delay = float(os.environ.get("DIGEST_PROGRESS_DELAY", "2"))
    # The terminal's size, or 80 × 24 where it tells none (tqdm would then show nothing).
    columns, lines = shutil.get_terminal_size()
    with tqdm(desc="analyzing articles", unit=" articles", delay=delay, leave=False,
              file=sys.stderr, ncols=columns, nrows=lines) as bar:

        def show(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield show


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of at least 1")
    return int(value)


def _build(project: Path, content: Path, site_dir: Path | None, strict: bool, jobs: int,
           fresh: bool, scheduler: str | None = None) -> int:
    from mkdocs.exceptions import MkDocsException

    # What is wrong with the themes file without stopping a build (a title missing in the
    # site's language) is a warning of the build; `--strict` fails on it before building.
    warnings = theme_warnings(content / THEMES_FILE, _settings(project).language) \
        if (project / CONFIG_FILE).is_file() else ()
    if strict and warnings:
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"--strict: {len(warnings)} problem(s), failing the build; the site was not "
              "replaced", file=sys.stderr)
        return 1
    with _progress_bar() as progress:
        try:
            report = build_site(project, content, site_dir, strict=strict, jobs=jobs,
                                fresh=fresh, progress=progress, scheduler=scheduler)
        except MkDocsException as error:
            print(f"Error building the site: {printable(str(error))}", file=sys.stderr)
            return 1
    known = set(report.problems)
    report = replace(report, problems=(*report.problems,
                                       *(w for w in warnings if w not in known)))
    print(format_report(report))
    if strict and report.problems:
        print(f"--strict: {len(report.problems)} problem(s), failing the build; the site "
              "was not replaced", file=sys.stderr)
        return 1
    return 0


def _settings(project: Path) -> DigestConfig:
    config_file = project / CONFIG_FILE
    return read_site_config(config_file)[1] if config_file.is_file() else DigestConfig()


def _analyze(project: Path, content: Path, files: list[Path], explain: bool = False) -> int:
    """Per file: path, title, date, language, source, summary, themes, text (and with
    `explain`, near misses); or an error."""
    settings = _settings(project)
    classifier = ThemeClassifier(load_themes(content / THEMES_FILE, settings.language))
    analyzer = Analyzer(settings.pipelines)
    entries: list[dict] = []
    for path in files:
        base = content / ARTICLES_FOLDER
        outcome = isolated(display_path(path), _analyze_file, path,
                           base if path.is_relative_to(base) else path.parent,
                           analyzer, classifier, settings, explain)
        if isinstance(outcome, Problem):
            entries.append({"path": display_path(path), "error": outcome.reason})
        else:
            entries.append({"path": display_path(path), **outcome})
    print(json.dumps(entries, ensure_ascii=False, indent=2))
    return 1 if any("error" in entry for entry in entries) else 0


def _analyze_file(path: Path, base: Path, analyzer: Analyzer, classifier: ThemeClassifier,
                  settings: DigestConfig, explain: bool = False) -> dict:
    analyzed = collect_article(path, base, analyzer)
    article = analyzed.article
    matches, misses = classifier.classify_with_near_misses(analyzed)
    explained = {"near_misses": [
        {"slug": miss.slug, "score": miss.score, "threshold": miss.threshold,
         "reasons": [{"rule": r.rule, "found": r.found, "needed": r.needed,
                      "cues": list(r.cues)} for r in miss.reasons]}
        for miss in misses
    ]} if explain else {}
    return {
        "title": article.title,
        "date": article.date.iso if article.date else None,
        "language": article.language,
        "source": article.source,
        "summary": [clip_sentence(s.text) for s in summarize(analyzed, settings.summary)],
        "themes": [
            {"slug": m.slug, "score": m.score, "evidence": [
                {"sentence": e.sentence, "terms": list(e.terms), "supporting": e.supporting}
                for e in m.evidence
            ]}
            for m in matches
        ],
        **explained,
        "text": article.text,
    }


def _check(project: Path, content: Path) -> int:
    """Everything `digest build` would report or warn about, without building; exit 1 if any.

    The articles go through the same collecting as a build (read, clean, analyze, summarize,
    classify), so that what a build would skip or warn about is found here too."""
    problems: list[str] = []
    settings = DigestConfig()
    try:
        settings = _settings(project)
        problems += check_site_config(project)
    except DigestError as error:
        problems.append(str(error))
    articles = 0
    notes: list[str] = []
    analyzer = Analyzer(settings.pipelines)
    try:
        load_themes(content / THEMES_FILE, settings.language)
    except DigestError as error:
        # A build stops here; the articles are still worth checking.
        problems.append(str(error))
        try:
            analyzed, skipped = collect_articles(content, analyzer)
        except DigestError as error:
            problems.append(str(error))
        else:
            articles = len(analyzed)
            problems += [str(p) for p in skipped]
    else:
        problems += [f"warning: {p}" for p in theme_warnings(
            content / THEMES_FILE, settings.language,
            lambda term, language: unmatchable(term, language, analyzer))]
        try:
            digest = build_digest(content, settings, analyzer)
        except DigestError as error:
            problems.append(str(error))
        else:
            articles = len(digest.articles)
            problems += [("warning: " if not p.skipped else "") + str(p)
                         for p in digest.problems]
            # Named as the build report names them; a problem only with `require_dates`.
            if not settings.require_dates:
                notes = [f"note: {p}" for p in undated_problems(
                    (a.article for a in digest.articles), content / ARTICLES_FOLDER)]
    for problem in problems + notes:
        print(printable(problem))
    print(f"checked: {articles} article(s) would be built; "
          + ("no problems" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
