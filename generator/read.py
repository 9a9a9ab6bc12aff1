"""Read article files: find them, decode their bytes, parse their front matter."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from datetime import date as Date
from pathlib import Path, PurePosixPath

import yaml

from .errors import DigestError
from .model import FrontMatter, PublishedDate, SourceFile

ARTICLE_SUFFIXES = (".txt", ".md")
FRONT_MATTER_KEYS = ("title", "date", "source", "url", "language", "themes")
LANGUAGES = ("nl", "en")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def find_article_files(articles_dir: Path) -> list[Path]:
    """Every `.txt` and `.md` file below the folder, nested folders included, in a stable order."""
    return sorted(
        (p for p in articles_dir.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(articles_dir).parts)),
        key=lambda p: p.relative_to(articles_dir).as_posix(),
    )


def read_article(path: Path, articles_dir: Path) -> SourceFile:
    """Read one article file; raise DigestError naming the file when it cannot be used."""
    relative = PurePosixPath(path.relative_to(articles_dir).as_posix())
    shown = display_path(path)
    try:
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


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder where it can be."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


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


def _check_text(text: str, shown: str) -> str:
    """Refuse text that is mostly control characters: a binary file that happened to decode."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
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
    try:
        values = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the '---'
        raise DigestError(shown, f"front matter: {problem}", line) from error
    if values is None:
        return FrontMatter(), body
    if not isinstance(values, dict):
        raise DigestError(shown, "front matter must be a mapping of keys to values", 2)
    return parse_front_matter(values, block, shown), body


def parse_front_matter(values: dict, block: str, shown: str) -> FrontMatter:
    """Check each front-matter value; the error names the key's line."""

    def fail(key: str, reason: str) -> DigestError:
        return DigestError(shown, f"front matter: {reason}", _key_line(block, key))

    for key in values:
        if key not in FRONT_MATTER_KEYS:
            raise fail(str(key), f"unknown key '{key}' (known: {', '.join(FRONT_MATTER_KEYS)})")
    fields: dict = {}
    for key in ("title", "source", "url"):
        value = values.get(key)
        if value is None:
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail(key, f"{key} must be text")
        fields[key] = str(value).strip() or None
    if values.get("date") is not None:
        fields["date"] = parse_date_value(values["date"], lambda reason: fail("date", reason))
    language = values.get("language")
    if language is not None:
        if language not in LANGUAGES:
            raise fail("language", f"language '{language}' is not one of {', '.join(LANGUAGES)}")
        fields["language"] = language
    themes = values.get("themes")
    if themes is not None:
        if isinstance(themes, str):
            themes = [themes]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise fail("themes", "themes must be a list of theme slugs")
        fields["themes"] = tuple(t.strip() for t in themes)
    return FrontMatter(**fields)


def parse_date_value(value: object, fail) -> PublishedDate:
    """A YAML date, or text `YYYY-MM-DD` / `YYYY-MM`."""
    if isinstance(value, Date):
        return PublishedDate(value.year, value.month, value.day)
    match = _ISO_DATE.match(str(value).strip())
    if not match:
        raise fail(f"date '{value}' is not a date (use YYYY-MM-DD or YYYY-MM)")
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    try:
        Date(year, month, day or 1)
    except ValueError as error:
        raise fail(f"date '{value}' is not a date ({error})") from error
    return PublishedDate(year, month, day)


def _key_line(block: str, key: str) -> int | None:
    for number, line in enumerate(block.splitlines(), start=2):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
    return None


def iter_articles(articles_dir: Path) -> Iterator[SourceFile | DigestError]:
    """Each article file read, or the error that says why it could not be."""
    for path in find_article_files(articles_dir):
        try:
            yield read_article(path, articles_dir)
        except DigestError as error:
            yield error
