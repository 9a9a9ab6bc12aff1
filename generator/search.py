"""The search index: the digest as static files that the search engine in the browser loads
part by part, from `file://` as from a server (docs/search.md: the format, the ranking, why).

Every file is a classic script that hands its data to the engine
(`DigestSearch._receive("terms/012", {...})`), so no page needs fetch, modules or WebAssembly.
A page loads only the manifest; a query loads the parts that hold its words, the ranking data
of the documents it matches and the texts of the results it shows.

Words are folded (NFD, combining marks dropped, lower case), split on anything that is not a
letter or a digit, and stemmed with Snowball in the site's language: exactly as
`theme/overrides/assets/javascripts/search-engine.js` does it with the same Snowball release.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import operator
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from snowballstemmer.dutch_stemmer import DutchStemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from .digest import newest_first
from .model import Digest, DigestArticle
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
) -> dict[str, str]:
    """Every file of the search index: path (under `search/`) → text, the same for the same
    digest, byte for byte.

    Arguments:
        pages: the listing pages, found after the articles (`listing_pages(digest)`).
        url_of: the address of a Markdown page from the site root.
        part_bytes: the size at which postings and word lists are cut into parts.
    """
    with _collector_paused():
        return _search_files(digest, pages, url_of, part_bytes)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the index is built: it makes hundreds of
    thousands of lists that hold no cycles, and each collection would walk the whole digest
    (a third of the build time of the index)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _search_files(
    digest: Digest, pages: Sequence[SearchPage], url_of: Callable[[str], str], part_bytes: int
) -> dict[str, str]:
    labels = load_labels(digest.language)
    themes = [(t.slug, t.title) for t in digest.themes] + [(OTHER_SLUG, labels["other"])]
    theme_index = {slug: i for i, (slug, _) in enumerate(themes)}
    articles = sorted(digest.articles, key=newest_first)  # newer first: a lower id is newer
    documents = [_article_document(a, digest.language, theme_index, url_of) for a in articles]
    documents += [_page_document(page, theme_index, url_of) for page in pages]
    index = _Index.of(documents, digest.language, theme_index[OTHER_SLUG])

    files: dict[str, str] = {}
    parts = {
        "terms": _write_parts("terms", index.postings_entries(), part_bytes, files),
        "words": _write_parts("words", index.words_entries(), part_bytes, files),
        "meta": _write_meta(index, part_bytes, files),
    }
    for doc_id, document in enumerate(documents):
        files[_path(f"docs/{doc_id}")] = _script(f"docs/{doc_id}", _document_data(document))
    version = hashlib.sha256(
        "".join(f"{path}\n{text}\n" for path, text in sorted(files.items())).encode()
    ).hexdigest()[:12]
    manifest = {
        "version": version,
        "language": digest.language,
        "stopWords": sorted(STOP_WORDS[digest.language]),
        "documents": len(documents),
        "articles": len(articles),
        "averageLength": round(sum(index.lengths) / max(1, len(documents)), 3),
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
    item: DigestArticle, language: str, theme_index: dict[str, int], url_of: Callable[[str], str]
) -> _Document:
    article = item.article
    return _Document(
        url=url_of(article_page(item.slug)),
        title=article.title,
        body=article.text,
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


@dataclass
class _Index:
    """Postings and words of every document, collected in one pass."""

    # term → [doc id, code, doc id, code, …]; code = 4 × body count + min(title count, 3)
    postings: dict[str, list[int]]
    word_terms: dict[str, str]  # folded word → its term, "" for a word not indexed
    lengths: list[int]  # per document: indexed words, title words counted TITLE_WEIGHT times
    themes: list[tuple[int, ...]]

    @classmethod
    def of(cls, documents: Sequence[_Document], language: str, other_theme: int) -> _Index:
        stem = word_stems(language)
        stop_words = STOP_WORDS[language]
        index = cls({}, {}, [], [])
        postings = index.postings
        term_of = index.word_terms
        for doc_id, document in enumerate(documents):
            title = words(document.title)
            body = words(document.body)
            for word in set(title).union(body).difference(term_of):
                term_of[word] = stem(word) if is_indexed(word, stop_words) else ""
            in_title = Counter(map(term_of.__getitem__, title))
            in_body = Counter(map(term_of.__getitem__, body))
            in_title.pop("", None)
            in_body.pop("", None)
            for term, count in in_body.items():
                title_count = in_title.get(term, 0)
                code = 4 * count + (title_count if title_count < 3 else 3)
                flat = postings.get(term)
                if flat is None:
                    postings[term] = [doc_id, code]
                else:
                    flat += (doc_id, code)
            for term, title_count in in_title.items():
                if term not in in_body:
                    code = title_count if title_count < 3 else 3
                    flat = postings.get(term)
                    if flat is None:
                        postings[term] = [doc_id, code]
                    else:
                        flat += (doc_id, code)
            index.lengths.append(TITLE_WEIGHT * in_title.total() + in_body.total())
            # An article in no theme is in `other`, the last theme: a filter like the others.
            index.themes.append(document.themes or ((other_theme,) if document.is_article else ()))
        return index

    def postings_entries(self) -> list[tuple[str, str]]:
        """Per term, its postings with each document id given as the step from the one
        before: `[3, 5, 12, 4]` is documents 3 and 15."""
        entries = []
        for term in _sorted_keys(self.postings):
            flat = self.postings[term]
            ids = flat[0::2]
            steps = flat[:]
            steps[2::2] = map(operator.sub, ids[1:], ids)
            entries.append((term, _numbers(steps)))
        return entries

    def words_entries(self) -> list[tuple[str, str]]:
        """Per indexed folded word, its term and the term's document count:
        `"stoltenberg",0,12`, where the term is given as a length when it is the word's start
        (0: the word itself)."""
        entries = []
        for word in _sorted_keys(self.word_terms):
            term = self.word_terms[word]
            if not term:
                continue
            short = (0 if term == word else len(term) if word.startswith(term)
                     else f'"{term}"')
            # Letters and digits only: nothing in a word needs escaping in JSON.
            entries.append((word, f'"{word}",{short},{len(self.postings[term]) // 2}'))
        return entries


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
            body = "{" + ",".join(f"{_json(key)}:{value}" for key, value in group) + "}"
        else:
            body = "[" + ",".join(value for _, value in group) + "]"
        files[_path(name)] = _script_text(name, body)
        first_keys.append(_separator(before, group[0][0]) if number else "")
        before = group[-1][0]
    return first_keys


def _write_meta(index: _Index, part_bytes: int, files: dict[str, str]) -> list[int]:
    """Per document, its length and its themes as a bit mask, in parts of consecutive ids:
    `{"first": 0, "docs": [length, mask, length, mask, …]}`; the first id of each part."""
    entries = [(doc_id, f"{length},{_theme_mask(themes)}")
               for doc_id, (length, themes) in enumerate(zip(index.lengths, index.themes,
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
) -> list[list[tuple]]:
    """Consecutive groups of entries whose script stays within `part_bytes`: an entry takes
    its value and a comma, and its key (`"key":`) when the part is an object."""
    budget = part_bytes - len(_script_text(_part_name(kind, 99999), "{}").encode()) - 32
    groups: list[list[tuple]] = []
    size = 0
    for key, value in entries:
        entry_bytes = _bytes(value) + (_bytes(str(key)) + 4 if keyed else 1)
        if groups and size + entry_bytes <= budget:
            groups[-1].append((key, value))
            size += entry_bytes
        else:
            groups.append([(key, value)])
            size = entry_bytes
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


def _bytes(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


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


def _json(value: object) -> str:
    """Compact JSON that is also a JavaScript literal (line and paragraph separators escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_SURROGATES = re.compile("[\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """Text as it can be written to a UTF-8 file (a byte that was not UTF-8 becomes U+FFFD)."""
    return _SURROGATES.sub("\ufffd", text)
