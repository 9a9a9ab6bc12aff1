"""The search index: the digest as static files that the search engine in the browser loads
part by part, from `file://` as from a server (docs/search.md: the format, the ranking, why).

Every file is a classic script that hands its data to the engine
(`DigestSearch._receive("terms/012", {...})`), so no page needs fetch, modules or WebAssembly.
A page loads only the manifest; a query loads the parts that hold its words, the ranking data
of the documents it matches and the texts of the results it shows.

Words are folded (NFD, combining marks dropped, lower case), split on anything that is not a
letter or a digit, and stemmed with Snowball in the site's language: exactly as
`theme/overrides/assets/javascripts/search-engine.js` does it with the same Snowball release.

A rebuild hands over the memo the last build left: a document whose signature (a hash of
everything that shapes it) is in it is not read again, and the postings of a term that no
added or removed document has are taken as they were, their ids moved (mostly only the first
id is written anew: the others are steps). The files are those of a build from nothing, byte
for byte; the tests hold any sequence of rebuilds to that.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import operator
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from itertools import accumulate, chain, compress
from pathlib import Path
from typing import Any, TypeVar, cast

from snowballstemmer.dutch_stemmer import DutchStemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from .digest import newest_first
from .model import Digest, DigestArticle
from .parallel import collector_paused, fork_map
from .render import article_page, load_labels, theme_page
from .themes import OTHER_SLUG

SEARCH_FOLDER = "search"
# A part of the postings or of the word list is cut at about this many bytes.
PART_BYTES = 48_000
# The text kept per document for the snippet: enough for any news article, bounded for a page
# scraped as one paragraph of a million characters.
TEXT_CHARS = 8_000
# Ranking constants, shipped in the manifest so that the engine uses the same ones.
TITLE_WEIGHT = 3
BM25_K1 = 1.2
BM25_B = 0.75
PREFIX_EXPANSIONS = 8
PREFIX_MIN_CHARS = 3

# Words too common to find anything, per language, as folded: never indexed, ignored in a query.
STOP_WORDS = {
    "nl": frozenset("""
        aan al als bij dan dat de deze die dit door dus een en er geen had hadden haar heeft
        hebben het hij hoe hun ik in is je kan kunnen maar met naar niet nog of om omdat ook op
        over te toch tot u uit van voor want was wat we wel werd werden wie wij worden wordt ze
        zich zij zijn zou zullen zal
        """.split()),
    "en": frozenset("""
        a about an and are as at be been but by can could did do does for from had has have he
        her him his if in into is it its may of on or our she so such than that the their them
        then there these they this those to was we were what when which who will with would you
        """.split()),
}
STEMMERS = {"nl": DutchStemmer, "en": EnglishStemmer}
SNOWBALL_NAMES = {"nl": "dutch", "en": "english"}


@dataclass(frozen=True)
class SearchPage:
    """A listing page as search finds it: its Markdown path, title, a short text and the themes
    it is about."""

    path: str  # `themes/sanctions.md`
    title: str
    text: str = ""
    themes: tuple[str, ...] = ()


# Letters and digits: in Python's `re`, `[^\W_]` is exactly the Unicode categories L and N, the
# engine's `[\p{L}\p{N}]` (a test checks every code point).
_WORD = re.compile(r"[^\W_]+")


@functools.cache
def _marks(astral: bool) -> re.Pattern[str]:
    r"""Runs of combining marks (category M), the engine's `\p{M}`: within the first 65,536
    code points (a fast class), or all of them for the rare text beyond."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1 if astral else 0x10000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ) + "]+")


def fold(text: str) -> str:
    """Text as search compares it: accents dropped (NFD without combining marks), lower case."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    folded = _marks(max(decomposed) > "\uffff").sub("", decomposed).lower()
    return folded.replace("ς", "σ")  # the final sigma is a sigma


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits; anything else separates."""
    return _WORD.findall(fold(text))


