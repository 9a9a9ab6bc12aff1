"""Read article files: find them, decode their bytes, parse their front matter."""

from __future__ import annotations

import calendar
import codecs
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath

import yaml

from .errors import DigestError
from .model import FrontMatter, PublishedDate, SourceFile, printable

ARTICLE_SUFFIXES = (".txt", ".md")
FRONT_MATTER_KEYS = ("title", "date", "source", "url", "language", "themes")
LANGUAGES = ("nl", "en")
# An article is text a person reads; a file this large is something else (a dump, a log).
MAX_ARTICLE_BYTES = 16 * 1024 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# `2022-03-27`, `2022-03`, `2022-03-27 14:05`, `2022-03-27T14:05:00+01:00`
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)
# Files an editor, an office suite or a file manager leaves beside the ones a user saved.
_IGNORED_NAME = re.compile(r"^(?:\.|~\$|#.*#$)|~$")


def is_ignored(name: str) -> bool:
    """Hidden, backup and lock files: `.DS_Store`, `name~`, `.~lock.name#`, `~$name.md`."""
    return bool(_IGNORED_NAME.search(name))


def find_article_files(articles_dir: Path, boundary: Path | None = None) -> list[Path]:
    """Every `.txt` and `.md` file below the folder, nested folders included, in a stable order."""
    return scan_articles(articles_dir, boundary)[0]


def scan_articles(
    articles_dir: Path, boundary: Path | None = None
) -> tuple[list[Path], list[DigestError]]:
    """The article files below a folder, and the entries that were refused, with the reason.

    Symbolic links are followed while they stay inside `boundary` (the articles folder unless
    given): one that leads elsewhere could publish any private file on the machine. Hidden,
    backup and lock files are left alone, as are files of other kinds."""
    inside = (boundary or articles_dir).resolve()
    files: list[Path] = []
    refused: list[DigestError] = []
    visited = {articles_dir.resolve()}
    folders = [(articles_dir, articles_dir.resolve())]  # each with where it really is
    while folders:
        folder, folder_real = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            refused.append(DigestError(display_path(folder),
                                       f"the folder cannot be read ({error.strerror})"))
            continue
        for entry in entries:
            if is_ignored(entry.name):
                continue
            path = Path(entry.path)
            is_article = path.suffix.lower() in ARTICLE_SUFFIXES
            if not entry.is_symlink():  # it is where its folder really is: nothing to resolve
                if entry.is_dir(follow_symlinks=False):
                    real = folder_real / entry.name
                    if real not in visited:
                        visited.add(real)
                        folders.append((path, real))
                elif is_article:
                    if entry.is_file(follow_symlinks=False):
                        files.append(path)
                    else:
                        refused.append(DigestError(
                            display_path(path), "not a regular file (a pipe, socket or device)"))
                continue
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                if is_article:
                    refused.append(DigestError(display_path(path),
                                               "a symbolic link to nothing (its target is gone)"))
                continue
            if not real.is_relative_to(inside):
                if is_article or real.is_dir():
                    refused.append(DigestError(
                        display_path(path),
                        "a symbolic link that leads outside the content folder; skipped",
                    ))
                continue
            if real.is_dir():
                if real not in visited:  # a link back to a folder already seen is no new folder
                    visited.add(real)
                    folders.append((path, real))
            elif is_article:
                if real.is_file():
                    files.append(path)
                else:
                    refused.append(DigestError(display_path(path),
                                               "not a regular file (a pipe, socket or device)"))
    files.sort(key=lambda p: p.relative_to(articles_dir).as_posix())
    return files, refused


def read_article(path: Path, articles_dir: Path) -> SourceFile:
    """Read one article file; raise DigestError naming the file when it cannot be used."""
    relative = PurePosixPath(path.relative_to(articles_dir).as_posix())
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise DigestError(shown, f"the file is too large for an article "
                                     f"({size / 1024 / 1024:.0f} MB; the limit is "
                                     f"{MAX_ARTICLE_BYTES // 1024 // 1024} MB)")
        data = path.read_bytes()
    except OSError as error:
        raise DigestError(shown, f"cannot be read ({error.strerror})") from error
    text, encoding = decode_article_bytes(data, shown)
    front_matter = FrontMatter()
    if path.suffix.lower() == ".md":
        front_matter, text = split_front_matter(text, shown)
    if not text.strip():
        raise DigestError(shown, "the article has no text")
    return SourceFile(path=relative, text=text, front_matter=front_matter, encoding=encoding)


