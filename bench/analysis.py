"""Time the analysis and its alternatives: `python bench/analysis.py PATH.jsonl [--limit N]`.

PATH is a JSONL file of articles: `id` and `text` (with optional `title` and `published_at`, as
../shared/eval/nl_dpg2019.jsonl) or `article` (as ../shared/eval/en_cnndm_dev.jsonl). Every
article is cleaned with the project's own cleaner (an empty one is left out, as a build does);
then, in one process, one after the other, each with a pipeline of its own and cold caches
(simplemma's tables are loaded before any timing):

- the tokenizer alone (`BoundedTokenizer`), then the analysis as it was before issue 11's
  speed-up, component by component (tokenizer, sentencizer, quote fixer, simplemma lemmatizer
  with its `lru_cache`), and its Sentence values built from spaCy Token objects (`_assemble`);
  the AnalyzedArticle values of this path are the reference;
- `Analyzer.analyze` as the project runs it now, end to end;
- alternatives for the lemmas: a plain dict per word form instead of `lru_cache`, the lemmas
  written from an array (`Doc.from_array`) instead of per Token (our component now), the
  lemmas looked up while the sentences are built (no lemmatizer component: no `token.lemma_`
  written; what `Analyzer.analyze` does now), and spaCy's own
  lookup lemmatizer with the tables of spacy-lookups-data (its agreement with simplemma: the
  share of word tokens with the same lower-case lemma);
- alternatives for the Sentence values: span-level (`Span.text`, one Token list per sentence)
  and from the docs' attribute arrays (`Doc.to_array`), with `Doc.text` and `Doc.sents` or
  with the text given and the array of sentence starts;
- the sentence components on arrays, as the project has them now: the quote fixer, and the
  sentencizer reading a per-form table instead of Token objects (`array_sentencizer`).

The table gives each variant's seconds, articles per second and whether its results are
identical to the reference: the AnalyzedArticle values compared exactly (end to end), the
Sentence values (assembly), the lemma of every token or the sentence starts (components).
`--json` prints the rows as JSON instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy  # noqa: E402
import simplemma  # noqa: E402
import simplemma.lemmatizer  # noqa: E402
import spacy  # noqa: E402
from spacy.attrs import LEMMA, SENT_START  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from generator import analyze  # noqa: E402
from generator.analyze import (  # noqa: E402
    PIECE_CHARS,
    QUOTE_FIXER,
    SENTENCIZER,
    Analyzer,
    BoundedTokenizer,
    WordTable,
    lemma_of,
    text_pieces,
)
from generator.clean import clean_article  # noqa: E402
from generator.model import (  # noqa: E402
    AnalyzedArticle,
    CleanArticle,
    FrontMatter,
    PublishedDate,
    Sentence,
    SourceFile,
    squeeze,
)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def read_articles(path: Path, limit: int | None) -> list[CleanArticle]:
    """The file's articles cleaned as a build cleans them; the empty ones left out."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()][:limit]
    articles = []
    for row in rows:
        found = _ISO_DATE.match(str(row.get("published_at") or ""))
        date = (PublishedDate(int(found.group(1)), int(found.group(2)),
                              int(found.group(3)) if found.group(3) else None)
                if found else None)
        text = row["text"] if "text" in row else row.get("article", "")
        source = SourceFile(path=PurePosixPath(f"{row.get('id', len(articles))}.md"), text=text,
                            front_matter=FrontMatter(title=row.get("title") or None, date=date),
                            encoding="utf-8")
        article = clean_article(source)
        if article.blocks:
            articles.append(article)
    return articles


# The analysis as it was before: its components and its Sentence values from Token objects.

BEFORE_LEMMATIZER = "bench_before_lemmatizer"
BEFORE_QUOTE_FIXER = "bench_before_quote_fixer"


@Language.component(BEFORE_LEMMATIZER)
def before_lemmatizer(doc: Doc) -> Doc:
    language = doc.lang_
    for token in doc:
        if token.is_alpha or any(ch.isalpha() for ch in token.text):
            token.lemma_ = lemma_of(token.text, language)
        else:
            token.lemma_ = token.text.lower()
    return doc


@Language.component(BEFORE_QUOTE_FIXER)
def before_quote_fixer(doc: Doc) -> Doc:
    for token in doc[2:]:
        quote = doc[token.i - 1]
        if not token.is_sent_start or doc[token.i - 2].text[-1:] not in ".!?:":
            continue
        opening = quote.text in analyze._OPENING_QUOTES or (
            quote.text in analyze._AMBIGUOUS_QUOTES
            and not quote.whitespace_
            and doc[token.i - 2].whitespace_
        )
        if opening:
            quote.is_sent_start = True
            token.is_sent_start = False
    return doc


