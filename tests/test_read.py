"""read: find article files, decode their bytes, parse and check their front matter."""

from __future__ import annotations

import codecs
import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import DigestError
from generator.model import FrontMatter, PublishedDate, SourceFile
from generator.read import (
    MAX_ARTICLE_BYTES,
    display_path,
    find_article_files,
    iter_articles,
    read_article,
    scan_articles,
)

TEXT = "Oekraïne: Rusland wijst „drie” diplomaten uit — boete € 500.\n"


@pytest.fixture
def articles_dir(tmp_path, monkeypatch) -> Path:
    """An empty articles folder; the working folder is its parent, so errors show `articles/…`."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


def write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def read(folder: Path, name: str, content: bytes | str) -> SourceFile:
    return read_article(write(folder, name, content), folder)


def read_error(folder: Path, name: str, content: bytes | str) -> str:
    with pytest.raises(DigestError) as caught:
        read(folder, name, content)
    return str(caught.value)


# Decoding


def test_read_decodes_utf8(articles_dir):
    article = read(articles_dir, "a.txt", TEXT.encode("utf-8"))
    assert (article.text, article.encoding) == (TEXT, "utf-8")


def test_read_decodes_utf8_with_bom(articles_dir):
    article = read(articles_dir, "a.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert (article.text, article.encoding) == (TEXT, "utf-8-sig")


def test_read_decodes_windows_1252(articles_dir):
    data = TEXT.encode("cp1252")
    assert b"Oekra\xefne" in data
    article = read(articles_dir, "a.txt", data)
    assert (article.text, article.encoding) == (TEXT, "cp1252")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_read_decodes_utf16_with_bom(articles_dir, codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    article = read(articles_dir, "a.txt", bom + TEXT.encode(codec))
    assert (article.text, article.encoding) == (TEXT, "utf-16")


def test_read_gives_the_article_path_relative_to_the_folder(articles_dir):
    article = read(articles_dir, "2022/feb/a.txt", TEXT)
    assert article.path == PurePosixPath("2022/feb/a.txt")


# Files that cannot be used


def test_read_rejects_empty_file(articles_dir):
    assert read_error(articles_dir, "empty.txt", b"") == (
        "Error reading 'articles/empty.txt': the file is empty"
    )


def test_read_rejects_whitespace_only_file(articles_dir):
    assert read_error(articles_dir, "blank.txt", b" \n\t\r\n  \n") == (
        "Error reading 'articles/blank.txt': the file is empty"
    )


def test_read_rejects_binary_file_with_nul_bytes(articles_dir):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    assert read_error(articles_dir, "photo.txt", png) == (
        "Error reading 'articles/photo.txt': binary file (it contains NUL bytes), not text"
    )


def test_read_rejects_file_of_control_characters(articles_dir):
    assert read_error(articles_dir, "noise.txt", bytes(range(1, 9)) * 4) == (
        "Error reading 'articles/noise.txt': binary file (it is mostly control characters), "
        "not text"
    )


def test_read_rejects_bytes_invalid_in_utf8_and_windows_1252(articles_dir):
    # 0xef starts a UTF-8 sequence that 'n' does not continue; 0x81 is unassigned in cp1252.
    assert read_error(articles_dir, "bad.txt", b"Oekra\xefne \x81\x8d") == (
        "Error reading 'articles/bad.txt': cannot be decoded as UTF-8 or Windows-1252 (byte 9)"
    )


def test_read_rejects_truncated_utf16(articles_dir):
    assert read_error(articles_dir, "half.txt", codecs.BOM_UTF16_LE + b"O\x00e") == (
        "Error reading 'articles/half.txt': not valid utf-16 text (truncated data)"
    )


def test_read_error_carries_path_and_reason(articles_dir):
    with pytest.raises(DigestError) as caught:
        read(articles_dir, "empty.md", b"")
    assert (caught.value.path, caught.value.reason, caught.value.line) == (
        "articles/empty.md", "the file is empty", None,
    )


def test_read_rejects_markdown_with_only_front_matter(articles_dir):
    assert read_error(articles_dir, "a.md", "---\ntitle: Leeg\n---\n\n") == (
        "Error reading 'articles/a.md': the article has no text"
    )


# Front matter

FULL_FRONT_MATTER = """\
---
title: Rusland wijst diplomaten uit
date: 2022-02-24
source: ANP
url: https://example.org/uitwijzing
language: nl
themes:
  - expulsions
  - sanctions
