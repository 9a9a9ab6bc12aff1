"""Collect everything before rendering: read → clean → analyze → summarize → classify → Digest."""

from __future__ import annotations

import logging
import pickle
import re
import struct
import unicodedata
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Executor
from dataclasses import replace
from functools import partial
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .analyze import Analyzer
from .cache import ArticleCache, file_key, signature
from .classify import ThemeClassifier
from .clean import clean_article
from .config import DigestConfig
from .errors import DigestError
from .link import link_articles, story_vector
from .model import (
    AnalyzedArticle,
    Digest,
    DigestArticle,
    Problem,
    Theme,
    one_per_story,
    printable,
    sentences_for_now,
    share_sentence_words,
    share_words,
)
from .parallel import collector_paused, fork_map
from .read import display_path, read_article, scan_articles
from .report import undated_problems
from .summarize import STOP_WORDS, UNSEEN, document_frequencies, summarize, theme_digest
from .themes import load_themes

ARTICLES_FOLDER = "articles"
THEMES_FILE = "themes.yml"
THEME_DIGEST_MIN = 3
THEME_DIGEST_MAX = 5
# Fewer articles to analyze than this are analyzed here: starting the pipelines in worker
# processes would take longer than the work.
PARALLEL_MIN_ARTICLES = 8
# The key of what the result cache keeps for the whole collection rather than one article.
COLLECTION = "*"

log = logging.getLogger("digest")
T = TypeVar("T")
Progress = Callable[[int, int], None]  # (articles done, articles in all)