@lru_cache(maxsize=4)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder where it can be, with
    anything unprintable in the name written as an escape."""
    here = _resolved(os.getcwd())
    try:
        shown = path.absolute().relative_to(here).as_posix()
    except ValueError:
        try:
            shown = path.resolve().relative_to(here).as_posix()
        except (ValueError, OSError, RuntimeError):
            shown = path.as_posix()
    return printable(shown)


def decode_article_bytes(data: bytes, shown: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if not data.strip():
        raise DigestError(shown, "the file is empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), shown), encoding
            except UnicodeDecodeError as error:
                raise DigestError(shown, f"not valid {encoding} text ({error.reason})") from error
    if b"\x00" in data:
        raise DigestError(shown, "binary file (it contains NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8"), shown), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _check_text(data.decode("cp1252"), shown), "cp1252"
    except UnicodeDecodeError as error:
        raise DigestError(
            shown, f"cannot be decoded as UTF-8 or Windows-1252 (byte {error.start})"
        ) from error


_ANSI_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
# The control characters below 32 that text does not hold: all but tab, the line breaks and
# the form feed (`\t\n\v\f\r`, 9 to 13).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _check_text(text: str, shown: str) -> str:
    """Refuse text that is mostly control characters: a binary file that happened to decode.

    A few controls in real text (a colour code pasted from a terminal) are no reason to lose
    the article: cleaning removes them."""
    sample = _ANSI_SEQUENCE.sub("", text) if "\x1b" in text else text
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 10):
        raise DigestError(shown, "binary file (it is mostly control characters), not text")
    return text


def split_front_matter(text: str, shown: str) -> tuple[FrontMatter, str]:
    """Split `---` YAML front matter from the body and check it against the schema."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n"):
            raise DigestError(shown, "front matter starts with '---' but has no closing '---'")
        return FrontMatter(), text
    block = match.group(1) or ""
    body = text[match.end():]
    simple = _simple_front_matter(block)
    if simple is not None:
        return parse_front_matter(simple, shown), body
    try:
        values = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 (a safe loader)
    except DigestError as error:
        raise DigestError(shown, f"front matter: {error.reason}", error.line) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the '---'
        raise DigestError(shown, f"front matter: {problem}", line) from None
    except RecursionError:
        raise DigestError(shown, "front matter: lists or mappings nested too deeply") from None
    if values is None:
        return FrontMatter(), body
    if not isinstance(values, _KeyLines):
        raise DigestError(shown, "front matter must be a mapping of keys to values", 2)
    return parse_front_matter(values, shown), body


# A line of front matter as most are written, `key: plain text`, read without a YAML parser (a
# tenth of the time); anything else goes to the parser.
_SIMPLE_LINE = re.compile(r"([a-z]+):(?: +(.*))?")
# What YAML reads otherwise than as plain text: these first, `: ` or ` #` inside, brackets.
_YAML_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NO_VALUE = ("", "~", "null", "Null", "NULL")


def _simple_front_matter(block: str) -> _KeyLines | None:
    """The front matter as `_FrontMatterLoader` reads it, when every line is a known key and a
    plain value that YAML reads as its own text, or one in quotes without escapes; else None
    (the parser reads it)."""
    if not block:
        return None
    values = _KeyLines()
    for number, line in enumerate(block[:-1].split("\n"), start=2):
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None or match.group(1) not in FRONT_MATTER_KEYS or match.group(1) in values:
            return None
        value = (match.group(2) or "").rstrip(" ")
        quote = value[:1]
        if quote in ("'", '"') and len(value) > 1 and value[-1] == quote:
            inner = value[1:-1]  # quoted: the text as it stands, without escapes or quotes
            if quote in inner or quote == '"' and "\\" in inner or not inner.isprintable():
                return None
            values[match.group(1)] = inner
            values.lines[match.group(1)] = number
            continue
        if value and (value[0] in _YAML_INDICATORS or not value.isprintable()
                      or ": " in value or " #" in value or value.endswith(":")
                      or any(bracket in value for bracket in "[]{}")):
            return None
        values[match.group(1)] = None if value in _NO_VALUE else value
        values.lines[match.group(1)] = number
    return values


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML as the user wrote it: every value is text (`title: 12:30` stays "12:30", `010`
    stays "010", a date stays the text of a date), lists and mappings stay lists and
    mappings, an empty value or `~`/`null` is no value. A key given twice and an alias
    (`*name`, which can multiply a small file into a huge value) are errors."""

    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            line = self.peek_event().start_mark.line + 2
            raise DigestError("", "aliases ('*name') are not allowed", line)
        return super().compose_node(parent, index)


class _KeyLines(dict):
    """A front-matter mapping that knows the line of each of its keys."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