def is_indexed(word: str, stop_words: frozenset[str]) -> bool:
    """Whether a folded word counts: not a stop word, not a lone letter (`s` of `auto's`)."""
    return word not in stop_words and not (len(word) == 1 and "a" <= word <= "z")


def word_stems(language: str) -> Callable[[str], str]:
    """The Snowball stem of a folded word in a language, each word stemmed once: by PyStemmer
    (Snowball's C code, fifty times faster) where it is installed, else by the pure Python
    stemmers generated from the same Snowball release. The tests hold both, and the engine's
    JavaScript, to the same stems."""
    stem_word = stemmer_function(language)
    stems: dict[str, str] = {}

    def stem(word: str) -> str:
        found = stems.get(word)
        if found is None:
            found = stems[word] = stem_word(word)
        return found

    return stem


def stemmer_function(language: str, implementation: str = "fastest") -> Callable[[str], str]:
    """Snowball's stemmer for a language: `"c"` PyStemmer, `"python"` snowballstemmer,
    `"fastest"` the C one when it is installed."""
    if implementation != "python":
        try:
            import Stemmer  # PyStemmer
        except ImportError:
            if implementation == "c":
                raise
        else:
            return Stemmer.Stemmer(SNOWBALL_NAMES[language]).stemWord
    return STEMMERS[language]().stemWord


def index_terms(text: str, language: str) -> list[str]:
    """The terms a text is indexed under (and a query searches for), in order."""
    stem = word_stems(language)
    stop_words = STOP_WORDS[language]
    return [term for term in (stem(w) for w in words(text) if is_indexed(w, stop_words)) if term]


def html_url(path: str) -> str:
    """The address of a built page, from the site root: `articles/x.md` → `articles/x.html`
    (pages are files, not folders, so that the site opens from disk)."""
    return path[:-3] + ".html" if path.endswith(".md") else path


def listing_pages(digest: Digest) -> tuple[SearchPage, ...]:
    """The site's listing pages (home, each theme, other, timeline, all articles) as search
    documents, with the titles and texts the site shows."""
    labels = load_labels(digest.language)
    pages = [SearchPage("index.md", labels["home"], f"{digest.title}. {labels['digest_intro']}")]
    pages += [SearchPage(theme_page(theme.slug), theme.title, theme.description, (theme.slug,))
              for theme in digest.themes]
    pages.append(SearchPage(theme_page(OTHER_SLUG), labels["other"],
                            labels["other_description"], (OTHER_SLUG,)))
    pages.append(SearchPage("timeline.md", labels["timeline"]))
    pages.append(SearchPage("articles/index.md", labels["all_articles"]))
    return tuple(pages)


@dataclass(frozen=True)
class _Document:
    """One search result as the index holds it."""

    url: str
    title: str
    body: str
    themes: tuple[int, ...]  # indexes into the manifest's themes
    is_article: bool = False
    date: str | None = None
    date_display: str | None = None
    source: str | None = None
    summary: str = ""


def search_files(
    digest: Digest,
    pages: Sequence[SearchPage],
    url_of: Callable[[str], str] = html_url,
    part_bytes: int = PART_BYTES,
    memo: MutableMapping[str, Any] | None = None,
    jobs: int = 1,
) -> dict[str, str]:
    """Every file of the search index: path (under `search/`) → text, the same for the same
    digest, byte for byte, with a memo or without.

    Arguments:
        pages: the listing pages, found after the articles (`listing_pages(digest)`).
        url_of: the address of a Markdown page from the site root.
        part_bytes: the size at which postings and word lists are cut into parts.
        memo: what the last build left, replaced by what this build used: per document (keyed
            by a signature of everything that shapes it) its terms, words and result, so that a
            document that did not change is not read again, and the postings of every term,
            so that only the terms of the documents that changed are made again. Plain dicts,
            tuples, strings and integers, to be kept between builds (pickled).
        jobs: the processes that read the documents the memo does not hold.
    """
    with collector_paused(keep=True):  # the memo and the index live until they are written
        return _search_files(digest, pages, url_of, part_bytes, memo, jobs)


