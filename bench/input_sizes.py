"""Time the per-article path on inputs of every shape: `python bench/input_sizes.py [--json]`.

Cleaning and analysis must take time in proportion to the input, whatever its shape. The script
writes each shape as an article file in a temporary folder: a normal news article for reference;
a 1 MB page saved as one line (with sentences, without any punctuation, and full of dots, bars,
colons, URLs and long runs of capitals and digits); 4 MB of 40,000 paragraphs (all different, and
a few repeated over and over); one paragraph longer than spaCy's `max_length`; and one
"sentence" of 60,000 words without a full stop.

Each file goes through the per-article path stage by stage: `read_article`, `clean_article`,
`Analyzer.analyze`, `summarize`, `ThemeClassifier.classify` with the shipped themes, and
`link_articles` (against the reference article). The table gives per shape its size, the
seconds of each stage, the total and the seconds per MB; beside them, the same text through the
bare spaCy pipeline (`spacy.blank(lang)` + sentencizer, in pieces that fit `max_length`), so
that the overhead over the tool shows.

The text is made-up Dutch-looking words around real Dutch function words (seeded, so every run
builds the same files); with `--articles PATH` it is sentences of a JSONL file of articles
(`text` or `article` field, such as ../shared/eval/nl_dpg2019.jsonl) instead. `--scale 0.1`
builds every shape at a tenth of its size, `--only NAME` runs some shapes alone.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402

from generator.analyze import Analyzer  # noqa: E402
from generator.classify import ThemeClassifier  # noqa: E402
from generator.clean import clean_article  # noqa: E402
from generator.link import link_articles  # noqa: E402
from generator.model import FrontMatter, SourceFile  # noqa: E402
from generator.read import read_article  # noqa: E402
from generator.summarize import document_frequencies, summarize  # noqa: E402
from generator.themes import load_themes  # noqa: E402

SHIPPED_THEMES = ROOT / "content" / "themes.yml"
MB = 1_000_000
STAGES = ("read", "clean", "analyze", "summarize", "classify", "link")
# Dutch words common enough that the text reads as Dutch to the language detector, and that
# the cleaner's furniture patterns look for (`je`, `door`, `van`).
FUNCTION_WORDS = (
    "de het een en van in is dat op te zijn met voor niet aan er om ook als bij door maar "
    "naar dan wel nog uit je over tot heeft werd wordt was deze die dit meer kan zal"
).split()
SYLLABLES = (
    "ba be bo da de di do ga ge go ka ke ko la le lo ma me mo na ne no pa pe po ra re ro sa se "
    "so ta te to va ve vo wa we za ze aan oor ijk eid ing en er ers sch str ui eu ou"
).split()


class Words:
    """An endless supply of sentences: made-up words, or the sentences of real articles."""

    def __init__(self, seed: int = 2019, articles: Path | None = None):
        self.random = random.Random(seed)
        self.vocabulary = sorted({
            "".join(self.random.choices(SYLLABLES, k=self.random.randint(1, 4)))
            for _ in range(6000)
        })
        # Zipf-like: the first words of the vocabulary are the common ones.
        self.weights = [1 / (rank + 10) for rank in range(len(self.vocabulary))]
        self.real = _real_sentences(articles) if articles else []

    def words(self, count: int) -> list[str]:
        """`count` words, a third of them function words."""
        made_up = self.random.choices(self.vocabulary, self.weights, k=count)
        return [self.random.choice(FUNCTION_WORDS) if self.random.random() < 0.33 else word
                for word in made_up]

    def sentence(self) -> str:
        """One sentence with a capital and a full stop."""
        if self.real:
            return self.random.choice(self.real)
        words = self.words(self.random.randint(6, 24))
        return " ".join(words).capitalize() + self.random.choice("....?!")

    def sentences(self, chars: int) -> Iterator[str]:
        """Sentences until they hold about `chars` characters."""
        total = 0
        while total < chars:
            sentence = self.sentence()
            total += len(sentence) + 1
            yield sentence

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


def _real_sentences(path: Path) -> list[str]:
    """The sentences of a JSONL file of articles, split at a full stop before a capital."""
    found = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            text = row.get("text") or row.get("article") or ""
            found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]
    return found


def normal_article(words: Words, scale: float) -> str:
    """A headline and eight paragraphs of four sentences: about 3 KB, for reference."""
    headline = " ".join(words.words(7)).capitalize()
    return "\n\n".join([headline, *(words.paragraph(4) for _ in range(8))]) + "\n"


def one_line(words: Words, scale: float) -> str:
    """A page saved as one line of sentences."""
    return " ".join(words.sentences(int(MB * scale))) + "\n"


def one_line_bare(words: Words, scale: float) -> str:
    """A page saved as one line of words without any punctuation."""
    text = " ".join(words.words(int(MB * scale) // 6))
    return text[: int(MB * scale)] + "\n"


def one_line_tricky(words: Words, scale: float) -> str:
    """One line of sentences mixed with what a pattern could stumble over: dotted and barred
    runs, colons, URLs, long runs of capitals and of digits, bylines, credits, cross-links; and
    a few runs that spaCy's own tokenizer takes time in the square of their length for: four of
    4,000 quotes and brackets, and a 'word' of 50,000 characters."""
    rng = words.random
    specials = ["".join(rng.choices("'\"„”‘’()[]!?", k=4000)) for _ in range(4)]
    specials.append(("https://x.org/a" * 4000)[:50_000])
    pieces = [
        lambda: ". " * rng.randint(1, 400),
        lambda: " | " * rng.randint(1, 200),
        lambda: ": " * rng.randint(1, 200) + "::" * rng.randint(1, 200),
        lambda: "https://www.example.org/" + "/".join(words.words(rng.randint(2, 30)))
        + "?id=" + "&".join(f"{w}={rng.randint(0, 10**6)}" for w in words.words(5)),
        lambda: "".join(rng.choices("ABCDEFGHIJKLMNOPRSTUVWZ", k=rng.randint(10, 5000))),
        lambda: " ".join(w.upper() for w in words.words(rng.randint(10, 300))),
        lambda: "".join(rng.choices("0123456789", k=rng.randint(10, 5000))),
        lambda: " ".join(str(rng.randint(0, 99)) for _ in range(rng.randint(10, 300))),
        lambda: "By . " + " ".join(words.words(3)) + " . PUBLISHED: . 08:01 EST, 2 May 2014 | .",
        lambda: "Foto " + " ".join(w.capitalize() for w in words.words(rng.randint(1, 40))),
        lambda: "Door " + " ".join(words.words(rng.randint(1, 40))),
        lambda: "Lees ook " + " ".join(words.words(rng.randint(1, 40))),
        lambda: "© " + " ".join(words.words(rng.randint(1, 40))),
        lambda: "27 maart " + str(rng.randint(1000, 9999)) + " 15:38",
        lambda: "(ANP) " * rng.randint(1, 50),
        lambda: "„" * rng.randint(1, 100) + "”" * rng.randint(1, 100) + "'" * rng.randint(1, 100),
    ]
    text: list[str] = ["By . " + " ".join(words.words(4)) + " . "]
    total, size = sum(len(s) + 1 for s in specials), int(MB * scale)
    while total < size:
        piece = rng.choice(pieces)() if rng.random() < 0.5 else words.sentence()
        text.append(piece)
        total += len(piece) + 1
    for special in specials:
        text.insert(rng.randrange(1, len(text) + 1), special)
    return " ".join(text) + "\n"


def paragraphs_distinct(words: Words, scale: float) -> str:
    """40,000 different paragraphs of about 100 characters each."""
    count = int(40_000 * scale)
    return "\n\n".join(words.paragraph(1) for _ in range(count)) + "\n"


def paragraphs_repeated(words: Words, scale: float) -> str:
    """40,000 paragraphs of about 100 characters: 200 different ones, over and over."""
    distinct = [words.paragraph(1) for _ in range(200)]
    count = int(40_000 * scale)
    return "\n\n".join(words.random.choice(distinct) for _ in range(count)) + "\n"


def long_paragraph(words: Words, scale: float) -> str:
    """One paragraph of sentences longer than spaCy's max_length, wrapped at 70 characters."""
    text = " ".join(words.sentences(int(1_200_000 * scale)))
    return _wrap(text) + "\n"