def _construct_text(loader: _FrontMatterLoader, node: yaml.Node) -> str | None:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    plain = isinstance(node, yaml.ScalarNode) and node.style is None
    return None if plain and value in ("", "~", "null", "Null", "NULL") else str(value)


def _construct_mapping(loader: _FrontMatterLoader, node: yaml.MappingNode) -> _KeyLines:
    mapping = _KeyLines()
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise DigestError("", "a key must be a name, not a list or mapping", line)
        if key in mapping:
            raise DigestError("", f"key '{printable(key)}' is given twice "
                                  f"(first on line {mapping.lines[key]})", line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


for _tag in ("null", "bool", "int", "float", "timestamp", "str", "binary"):
    _FrontMatterLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_text)
_FrontMatterLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                   _construct_mapping)


def parse_front_matter(values: _KeyLines, shown: str) -> FrontMatter:
    """Check each front-matter value; the error names the key's line."""

    def fail(key: str, reason: str) -> DigestError:
        return DigestError(shown, f"front matter: {reason}", values.lines.get(key))

    for key in values:
        if key not in FRONT_MATTER_KEYS:
            raise fail(key, f"unknown key '{printable(key)[:60]}' "
                            f"(known: {', '.join(FRONT_MATTER_KEYS)})")
    fields: dict = {}
    for key in ("title", "source", "url", "date", "language"):
        value = values.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise fail(key, f"{key} must be text, not {_kind(value)}")
        if value.strip():
            fields[key] = value.strip()
    if "date" in fields:
        fields["date"] = parse_date_value(fields["date"], lambda reason: fail("date", reason))
    if "language" in fields:
        language = fields["language"].lower()
        if language not in LANGUAGES:
            raise fail("language", f"language '{printable(fields['language'])[:60]}' is not one "
                                   f"of {', '.join(LANGUAGES)}")
        fields["language"] = language
    themes = values.get("themes")
    if themes is not None:
        if isinstance(themes, str):
            themes = [themes]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise fail("themes", "themes must be a list of theme slugs")
        fields["themes"] = tuple(t.strip() for t in themes if t.strip())
    return FrontMatter(**fields)


def _kind(value: object) -> str:
    return "a list" if isinstance(value, list) else \
        "a mapping" if isinstance(value, dict) else type(value).__name__


def parse_date_value(value: str, fail) -> PublishedDate:
    """A date as `YYYY-MM-DD` or `YYYY-MM`, with or without a time; it must be a real date."""
    text = value.strip()
    shown = printable(text)[:60]
    match = _ISO_DATE.match(text)
    if not match:
        raise fail(f"date '{shown}' is not a date (use YYYY-MM-DD or YYYY-MM)")
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    if not 1 <= month <= 12:
        raise fail(f"date '{shown}' is not a real date (there is no month {month})")
    if day is not None:
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= days:
            raise fail(f"date '{shown}' is not a real date "
                       f"({year:04d}-{month:02d} has {days} days)")
    if year < 1:
        raise fail(f"date '{shown}' is not a real date (there is no year 0)")
    hour, minute = match.group(4), match.group(5)
    if hour is not None and (int(hour) > 23 or int(minute) > 59
                             or int(match.group(6) or 0) > 59):
        raise fail(f"date '{shown}' has a time that does not exist")
    return PublishedDate(year, month, day)


def iter_articles(articles_dir: Path, boundary: Path | None = None
                  ) -> Iterator[SourceFile | DigestError]:
    """Each article file read, or the error that says why it could not be."""
    files, refused = scan_articles(articles_dir, boundary)
    yield from refused
    for path in files:
        try:
            yield read_article(path, articles_dir)
        except DigestError as error:
            yield error