def _search_files(
    digest: Digest,
    pages: Sequence[SearchPage],
    url_of: Callable[[str], str],
    part_bytes: int,
    memo: MutableMapping[str, Any] | None,
    jobs: int = 1,
) -> dict[str, str]:
    labels = load_labels(digest.language)
    themes = [(t.slug, t.title) for t in digest.themes] + [(OTHER_SLUG, labels["other"])]
    theme_index = {slug: i for i, (slug, _) in enumerate(themes)}
    articles = sorted(digest.articles, key=newest_first)  # newer first: a lower id is newer
    # An article's text is known by its file's cache key, when it has one (the text is what
    # its file makes): its document gets its body only to be read.
    sources = [a.analyzed.fingerprint for a in articles]
    documents = [_article_document(a, digest.language, theme_index, url_of, with_body=not file)
                 for a, file in zip(articles, sources, strict=True)]
    documents += [_page_document(page, theme_index, url_of) for page in pages]
    sources += [""] * len(pages)

    def whole(doc_id: int) -> _Document:
        if not sources[doc_id]:
            return documents[doc_id]
        return replace(documents[doc_id], body=articles[doc_id].article.text)

    salt = _memo_salt(digest.language)
    keys = [_signature(document, salt, file)
            for document, file in zip(documents, sources, strict=True)]
    previous = _Previous.of(memo, salt.hex())
    term_of = _TermOf(digest.language)
    kept = [previous.documents.get(key) for key in keys]
    # The documents the memo does not hold are read, by `jobs` forked processes when many.
    unread = [doc_id for doc_id, entry in enumerate(kept) if entry is None]
    made = dict(zip(unread, fork_map(lambda doc_id: _document_entry(whole(doc_id), term_of),
                                     unread, jobs), strict=True))
    entries = [made[doc_id][0] if entry is None else entry for doc_id, entry in enumerate(kept)]
    # Per document read by this build, its terms' codes.
    read: dict[int, dict[str, str]] = {doc_id: codes for doc_id, (_, codes) in made.items()}
    index = _Index.update(previous, keys, entries, read, term_of)
    if memo is not None:
        memo.clear()
        memo.update(salt=salt.hex(), documents=dict(zip(keys, entries, strict=True)),
                    order=tuple(keys), postings=index.postings, word_counts=index.word_counts,
                    word_terms=index.word_terms, word_entries=index.word_entries)

    lengths = [entry[1] for entry in entries]
    other = theme_index[OTHER_SLUG]
    # An article in no theme is in `other`, the last theme: a filter like the others.
    document_themes = [d.themes or ((other,) if d.is_article else ()) for d in documents]
    files: dict[str, str] = {}
    parts = {
        "terms": _write_parts("terms", index.postings_entries(), part_bytes, files),
        "words": _write_parts("words", index.words_entries(), part_bytes, files),
        "meta": _write_meta(lengths, document_themes, part_bytes, files),
    }
    for doc_id, entry in enumerate(entries):
        files[_path(f"docs/{doc_id}")] = _script_text(f"docs/{doc_id}", entry[0])
    version = hashlib.sha256()
    for path, text in sorted(files.items()):
        version.update(f"{path}\n{text}\n".encode())
    manifest = {
        "version": version.hexdigest()[:12],
        "language": digest.language,
        "stopWords": sorted(STOP_WORDS[digest.language]),
        "documents": len(documents),
        "articles": len(articles),
        "averageLength": round(sum(lengths) / max(1, len(documents)), 3),
        "titleWeight": TITLE_WEIGHT,
        "bm25": {"k1": BM25_K1, "b": BM25_B},
        "prefix": {"expansions": PREFIX_EXPANSIONS, "minChars": PREFIX_MIN_CHARS},
        "themes": [list(theme) for theme in themes],
        "years": _year_ranges(articles),
        "parts": parts,
    }
    files[_path("manifest")] = _script("manifest", manifest)
    return dict(sorted(files.items()))