---
Rusland heeft drie diplomaten uitgewezen.
"""


def test_read_parses_markdown_front_matter(articles_dir):
    article = read(articles_dir, "a.md", FULL_FRONT_MATTER)
    assert article.front_matter == FrontMatter(
        title="Rusland wijst diplomaten uit",
        date=PublishedDate(2022, 2, 24),
        source="ANP",
        url="https://example.org/uitwijzing",
        language="nl",
        themes=("expulsions", "sanctions"),
    )
    assert article.text == "Rusland heeft drie diplomaten uitgewezen.\n"


@pytest.mark.parametrize("value", ["'2022-02'", "2022-02", '"2022-2"'])
def test_read_parses_month_only_date(articles_dir, value):
    article = read(articles_dir, "a.md", f"---\ndate: {value}\n---\nTekst.\n")
    assert article.front_matter.date == PublishedDate(2022, 2, None)


def test_read_takes_a_single_theme_as_a_list(articles_dir):
    article = read(articles_dir, "a.md", "---\nthemes: sanctions\n---\nTekst.\n")
    assert article.front_matter.themes == ("sanctions",)


def test_read_markdown_without_front_matter_keeps_its_text(articles_dir):
    article = read(articles_dir, "a.md", "Rusland wijst diplomaten uit.\n")
    assert article.front_matter == FrontMatter()
    assert article.text == "Rusland wijst diplomaten uit.\n"


def test_read_does_not_parse_front_matter_in_txt_files(articles_dir):
    article = read(articles_dir, "a.txt", "---\ntitle: x\n---\nTekst.\n")
    assert (article.front_matter, article.text) == (FrontMatter(), "---\ntitle: x\n---\nTekst.\n")


def test_read_parses_front_matter_after_a_bom(articles_dir):
    article = read(articles_dir, "a.md", codecs.BOM_UTF8 + b"---\ntitle: Kop\n---\nTekst.\n")
    assert (article.front_matter.title, article.text) == ("Kop", "Tekst.\n")


def test_read_parses_front_matter_with_windows_line_endings(articles_dir):
    article = read(articles_dir, "a.md", b"---\r\ntitle: Kop\r\nlanguage: nl\r\n---\r\nTekst.\r\n")
    assert article.front_matter == FrontMatter(title="Kop", language="nl")
    assert "title:" not in article.text


def test_read_reports_broken_yaml_with_its_line(articles_dir):
    text = "---\nlanguage: nl\ntitle: Rusland: wijst uit\n---\nTekst.\n"
    assert read_error(articles_dir, "a.md", text) == (
        "Error reading 'articles/a.md': line 3: front matter: mapping values are not allowed here"
    )


def test_read_reports_impossible_month(articles_dir):
    text = "---\ntitle: Kop\ndate: 2022-13\n---\nTekst.\n"
    assert read_error(articles_dir, "a.md", text) == (
        "Error reading 'articles/a.md': line 3: front matter: date '2022-13' is not a real date "
        "(there is no month 13)"
    )


def test_read_reports_date_in_another_format(articles_dir):
    text = "---\ndate: 24 februari 2022\n---\nTekst.\n"
    assert read_error(articles_dir, "a.md", text) == (
        "Error reading 'articles/a.md': line 2: front matter: date '24 februari 2022' is not a "
        "date (use YYYY-MM-DD or YYYY-MM)"
    )


def test_read_reports_unknown_key(articles_dir):
    text = "---\ntitle: Kop\nauthor: Jan\n---\nTekst.\n"
    assert read_error(articles_dir, "a.md", text) == (
        "Error reading 'articles/a.md': line 3: front matter: unknown key 'author' "
        "(known: title, date, source, url, language, themes)"
    )


def test_read_reports_unknown_language(articles_dir):
    assert read_error(articles_dir, "a.md", "---\nlanguage: de\n---\nTekst.\n") == (
        "Error reading 'articles/a.md': line 2: front matter: language 'de' is not one of nl, en"
    )


@pytest.mark.parametrize("themes", ["\n  - [sanctions, expulsions]", "\n  sanctions: yes"])
def test_read_reports_themes_that_are_not_slugs(articles_dir, themes):
    assert read_error(articles_dir, "a.md", f"---\nthemes:{themes}\n---\nTekst.\n") == (
        "Error reading 'articles/a.md': line 2: front matter: themes must be a list of theme "
        "slugs"
    )


def test_read_reports_front_matter_that_is_not_a_mapping(articles_dir):
    assert read_error(articles_dir, "a.md", "---\n- expulsions\n---\nTekst.\n") == (
        "Error reading 'articles/a.md': line 2: front matter must be a mapping of keys to values"
    )


def test_read_reports_unclosed_front_matter(articles_dir):
    assert read_error(articles_dir, "a.md", "---\ntitle: Kop\nTekst.\n") == (
        "Error reading 'articles/a.md': front matter starts with '---' but has no closing '---'"
    )


# Finding files


def test_find_article_files_finds_nested_folders_in_stable_order(articles_dir):
    for name in ["b.txt", "a/z.md", "a/b/c.txt", "a.md", "c/d/e/f.TXT"]:
        write(articles_dir, name, TEXT)
    found = find_article_files(articles_dir)
    assert [p.relative_to(articles_dir).as_posix() for p in found] == [
        "a.md", "a/b/c.txt", "a/z.md", "b.txt", "c/d/e/f.TXT",
    ]
    assert find_article_files(articles_dir) == found


def test_find_article_files_ignores_hidden_files_and_other_suffixes(articles_dir):
    for name in [".hidden.txt", ".drafts/a.txt", "a/.b.md", "photo.png", "themes.yml",
                 "notes.txt.bak", "kept.md"]:
        write(articles_dir, name, TEXT)
    found = find_article_files(articles_dir)
    assert [p.relative_to(articles_dir).as_posix() for p in found] == ["kept.md"]


def test_iter_articles_yields_an_error_in_place_of_a_bad_file(articles_dir):
    write(articles_dir, "a.txt", TEXT)
    write(articles_dir, "b.txt", b"")
    write(articles_dir, "c.md", "---\nlanguage: nl\n---\nTekst.\n")
    items = list(iter_articles(articles_dir))
    assert [type(item) for item in items] == [SourceFile, DigestError, SourceFile]
    assert str(items[1]) == "Error reading 'articles/b.txt': the file is empty"


def test_find_article_files_ignores_backup_and_lock_files(articles_dir):
    for name in [".DS_Store", "bericht.txt~", ".~lock.bericht.txt#", "~$bericht.md",
                 "#bericht.txt#", "bericht.txt"]:
        write(articles_dir, name, TEXT)
    assert [p.name for p in find_article_files(articles_dir)] == ["bericht.txt"]


def test_scan_articles_refuses_a_link_that_leads_outside_the_folder(articles_dir, tmp_path):
    secret = write(tmp_path / "private", "secret.txt", TEXT)
    (articles_dir / "leak.txt").symlink_to(secret)
    (articles_dir / "leaks").symlink_to(secret.parent, target_is_directory=True)
    files, refused = scan_articles(articles_dir)
    assert files == []
    assert [str(error) for error in refused] == [
        "Error reading 'articles/leak.txt': a symbolic link that leads outside the content "
        "folder; skipped",
        "Error reading 'articles/leaks': a symbolic link that leads outside the content "
        "folder; skipped",
    ]


def test_scan_articles_follows_links_inside_the_folder(articles_dir):
    write(articles_dir, "2022/a.txt", TEXT)
    write(articles_dir, "archief/c.txt", TEXT)
    (articles_dir / "b.txt").symlink_to(articles_dir / "2022" / "a.txt")
    (articles_dir / "2022" / "oud").symlink_to(articles_dir / "archief",
                                               target_is_directory=True)
    # A link back to a folder already walked (here: a loop) adds nothing and never hangs.
    (articles_dir / "2022" / "loop").symlink_to(articles_dir, target_is_directory=True)
    files, refused = scan_articles(articles_dir)
    assert [p.relative_to(articles_dir).as_posix() for p in files] == [
        "2022/a.txt", "archief/c.txt", "b.txt"]
    assert refused == []


def test_scan_articles_may_follow_links_within_a_wider_boundary(articles_dir, tmp_path):
    draft = write(tmp_path / "drafts", "a.txt", TEXT)
    (articles_dir / "a.txt").symlink_to(draft)
    assert scan_articles(articles_dir)[0] == []
    assert scan_articles(articles_dir, boundary=tmp_path)[0] == [articles_dir / "a.txt"]


def test_scan_articles_reports_a_broken_link_and_a_pipe(articles_dir):
    (articles_dir / "gone.txt").symlink_to(articles_dir / "nowhere.txt")
    os.mkfifo(articles_dir / "pipe.txt")
    files, refused = scan_articles(articles_dir)
    assert files == []
    assert [str(error) for error in refused] == [
        "Error reading 'articles/gone.txt': a symbolic link to nothing (its target is gone)",
        "Error reading 'articles/pipe.txt': not a regular file (a pipe, socket or device)",
    ]


def test_read_takes_a_file_name_that_is_not_utf8_and_shows_it_escaped(articles_dir):
    path = articles_dir / os.fsdecode(b"caf\xe9\x1b.txt")
    path.write_text(TEXT, encoding="utf-8")
    [found] = find_article_files(articles_dir)
    assert read_article(found, articles_dir).text == TEXT
    assert display_path(found) == "articles/caf\\xe9\\x1b.txt"


def test_read_refuses_a_file_too_large_for_an_article(articles_dir):
    path = articles_dir / "dump.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    assert read_error(articles_dir, "dump.txt", path.read_bytes()) == (
        "Error reading 'articles/dump.txt': the file is too large for an article (16 MB; the "
        "limit is 16 MB)"
    )


def test_read_keeps_text_with_a_terminal_colour_code(articles_dir):
    article = read(articles_dir, "a.txt", "\x1b[31mRusland\x1b[0m wijst drie diplomaten uit.\n")
    assert "Rusland" in article.text


# Front matter as written


@pytest.mark.parametrize(("value", "expected"), [
    ("12:30", "12:30"), ("010", "010"), ("yes", "yes"), ("1e3", "1e3"),
    ("2022-01-01", "2022-01-01"), ("'  Kop  '", "Kop"), ('"null"', "null"),
])
def test_read_keeps_front_matter_text_as_written(articles_dir, value, expected):
    article = read(articles_dir, "a.md", f"---\ntitle: {value}\nsource: {value}\n---\nTekst.\n")
    assert (article.front_matter.title, article.front_matter.source) == (expected, expected)


@pytest.mark.parametrize("value", ["", "~", "null"])
def test_read_takes_an_empty_front_matter_value_as_none(articles_dir, value):
    article = read(articles_dir, "a.md", f"---\ntitle: {value}\n---\nTekst.\n")
    assert article.front_matter.title is None


@pytest.mark.parametrize(("value", "reason"), [
    ("2024-13-45", "date '2024-13-45' is not a real date (there is no month 13)"),
    ("2022-02-30", "date '2022-02-30' is not a real date (2022-02 has 28 days)"),
    ("'2022-02-30'", "date '2022-02-30' is not a real date (2022-02 has 28 days)"),
    ("2023-04-31 10:15", "date '2023-04-31 10:15' is not a real date (2023-04 has 30 days)"),
    ("2022-02-30T08:00:00Z", "date '2022-02-30T08:00:00Z' is not a real date (2022-02 has 28 "
                             "days)"),
    ("2022-02-03 24:30", "date '2022-02-03 24:30' has a time that does not exist"),
    ("!!timestamp 2021-02-29", "date '2021-02-29' is not a real date (2021-02 has 28 days)"),
])
def test_read_reports_a_date_that_is_not_in_the_calendar(articles_dir, value, reason):
    text = f"---\ntitle: Kop\ndate: {value}\n---\nTekst.\n"
    assert read_error(articles_dir, "a.md", text) == (
        f"Error reading 'articles/a.md': line 3: front matter: {reason}")


@pytest.mark.parametrize("value", ["2024-02-29", "'2024-02-29'", "2024-02-29 23:59",
                                   "2024-02-29T23:59:59+01:00"])
def test_read_takes_a_real_date_with_or_without_a_time(articles_dir, value):
    article = read(articles_dir, "a.md", f"---\ndate: {value}\n---\nTekst.\n")
    assert article.front_matter.date == PublishedDate(2024, 2, 29)


@pytest.mark.parametrize(("block", "reason"), [
    ("title: Een\nsource: ANP\ntitle: Twee", "line 4: front matter: key 'title' is given twice "
                                            "(first on line 2)"),
    ("title: [Een, Twee]", "line 2: front matter: title must be text, not a list"),
    ("source: {naam: ANP}", "line 2: front matter: source must be text, not a mapping"),
    ("date: [2022, 1]", "line 2: front matter: date must be text, not a list"),
    ("a: &x tekst\ntitle: *x", "line 3: front matter: aliases ('*name') are not allowed"),
    ("title: " + "[" * 5000, "front matter: lists or mappings nested too deeply"),
    ("? [title]\n: Kop", "line 2: front matter: a key must be a name, not a list or mapping"),
])
def test_read_reports_front_matter_of_the_wrong_shape(articles_dir, block, reason):
    assert read_error(articles_dir, "a.md", f"---\n{block}\n---\nTekst.\n") == (
        f"Error reading 'articles/a.md': {reason}")


# Any bytes: an article or a clear error


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda s: s.encode("utf-8")),
    st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]).flatmap(
        lambda bom: st.binary(max_size=100).map(lambda rest: bom + rest)
    ),
))
def test_read_any_bytes_give_an_article_or_a_digest_error(tmp_path_factory, data):
    folder = tmp_path_factory.getbasetemp() / "any-bytes"
    folder.mkdir(exist_ok=True)
    path = folder / "a.txt"
    path.write_bytes(data)
    try:
        article = read_article(path, folder)
    except DigestError as error:
        assert str(error).startswith(f"Error reading '{path.as_posix()}': ")
    else:
        assert isinstance(article, SourceFile) and article.text.strip()


@settings(max_examples=200, deadline=None)
@given(block=st.text(max_size=120))
def test_read_any_front_matter_gives_an_article_or_a_digest_error(tmp_path_factory, block):
    folder = tmp_path_factory.getbasetemp() / "any-front-matter"
    folder.mkdir(exist_ok=True)
    path = folder / "a.md"
    path.write_bytes(f"---\n{block}\n---\nTekst.\n".encode("utf-8", "surrogatepass"))
    try:
        article = read_article(path, folder)
    except DigestError as error:
        assert str(error).startswith(f"Error reading '{path.as_posix()}'")
    else:
        assert isinstance(article.front_matter, FrontMatter)


_FRONT_KEY = st.sampled_from(["title", "date", "source", "url", "language", "themes"] * 4
                             + ["auteur", "Title", "title ", " title"])
# Words, and what YAML reads otherwise than as text, before, between and after them.
_FRONT_WORD = st.sampled_from(["Rusland", "uit", "12:30", "2022-03-01", "é", "~", "null", "yes",
                               "https://example.org/a?b=c#d", "a\\b", "C#"])
_FRONT_MARK = st.sampled_from(["", " ", ": ", ":", " #", "#", "'", '"', "-", "- ", "[", "]",
                               "{", "~", "%", "@", "`", "!", "&", "*", "|", ">", "?", ",",
                               "\t", "\u2028", "\x85", "\u00a0", "\x1b"])
_FRONT_VALUE = st.lists(st.tuples(_FRONT_MARK, _FRONT_WORD, _FRONT_MARK), max_size=3).map(
    lambda pieces: "".join(before + word + after for before, word, after in pieces))


@settings(max_examples=1000, deadline=None)
@example(lines=[("title", ": ", "Rusland: uit", "")])
@example(lines=[("title", ": ", "Rusland #uit", "")])
@example(lines=[("source", ": ", "NOS", " "), ("title", ":", "", "")])
@example(lines=[("title", ": ", '"Rusland: \'uit\' #1"', ""), ("date", ": ", "'2022-03-01'", " ")])
@example(lines=[("title", ": ", '"a\\tb"', "")])
@example(lines=[("source", ": ", "'it''s'", "")])
@example(lines=[("title", ": ", '"null"', ""), ("source", ": ", '""', "")])
@given(lines=st.lists(st.tuples(_FRONT_KEY, st.sampled_from([": ", ":", ":  "]), _FRONT_VALUE,
                                st.sampled_from(["", " ", "  "])),
                      min_size=1, max_size=3, unique_by=lambda line: line[0]))
def test_front_matter_read_without_the_parser_is_what_the_parser_reads(lines):
    import yaml

    from generator import read

    block = "".join(f"{key}{colon}{value}{end}\n" for key, colon, value, end in lines)
    simple = read._simple_front_matter(block)
    if simple is None:
        return  # the parser reads it
    parsed = yaml.load(block, Loader=read._FrontMatterLoader)  # noqa: S506
    assert dict(simple) == dict(parsed)
    assert simple.lines == parsed.lines


def test_front_matter_as_most_files_write_it_is_read_without_the_parser():
    from generator import read

    block = "title: Rusland wijst diplomaten uit\ndate: 2022-03-01\nsource: NOS\n" \
            "url: https://nos.nl/artikel/1\nlanguage: nl\nthemes: expulsions\n"
    simple = read._simple_front_matter(block)
    assert simple is not None and simple["url"] == "https://nos.nl/artikel/1"