def long_sentence(words: Words, scale: float) -> str:
    """One 'sentence' of 60,000 words with commas but no full stop, wrapped."""
    parts = words.words(int(60_000 * scale))
    text = " ".join(w + "," if i % 15 == 14 else w for i, w in enumerate(parts))
    return _wrap(text.capitalize()) + "\n"


def _wrap(text: str, width: int = 70) -> str:
    """Lines of at most about `width` characters, broken at spaces."""
    return re.sub(rf"(.{{1,{width}}})(?: |$)", "\\1\n", text).rstrip("\n")


@dataclass(frozen=True)
class Shape:
    slug: str  # what `--only` takes
    name: str
    build: Callable[[Words, float], str]


SHAPES = (
    Shape("normal", "normal article", normal_article),
    Shape("one-line", "one line", one_line),
    Shape("one-line-bare", "one line, no punctuation", one_line_bare),
    Shape("one-line-tricky", "one line, tricky", one_line_tricky),
    Shape("paragraphs", "40k paragraphs", paragraphs_distinct),
    Shape("paragraphs-repeated", "40k paragraphs, repeated", paragraphs_repeated),
    Shape("long-paragraph", "paragraph > max_length", long_paragraph),
    Shape("long-sentence", "60k-word sentence", long_sentence),
)


