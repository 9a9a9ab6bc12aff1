"""Build a content folder of hostile files beside good ones and check that nothing is lost:
`python bench/hostile.py [--articles N] [--copies N] [--seed N] [--keep DIR]`.

Writes N good articles (from the sentence templates below) and several files of every hostile
kind into a temporary project, runs `digest build` once, as a user runs it, and prints a table.
Every good article must have its page, every bad file must be named in the report, every file
that may go either way (random bytes, random front matter, huge inputs) must be one or the
other, and hidden, backup and lock files must be neither. The same seed writes the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = ("Rusland", "Polen", "Litouwen", "Letland", "Estland", "Finland", "Noorwegen",
             "Oekraïne", "Moldavië", "Georgië", "Duitsland", "Frankrijk")
CAPITALS = ("Moskou", "Warschau", "Vilnius", "Riga", "Tallinn", "Helsinki", "Oslo", "Kyiv",
            "Chisinau", "Tbilisi", "Berlijn", "Parijs")
CITIES = ("Rotterdam", "Gent", "Zwolle", "Antwerpen", "Utrecht", "Brugge", "Leiden",
          "Maastricht", "Groningen", "Leuven")
SENTENCES = (
    "{country} wijst {n} diplomaten van {other} uit.",
    "Zij moeten het land binnen {n} dagen verlaten, meldt het ministerie in {capital}.",
    "De haven van {city} telde vorige maand {n} schepen meer dan een jaar eerder.",
    "De gemeenteraad van {city} stemt donderdag over een nieuwe brug over de rivier.",
    "Volgens de minister gaat het om een tijdelijke maatregel die {n} weken duurt.",
    "{country} voert de sancties tegen {other} verder op.",
    "Het leger van {country} houdt een oefening met {n} duizend soldaten bij de grens.",
    "De burgemeester van {city} noemt het besluit een stap in de goede richting.",
    "Oppositiepartijen in {country} vragen om een debat in het parlement.",
    "Volgens waarnemers duurt het nog {n} maanden voordat er duidelijkheid is.",
    "Het ministerie in {capital} bevestigt het bericht maar geeft geen verdere toelichting.",
    "In {city} demonstreerden zaterdag {n} honderd mensen tegen de plannen.",
)
HOSTILE_TEXT = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
    "{{ 7*7 }}", "{% raw %}", "[x](javascript:alert(1))", '<a href="javascript:alert(1)">a</a>',
    "<iframe src=http://example.com></iframe>", "![x](http://example.com/p.png)",
    "&lt;b&gt; &amp; &#106;", '{: onclick="alert(1)" }', "`code` ```x```", "\u202eesrever",
    "\x1b[31mrood\x1b[0m",
)
HOSTILE_NAMES = ("<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)",
                 "it's \"quoted\" & more", "{{ 7*7 }}", "[x](javascript:alert(1))")
IMPOSSIBLE_DATES = ("2024-13-45", "2022-02-30", "2023-02-29", "2022-04-31", "2022-00-10",
                    "2022-12-32")
# A word in files outside the content folder, and one in a file on every Linux machine: neither
# may be published.
OUTSIDE_WORD = "BUITENKANTWOORD"
SECRETS = (OUTSIDE_WORD.encode(), b"root:x:0:0")
RANDOM_SIZES = (1, 2, 3, 5, 8, 13, 64, 255, 1_000, 4_096, 65_536, 1_000_000)


@dataclass(frozen=True)
class Entry:
    """One file (or link, or folder) written into the articles folder, and what must become of
    it: "built" (its page exists), "reported" (the report names it), "either", or "ignored"
    (neither)."""

    name: str  # the path under content/articles, or the printable start of it
    kind: str
    expect: str
    marker: str | None = None  # a word that only this article's page shows


class Writer:
    """Writes entries into an articles folder; every article gets its own marker word."""

    def __init__(self, articles: Path, outside: Path, rng: random.Random):
        self.articles = articles
        self.outside = outside
        self.rng = rng
        self.entries: list[Entry] = []
        self._markers = 0

    def marker(self) -> str:
        self._markers += 1
        return f"km{self._markers:05d}"

    def text(self, marker: str | None = None, sentences: int | None = None) -> str:
        """Paragraphs of news from the templates, with the marker in a sentence of its own."""
        rng = self.rng
        count = sentences or rng.randint(3, 9)
        lines = []
        for _ in range(count):
            country, other = rng.sample(COUNTRIES, 2)
            lines.append(rng.choice(SENTENCES).format(
                country=country, other=other, capital=rng.choice(CAPITALS),
                city=rng.choice(CITIES), n=rng.randint(2, 60)))
        if marker:
            lines.insert(rng.randint(1, len(lines)), f"Het dossier heeft kenmerk {marker}.")
        paragraphs, start = [], 0
        while start < len(lines):
            size = rng.randint(1, 3)
            paragraphs.append(" ".join(lines[start:start + size]))
            start += size
        return "\n\n".join(paragraphs) + "\n"

    def add(self, name: str | bytes, data: bytes | str, kind: str, expect: str,
            marker: str | None = None, shown: str | None = None) -> None:
        target = os.path.join(os.fsencode(self.articles), os.fsencode(name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
        self.entries.append(Entry(shown or os.fsdecode(name), kind, expect, marker))

    def article(self, name: str, kind: str, expect: str = "built", front: str = "",
                body: str | None = None, encoding: str = "utf-8") -> None:
        marker = self.marker()
        if body is not None:  # the marker opens the body, so a single line stays one line
            body = f"Het dossier heeft kenmerk {marker}. {body}"
        text = front + (body if body is not None else self.text(marker))
        self.add(name, text.encode(encoding), kind, expect, marker)

    def link(self, name: str, target: str | Path, kind: str, expect: str) -> None:
        path = self.articles / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        self.entries.append(Entry(name, kind, expect))


# --- the kinds of file -----------------------------------------------------------------------

def good_articles(w: Writer, count: int) -> None:
    """Plain articles, as a user collects them: text, text with a date line, Markdown with
    front matter, some in folders."""
    for i in range(count):
        form = i % 4
        folder = f"{2018 + i % 5}/" if i % 7 == 0 else ""
        month = f"{2018 + i % 5}-{1 + i % 12:02d}"
        if form == 0:
            w.article(f"{folder}nieuws-{i:04d}.txt", "good")
        elif form == 1:
            w.article(f"{folder}nieuws-{i:04d}.txt", "good",
                      front=f"date {month}-{1 + i % 28:02d} ")
        else:
            title = w.text(sentences=1).strip().rstrip(".")
            front = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                     f"date: {month}-{1 + i % 28:02d}\nsource: ANP\n"
                     f"url: https://example.com/nieuws/{i}\n---\n")
            w.article(f"{folder}bericht-{i:04d}.md", "good", front=front)


def good_but_odd(w: Writer, copies: int) -> None:
    """Articles that look hostile but are fine: each must be built."""
    for i in range(copies):
        w.article(f"ansi-{i}.txt", "ansi colour code",
                  front=f"\x1b[3{i % 8}m", body=w.text(sentences=3).replace(".", ".\x1b[0m", 1))
        for value in ("12:30", "1:20:30", "yes", "no", "on", "0o17", "1e3", "~", "0x1F")[i::copies]:
            w.article(f"yaml-as-written-{len(w.entries)}.md", "front matter as written",
                      front=f"---\ntitle: {value}\ndate: 2022-03-0{1 + i % 9}\n---\n")
        w.article(f"control-title-{i}.md", "controls in title",
                  front='---\ntitle: "Titel \\u202Eesrever\\a\\e[31m\\x00 einde"\n'
                        'source: "Bron \\u202D\\b"\n---\n')
        hostile = " ".join(w.rng.sample(HOSTILE_TEXT, 6))
        w.article(f"hostile-text-{i}.md", "hostile text",
                  front=f"---\ntitle: {json.dumps(hostile)}\nsource: {json.dumps(hostile)}\n"
                        f"url: {json.dumps(w.rng.choice(['javascript:alert(1)', 'data:,x']))}\n"
                        "---\n",
                  body=w.text(sentences=4) + "\n" + "\n\n".join(HOSTILE_TEXT) + "\n")
        for name in HOSTILE_NAMES:
            w.article(f"{i}/{name}.txt" if i else f"{name}.txt", "hostile file name")
        w.article(f"diep/{i}/a/b/c/genest-{i}.txt", "nested folders")
        w.article(f"Oekraïne-café-{i}.txt", "unicode name")
        w.article(f"Oekrai\u0308ne-cafe\u0301-nfd-{i}.txt", "unicode name")
        w.article(f"crlf-{i}.txt", "encodings", body=w.text().replace("\n", "\r\n"))
        w.article(f"cr-{i}.txt", "encodings", body=w.text().replace("\n", "\r"))
        for encoding in ("utf-8-sig", "utf-16", "utf-16-be", "cp1252"):
            body = w.text() + "Een café in Brugge, een coöperatie in Gent – €5.\n"
            if encoding == "utf-16-be":
                w.add(f"{encoding}-{i}.txt", b"\xfe\xff" + body.encode("utf-16-be"),
                      "encodings", "built", None)
                continue
            w.article(f"{encoding}-{i}.txt", "encodings", body=body, encoding=encoding)
        w.article(f"linked-{i}.txt", "link inside the folder")
        w.link(f"link-inside-{i}.txt", f"linked-{i}.txt", "link inside the folder", "built")
        w.article("index.txt" if i == 0 else f"sub-{i}/index.md", "index")


def bad_files(w: Writer, copies: int) -> None:
    """Files that cannot be an article: each must be named in the report."""
    rng = w.rng
    for i in range(copies):
        w.add(f"empty-{i}.txt", b"", "empty", "reported")
        w.add(f"whitespace-{i}.md", bytes(rng.choice(b" \t\r\n") for _ in range(1 + i * 50)),
              "whitespace only", "reported")
        w.add(f"nul-{i}.txt", w.text().replace(" ", "\x00", 3 + i).encode(), "NUL bytes",
              "reported")
        w.add(f"png-{i}.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(64 << i),
              "binary (PNG)", "reported")
        # 0x81, 0x8d, 0x8f, 0x90, 0x9d: invalid as UTF-8 and undefined in Windows-1252.
        w.add(f"garbled-{i}.txt", w.text().encode("utf-8") + bytes([0x81, 0x8d, 0x8f, 0x90,
              0x9d][i % 5:]) + b" einde.\n", "invalid UTF-8 and cp1252", "reported")
        w.add(f"utf16-truncated-{i}.txt",
              b"\xff\xfe" + w.text().encode("utf-16-le")[:-1 - 2 * i], "truncated UTF-16",
              "reported")
        for n, date in enumerate(IMPOSSIBLE_DATES):
            written = (date, f'"{date}"', f"'{date}'", f"{date} 10:30:00",
                       f"{date}T10:30:00Z")[(n + i) % 5]
            w.article(f"date-{date}-{i}.md", "impossible date", "reported",
                      front=f"---\ntitle: Datum\ndate: {written}\n---\n")
        key = ("title", "date", "source", "url", "language", "themes")[i % 6]
        value = {"date": "2022-03-01", "language": "nl", "themes": "[expulsions]"}.get(key, "x")
        w.article(f"duplicate-key-{i}.md", "duplicate key", "reported",
                  front=f"---\n{key}: {value}\ntitle: Titel\n{key}: {value}\n---\n"
                  if key != "title" else "---\ntitle: Een\ntitle: Twee\n---\n")
        unknown = ("auteur", "tags", "samenvatting", "layout")[i % 4]
        w.article(f"unknown-key-{i}.md", "unknown key", "reported",
                  front=f"---\ntitle: Titel\n{unknown}: waarde\n---\n")
        wrong = ("title: [a, b]", "title: {a: 1}", "date: [2022]", "themes: {x: y}",
                 "source: [x]", "language: [nl]")[i % 6]
        w.article(f"wrong-type-{i}.md", "wrong type", "reported", front=f"---\n{wrong}\n---\n")
        w.article(f"unclosed-{i}.md", "unclosed front matter", "reported",
                  front="---\ntitle: Open\ndate: 2022-01-01\n" + "extra: regel\n" * i)
        w.add(f"unclosed-bracket-{i}.md", "---\ntitle: [open\n---\n" + w.text(),
              "broken YAML", "reported")
        w.article(f"yaml-tag-{i}.md", "YAML tag", "either",
                  front=("---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
                         "---\ntitle: !!binary aGFsbG8=\n---\n",
                         "---\ntitle: !onbekend x\n---\n")[i % 3])
        laughs = "".join(
            f"{name}: &{name} [" + ", ".join([f"*{prev}" if prev else '"lol"'] * 9) + "]\n"
            for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True))
        w.add(f"yaml-bomb-{i}.md", f"---\ntitle: Lach\n{laughs}lol: *i\n---\n" + w.text(),
              "YAML bomb", "reported")
        merges = "".join(f"{n}: &{n} {{<<: [{', '.join(['*' + p] * 9)}]}}\n" if p else
                         f"{n}: &{n} {{lol: lol}}\n"
                         for p, n in zip([None, *"abcdefgh"], "abcdefghi", strict=True))
        w.add(f"yaml-merge-bomb-{i}.md", f"---\n{merges}title: *i\n---\n" + w.text(),
              "YAML bomb", "reported")
        depth = 2_000 * (i + 1)
        w.add(f"yaml-deep-{i}.md", "---\ntitle: " + "[" * depth + "]" * depth + "\n---\n"
              + w.text(), "YAML nesting", "reported")
        w.link(f"passwd-{i}.txt", "/etc/passwd", "link outside", "reported")
        (w.outside / f"stray-{i}.txt").write_text(f"{OUTSIDE_WORD}. {w.text()}", "utf-8")
        w.link(f"outside-file-{i}.md", w.outside / f"stray-{i}.txt", "link outside", "reported")
        w.link(f"outside-folder-{i}", w.outside, "link outside", "reported")
        w.link(f"dangling-{i}.txt", f"gone-{i}.txt", "dangling link", "reported")
        w.link(f"loop-{i}.txt", f"loop-{i}.txt", "link loop", "reported")
        os.mkfifo(w.articles / f"pipe-{i}.txt")
        w.entries.append(Entry(f"pipe-{i}.txt", "named pipe", "reported"))
    w.add("too-large.txt", ("Een regel tekst over niets in het bijzonder.\n" * 400_000
                            ).encode(), "over the size limit", "reported")


def huge_inputs(w: Writer) -> None:
    """Inputs far larger than an article: built or skipped, in seconds."""
    sentence = "Het havenbedrijf meldt dat de haven van Rotterdam {n} schepen telde. "
    line = "".join(sentence.format(n=n) for n in range(16_000))[:1_000_000]
    w.article("huge-one-line.txt", "1 MB single line", "either", body=line)
    paragraphs = "\n\n".join(
        f"Alinea {n}: de gemeente {CITIES[n % len(CITIES)]} meldt {n} nieuwe woningen. "
        f"De wethouder is tevreden over het resultaat van dit jaar." for n in range(40_000))
    w.article("huge-paragraphs.txt", "4 MB, 40,000 paragraphs", "either", body=paragraphs)
    w.article("huge-paragraph.txt", "1,000,000-char paragraph", "either",
              body=" ".join(f"woord{n}" for n in range(130_000)) + ".")
    w.article("huge-sentence.txt", "60,000-word sentence", "either",
              body="Het kabinet besluit dat " + ", ".join(
                  f"gemeente {n} geld krijgt" for n in range(15_000)) + ".")
    w.article("huge-front-matter.md", "huge front matter value", "either",
              front='---\ntitle: "' + "reuzentitel " * 90_000 + '"\n---\n')


def random_files(w: Writer, copies: int) -> None:
    """Random bytes of many sizes and random front matter: an article or a clear error."""
    rng = w.rng
    for i in range(copies):
        for size in RANDOM_SIZES:
            w.add(f"random-{size}-{i}.{rng.choice(['txt', 'md'])}", rng.randbytes(size),
                  "random bytes", "either")
        for n in range(8):
            w.article(f"random-front-{i}-{n}.md", "random front matter", "either",
                      front=random_front_matter(rng))
        latin1 = f"nonutf8-{i}-".encode() + rng.choice([b"caf\xe9", b"\xff\xfe", b"na\xefef"])
        marker = w.marker()
        w.add(latin1 + b".txt", w.text(marker), "name not UTF-8", "either", marker,
              shown=f"nonutf8-{i}-")


def random_front_matter(rng: random.Random) -> str:
    """A front matter block of random keys and YAML values, about one in six of them broken."""
    known = ["title", "date", "source", "url", "language", "themes"]
    odd = ["auteur", "tags", "Title", "title ", "<script>", "? complex", "1", "- lijst"]
    keys = [rng.choice(known) if rng.random() < 0.85 else rng.choice(odd)
            for _ in range(rng.randint(0, 5))]
    keys = list(dict.fromkeys(keys))
    lines = [f"{key}: {random_yaml_value(rng, 0)}" for key in keys]
    if lines and rng.random() < 0.1:
        lines.append(rng.choice(lines))
    return "---\n" + "\n".join(lines) + ("\n" if lines else "") + "---\n"


VALID_SCALARS = (
    "12:30", "1e3", "0x1F", "yes", "no", "on", "~", "null", "", ".inf", "2022-03-01",
    "2022-03", "2022-03-01 10:30:00", "2022-13-01", "2021-02-29", "2022-03-01 25:61:00", "nl",
    "en", "fr", "expulsions", "sanctions", "https://example.com/a", "javascript:alert(1)",
    "!!str 12", "!!binary aGk=", "&anker x", "|\n  blok\n  tekst", ">-\n  gevouwen\n  tekst",
    '"\\u202e\\x07"', "'enkel'", "Rusland: het", "a # commentaar",
)
BROKEN_SCALARS = ("*anker", "'onafgesloten", "[open", "{a: ", ": :", "- lijst", "@at", "`tik`",
                  "%pct", "\ttab")


def random_yaml_value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if roll < 0.05:
        return rng.choice(BROKEN_SCALARS)
    if roll < 0.5 or depth > 2:
        return rng.choice(VALID_SCALARS)
    if roll < 0.65:
        return json.dumps(rng.choice(HOSTILE_TEXT) + rng.choice(["", " " * 3, "x" * 500]))
    if roll < 0.8:
        return "[" + ", ".join(random_yaml_value(rng, depth + 1).replace("\n", " ")
                               for _ in range(rng.randint(0, 4))) + "]"
    if roll < 0.9:
        return "{" + ", ".join(f"k{n}: {random_yaml_value(rng, depth + 1)}".replace("\n", " ")
                               for n in range(rng.randint(0, 3))) + "}"
    return json.dumps("".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 40))))


def ignored_files(w: Writer, copies: int) -> None:
    """What editors, office suites and file managers leave behind: never read, never shown."""
    for i in range(copies):
        marker = w.marker()
        text = w.text(marker).encode()
        for name in (f".DS_Store{'' if i == 0 else f'-{i}'}", f"notities-{i}.txt~",
                     f".~lock.nieuws-{i:04d}.txt#", f".verborgen-{i}.txt", f"~$concept-{i}.md",
                     f"#autosave-{i}.txt#", f"._nieuws-{i:04d}.txt"):
            w.add(name, text, "hidden, backup, lock", "ignored", marker)
        w.link(f".#nieuws-{i:04d}.txt", f"jan@pc.{4242 + i}:1648800000", "hidden, backup, lock",
               "ignored")
        for name in (f"foto-{i}.jpg", f"LEESMIJ-{i}", f"data-{i}.json"):
            w.add(name, text, "other kinds of file", "ignored", marker)


KINDS: dict[str, Callable[[Writer, int], None]] = {
    "good but odd": good_but_odd,
    "bad": bad_files,
    "random": random_files,
    "ignored": ignored_files,
}


# --- the build and what became of each file --------------------------------------------------

def write_project(folder: Path, articles: int, copies: int, seed: int) -> list[Entry]:
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", folder / "theme")
    content = folder / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "themes.yml", content / "themes.yml")
    (folder / "outside").mkdir()
    writer = Writer(content / "articles", folder / "outside", random.Random(seed))
    good_articles(writer, articles)
    for write in KINDS.values():
        write(writer, copies)
    huge_inputs(writer)
    return writer.entries


def run_build(folder: Path, timeout: float) -> tuple[int, str, float]:
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "generator.cli", "--project", str(folder), "build",
             "--content", str(folder / "content"), "--site-dir", str(folder / "site")],
            cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        code, output = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as error:
        code, output = -1, f"timed out after {timeout:.0f} s\n{error.stdout or ''}"
    return code, output, time.perf_counter() - started


def outcomes(entries: list[Entry], folder: Path, output: str) -> dict[Entry, tuple[bool, bool]]:
    """Per entry: was it built (its original published, or its marker on an article page),
    and is it named in the report."""
    site = folder / "site"
    seen: set[str] = set()
    pages = [p for p in (site / "articles").rglob("*.html") if p.name != "index.html"] \
        if (site / "articles").is_dir() else []
    for page in pages:
        seen.update(re.findall(r"km\d{5}", page.read_text("utf-8", errors="replace")))
    problems = [line for line in output.splitlines() if line.startswith("    - ")]
    result = {}
    for entry in entries:
        original = site / "originals" / entry.name
        built = (entry.marker in seen if entry.marker else False) or original.exists() \
            or original.with_name(original.name + ".txt").exists()
        prefix = f"articles/{entry.name}"
        reported = any(prefix + ": " in line or (entry.kind == "name not UTF-8" and prefix in line)
                       for line in problems)
        result[entry] = (built, reported)
    return result


def wrong(entry: Entry, built: bool, reported: bool) -> bool:
    return {"built": not built, "reported": not reported, "either": not (built or reported),
            "ignored": built or reported}[entry.expect]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200, help="good articles (default 200)")
    parser.add_argument("--copies", type=int, default=3, help="files of each hostile kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds the build may take")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the project into this (new) folder and keep it, with the "
                             "build's output in report.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "project"
        folder.mkdir(parents=True)
        entries = write_project(folder, args.articles, args.copies, args.seed)
        code, output, seconds = run_build(folder, args.timeout)
        if args.keep:
            (folder / "report.txt").write_text(output, encoding="utf-8")
        results = outcomes(entries, folder, output)
        site = folder / "site"
        pages = sum(1 for p in (site / "articles").rglob("*.html")
                    if p.name != "index.html") if (site / "articles").is_dir() else 0
        leaked = [p for p in site.rglob("*") if p.is_file()
                  and any(secret in p.read_bytes() for secret in SECRETS)] \
            if site.is_dir() else []

    def count(expect: str, test: Callable[[bool, bool], bool]) -> int:
        return sum(1 for e, (b, r) in results.items() if e.expect == expect and test(b, r))

    print("| files | good articles | built pages | bad files reported | good articles missing "
          "| bad files not reported | either: lost | ignored: shown | outside files published "
          "| traceback | wall s | exit code |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    missing = count("built", lambda b, r: not b)
    unreported = count("reported", lambda b, r: not r)
    lost = count("either", lambda b, r: not (b or r))
    shown = count("ignored", lambda b, r: b or r)
    traceback = "Traceback" in output
    print(f"| {len(entries)} | {count('built', lambda b, r: True)} | {pages} "
          f"| {count('reported', lambda b, r: r)} | {missing} | {unreported} | {lost} | {shown} "
          f"| {len(leaked)} "
          f"| {'yes' if traceback else 'no'} | {seconds:.1f} | {code} |")
    print()
    print("| kind | must be | files | built | reported | wrong |")
    print("|---|---|---|---|---|---|")
    kinds: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        kinds.setdefault((entry.kind, entry.expect), []).append(entry)
    for (kind, expect), group in kinds.items():
        print(f"| {kind} | {expect} | {len(group)} | {sum(results[e][0] for e in group)} "
              f"| {sum(results[e][1] for e in group)} "
              f"| {sum(wrong(e, *results[e]) for e in group)} |")
    wrongs = [e for e in entries if wrong(e, *results[e])]
    for entry in wrongs[:15]:
        built, reported = results[entry]
        print(f"wrong: {entry.name!r} ({entry.kind}) must be {entry.expect}; "
              f"built={built} reported={reported}")
    for path in leaked[:5]:
        print(f"published from outside the content folder: {path}")
    if code != 0 or traceback:
        print(output[-3000:])
    return 1 if code != 0 or traceback or wrongs or leaked else 0


if __name__ == "__main__":
    sys.exit(main())