def before_assemble(article: CleanArticle, title: Doc, block_docs: list[list[Doc]]
                    ) -> AnalyzedArticle:
    sentences: list[Sentence] = []
    seen: set[str] = set()
    title_sentence = before_sentence(title[:], index=-1, block=-1, is_heading=True)
    for block_index, (block, docs) in enumerate(zip(article.blocks, block_docs, strict=True)):
        spans = ([doc[:] for doc in docs] if block.is_heading
                 else [span for doc in docs for span in doc.sents])
        for span in spans:
            key = squeeze(span.text)
            if not key or key in seen:
                continue
            seen.add(key)
            sentences.append(before_sentence(span, len(sentences), block_index,
                                             block.is_heading))
    return AnalyzedArticle(article=article, title=title_sentence, sentences=tuple(sentences))


def before_sentence(span: Span, index: int, block: int, is_heading: bool) -> Sentence:
    while len(span) and span[0].is_space:
        span = span[1:]
    while len(span) and span[-1].is_space:
        span = span[:-1]
    words = [t for t in span if not (t.is_punct or t.is_space)]
    return Sentence(
        index=index, block=block, text=span.text,
        lemmas=tuple(sys.intern((t.lemma_ or t.text).lower()) for t in words),
        forms=tuple(sys.intern(t.lower_) for t in words),
        offsets=tuple(t.idx - span.start_char for t in words),
        words=sum(1 for t in words if any(ch.isalpha() for ch in t.text)),
        is_heading=is_heading,
    )


def span_sentence(span: Span, index: int, block: int, is_heading: bool) -> Sentence:
    """Span-level: one Token list for the sentence, trimmed by index, the text of the span
    sliced once."""
    tokens = list(span)
    start, end = 0, len(tokens)
    while start < end and tokens[start].is_space:
        start += 1
    while end > start and tokens[end - 1].is_space:
        end -= 1
    text = span[start:end].text
    tokens = tokens[start:end]
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    first = tokens[0].idx if tokens else 0
    return Sentence(
        index=index, block=block, text=text,
        lemmas=tuple(sys.intern((t.lemma_ or t.text).lower()) for t in words),
        forms=tuple(sys.intern(t.lower_) for t in words),
        offsets=tuple(t.idx - first for t in words),
        words=sum(1 for t in words if any(ch.isalpha() for ch in t.text)),
        is_heading=is_heading,
    )


def before_pipeline(language: str) -> Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(BEFORE_QUOTE_FIXER)
    nlp.add_pipe(BEFORE_LEMMATIZER)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp


# Alternatives for the components.

def dict_lemmatizer() -> Callable[[Doc], Doc]:
    """`token.lemma_` set per Token, from a plain dict per word form (one per language)."""
    tables: dict[str, dict[str, str]] = {}

    def run(doc: Doc) -> Doc:
        language = doc.lang_
        table = tables.setdefault(language, {})
        for token in doc:
            text = token.text
            lemma = table.get(text)
            if lemma is None:
                lemma = table[text] = (lemma_of.__wrapped__(text, language)
                                       if any(ch.isalpha() for ch in text) else text.lower())
            token.lemma_ = lemma
        return doc
    return run


def lookup_lemmatizer(nlp: Language) -> Callable[[Doc], Doc] | None:
    """spaCy's lemmatizer in lookup mode with spacy-lookups-data's table; None without it."""
    try:
        lemmatizer = nlp.add_pipe("lemmatizer", name="lookup_lemmatizer",
                                  config={"mode": "lookup"})
        lemmatizer.initialize()
    except Exception:  # not installed, or no table for the language
        return None
    nlp.remove_pipe("lookup_lemmatizer")
    return lemmatizer


# Running and timing.

class Run:
    """The texts of one language's articles, and the rows of the table."""

    def __init__(self, articles: list[CleanArticle], rows: list[dict]):
        self.articles = articles
        self.rows = rows
        self.languages = sorted({a.language for a in articles})

    def pieces(self, language: str) -> list[list[str]]:
        return [split for a in self.articles if a.language == language for split in (
            text_pieces(a.title, PIECE_CHARS)[:1],
            *(text_pieces(b.text, PIECE_CHARS) for b in a.blocks))]

    def row(self, variant: str, seconds: float, identical: str) -> None:
        count = len(self.articles)
        self.rows.append({"variant": variant, "seconds": round(seconds, 3),
                          "articles_per_s": round(count / seconds, 1) if seconds else None,
                          "identical": identical})
        print(f"  {variant}: {seconds:.2f} s ({identical})", file=sys.stderr, flush=True)


