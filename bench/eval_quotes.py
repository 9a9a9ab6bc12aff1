"""Find evaluation text quoted in the project: `python bench/eval_quotes.py [EVAL_DIR] [--words N]`.

The evaluation data (EVAL_DIR, by default ../shared/eval beside the project) must never be copied
into the project. This script reads every text field of its .jsonl files and the sentences of its
CoNLL files (.txt, `token POS tag` per line), and looks through the project's tests/, generator/,
theme/, docs/, bench/, content/themes.yml and README.md for runs of N (default 7) consecutive
words that also occur in an evaluation text. Words are runs of letters, digits and underscores,
compared in lower case, and a run may cross a line break. content/articles is not scanned: it
holds the sample articles as they are.

It prints a table of file, line and the matched run (only the run, nothing more of the
evaluation text) and exits with status 1 if it found any, 0 if none.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
SCANNED = ("tests", "generator", "theme", "docs", "bench", "content/themes.yml", "README.md")
SKIPPED_DIRS = {"__pycache__", "node_modules"}
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """A run of words in a project file that an evaluation text also has."""

    path: str
    first_line: int
    last_line: int
    run: str


def words(text: str) -> list[str]:
    """The lower-cased words of a text."""
    return [word.lower() for word in WORD.findall(text)]


def ngrams(tokens: list[str], n: int) -> Iterator[str]:
    """Every run of n consecutive words, joined by single spaces."""
    for start in range(len(tokens) - n + 1):
        yield " ".join(tokens[start : start + n])


def jsonl_texts(path: Path) -> Iterator[str]:
    """Every string field of every record of a JSONL file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                yield from (value for value in record.values() if isinstance(value, str))


def conll_sentences(path: Path) -> Iterator[str]:
    """The sentences of a CoNLL file (`token POS tag` per line), tokens joined by spaces."""
    tokens: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            token = line.split(maxsplit=1)[0] if line.strip() else ""
            if token and token != "-DOCSTART-":
                tokens.append(token)
            elif tokens:
                yield " ".join(tokens)
                tokens = []
    if tokens:
        yield " ".join(tokens)


def eval_texts(eval_dir: Path) -> Iterator[str]:
    """All the texts of the evaluation folder: JSONL fields and CoNLL sentences."""
    for path in sorted(eval_dir.glob("*.jsonl")):
        yield from jsonl_texts(path)
    for path in sorted(eval_dir.glob("*.txt")):
        yield from conll_sentences(path)


def eval_ngrams(texts: Iterable[str], n: int) -> set[str]:
    """The set of all n-word runs in the evaluation texts."""
    return {gram for text in texts for gram in ngrams(words(text), n)}


def project_files(root: Path) -> Iterator[Path]:
    """The files to scan, in path order: text files only, caches left out."""
    for name in SCANNED:
        top = root / name
        candidates = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in candidates:
            if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                yield path


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def find_runs(text: str, grams: set[str], n: int) -> Iterator[tuple[int, int, str]]:
    """First line, last line and words of each longest run of the text made of known n-grams."""
    tokens: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = words(line)
        tokens.extend(found)
        lines.extend([number] * len(found))
    start = end = -1  # the current run covers tokens[start:end]
    for index, gram in enumerate(ngrams(tokens, n)):
        if gram not in grams:
            continue
        if start < 0 or index >= end:  # does not overlap the current run: a new one
            if start >= 0:
                yield lines[start], lines[end - 1], " ".join(tokens[start:end])
            start = index
        end = index + n
    if start >= 0:
        yield lines[start], lines[end - 1], " ".join(tokens[start:end])


def scan(root: Path, grams: set[str], n: int) -> list[Hit]:
    """Every run of the project's scanned files that the evaluation texts share."""
    hits: list[Hit] = []
    for path in project_files(root):
        text = read_text(path)
        if text is None:
            continue
        name = path.relative_to(root).as_posix()
        hits.extend(Hit(name, first, last, run) for first, last, run in find_runs(text, grams, n))
    return hits


def table(hits: list[Hit]) -> str:
    """The hits as an aligned table of file, line and run."""
    rows = [("file", "line", "run")]
    for hit in hits:
        span = str(hit.first_line)
        if hit.last_line != hit.first_line:
            span += f"-{hit.last_line}"
        rows.append((hit.path, span, hit.run))
    path_width = max(len(row[0]) for row in rows)
    line_width = max(len(row[1]) for row in rows)
    return "\n".join(
        f"{path:<{path_width}}  {line:>{line_width}}  {run}".rstrip() for path, line, run in rows
    )


def main(argv: list[str] | None = None) -> int:
    """Scan the project and report what it quotes from the evaluation data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "eval_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_EVAL,
        help=f"the evaluation folder (default {DEFAULT_EVAL})",
    )
    parser.add_argument(
        "--words",
        type=int,
        default=7,
        metavar="N",
        help="how many consecutive words make a quote (default 7)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the project to scan (default this script's project)",
    )
    args = parser.parse_args(argv)
    if args.words < 1:
        parser.error("--words must be at least 1")
    if not args.eval_dir.is_dir():
        parser.error(f"no evaluation folder at {args.eval_dir}")
    grams = eval_ngrams(eval_texts(args.eval_dir), args.words)
    hits = scan(args.root.resolve(), grams, args.words)
    if hits:
        print(table(hits))
    print(f"{len(hits)} run(s) of {args.words}+ words shared with {args.eval_dir}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
