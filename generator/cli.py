"""The `digest` command: build, serve, analyze, check."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .analyze import Analyzer
from .classify import ThemeClassifier
from .clean import clean_article
from .config import DigestConfig
from .digest import ARTICLES_FOLDER, THEMES_FILE
from .errors import DigestError
from .mkdocs_site import CONFIG_FILE, build_site, read_site_config, serve_site
from .read import display_path, find_article_files, read_article
from .report import format_report
from .summarize import summarize
from .themes import load_themes


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

    serve = commands.add_parser("serve", help="live preview that rebuilds on changes")
    serve.add_argument("--content", type=Path, default=None)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")

    analyze = commands.add_parser("analyze", help="analyze article files, print JSON")
    analyze.add_argument("files", nargs="+", type=Path)
    analyze.add_argument("--json", action="store_true", help="print JSON (the only format)")
    analyze.add_argument("--content", type=Path, default=None,
                         help="content folder whose themes.yml is used")

    check = commands.add_parser("check", help="validate content and config")
    check.add_argument("--content", type=Path, default=None)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    content = args.content or args.project / "content"
    try:
        if args.command == "build":
            return _build(args.project, content, args.site_dir, args.strict)
        if args.command == "serve":
            serve_site(args.project, content, args.dev_addr)
            return 0
        if args.command == "analyze":
            return _analyze(args.project, content, args.files)
        return _check(args.project, content)
    except DigestError as error:
        print(error, file=sys.stderr)
        return 1


def _build(project: Path, content: Path, site_dir: Path | None, strict: bool) -> int:
    from mkdocs.exceptions import MkDocsException

    try:
        report = build_site(project, content, site_dir, strict=strict)
    except MkDocsException as error:
        print(f"Error building the site: {error}", file=sys.stderr)
        return 1
    print(format_report(report))
    if strict and report.problems:
        print(f"--strict: {len(report.problems)} problem(s), failing the build", file=sys.stderr)
        return 1
    return 0


def _settings(project: Path) -> DigestConfig:
    config_file = project / CONFIG_FILE
    return read_site_config(config_file)[1] if config_file.is_file() else DigestConfig()


def _analyze(project: Path, content: Path, files: list[Path]) -> int:
    """Per file: path, title, date, language, source, summary, themes, text; or an error."""
    settings = _settings(project)
    classifier = ThemeClassifier(load_themes(content / THEMES_FILE, settings.language))
    analyzer = Analyzer(settings.pipelines)
    entries: list[dict] = []
    for path in files:
        try:
            base = path.parent if not path.is_relative_to(content / ARTICLES_FOLDER) \
                else content / ARTICLES_FOLDER
            article = clean_article(read_article(path, base))
        except DigestError as error:
            entries.append({"path": display_path(path), "error": error.reason})
            continue
        analyzed = analyzer.analyze([article])[0]
        entries.append({
            "path": display_path(path),
            "title": article.title,
            "date": article.date.iso if article.date else None,
            "language": article.language,
            "source": article.source,
            "summary": [s.text for s in summarize(analyzed, settings.summary)],
            "themes": [
                {"slug": m.slug, "score": m.score, "evidence": [
                    {"sentence": e.sentence, "terms": list(e.terms), "supporting": e.supporting}
                    for e in m.evidence
                ]}
                for m in classifier.classify(analyzed)
            ],
            "text": article.text,
        })
    print(json.dumps(entries, ensure_ascii=False, indent=2))
    return 1 if any("error" in entry for entry in entries) else 0


def _check(project: Path, content: Path) -> int:
    """Every problem with the config, the themes file and the articles; exit 1 if any."""
    problems: list[str] = []
    language = "nl"
    try:
        language = _settings(project).language
    except DigestError as error:
        problems.append(str(error))
    try:
        load_themes(content / THEMES_FILE, language)
    except DigestError as error:
        problems.append(str(error))
    articles_dir = content / ARTICLES_FOLDER
    files = find_article_files(articles_dir) if articles_dir.is_dir() else []
    if not articles_dir.is_dir():
        problems.append(f"Error reading '{display_path(articles_dir)}': the articles folder "
                        "does not exist")
    for path in files:
        try:
            read_article(path, articles_dir)
        except DigestError as error:
            problems.append(str(error))
    for problem in problems:
        print(problem)
    print(f"checked {len(files)} article file(s): "
          + ("no problems" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