@dataclass(frozen=True)
class Timing:
    """How long each stage took on one shape, and the bare spaCy pipeline on the same text."""

    shape: str
    megabytes: float
    seconds: dict[str, float]
    spacy_seconds: float
    sentences: int

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    @property
    def per_mb(self) -> float:
        return self.total / self.megabytes if self.megabytes else 0.0

    @property
    def spacy_per_mb(self) -> float:
        return self.spacy_seconds / self.megabytes if self.megabytes else 0.0


class PerArticlePath:
    """The stages an article goes through in a build, ready to be timed one by one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.analyzer = Analyzer()
        self.classifier = ThemeClassifier(load_themes(SHIPPED_THEMES))
        self.bare: dict[str, Language] = {}
        # Every shape is summarized and linked beside one other article, as in a build of two.
        # Analyzing it also loads spaCy's and simplemma's tables, which is paid once per build.
        reference = SourceFile(PurePosixPath("reference.txt"), normal_article(Words(seed=1), 1.0),
                               FrontMatter(), "utf-8")
        self.reference = self.analyzer.analyze([clean_article(reference)])[0]

    def run(self, name: str, text: str) -> Timing:
        """Write the text as an article file and time each stage on it, then bare spaCy."""
        path = self.folder / f"{re.sub(r'[^a-z0-9]+', '-', name)}.txt"
        path.write_text(text, encoding="utf-8")
        seconds: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            seconds[stage] = now - clock
            clock = now

        source = read_article(path, self.folder)
        lap("read")
        article = clean_article(source)
        lap("clean")
        # Building a pipeline is paid once per build, not per article.
        self.analyzer.pipeline(article.language)
        clock = time.perf_counter()
        analyzed = self.analyzer.analyze([article])[0]
        lap("analyze")
        collection = [self.reference, analyzed]
        idf = document_frequencies(collection)
        summarize(analyzed, idf=idf)
        lap("summarize")
        self.classifier.classify(analyzed)
        lap("classify")
        link_articles(collection, idf)
        lap("link")
        return Timing(name, path.stat().st_size / MB, seconds,
                      self.bare_spacy(source.text, article.language), len(analyzed.sentences))

    def bare_spacy(self, text: str, language: str) -> float:
        """Seconds for the bare blank pipeline with a sentencizer, in pieces of max_length."""
        if language not in self.bare:
            self.bare[language] = spacy.blank(language)
            self.bare[language].add_pipe("sentencizer")
        nlp = self.bare[language]
        start = time.perf_counter()
        size = nlp.max_length
        for doc in nlp.pipe(text[i:i + size] for i in range(0, len(text), size)):
            sum(1 for _ in doc.sents)
        return time.perf_counter() - start


def print_table(timings: list[Timing]) -> None:
    """The timings as a Markdown table, one row per shape."""
    print("| shape | MB | " + " | ".join(f"{s} s" for s in STAGES)
          + " | total s | s/MB | bare spaCy s | spaCy s/MB | ours / spaCy | sentences |")
    print("|---|" + "---|" * (len(STAGES) + 7))
    for t in timings:
        ratio = t.total / t.spacy_seconds if t.spacy_seconds else 0.0
        print(f"| {t.shape} | {t.megabytes:.3f} | "
              + " | ".join(f"{t.seconds[s]:.2f}" for s in STAGES)
              + f" | {t.total:.2f} | {t.per_mb:.1f} | {t.spacy_seconds:.2f} | "
              f"{t.spacy_per_mb:.1f} | {ratio:.1f} | {t.sentences} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--scale", type=float, default=1.0, help="size of every shape, 1 = full")
    parser.add_argument("--only", action="append", metavar="SHAPE",
                        choices=[s.slug for s in SHAPES],
                        help="run only this shape, besides the normal article (repeatable)")
    parser.add_argument("--articles", type=Path,
                        help="JSONL file of articles to take real sentences from")
    args = parser.parse_args(argv)
    words = Words(articles=args.articles)
    shapes = [s for s in SHAPES if s.slug == "normal" or not args.only or s.slug in args.only]
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        path = PerArticlePath(Path(folder))
        for shape in shapes:
            timings.append(path.run(shape.name, shape.build(words, args.scale)))
            if not args.json:
                print(f"{shape.name}: {timings[-1].total:.2f} s", file=sys.stderr)
    if args.json:
        print(json.dumps([
            {"shape": t.shape, "megabytes": round(t.megabytes, 3),
             "seconds": {s: round(v, 4) for s, v in t.seconds.items()},
             "total": round(t.total, 4), "seconds_per_mb": round(t.per_mb, 3),
             "bare_spacy_seconds": round(t.spacy_seconds, 4), "sentences": t.sentences}
            for t in timings
        ], indent=2))
    else:
        print_table(timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
