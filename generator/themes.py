"""Load and validate `themes.yml`: the themes a user defines, with the vocabulary that signals each.

A vocabulary term is matched on lemmas, word by word, never on raw substrings:

    diplomaat|ambassadeur + uitwijzen|uitzetten    all `+` parts in one sentence,
                                                   any `|` alternative for each part
    persona non grata                              words in a row
    sanctie*                                       a lemma that starts with `sanctie`

A theme's optional `exclude` terms, per language, are negative cues: a sentence that matches one
of them is no evidence for the theme (`asielzoeker` cancels `uitzetten` in that sentence). Its
optional `support` terms are cues that back up evidence but are none by themselves: a container
`onderschept` on its way to North Korea says sanctions only in an article that names the ban.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import DigestError
from .model import Problem, Theme

THEME_KEYS = ("slug", "title", "description", "vocabulary", "exclude", "support", "threshold")
REQUIRED_KEYS = ("slug", "title", "vocabulary")
LANGUAGES = ("nl", "en")
DEFAULT_THRESHOLD = 0.5
OTHER_SLUG = "other"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"^[^\W_](?:[\w'-]*[^\W_])?\*?$")


@dataclass(frozen=True)
class Term:
    """A compiled vocabulary term: parts that must all match, each with its alternatives."""

    text: str
    parts: tuple[tuple[tuple[str, ...], ...], ...]  # part → alternative → words


def parse_term(text: str) -> Term:
    """Compile `a|b + c d`; raise ValueError saying what is malformed."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a term must be non-empty text")
    parts = []
    for part in text.split("+"):
        alternatives = []
        for alternative in part.split("|"):
            words = tuple(alternative.lower().split())
            if not words:
                raise ValueError(f"term '{text}' has an empty part around '+' or '|'")
            for word in words:
                if not _WORD.match(word):
                    raise ValueError(
                        f"term '{text}': '{word}' is not a word (letters, digits, '-' and "
                        "a final '*' only)"
                    )
            alternatives.append(words)
        parts.append(tuple(alternatives))
    return Term(text=text.strip(), parts=tuple(parts))


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of each mapping key and list item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise DigestError("", "a key must be text, not a list or mapping",
                              key_node.start_mark.line + 1)
        if key in mapping:
            raise DigestError("", f"key '{key}' appears twice", key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


class LineDict(dict):
    """A YAML mapping that knows the line of each of its keys."""

    line = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict = {}


class LineList(list):
    """A YAML list that knows the line of each of its items."""

    lines: list[int] = []


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_themes(path: Path, language: str = "nl") -> tuple[Theme, ...]:
    """Read and validate the themes file; any problem raises DigestError with file and line."""
    return parse_themes(_read_document(path), path.as_posix(), language)


# Why a term can never match, or None: given the term and its language (see
# `classify.unmatchable`, which needs the language pipelines).
TermCheck = Callable[[str, str], "str | None"]


def theme_warnings(
    path: Path, language: str = "nl", unmatchable: TermCheck | None = None
) -> tuple[Problem, ...]:
    """What is wrong with a valid themes file without stopping a build: a title or description
    with no text in the site's language, and (with `unmatchable`) a term that can never match.
    A file that is not valid gives none: loading it says what is wrong."""
    shown = path.as_posix()
    try:
        document = _read_document(path)
        parse_themes(document, shown, language)
    except DigestError:
        return ()
    warnings = []
    if not isinstance(document, dict):  # parse_themes accepted it: it is one
        return ()
    for entry in document["themes"]:
        slug = entry["slug"]
        for key in ("title", "description"):
            value = entry.get(key)
            if isinstance(value, dict) and not _has_text(value.get(language)):
                shown_instead = next(lang for lang in LANGUAGES if _has_text(value.get(lang)))
                warnings.append(Problem(shown, (
                    f"line {entry.lines[key]}: the {key} of '{slug}' has no text in "
                    f"'{language}', the site's language; the '{shown_instead}' one is shown"),
                    skipped=False))
        if unmatchable is None:
            continue
        for key in ("vocabulary", "exclude", "support"):
            for lang, items in entry.get(key, {}).items():
                for item, line in zip(items, items.lines, strict=True):
                    reason = unmatchable(str(item).strip(), lang)
                    if reason:
                        warnings.append(Problem(shown, (
                            f"line {line}: term '{str(item).strip()}' of '{slug}' ({key}, "
                            f"{lang}) can never match: {reason}"), skipped=False))
    return tuple(warnings)


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _read_document(path: Path) -> object:
    """The themes file as loaded YAML, each mapping and list knowing its lines."""
    shown = path.as_posix()
    if not path.is_file():
        raise DigestError(shown, "the themes file does not exist", what="in themes file")
    try:
        document = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LineLoader)  # noqa: S506
    except DigestError as error:
        raise DigestError(shown, error.reason, error.line, what="in themes file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DigestError(
            shown, f"not valid YAML ({getattr(error, 'problem', error)})",
            mark.line + 1 if mark else None, what="in themes file",
        ) from None
    except UnicodeDecodeError:
        raise DigestError(shown, "not UTF-8 text", what="in themes file") from None
    except RecursionError:
        raise DigestError(shown, "lists or mappings nested too deeply",
                          what="in themes file") from None
    return document


