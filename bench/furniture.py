"""Count page furniture left after cleaning: `python bench/furniture.py PATH... [--examples N]`.

PATH is a JSONL file of articles (`article` or `text`, optional `id`, `title`), such as
../shared/eval/en_cnndm_dev.jsonl, or a folder of `.txt`/`.md` article files (read by the
project's own reader), such as tests/fixtures/english_pages. Every article goes through the
project's own cleaning, analysis and summarizer (three sentences), and the script prints, per
kind of furniture, how many articles have a line of that kind in the raw text, in the cleaned
text (title, headings and sentences) and in the summary.

The patterns here are written apart from the cleaner's and are deliberately broad: a count in the
cleaned text is a line to look at (`--examples N` prints up to N per kind), not always a miss.
A pattern looks at the start of a line or sentence, or for a phrase that only page furniture
uses (`REUTERS/`, `Getty Images`, `Share on Facebook`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.analyze import Analyzer  # noqa: E402
from generator.clean import clean_article  # noqa: E402
from generator.errors import DigestError  # noqa: E402
from generator.model import AnalyzedArticle, FrontMatter, SourceFile  # noqa: E402
from generator.read import find_article_files, read_article  # noqa: E402
from generator.summarize import SummaryLength, document_frequencies, summarize  # noqa: E402

_AGENCY = r"(?:Reuters|REUTERS|AFP|AP|ANP|Belga|BELGA|dpa|DPA|CNN|EFE|ANSA|Bloomberg)"
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mrt|Okt|Mei)[a-z]*\.?")
# Kind of furniture → pattern. `^` is the start of a line of the raw text, of a sentence or a
# heading of the cleaned text, of a summary sentence.
FURNITURE: dict[str, re.Pattern[str]] = {
    "timestamp": re.compile(
        r"^(?:Updated|Published|Posted|Last (?:updated|modified)|First published|Bijgewerkt|"
        r"Gepubliceerd|Laatst bijgewerkt|Laatste update)\b"
        r"|^\W*\d{1,2} (?:hours?|minutes?|mins?|days?|uur|minuten|dagen) (?:ago|geleden)\W*$",
        re.IGNORECASE),
    "caption/credit": re.compile(
        rf"\b{_AGENCY}/[A-Z]|Getty Images|\((?:Photo|Foto|Beeld)s?:|^(?:Image|Media) "
        r"(?:caption|source|copyright)\b|\b(?:Photo|Photograph|Foto|Beeld|Picture):? "
        r"[A-Z][\w./ ]{0,40}$|Purchase Licensing Rights"),
    "share/follow": re.compile(
        r"\bShare (?:on|this|via) |\bFollow us\b|\bCopy link\b|\bLink copied\b|^Share$|"
        r"\bDeel (?:dit|op|via) |\bVolg ons\b|\bKopieer (?:de )?link\b",
        re.IGNORECASE),
    "newsletter/cookies": re.compile(
        r"\bSign up (?:for|to) (?:our|the)\b|\bsubscribe to our\b|\bour \w* ?newsletter\b|"
        r"^Newsletter\b|\bWe use cookies\b|\bcookie (?:settings|policy)\b|"
        r"\bMeld je (?:nu )?aan voor\b|\bnieuwsbrief\b.*\binbox\b|\bWij gebruiken cookies\b",
        re.IGNORECASE),
    "read more/related": re.compile(
        r"^(?:Read more|READ MORE|More on this story|Related(?: topics| articles| stories)?|"
        r"Recommended|You may also like|Most read|Lees (?:ook|meer)|Bekijk ook|Zie ook|"
        r"Meer over dit onderwerp)\b"),
    # A byline is a line of its own (`By Jane Doe, Reuters`): `Door` opens many a Dutch
    # sentence, `By Monday` an English one.
    "byline/credits": re.compile(
        r"^(?:By|Door|From|Van) (?:our|onze)\b|^(?:By|Door) [A-Z][\w.'-]+"
        r"(?: (?:[A-Z][\w.'-]+|de|van|der|den|and|en|&))*(?:(?:,| in) [^.!?]*)?$"
        r"|\b(?:Reporting|Editing|Writing|Additional reporting) by [A-Z]"
        r"|^[A-Z][\w.'-]+ [A-Z][\w.'-]+,? (?:[A-Z]\w+ )?(?:correspondent|editor|reporter)\b"),
    "dateline": re.compile(
        rf"^\(?{_AGENCY}\)|^[A-Z][A-Za-z .'-]{{1,40}}\({_AGENCY}\)|"
        rf"^[A-Z][A-Za-z .'-]{{1,40}}, {_MONTH} \d{{1,2}}\b|"
        rf"^[A-Z][A-Za-z .'-]{{1,40}}, \d{{1,2}} {_MONTH}(?: \d{{4}})?\b|"
        r"^[A-Z]{3,}(?: [A-Z]{2,}){0,3} ?[-–—] "),
    "video teaser": re.compile(r"\bScroll down for video|\bWatch the video below\b",
                               re.IGNORECASE),
    "ads/copyright": re.compile(
        r"^(?:Advertisement|Advertentie|ADVERTISEMENT)$|^(?:Copyright|©)|All rights reserved",
    ),
}


@dataclass
class Tally:
    """Per kind of furniture, the articles with a line of it in each stage."""

    raw: dict[str, int] = field(default_factory=dict)
    cleaned: dict[str, int] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    articles: int = 0

    def count(self, stage: dict[str, int], kinds: set[str]) -> None:
        for kind in kinds | ({"any"} if kinds else set()):
            stage[kind] = stage.get(kind, 0) + 1


def furniture_kinds(lines: Iterable[str], examples: dict[str, list[str]] | None = None,
                    limit: int = 0) -> set[str]:
    """The kinds of furniture that any of the lines has."""
    found = set()
    for line in lines:
        line = line.strip()
        for kind, pattern in FURNITURE.items():
            if pattern.search(line):
                found.add(kind)
                if examples is not None and limit and len(examples.setdefault(kind, [])) < limit:
                    examples[kind].append(line[:160])
    return found


def raw_lines(text: str) -> list[str]:
    """The raw text's lines, each cut into sentences where it plainly ends one."""
    return [piece for line in text.splitlines()
            for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", line) if piece.strip()]


def read_sources(path: Path) -> list[SourceFile]:
    """The articles of a JSONL file or of a folder of article files."""
    if path.is_dir():
        sources = []
        for file in find_article_files(path):
            try:
                sources.append(read_article(file, path))
            except DigestError as error:
                print(f"skipped: {error}", file=sys.stderr)
        return sources
    sources = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = row.get("article", row.get("text")) or ""
        if not text.strip():
            continue
        sources.append(SourceFile(
            path=PurePosixPath(f"{row.get('id', number)}.txt"), text=text,
            front_matter=FrontMatter(title=row.get("title")), encoding="utf-8",
        ))
    return sources


def tally(sources: list[SourceFile], analyzer: Analyzer, sentences: int,
          examples: int = 0) -> Tally:
    """Clean, analyze and summarize the articles; count the furniture in each stage."""
    analyzed: list[AnalyzedArticle] = analyzer.analyze(clean_article(s) for s in sources)
    idf = document_frequencies(analyzed)
    length = SummaryLength(sentences=sentences)
    counts = Tally(articles=len(sources))
    for source, article in zip(sources, analyzed, strict=True):
        counts.count(counts.raw, furniture_kinds(raw_lines(source.text)))
        cleaned = [article.title.text, *(s.text for s in article.sentences)]
        counts.count(counts.cleaned, furniture_kinds(cleaned, counts.examples, examples))
        counts.count(counts.summary,
                     furniture_kinds(s.text for s in summarize(article, length, idf)))
    return counts


def format_table(name: str, counts: Tally) -> str:
    lines = [f"{name}: {counts.articles} articles; articles with a furniture-like line",
             "", "| furniture | raw text | cleaned text | summary |", "|---|---|---|---|"]
    for kind in [*FURNITURE, "any"]:
        lines.append(f"| {kind} | {counts.raw.get(kind, 0)} | {counts.cleaned.get(kind, 0)} | "
                     f"{counts.summary.get(kind, 0)} |")
    for kind, shown in counts.examples.items():
        lines += ["", f"{kind}, in the cleaned text:", *(f"  {line}" for line in shown)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--examples", type=int, default=0,
                        help="print up to N cleaned lines per kind that look like furniture")
    args = parser.parse_args(argv)
    analyzer = Analyzer()
    for number, path in enumerate(args.paths):
        counts = tally(read_sources(path), analyzer, args.sentences, args.examples)
        print(("\n" if number else "") + format_table(path.name, counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