def _article_document(
    item: DigestArticle, language: str, theme_index: dict[str, int], url_of: Callable[[str], str],
    with_body: bool = True,
) -> _Document:
    article = item.article
    return _Document(
        url=url_of(article_page(item.slug)),
        title=article.title,
        body=article.text if with_body else "",
        themes=tuple(theme_index[m.slug] for m in item.themes if m.slug in theme_index),
        is_article=True,
        date=article.date.iso if article.date else None,
        date_display=article.date.display(language) if article.date else None,
        source=article.source,
        summary=" ".join(sentence.text for sentence in item.summary),
    )


def _page_document(
    page: SearchPage, theme_index: dict[str, int], url_of: Callable[[str], str]
) -> _Document:
    return _Document(url=url_of(page.path), title=page.title, body=page.text,
                     themes=tuple(theme_index[s] for s in page.themes if s in theme_index))


def _document_data(document: _Document) -> dict:
    """What a result shows, the text clipped for the snippet."""
    return {
        "url": document.url,
        "title": _clean_text(document.title),
        "date": document.date,
        "dateDisplay": document.date_display,
        "source": _clean_text(document.source) if document.source else None,
        "themes": list(document.themes),
        "summary": _clean_text(document.summary),
        "text": _clean_text(document.body[:TEXT_CHARS]),
    }


# What the index takes from one document, kept in the memo between builds: its result as JSON,
# its length (indexed words, title words counted TITLE_WEIGHT times), its terms and their codes
# (code = 4 × body count + min(title count, 3)), and its indexed folded words; the last three
# as space-separated values (a word or a term is letters and digits only).
_Entry = tuple[str, int, str, str, str]
# A term's postings as its index entry gives them (`[doc id, code, step, code, …]`), with the
# first and the last document id and the number of documents.
_Postings = tuple[str, int, int, int]
Value = TypeVar("Value")


class _TermOf(dict[str, str]):
    """Folded word → its term, "" for a word not indexed; each word stemmed once."""

    def __init__(self, language: str):
        super().__init__()
        self.stem = stemmer_function(language)
        self.stop_words = STOP_WORDS[language]

    def __missing__(self, word: str) -> str:
        term = self[word] = self.stem(word) if is_indexed(word, self.stop_words) else ""
        return term


def _document_entry(document: _Document, term_of: _TermOf) -> tuple[_Entry, dict[str, str]]:
    """A document read: its words folded, split and stemmed, its result as JSON; and its terms'
    codes."""
    title = words(document.title)
    body = words(document.body)
    in_title = Counter(map(term_of.__getitem__, title))
    in_body = Counter(map(term_of.__getitem__, body))
    in_title.pop("", None)
    in_body.pop("", None)
    codes = {}
    for term, count in in_body.items():
        title_count = in_title.get(term, 0)
        codes[term] = str(4 * count + (title_count if title_count < 3 else 3))
    for term, title_count in in_title.items():
        if term not in codes:
            codes[term] = str(title_count if title_count < 3 else 3)
    # Each indexed word once, in the order it first comes.
    indexed = filter(term_of.__getitem__, dict.fromkeys(chain(title, body)))
    entry = (_json(_document_data(document)), TITLE_WEIGHT * in_title.total() + in_body.total(),
             " ".join(codes), " ".join(codes.values()), " ".join(indexed))
    return entry, codes


# Bump when the memo's layout changes without a change to this file (never so far).
MEMO_FORMAT = b"news-digest search memo 1\n"


