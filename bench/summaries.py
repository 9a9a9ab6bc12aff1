"""Score summaries against references: `python bench/summaries.py PATH [--sentences 3] [--json]`.

PATH is a JSONL file of articles: `id`, `article` (or `text`), `reference`, optional `title`, such
as ../shared/eval/en_cnndm_dev.jsonl. Every article goes through the project's own cleaning and
analysis once; then our summarizer, Lead-N and sumy's LexRank and TextRank each pick N of the same
sentences, and the script prints one table: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (x100, rouge-score
with stemming), mean summary length in words and articles summarized per second (the summarize
step alone, not the spaCy pass).

Articles without a `reference` (such as ../shared/eval/nl_dpg2019.jsonl) are scored against their
`title` instead, and the table adds the headline's ROUGE-1 recall. The title is then withheld from
every summarizer: it is the answer.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph  # noqa: E402
from sumy.models.dom import Sentence as SumySentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from generator.analyze import Analyzer  # noqa: E402
from generator.clean import clean_article  # noqa: E402
from generator.model import AnalyzedArticle, FrontMatter, Sentence, SourceFile  # noqa: E402
from generator.summarize import (  # noqa: E402
    STOP_WORDS,
    SummaryLength,
    document_frequencies,
    summarize,
)

SUMY_LANGUAGES = {"nl": "dutch", "en": "english"}
HEADLINE_RECALL = "headline R-1 recall"


@dataclass(frozen=True)
class Case:
    """One benchmark article: analyzed text and what its summary is scored against."""

    id: str
    analyzed: AnalyzedArticle
    reference: str
    reference_lines: tuple[str, ...]


class OwnTokenizer:
    """sumy's tokenizer interface over the words our own analysis found in each sentence."""

    def __init__(self, sentences: Sequence[Sentence]):
        self._words = {s.text.strip(): s.forms for s in sentences}

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return self._words.get(sentence.strip()) or tuple(re.findall(r"\w+", sentence.lower()))


def read_rows(path: Path) -> list[dict]:
    """The JSONL file's rows."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def build_cases(rows: list[dict], language: str | None, analyzer: Analyzer) -> list[Case]:
    """Clean and analyze every article as a build does; split each reference into sentences."""
    headline_mode = any("reference" not in row for row in rows)
    rows = [row for row in rows if row.get("reference" if not headline_mode else "title")]
    sources = []
    for row in rows:
        # The title is only given to the summarizer when it is not what the summary is scored on.
        title = None if headline_mode else row.get("title")
        text = row.get("article", row.get("text", ""))
        sources.append(SourceFile(
            path=PurePosixPath(f"{row['id']}.txt"), text=text,
            front_matter=FrontMatter(title=title, language=language), encoding="utf-8",
        ))
    analyzed = analyzer.analyze(clean_article(source) for source in sources)
    references = [row["title"] if headline_mode else row["reference"] for row in rows]
    lines = [reference_sentences(ref, a.article.language, analyzer)
             for ref, a in zip(references, analyzed, strict=True)]
    return [Case(str(row["id"]), a, ref, ls)
            for row, a, ref, ls in zip(rows, analyzed, references, lines, strict=True)]


def reference_sentences(reference: str, language: str, analyzer: Analyzer) -> tuple[str, ...]:
    """The reference one sentence a line: its own lines if it has them, else our sentencizer's."""
    if "\n" in reference.strip():
        return tuple(line.strip() for line in reference.splitlines() if line.strip())
    doc = analyzer.pipeline(language)(reference)
    return tuple(s.text.strip() for s in doc.sents if s.text.strip())


def lead(analyzed: AnalyzedArticle, count: int) -> tuple[Sentence, ...]:
    """The first sentences of the body: the baseline every news summarizer is measured against."""
    body = analyzed.body_sentences or analyzed.sentences
    return body[:count]


def sumy_method(name: str, language: str) -> Callable[[AnalyzedArticle, int], tuple[Sentence, ...]]:
    """A sumy summarizer run on our own sentences, with sumy's stemmer and stop words."""
    sumy_language = SUMY_LANGUAGES.get(language, "english")
    summarizer = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name](
        Stemmer(sumy_language))
    try:
        summarizer.stop_words = get_stop_words(sumy_language)
    except LookupError:
        # sumy ships no Dutch list; spaCy's is the one our own summarizer uses.
        summarizer.stop_words = STOP_WORDS.get(language, frozenset())

    def run(analyzed: AnalyzedArticle, count: int) -> tuple[Sentence, ...]:
        body = analyzed.body_sentences or analyzed.sentences
        tokenizer = OwnTokenizer(body)
        blocks: dict[int, list[SumySentence]] = {}
        for sentence in body:
            blocks.setdefault(sentence.block, []).append(SumySentence(sentence.text, tokenizer))
        document = ObjectDocumentModel([Paragraph(b) for b in blocks.values()])
        picked = {str(s) for s in summarizer(document, count)}
        return tuple(s for s in body if s.text.strip() in picked)[:count]

    return run