def timed(work: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def apply(component: Callable[[Doc], Doc], docs: list[Doc]) -> list[Doc]:
    return [component(doc) for doc in docs]


def in_articles(run: Run, language_docs: dict[str, list[Doc]], texts: dict[str, list[str]],
                pieces: dict[str, list[list[str]]], assemble: Callable) -> list[AnalyzedArticle]:
    """The articles assembled from each language's docs, in the order given."""
    results: dict[int, AnalyzedArticle] = {}
    for language in run.languages:
        docs = iter(zip(language_docs[language], texts[language], strict=True))
        parsed = iter([[next(docs) for _ in split] for split in pieces[language]])
        for i, article in enumerate(run.articles):
            if article.language == language:
                title = next(parsed)[0]
                results[i] = assemble(article, title, [next(parsed) for _ in article.blocks])
    return [results[i] for i in range(len(run.articles))]


def unset(docs: list[Doc]) -> None:
    """No lemma on any token: a lemmatizer that sets none cannot pass for one that does."""
    for doc in docs:
        doc.from_array([LEMMA], numpy.zeros((len(doc), 1), dtype="uint64"))


def same(ok: bool) -> str:
    return "yes" if ok else "NO"


def cold() -> None:
    """Our lemma cache and simplemma's own emptied (its tables stay loaded)."""
    lemma_of.cache_clear()
    analyze._FORM_LEMMAS.clear()
    legacy = getattr(simplemma.lemmatizer, "_legacy_lemmatizer_for", None)
    cached = getattr(legacy(False, False), "_cached_lemmatize", None) if legacy else None
    if cached is not None:
        cached.cache_clear()


def bench(run: Run) -> None:
    for language in run.languages:  # simplemma's tables, loaded outside any timing
        simplemma.lemmatize("test", lang=language)
    pieces = {language: run.pieces(language) for language in run.languages}
    texts = {language: [p for split in pieces[language] for p in split]
             for language in run.languages}

    def each_language(work: Callable[[str, Language], list]) -> Callable[[], dict]:
        return lambda: {language: work(language, nlp[language]) for language in run.languages}

    # The tokenizer alone.
    nlp = {language: before_pipeline(language) for language in run.languages}
    seconds, _ = timed(each_language(lambda lang, n: [n.tokenizer(t) for t in texts[lang]]))
    run.row("tokenizer alone (BoundedTokenizer)", seconds, "—")

    # Before: component by component, then the Sentence values from Token objects.
    cold()
    nlp = {language: before_pipeline(language) for language in run.languages}
    total = 0.0
    seconds, docs = timed(each_language(lambda lang, n: [n.tokenizer(t) for t in texts[lang]]))
    total += seconds
    run.row("before: tokenizer", seconds, "—")
    for name, label in (("sentencizer", "sentencizer"), (BEFORE_QUOTE_FIXER, "quote fixer"),
                        (BEFORE_LEMMATIZER, "simplemma lemmatizer, lru_cache")):
        seconds, docs = timed(each_language(
            lambda lang, n, name=name, docs=docs: apply(n.get_pipe(name), docs[lang])))
        total += seconds
        run.row(f"before: {label}", seconds, "—")
    before_docs = docs
    reference_starts = {lang: [d.to_array(SENT_START).tolist() for d in docs[lang]]
                        for lang in run.languages}
    reference_lemmas = {lang: [d.to_array(LEMMA).tolist() for d in docs[lang]]
                        for lang in run.languages}
    seconds, reference = timed(lambda: in_articles(
        run, {lang: before_docs[lang] for lang in run.languages}, texts, pieces,
        lambda article, title, blocks: before_assemble(
            article, title[0], [[doc for doc, _ in block] for block in blocks])))
    total += seconds
    run.row("before: Sentence values from Token objects (_assemble)", seconds, "reference")
    run.rows.append({"variant": "before: whole analysis (sum of the above)",
                     "seconds": round(total, 3),
                     "articles_per_s": round(len(run.articles) / total, 1),
                     "identical": "reference"})

    # Now: the project's analysis, end to end.
    cold()
    analyzer = Analyzer()
    for language in run.languages:
        analyzer.pipeline(language)
    seconds, now = timed(lambda: analyzer.analyze(run.articles))
    run.row("now: Analyzer.analyze, end to end", seconds, same(now == reference))
    cold()
    fresh = Analyzer()  # a tokenizer cache of its own
    nlp = {language: fresh.pipeline(language) for language in run.languages}
    seconds, docs = timed(each_language(lambda lang, n: [n.tokenizer(t) for t in texts[lang]]))
    run.row("now: tokenizer", seconds, "—")
    for name, label in ((SENTENCIZER, "sentencizer"), (QUOTE_FIXER, "quote fixer")):
        seconds, docs = timed(each_language(
            lambda lang, n, name=name, docs=docs: apply(n.get_pipe(name), docs[lang])))
        run.row(f"now: {label}", seconds, "—")
    starts = {lang: [d.to_array(SENT_START).tolist() for d in docs[lang]]
              for lang in run.languages}
    words = {language: WordTable(nlp[language].vocab, language, True)
             for language in run.languages}
    seconds, result = timed(lambda: in_articles(
        run, docs, texts, pieces, lambda article, title, blocks: analyze._assemble(
            article, title, blocks, words[article.language])))
    run.row("now: Sentence values from arrays, lemmas looked up per form (cold)", seconds,
            same(result == reference and starts == reference_starts))
    seconds, result = timed(lambda: in_articles(
        run, docs, texts, pieces, lambda article, title, blocks: analyze._assemble(
            article, title, blocks, words[article.language])))
    run.row("now: the same again, every form in the table (warm)", seconds,
            same(result == reference))

    # The lemmas, on the sentencized docs of before.
    for label, make in (("lemmas: lru_cache per form (before), per Token", None),
                        ("lemmas: dict per form, per Token", dict_lemmatizer),
                        ("lemmas: dict per ORTH hash, Doc.from_array (simplemma_lemmatizer "
                         "now)", lambda: analyze.simplemma_lemmatizer)):
        cold()
        for language in run.languages:
            unset(before_docs[language])
        component = before_lemmatizer if make is None else make()
        seconds, docs = timed(each_language(
            lambda lang, n, component=component: apply(component, before_docs[lang])))
        lemmas = {lang: [d.to_array(LEMMA).tolist() for d in docs[lang]]
                  for lang in run.languages}
        run.row(label, seconds, same(lemmas == reference_lemmas))
    cold()
    shown = []
    total = 0.0
    for language in run.languages:
        agree = count = 0
        lookup = lookup_lemmatizer(spacy.blank(language))
        if lookup is None:
            shown.append(f"{language}: no table")
            continue
        ours = [[(t.lemma_ or t.text).lower() for t in d] for d in before_docs[language]]
        unset(before_docs[language])  # it writes no lemma over one set
        seconds, docs = timed(lambda lookup=lookup, language=language: apply(
            lookup, before_docs[language]))
        total += seconds
        for doc, mine in zip(docs, ours, strict=True):
            for token, lemma in zip(doc, mine, strict=True):
                if not (token.is_punct or token.is_space):
                    count += 1
                    agree += (token.lemma_ or token.text).lower() == lemma
        shown.append(f"{language}: {100 * agree / max(count, 1):.1f}% of word tokens")
        for doc, mine in zip(docs, reference_lemmas[language], strict=True):
            # simplemma's lemmas back for the rows below
            doc.from_array([LEMMA], numpy.array(mine, dtype="uint64").reshape(-1, 1))
    run.row("lemmas: spaCy lookup lemmatizer (spacy-lookups-data)", total,
            "; ".join(shown) + " the same as simplemma")

    # The Sentence values, from the same docs (simplemma's lemmas set on every token).
    seconds, result = timed(lambda: in_articles(
        run, before_docs, texts, pieces, lambda article, title, blocks: span_assemble(
            article, title[0], [[doc for doc, _ in block] for block in blocks])))
    run.row("Sentence values: span-level, one Token list per sentence", seconds,
            same(result == reference))
    trained_like = {language: WordTable(before_docs[language][0].vocab, language, False)
                    for language in run.languages}
    seconds, result = timed(lambda: in_articles(
        run, before_docs, texts, pieces, lambda article, title, blocks: doc_text_assemble(
            article, title, blocks, trained_like[article.language])))
    run.row("Sentence values: arrays, with Doc.text and Doc.sents, lemmas of the tokens",
            seconds, same(result == reference))
    seconds, result = timed(lambda: in_articles(
        run, before_docs, texts, pieces, lambda article, title, blocks: analyze._assemble(
            article, title, blocks, trained_like[article.language])))
    run.row("Sentence values: arrays, text given, sentence-start array, lemmas of the tokens",
            seconds, same(result == reference))

    # The sentence components on arrays.
    cold()
    for language in run.languages:
        nlp[language] = before_pipeline(language)
    docs = {lang: [nlp[lang].tokenizer(t) for t in texts[lang]] for lang in run.languages}
    seconds, done = timed(each_language(
        lambda lang, n: apply(n.get_pipe("sentencizer"), docs[lang])))
    run.row("sentencizer: spaCy's, Token objects", seconds, "—")
    reference_sents = {lang: [d.to_array(SENT_START).tolist() for d in done[lang]]
                       for lang in run.languages}
    seconds, fixed = timed(each_language(
        lambda lang, n: apply(analyze.opening_quote_fixer, done[lang])))
    run.row("quote fixer: sentence starts from the array", seconds,
            same({lang: [d.to_array(SENT_START).tolist() for d in fixed[lang]]
                  for lang in run.languages} == reference_starts))
    docs = {lang: [nlp[lang].tokenizer(t) for t in texts[lang]] for lang in run.languages}
    seconds, done = timed(each_language(
        lambda lang, n: apply(analyze.array_sentencizer, docs[lang])))
    run.row("sentencizer: ORTH array and a table per form (now)", seconds,
            same({lang: [d.to_array(SENT_START).tolist() for d in done[lang]]
                  for lang in run.languages} == reference_sents))


def span_assemble(article: CleanArticle, title: Doc, block_docs: list[list[Doc]]
                  ) -> AnalyzedArticle:
    sentences: list[Sentence] = []
    seen: set[str] = set()
    title_sentence = span_sentence(title[:], index=-1, block=-1, is_heading=True)
    for block_index, (block, docs) in enumerate(zip(article.blocks, block_docs, strict=True)):
        spans = ([doc[:] for doc in docs] if block.is_heading
                 else [span for doc in docs for span in doc.sents])
        for span in spans:
            sentence = span_sentence(span, len(sentences), block_index, block.is_heading)
            key = squeeze(sentence.text)
            if not key or key in seen:
                continue
            seen.add(key)
            sentences.append(sentence)
    return AnalyzedArticle(article=article, title=title_sentence, sentences=tuple(sentences))


def doc_text_assemble(article: CleanArticle, title: tuple[Doc, str],
                      block_docs: list[list[tuple[Doc, str]]], words: WordTable
                      ) -> AnalyzedArticle:
    """`_assemble` on arrays, but with each doc's text from `Doc.text` and its sentences from
    `Doc.sents` (both of which make a Token object for every token)."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    title_sentence = analyze._Tokens(title[0], title[0].text, words).sentence(
        0, len(title[0]), -1, -1, True)
    for block_index, (block, docs) in enumerate(zip(article.blocks, block_docs, strict=True)):
        for doc, _ in docs:
            tokens = analyze._Tokens(doc, doc.text, words)
            bounds = ([(0, len(doc))] if block.is_heading
                      else [(span.start, span.end) for span in doc.sents])
            for start, end in bounds:
                sentence = tokens.sentence(start, end, len(sentences), block_index,
                                           block.is_heading)
                key = squeeze(sentence.text)
                if not key or key in seen:
                    continue
                seen.add(key)
                sentences.append(sentence)
    return AnalyzedArticle(article=article, title=title_sentence, sentences=tuple(sentences))


def table(name: str, count: int, rows: Iterable[dict]) -> str:
    lines = [f"{name}: {count} articles", "",
             "| variant | seconds | articles/s | identical |", "|---|---|---|---|"]
    lines += [f"| {r['variant']} | {r['seconds']:.2f} | {r['articles_per_s']:,.0f} | "
              f"{r['identical']} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N rows of the file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    articles = read_articles(args.path, args.limit)
    if not articles:
        parser.error(f"{args.path}: no article with text")
    run = Run(articles, [])
    bench(run)
    if args.json:
        print(json.dumps({"articles": len(articles), "languages": run.languages,
                          "rows": run.rows}, indent=1))
    else:
        print(table(args.path.name, len(articles), run.rows))


if __name__ == "__main__":
    main()