@functools.cache
def _memo_salt(language: str) -> bytes:
    """What shapes every document's entry besides the document: the language, this module's
    code and the stemmers' versions. A memo made with another is not used."""
    salt = hashlib.blake2b(MEMO_FORMAT + language.encode(), digest_size=16)
    salt.update(Path(__file__).read_bytes())
    for package in ("snowballstemmer", "PyStemmer"):
        try:
            salt.update(f"\n{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            salt.update(f"\n{package} -".encode())
    return salt.digest()


def _signature(document: _Document, salt: bytes, file: str = "") -> str:
    """The memo's key of a document: a hash of every field that shapes its entry; the body
    by the cache key of the `file` it comes from, when given, instead of its text."""
    signature = hashlib.blake2b(salt, digest_size=16)
    fields = (document.url, document.title, document.themes, document.is_article,
              document.date, document.date_display, document.source, document.summary,
              f"file {file}" if file else len(document.body))
    signature.update(repr(fields).encode("utf-8", "surrogatepass"))
    if not file:
        signature.update(document.body.encode("utf-8", "surrogatepass"))
    return signature.hexdigest()


@dataclass(frozen=True)
class _Previous:
    """What the last build left in the memo: every document's entry by key, the keys in the
    order of their ids, and the index they made."""

    documents: dict[str, _Entry]
    order: tuple[str, ...]
    postings: dict[str, _Postings]
    word_counts: dict[str, int]
    word_terms: dict[str, str]
    word_entries: dict[str, str]

    @classmethod
    def of(cls, memo: MutableMapping[str, Any] | None, salt: str) -> _Previous:
        if memo is None or memo.get("salt") != salt:
            return cls.nothing()
        return cls(memo["documents"], memo["order"], memo["postings"], memo["word_counts"],
                   memo["word_terms"], memo["word_entries"])

    @classmethod
    def nothing(cls) -> _Previous:
        return cls({}, (), {}, {}, {}, {})


@dataclass(frozen=True)
class _Moves:
    """How document ids changed since the last build."""

    new_ids: list[int]  # per old id, its new id; -1 for a document gone
    added: list[int]  # the new ids of documents that were not there
    gone: list[int]  # the old ids of documents no longer there
    # The old ids where the documents that stay stop moving alike: each the first document
    # after others came or went, whose id moves by another step than the one before it.
    boundaries: list[int]
    still: bool  # whether every document that stays keeps its id

    @classmethod
    def between(cls, old_order: Sequence[str], keys: Sequence[str]) -> _Moves | None:
        """The moves from one order of documents to the next; None when documents that stay
        changed places (they never do: the order is by what their keys are made of)."""
        old_ids = {key: old_id for old_id, key in enumerate(old_order)}
        if len(old_ids) != len(old_order):
            return None
        new_ids = [-1] * len(old_order)
        added: list[int] = []
        last = -1
        for new_id, key in enumerate(keys):
            old_id = old_ids.get(key, -1)
            if old_id < 0 or new_ids[old_id] >= 0:  # new, or a second copy of a document
                added.append(new_id)
            elif old_id < last:
                return None
            else:
                new_ids[old_id] = new_id
                last = old_id
        gone = []
        boundaries = []
        step_before = None
        for old_id, new_id in enumerate(new_ids):
            if new_id < 0:
                gone.append(old_id)
                continue
            if step_before is not None and new_id - old_id != step_before:
                boundaries.append(old_id)
            step_before = new_id - old_id
        return cls(new_ids, added, gone, boundaries, not boundaries and not step_before)


@dataclass
class _Index:
    """Postings and words of every document: the last build's index with the changes made,
    or from nothing (every document added)."""

    # Each in the engine's order: term → postings; indexed folded word → how many documents
    # have it, its term, its entry in the word list.
    postings: dict[str, _Postings]
    word_counts: dict[str, int]
    word_terms: dict[str, str]
    word_entries: dict[str, str]

    @classmethod
    def update(
        cls, previous: _Previous, keys: Sequence[str], entries: Sequence[_Entry],
        read: dict[int, dict[str, str]], term_of: _TermOf,
    ) -> _Index:
        """The index of the documents with these keys and entries, from the last one; `read`:
        the codes of the terms of the documents read by this build, by id (those not read
        have them in their entries)."""
        moves = _Moves.between(previous.order, keys)
        gone = [] if moves is None else [previous.documents.get(previous.order[old_id])
                                         for old_id in moves.gone]
        if moves is None or None in gone:
            moves, gone = _Moves.between((), keys), []
            previous = _Previous.nothing()
        assert moves is not None
        gone_entries = [entry for entry in gone if entry is not None]

        # The postings of the added documents, per term, in the order of their ids:
        # `[doc id, code, doc id, code, …]`.
        added: dict[str, list[int | str]] = {}
        for new_id in moves.added:
            codes = read.get(new_id)
            _, _, terms, term_codes, _ = entries[new_id]
            for term, code in (zip(terms.split(), term_codes.split(), strict=True)
                               if codes is None else codes.items()):
                found = added.get(term)
                if found is None:
                    added[term] = [new_id, code]
                else:
                    found += (new_id, code)
        changed = set(added)
        for entry in gone_entries:
            changed.update(entry[2].split())

        # Every term where it was (those of added and gone documents made again below),
        # new ones after them.
        if moves.still:
            postings = dict(previous.postings)
        else:
            postings = {term: before if term in changed else _moved(before, moves)
                        for term, before in previous.postings.items()}
        for term in changed:
            remade = _remade(previous.postings.get(term), added.get(term), moves)
            if remade is None:
                del postings[term]
            else:
                postings[term] = remade

        # The same for the words, and their entries, which change with the number of
        # documents of their term.
        word_counts = dict(previous.word_counts)
        vanished = set()
        for entry in gone_entries:
            for word in entry[4].split():
                word_counts[word] -= 1
                if not word_counts[word]:
                    vanished.add(word)
        added_words = Counter[str]()
        for new_id in moves.added:
            added_words.update(entries[new_id][4].split())
        for word, count in added_words.items():
            word_counts[word] = word_counts.get(word, 0) + count
        vanished = {word for word in vanished if not word_counts[word]}
        word_terms = dict(previous.word_terms)
        word_entries = dict(previous.word_entries)
        for word in vanished:
            del word_counts[word], word_terms[word], word_entries[word]
        for word in added_words:
            if word not in word_terms:
                word_terms[word] = term_of[word]
        for word, term in word_terms.items() if changed else ():
            if term in changed:
                word_entries[word] = _word_entry(word, term, postings[term][3])

        new_terms = {term for term in changed if term in postings} - previous.postings.keys()
        new_words = added_words.keys() - previous.word_counts.keys()
        word_counts = _in_order(word_counts, new_words)
        if new_words:
            word_terms = {word: word_terms[word] for word in word_counts}
            word_entries = {word: word_entries[word] for word in word_counts}
        return cls(_in_order(postings, new_terms), word_counts, word_terms, word_entries)

    def postings_entries(self) -> list[tuple[str, str]]:
        """Per term, its postings with each document id given as the step from the one
        before: `[3, 5, 12, 4]` is documents 3 and 15."""
        return [(term, postings[0]) for term, postings in self.postings.items()]

    def words_entries(self) -> list[tuple[str, str]]:
        """Per indexed folded word, its term and the term's document count."""
        return list(self.word_entries.items())


def _word_entry(word: str, term: str, documents: int) -> str:
    """A word's entry in the word list: `"stoltenberg",0,12`, the word, its term and the number
    of documents of the term, where the term is given as a length when it is the word's start
    (0: the word itself)."""
    short = 0 if term == word else len(term) if word.startswith(term) else f'"{term}"'
    # Letters and digits only: nothing in a word needs escaping in JSON.
    return f'"{word}",{short},{documents}'


def _in_order(entries: dict[str, Value], new: Collection[str]) -> dict[str, Value]:
    """Entries in the engine's order, where all but the `new` keys are in that order already:
    a few new ones are put in their places, many are sorted with the rest."""
    if not new:
        return entries
    if len(new) > len(entries) // 8:
        keys = _sorted_keys(entries)
    else:
        keys = [key for key in entries if key not in new]
        for key in new:
            bisect.insort(keys, key, key=_utf16)
    return {key: entries[key] for key in keys}


def _moved(postings: _Postings, moves: _Moves) -> _Postings:
    """A term's postings where none of its documents came or went, with the ids they have
    now: only the first id, and the steps across a boundary, are written anew."""
    text, first, last, count = postings
    first_id, last_id = moves.new_ids[first], moves.new_ids[last]
    start = bisect.bisect_right(moves.boundaries, first)
    end = bisect.bisect_right(moves.boundaries, last)
    if start == end:  # every id moves alike
        if first_id == first:
            return postings
        return (f"[{first_id}{text[text.index(','):]}", first_id, last_id, count)
    numbers = text[1:-1].split(",")
    ids = list(accumulate(map(int, numbers[0::2])))
    numbers[0] = str(first_id)
    for boundary in moves.boundaries[start:end]:
        at = bisect.bisect_left(ids, boundary)  # the step from the document before it
        numbers[2 * at] = str(moves.new_ids[ids[at]] - moves.new_ids[ids[at - 1]])
    return ("[" + ",".join(numbers) + "]", first_id, last_id, count)


def _remade(
    before: _Postings | None, added: list[int | str] | None, moves: _Moves
) -> _Postings | None:
    """A term's postings where documents that have it came or went (None: it has none)."""
    ids: list[int] = []
    codes: list[str] = []
    if before is not None:
        old_ids, codes = _decode(before[0])
        ids = list(map(moves.new_ids.__getitem__, old_ids))
        if -1 in ids:
            stay = [new_id >= 0 for new_id in ids]
            ids, codes = list(compress(ids, stay)), list(compress(codes, stay))
    if added is not None:
        new_ids = cast(list[int], added[0::2])
        new_codes = cast(list[str], added[1::2])
        if ids and ids[-1] > new_ids[0]:
            ordered = sorted(zip(ids + new_ids, codes + new_codes, strict=True))
            ids, codes = [doc_id for doc_id, _ in ordered], [code for _, code in ordered]
        else:
            ids, codes = ids + new_ids, codes + new_codes
    return _encoded(ids, codes) if ids else None


def _encoded(ids: list[int], codes: list[str]) -> _Postings:
    """Postings from the document ids (in order) and their codes."""
    numbers = [""] * (2 * len(ids))
    numbers[0::2] = map(str, [ids[0], *map(operator.sub, ids[1:], ids)])
    numbers[1::2] = codes
    return ("[" + ",".join(numbers) + "]", ids[0], ids[-1], len(ids))


def _decode(text: str) -> tuple[list[int], list[str]]:
    """The document ids and codes of postings as written."""
    numbers = text[1:-1].split(",")
    return list(accumulate(map(int, numbers[0::2]))), numbers[1::2]


def _write_parts(
    kind: str, entries: list[tuple[str, str]], part_bytes: int, files: dict[str, str]
) -> list[str]:
    """Sorted entries cut into part files of at most `part_bytes` (a single larger entry makes a
    part of its own); for the manifest's table, the key where each part starts."""
    keyed = kind != "words"  # a word part is a list scanned for a prefix, the others objects
    first_keys: list[str] = []
    before = ""
    for number, group in enumerate(_cut(entries, part_bytes, kind, keyed)):
        name = _part_name(kind, number)
        if keyed:
            body = "{" + ",".join(f"{_json_key(key)}:{value}" for key, value in group) + "}"
        else:
            body = "[" + ",".join(value for _, value in group) + "]"
        files[_path(name)] = _script_text(name, body)
        first_keys.append(_separator(before, group[0][0]) if number else "")
        before = group[-1][0]
    return first_keys


def _write_meta(
    lengths: Sequence[int], themes: Sequence[tuple[int, ...]], part_bytes: int,
    files: dict[str, str],
) -> list[int]:
    """Per document, its length and its themes as a bit mask, in parts of consecutive ids:
    `{"first": 0, "docs": [length, mask, length, mask, …]}`; the first id of each part."""
    entries = [(doc_id, f"{length},{_theme_mask(document_themes)}")
               for doc_id, (length, document_themes) in enumerate(zip(lengths, themes,
                                                                      strict=True))]
    first_ids = []
    for number, group in enumerate(_cut(entries, part_bytes, "meta", keyed=False)):
        name = _part_name("meta", number)
        body = f'{{"first":{group[0][0]},"docs":[{",".join(value for _, value in group)}]}}'
        files[_path(name)] = _script_text(name, body)
        first_ids.append(group[0][0])
    return first_ids


def _theme_mask(themes: Iterable[int]) -> str:
    """Themes as one number, bit i for theme i; past 30 themes, a list of 30-bit numbers."""
    mask = sum(1 << i for i in set(themes))
    if mask < 1 << 30:
        return str(mask)
    chunks = []
    while mask:
        chunks.append(mask & ((1 << 30) - 1))
        mask >>= 30
    return _json(chunks)


def _cut(
    entries: Sequence[tuple], part_bytes: int, kind: str, keyed: bool
) -> list[Sequence[tuple]]:
    """Consecutive groups of entries whose script stays within `part_bytes`: an entry takes
    its value and a comma, and its key (`"key":`) when the part is an object."""
    budget = part_bytes - len(_script_text(_part_name(kind, 99999), "{}").encode()) - 32
    # The bytes before each entry; a group takes entries while they fit, and at least one.
    ends = list(accumulate(
        (len(value.encode()) + (len(str(key).encode()) + 4 if keyed else 1)
         for key, value in entries), initial=0))
    groups = []
    start = 0
    while start < len(entries):
        end = max(start + 1, bisect.bisect_right(ends, ends[start] + budget) - 1)
        groups.append(entries[start:end])
        start = end
    return groups


def _year_ranges(articles: Sequence[DigestArticle]) -> list[list[int]]:
    """`[year, first id, end id]` per year, newest first: articles are numbered newest first,
    so each year is one run of ids (undated articles come last, in none)."""
    ranges: list[list[int]] = []
    for doc_id, item in enumerate(articles):
        date = item.article.date
        if date is None:
            break
        if ranges and ranges[-1][0] == date.year:
            ranges[-1][2] = doc_id + 1
        else:
            ranges.append([date.year, doc_id, doc_id + 1])
    return ranges


def _sorted_keys(keys: Iterable[str]) -> list[str]:
    """Keys in the order the engine compares strings (UTF-16 code units)."""
    return sorted(keys, key=_utf16)


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")


def _separator(before: str, first: str) -> str:
    """The shortest start of `first` that sorts after `before`: it still tells the parts apart
    in the manifest's table, in fewer bytes."""
    for end in range(1, len(first)):
        if _utf16(first[:end]) > _utf16(before):
            return first[:end]
    return first


def _part_name(kind: str, number: int) -> str:
    return f"{kind}/{number:03d}"


def _path(name: str) -> str:
    return f"{SEARCH_FOLDER}/{name}.js"


def _script(name: str, data: object) -> str:
    return _script_text(name, _json(data))


def _script_text(name: str, body: str) -> str:
    return f"DigestSearch._receive({_json(name)},{body});\n"


def _numbers(values: list) -> str:
    """A list of numbers (or of lists of numbers) as compact JSON."""
    return str(values).replace(" ", "")


def _json_key(key: str) -> str:
    """A key as JSON: a term is letters and digits, which need no escaping (and no encoder)."""
    return f'"{key}"' if key.isalnum() else _json(key)


def _json(value: object) -> str:
    """Compact JSON that is also a JavaScript literal (line and paragraph separators escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_SURROGATES = re.compile("[\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """Text as it can be written to a UTF-8 file (a byte that was not UTF-8 becomes U+FFFD)."""
    return _SURROGATES.sub("\ufffd", text)