def parse_themes(document: object, shown: str, language: str = "nl") -> tuple[Theme, ...]:
    """Check the loaded YAML against the schema and build the themes."""

    def fail(reason: str, line: int | None) -> DigestError:
        return DigestError(shown, reason, line, what="in themes file")

    if not isinstance(document, LineDict) or "themes" not in document:
        raise fail("the file must have a top-level 'themes:' list", 1)
    unknown = [key for key in document if key != "themes"]
    if unknown:
        raise fail(f"unknown top-level key '{unknown[0]}' (only 'themes')",
                   document.lines.get(unknown[0]))
    entries = document["themes"]
    if not isinstance(entries, LineList) or not entries:
        raise fail("'themes' must be a non-empty list", document.lines.get("themes"))
    themes: list[Theme] = []
    lines: dict[str, int] = {}
    for position, entry in enumerate(entries):
        line = entries.lines[position]
        if not isinstance(entry, LineDict):
            raise fail("each theme must be a mapping with slug, title and vocabulary", line)
        theme = _parse_theme(entry, line, language, fail)
        if theme.slug in lines:
            raise fail(
                f"duplicate slug '{theme.slug}' (first defined on line {lines[theme.slug]})",
                entry.lines["slug"],
            )
        lines[theme.slug] = entry.lines["slug"]
        themes.append(theme)
    return tuple(themes)


def _parse_theme(entry: LineDict, line: int, language: str, fail) -> Theme:
    for key in entry:
        if key not in THEME_KEYS:
            raise fail(
                f"unknown key '{key}' (known: {', '.join(THEME_KEYS)})", entry.lines.get(key)
            )
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise fail(f"theme is missing '{key}'", line)
    slug = entry["slug"]
    if not isinstance(slug, str) or not _SLUG.match(slug) or slug == OTHER_SLUG:
        raise fail(
            f"slug '{slug}' must be lower-case letters, digits and '-'"
            + (f" and not '{OTHER_SLUG}'" if slug == OTHER_SLUG else ""),
            entry.lines["slug"],
        )
    title = _localized(entry, "title", language, fail)
    description = _localized(entry, "description", language, fail) if "description" in entry \
        else ""
    threshold = entry.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
        raise fail(f"threshold '{threshold}' must be a number above 0",
                   entry.lines.get("threshold"))
    terms = _terms(entry, "vocabulary", slug, fail)
    exclude = _terms(entry, "exclude", slug, fail) if "exclude" in entry else {}
    support = _terms(entry, "support", slug, fail) if "support" in entry else {}
    return Theme(slug=slug, title=title, description=description, vocabulary=terms,
                 threshold=float(threshold), exclude=exclude, support=support)


def _terms(entry: LineDict, key: str, slug: str, fail) -> dict[str, tuple[str, ...]]:
    """The `vocabulary`, `exclude` or `support` of a theme: per language, a non-empty list of
    terms."""
    value = entry[key]
    if not isinstance(value, LineDict) or not value:
        raise fail(
            f"{key} of '{slug}' must map a language ({', '.join(LANGUAGES)}) to a list "
            "of terms", entry.lines[key],
        )
    terms: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        if lang not in LANGUAGES:
            raise fail(f"{key} language '{lang}' is not one of {', '.join(LANGUAGES)}",
                       value.lines[lang])
        if not isinstance(items, LineList) or not items:
            raise fail(f"{key} '{lang}' of '{slug}' is empty", value.lines[lang])
        for item, item_line in zip(items, items.lines, strict=True):
            try:
                parse_term(item)
            except ValueError as error:
                raise fail(str(error), item_line) from None
        terms[lang] = tuple(str(item).strip() for item in items)
    return terms


def _localized(entry: LineDict, key: str, language: str, fail) -> str:
    """A text, or a mapping of language to text from which the site's language is taken."""
    value = entry[key]
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and value:
        for lang in (language, *LANGUAGES):
            if isinstance(value.get(lang), str) and value[lang].strip():
                return value[lang].strip()
    raise fail(f"'{key}' must be text, or a mapping of language to text",
               entry.lines.get(key))