def build_digest(
    content_dir: Path,
    config: DigestConfig,
    analyzer: Analyzer | None = None,
    cache: ArticleCache | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Digest:
    """The whole digest of a content folder. A bad themes file raises DigestError; a bad
    article is skipped and listed in `Digest.problems`, and every other article is built.

    The articles are collected by the executor's processes, when one is given, and the executor
    is then shut down (its processes' memory is not needed for the rest); what is then made of
    them (summaries, themes, links) by `jobs` forked processes."""
    themes = load_themes(content_dir / THEMES_FILE, config.language)
    articles_dir = content_dir / ARTICLES_FOLDER
    # The executor's processes also give the themes of the articles they analyze: they have
    # the words' lemmas at hand, which this process would have to load.
    classified: dict[PurePosixPath, Any] = {}
    analyzed, problems = collect_articles(
        content_dir, analyzer or Analyzer(config.pipelines), cache, executor, progress,
        themes=themes, classified=classified)
    if executor is not None:
        executor.shutdown()

    known = {theme.slug for theme in themes}
    for item in analyzed:
        for slug in item.article.pinned_themes or ():
            if slug not in known:
                problems.append(Problem(
                    display_path(articles_dir / item.article.path),
                    f"front matter: theme '{printable(slug)[:60]}' is not defined in "
                    f"{THEMES_FILE}; ignored",
                    skipped=False,
                ))
    if config.require_dates:  # else the build report names them, without failing --strict
        problems += undated_problems((item.article for item in analyzed), articles_dir)

    idf = document_frequencies(analyzed)
    classifier = ThemeClassifier(themes)
    results = cache.results if cache else None
    unseen = idf[UNSEEN]
    themes_signature = signature(themes)

    # What a build makes of each article: its summary, its themes and near misses, and its
    # story's vector. (The summary's sentences themselves are kept: an article taken from the
    # cache then need not unpickle its sentences, `AnalyzedArticle.__reduce__`.)
    makers: dict[str, Callable[[AnalyzedArticle], Any]] = {
        "summary": lambda item: tuple(summarize(item, config.summary, idf)),
        "themes": classifier.classify_with_near_misses,
        "vector": lambda item: story_vector(item, idf),
    }

    # Per language, each lemma's weight as the 8 bytes of a double, or b"" for one not
    # weighed: a stop word, a number, a sign (a table, so that ten thousand articles' words are
    # looked up, not judged, each time; and joined, not gathered into numbers first).
    weight_of: dict[str, dict[str, bytes]] = {}
    weighed_by = signature(config.summary, unseen)  # what shapes them besides the weights

    def weights(item: AnalyzedArticle) -> bytes:
        lemmas = (*item.vocabulary, *item.title.lemmas)
        table = weight_of.setdefault(item.article.language, {})
        try:
            return b"".join(map(table.__getitem__, lemmas))
        except KeyError:  # words not looked at before
            stop_words: Collection[str] = STOP_WORDS.get(item.article.language, frozenset())
            for lemma in lemmas:
                if lemma not in table:
                    word = lemma not in stop_words and any(ch.isalpha() for ch in lemma)
                    table[lemma] = struct.pack("d", idf.get(lemma, unseen)) if word else b""
            return b"".join(map(table.__getitem__, lemmas))

    def signatures(item: AnalyzedArticle) -> dict[str, bytes]:
        # A summary and a story's vector weigh the article's words by the whole collection:
        # they are kept while the weights of the words they weigh are the same.
        weighed = signature(weighed_by, packed=weights(item))
        return {"summary": weighed, "themes": themes_signature, "vector": weighed}

    # What the cache holds is taken here; the rest is made by `jobs` processes.
    made_of: list[dict[str, Any]] = []
    signed_of: list[dict[str, bytes]] = []
    todo: list[tuple[int, tuple[str, ...]]] = []
    for number, item in enumerate(analyzed):
        found: dict[str, Any] = {}
        signed: dict[str, bytes] = {}
        if results is not None and item.fingerprint:
            signed = signatures(item)
            for stage, signed_as in signed.items():
                value = results.lookup(stage, item.fingerprint, signed_as)
                if value is not None:
                    found[stage] = value
        if "themes" not in found and item.article.path in classified:
            found["themes"] = value = classified[item.article.path]
            if results is not None and item.fingerprint:
                results.store("themes", item.fingerprint, themes_signature, value)
        made_of.append(found)
        signed_of.append(signed)
        missing = tuple(stage for stage in makers if stage not in found)
        if missing:
            todo.append((number, missing))

    def make(job: tuple[int, tuple[str, ...]]) -> dict[str, Any] | Problem:
        item = analyzed[job[0]]
        with sentences_for_now(item):
            return isolated(lambda: display_path(articles_dir / item.article.path),
                            lambda: {stage: makers[stage](item) for stage in job[1]})

    # Each article's sentences are unpickled by the process that summarizes it (the ones
    # from the cache, or from the analysis processes, are still pickled here: a hundred
    # megabytes less at ten thousand articles, `share_words`).
    made_by_forks = fork_map(make, todo, jobs, here=False)
    for (number, _), made in zip(todo, made_by_forks, strict=True):
        if isinstance(made, Problem):
            problems.append(made)
            made_of[number] = {}
            continue
        if results is not None:
            for stage, value in made.items():
                if stage in signed_of[number]:
                    results.store(stage, analyzed[number].fingerprint, signed_of[number][stage],
                                  value)
        if "summary" in made:  # its sentences came from another process
            share_sentence_words(made["summary"])
        made_of[number].update(made)
    finished = [
        (item, (done["summary"], *done["themes"],
                done["vector"]))
        for item, done in zip(analyzed, made_of, strict=True) if done
    ]
    analyzed = [item for item, _ in finished]
    paths = [a.article.path for a in analyzed]
    slugs = article_slugs(paths)
    # Whether two articles carry one story depends on their texts alone: kept between builds
    # for the articles still there.
    copies = (results.lookup("copies", COLLECTION, b"") if results is not None else None) or {}
    # And how similar two stories are, while their vectors are the same.
    similar = (results.lookup("similar", COLLECTION, b"") if results is not None else None) or {}
    links = link_articles(
        analyzed, idf, themes=[[match.slug for match in done[1]] for _, done in finished],
        vectors=[done[3] for _, done in finished], copies=copies, jobs=jobs, similar=similar)
    if results is not None:
        present = {item.fingerprint for item in analyzed}
        results.store("copies", COLLECTION, b"", {
            pair: same for pair, same in copies.items() if present.issuperset(pair)})
        results.store("similar", COLLECTION, b"", similar)
    articles = [
        DigestArticle(
            slug=slugs[item.article.path],
            analyzed=item,
            summary=summary,
            themes=matches,
            related=tuple(slugs[paths[j]] for j in link.related),
            same_story=tuple(slugs[paths[j]] for j in link.same_story),
            near_misses=near_misses,
        )
        for (item, (summary, matches, near_misses, _)), link in zip(finished, links, strict=True)
    ]
    articles.sort(key=newest_first)
    digest = Digest(
        title=config.title,
        language=config.language,
        articles=tuple(articles),
        themes=themes,
        problems=tuple(problems),
    )
    theme_digests = {}
    for theme in themes:
        stories = one_per_story(digest.in_theme(theme.slug))
        # A digest of one story would only repeat its summary, shown just below it.
        theme_digests[theme.slug] = (
            theme_digest(stories, idf, digest_size(len(stories))) if len(stories) > 1 else ()
        )
    return replace(digest, theme_digests=theme_digests)


def collect_articles(
    content_dir: Path,
    analyzer: Analyzer,
    cache: ArticleCache | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    themes: tuple[Theme, ...] | None = None,
    classified: dict[PurePosixPath, Any] | None = None,
) -> tuple[list[AnalyzedArticle], list[Problem]]:
    """Every article of the content folder read, cleaned and analyzed, each in isolation; and
    the problems of the files that could not be.

    Articles found in the cache are taken from it; the others are analyzed here, or by the
    executor's processes when one is given (the work is a plain function of the files, the
    pipelines and the themes), and stored in the cache. Those processes also classify what
    they analyze by `themes`, when given: `classified` then gets each such article's
    `classify_with_near_misses`, by its path in the articles folder."""
    articles_dir = content_dir / ARTICLES_FOLDER
    if not articles_dir.is_dir():
        raise DigestError(display_path(articles_dir), "the articles folder does not exist")
    files, refused = scan_articles(articles_dir, boundary=content_dir)
    problems = [Problem(error.path, _reason(error)) for error in refused]
    outcomes: dict[Path, AnalyzedArticle | Problem] = {}
    keys: dict[Path, str] = {}
    # The files the last build did not have start on the executor's processes at once, while
    # the cache is read: starting the language pipelines takes a second or two. When it had
    # none (a first build, or --fresh), they start before the files are read for their keys.
    ahead: Iterator[AnalyzedArticle | Problem | tuple[AnalyzedArticle, Any]] = iter(())
    expected: list[Path] = []
    if executor is not None and not (cache and cache.noted_files()):
        expected = list(files)
        ahead = _analysis(expected, articles_dir, analyzer, executor, at_least=1, themes=themes,
                          cache=cache)
    for path in files:
        key = cache.key_of(path, path.relative_to(articles_dir).as_posix()) if cache else None
        if key:
            keys[path] = key
    if executor is not None and not expected:
        expected = [path for path in files
                    if not (cache and path in keys and cache.known(keys[path]))]
        ahead = _analysis(expected, articles_dir, analyzer, executor, at_least=1, themes=themes,
                          cache=cache)
    todo: list[Path] = []
    for path in files:
        found = cache.get(keys[path]) if cache and path in keys else None
        if isinstance(found, Problem):  # named as this build names the file
            found = replace(found, path=display_path(path))
        if found is not None:
            outcomes[path] = found
            continue
        todo.append(path)
    if progress:
        progress(len(files) - len(todo), len(files))
    if cache is not None and expected:
        # What the next stages take, read while the processes analyze. (The search index's
        # memo is read by whichever process makes the index: `mkdocs_site.generate_tree`.)
        cache.results.read()
    started = set(expected)
    rest = [path for path in todo if path not in started]
    work = chain(zip(expected, ahead, strict=True),
                 zip(rest, _analysis(rest, articles_dir, analyzer, executor, themes=themes,
                                     cache=cache), strict=True))
    done = 0
    for path, outcome in work:
        if path in outcomes:  # in the cache after all
            continue
        if isinstance(outcome, tuple):  # and classified
            outcome, matches = outcome
            if classified is not None:
                classified[outcome.article.path] = matches
        if executor is not None and isinstance(outcome, AnalyzedArticle):
            outcome = share_words(outcome)
        outcomes[path] = outcome
        done += 1
        if progress:
            progress(len(files) - len(todo) + done, len(files))
    analyzed: list[AnalyzedArticle] = []
    todo_set = set(todo)
    for path in files:
        outcome = outcomes[path]
        if isinstance(outcome, Problem):
            problems.append(outcome)
            if cache is not None and path in keys and path in todo_set \
                    and _kept_in_cache(outcome) and keys[path] not in cache.used:
                cache.put(keys[path], outcome)
            continue
        # One analyzed by a process is kept in the cache already, under the key it found (the
        # one found here, unless the file changed in between).
        if path in keys and outcome.fingerprint != keys[path]:
            outcome = replace(outcome, fingerprint=keys[path])
            if cache is not None and path in todo_set:
                cache.put(keys[path], outcome)
        analyzed.append(outcome)
    return analyzed, problems


def _analysis(paths: list[Path], articles_dir: Path, analyzer: Analyzer,
              executor: Executor | None, at_least: int = PARALLEL_MIN_ARTICLES,
              themes: tuple[Theme, ...] | None = None, cache: ArticleCache | None = None,
              ) -> Iterator[AnalyzedArticle | Problem | tuple[AnalyzedArticle, Any]]:
    """What each file makes, in order: by the executor's processes (all sent at once, in
    batches) when one is given and there are `at_least` files, each with its themes when
    `themes` are given, and kept in the `cache` as the processes pickled them; else here, one
    at a time as asked for."""
    if executor is None or len(paths) < at_least:
        return (isolated(partial(display_path, path), collect_article, path, articles_dir,
                         analyzer) for path in paths)
    size = max(1, min(64, len(paths) // 32))
    batches = [[str(path) for path in paths[start:start + size]]
               for start in range(0, len(paths), size)]
    pipelines = tuple(sorted(analyzer.trained.items()))
    salt = cache.salt if cache is not None else None
    done = executor.map(collect_in_worker, batches, [str(articles_dir)] * len(batches),
                        [pipelines] * len(batches), [themes] * len(batches),
                        [salt] * len(batches))

    def unpickled() -> Iterator[AnalyzedArticle | Problem | tuple[AnalyzedArticle, Any]]:
        for keys, pickled in done:
            if cache is not None:
                cache.put_pickled(keys, pickled)
            # What a batch holds lives as long as the build (`collector_paused`).
            with collector_paused(keep=True):
                outcomes = pickle.loads(pickled)  # noqa: S301 (from our own processes)
            yield from outcomes

    return unpickled()


def collect_article(path: Path, articles_dir: Path, analyzer: Analyzer) -> AnalyzedArticle:
    """One article file read, cleaned and analyzed; DigestError says why it cannot be used."""
    article = clean_article(read_article(path, articles_dir))
    if not article.blocks:
        raise DigestError(display_path(path), "no text is left after cleaning (nothing but "
                                              "page furniture, dates or stray characters)")
    return analyzer.analyze([article])[0]


# One per process: the analyzer of each set of pipelines, the classifier of the last themes.
_worker_analyzers: dict[tuple, Analyzer] = {}
_worker_classifier: list[tuple[tuple[Theme, ...], ThemeClassifier]] = []


def collect_in_worker(paths: list[str], articles_dir: str, pipelines: tuple,
                      themes: tuple[Theme, ...] | None = None, salt: str | None = None,
                      ) -> tuple[list[str | None], bytes]:
    """`collect_article` of each file in a worker process, with its themes when `themes` are
    given: plain values in, plain values out. The outcomes come back pickled, as a cache pack
    keeps them, with the key of each file under `salt` (None for one the cache does not keep,
    or without a salt); an analyzed article carries its key as its fingerprint."""
    analyzer = _worker_analyzers.setdefault(pipelines, Analyzer(dict(pipelines)))
    classifier = None
    if themes is not None:
        if not _worker_classifier or _worker_classifier[0][0] != themes:
            _worker_classifier[:] = [(themes, ThemeClassifier(themes))]
        classifier = _worker_classifier[0][1]
    outcomes: list[AnalyzedArticle | Problem | tuple[AnalyzedArticle, Any]] = []
    keys: list[str | None] = []
    for path in paths:
        def shown(path: str = path) -> str:
            return display_path(Path(path))

        outcome = isolated(shown, collect_article, Path(path), Path(articles_dir), analyzer)
        key = _key_in_worker(salt, Path(path), Path(articles_dir)) \
            if salt is not None and _kept_in_cache(outcome) else None
        keys.append(key)
        if key is not None and isinstance(outcome, AnalyzedArticle):
            outcome = replace(outcome, fingerprint=key)
        if classifier is None or isinstance(outcome, Problem):
            outcomes.append(outcome)
            continue
        matches = isolated(shown, classifier.classify_with_near_misses, outcome)
        # A failure to classify is found again, and said, where the themes are made.
        outcomes.append(outcome if isinstance(matches, Problem) else (outcome, matches))
    return keys, pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)


def _kept_in_cache(outcome: AnalyzedArticle | Problem) -> bool:
    """Whether the cache keeps what a file made: an article, or why it cannot be one, unless
    the failure was unforeseen (that is tried again next time)."""
    return not (isinstance(outcome, Problem) and outcome.reason.startswith("could not process"))


def _key_in_worker(salt: str, path: Path, articles_dir: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None  # a file the cache does not keep: its problem is said each time
    return file_key(salt, data, path.relative_to(articles_dir).as_posix())


def isolated(shown: str | Callable[[], str], work: Callable[..., T], *args: Any) -> T | Problem:
    """The work's result, or the problem that stopped it: one article's failure, however
    unforeseen, is that article's alone (Pelican's rule: log "could not process", move on).
    `shown` names the article, or gives its name when a problem needs it (`display_path`
    asks the file system)."""
    try:
        return work(*args)
    except DigestError as error:
        return Problem(error.path or _named(shown), _reason(error))
    except Exception as error:  # noqa: BLE001 (any failure of one article)
        shown = _named(shown)
        log.debug("could not process %s", shown, exc_info=True)
        detail = printable(" ".join(str(error).split()))[:200]
        return Problem(shown, f"could not process: {type(error).__name__}"
                              + (f": {detail}" if detail else ""))


def _named(shown: str | Callable[[], str]) -> str:
    return shown if isinstance(shown, str) else shown()


def digest_size(stories: int) -> int:
    """Lines in a theme's digest: about one per story, from three to five."""
    return min(THEME_DIGEST_MAX, max(THEME_DIGEST_MIN, stories))


def newest_first(article: DigestArticle) -> tuple:
    """Dated articles newest first, then undated ones, each by title."""
    date = article.article.date
    if date is None:
        return (1, 0, 0, 0, article.article.title, article.slug)
    year, month, day = date.sort_key()
    return (0, -year, -month, -day, article.article.title, article.slug)


# Names of pages that sit beside the article pages: an article never takes one.
RESERVED_SLUGS = frozenset({"index"})


def article_slugs(paths: list[PurePosixPath]) -> dict[PurePosixPath, str]:
    """A unique, stable, URL-safe name for each article file."""
    slugs: dict[PurePosixPath, str] = {}
    taken: set[str] = set(RESERVED_SLUGS)
    # Per base, the number to try next: a thousand files of one base are not each tried
    # against every number the ones before took.
    next_number: dict[str, int] = {}
    for name, path in sorted((path.as_posix(), path) for path in paths):
        base = slugify(name[: len(name) - len(path.suffix)]) or "article"
        slug, n = base, next_number.get(base, 2)
        if n > 2 or slug in taken:
            slug = f"{base}-{n}"
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            next_number[base] = n + 1
        taken.add(slug)
        slugs[path] = slug
    return slugs


def slugify(text: str) -> str:
    """`Nieuws/Oekraïne 1` → `nieuws-oekraine-1`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _reason(error: DigestError) -> str:
    return error.reason if error.line is None else f"line {error.line}: {error.reason}"