def score(
    cases: Sequence[Case],
    method: Callable[[AnalyzedArticle], tuple[Sentence, ...]],
    headline_mode: bool,
) -> dict[str, float]:
    """Mean ROUGE F1 (x100) of a method's summaries, their length and the method's speed."""
    started = time.perf_counter()
    summaries = [method(case.analyzed) for case in cases]
    seconds = time.perf_counter() - started
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0, "recall": 0.0}
    for case, summary in zip(cases, summaries, strict=True):
        prediction = "\n".join(s.text.strip() for s in summary)
        scores = scorer.score("\n".join(case.reference_lines), prediction)
        for key in ("rouge1", "rouge2", "rougeLsum"):
            totals[key] += scores[key].fmeasure
        totals["recall"] += scores["rouge1"].recall
    n = max(len(cases), 1)
    result = {key: round(100 * totals[key] / n, 2) for key in ("rouge1", "rouge2", "rougeLsum")}
    if headline_mode:
        result["headline_r1_recall"] = round(100 * totals["recall"] / n, 2)
    result["words"] = round(sum(s.words for summary in summaries for s in summary) / n, 1)
    result["articles_per_s"] = round(len(cases) / seconds, 1) if seconds else float("inf")
    return result


def run_benchmark(
    path: Path, sentences: int = 3, language: str | None = None
) -> tuple[dict[str, dict[str, float]], bool, int]:
    """Every method's scores on the file's articles; whether they were scored on headlines."""
    rows = read_rows(path)
    headline_mode = any("reference" not in row for row in rows)
    analyzer = Analyzer()
    cases = build_cases(rows, language, analyzer)
    # Inverse document frequencies over the benchmark's own collection, as a build does.
    idf = document_frequencies([case.analyzed for case in cases])
    length = SummaryLength(sentences=sentences)
    main_language = max(sorted({c.analyzed.article.language for c in cases} or {"en"}),
                        key=lambda lang: sum(c.analyzed.article.language == lang for c in cases))
    methods: dict[str, Callable[[AnalyzedArticle], tuple[Sentence, ...]]] = {
        "ours": lambda a: summarize(a, length, idf),
        f"lead-{sentences}": lambda a: lead(a, sentences),
    }
    for name in ("lexrank", "textrank"):
        ranker = sumy_method(name, language or main_language)
        methods[f"sumy {name}"] = lambda a, ranker=ranker: ranker(a, sentences)
    results = {name: score(cases, method, headline_mode) for name, method in methods.items()}
    return results, headline_mode, len(cases)


def table(results: dict[str, dict[str, float]], headline_mode: bool) -> str:
    """The results as one Markdown table."""
    columns = [("ROUGE-1", "rouge1"), ("ROUGE-2", "rouge2"), ("ROUGE-Lsum", "rougeLsum")]
    if headline_mode:
        columns.append((HEADLINE_RECALL, "headline_r1_recall"))
    columns += [("words", "words"), ("articles/s", "articles_per_s")]
    lines = ["| method | " + " | ".join(title for title, _ in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for name, result in results.items():
        cells = [f"{result[key]:.2f}" if key.startswith(("rouge", "headline")) else
                 f"{result[key]:.1f}" if key == "words" else f"{result[key]:.0f}"
                 for _, key in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--language", choices=["nl", "en"], default=None,
                        help="the articles' language; detected per article when absent")
    parser.add_argument("--json", action="store_true", help="one JSON object keyed by method")
    args = parser.parse_args()
    # LexRank divides by zero on an article whose sentences share no word; it still ranks them.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="sumy")
    results, headline_mode, count = run_benchmark(args.path, args.sentences, args.language)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    reference = "headline (title withheld from the summarizers)" if headline_mode else "reference"
    print(f"{count} articles, {args.sentences} sentences, scored against the {reference}; "
          "F1 x100, rouge-score with stemming")
    print()
    print(table(results, headline_mode))


if __name__ == "__main__":
    main()
