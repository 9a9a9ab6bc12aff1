"""The per-article cache: what reading, cleaning and analysis made of an article, kept between
builds and used again while nothing that shapes it has changed.

An entry's key is a hash of everything that shapes the result: the file's bytes and its path
in the articles folder, the spaCy pipelines (name and version, or the rule-based one) and
simplemma's version, and the source of our own code for each stage (read, clean, analyze and
the values they make). A change to any of them is a miss, never a wrong result.

Beside the entries, `ResultCache` keeps what later stages made of each article (its summary,
its themes) with a signature of everything they were made from, including what they take
from the other articles (the weights of the article's words in the whole collection, the
themes file): a rebuild after one changed article computes these again only where that
signature changed.

Each entry is one file holding a format version, a checksum and the pickled value; an entry
that is damaged, or written by another format, is ignored with a warning and replaced.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
from array import array
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .model import AnalyzedArticle, Problem

log = logging.getLogger("digest")

CACHE_FORMAT = b"news-digest article cache 1\n"
RESULTS_FORMAT = b"news-digest result cache 1\n"
# The modules whose code shapes a cached article, one per stage and the values they make.
STAGE_MODULES = ("read", "clean", "language", "analyze", "model")
# The modules whose code shapes a cached result besides those.
RESULT_MODULES = ("summarize", "themes", "classify", "config")


class ArticleCache:
    """A folder of cached articles, keyed by everything that shapes each one."""

    def __init__(self, folder: Path, pipelines: Mapping[str, str | None]):
        self.folder = folder
        self.salt = cache_salt(pipelines)
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self.results = ResultCache(folder.with_name(f"{folder.name}-results.pickle"),
                                   self.salt + "\n" + _code_stamp(RESULT_MODULES))

    def key(self, data: bytes, relative_path: str) -> str:
        """The key of an article file with these bytes at this path."""
        digest = hashlib.sha256(self.salt.encode())
        digest.update(relative_path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> AnalyzedArticle | Problem | None:
        """The cached article, or why it could not be used (a file that cannot be read,
        cleaned or analyzed says so again without being tried again), or None when there is
        none that can be trusted."""
        self.used.add(key)
        path = self._path(key)
        try:
            stored = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = _unpack(stored)
        if value is None:
            log.warning("ignoring a damaged or foreign cache entry %s; it is made anew",
                        path.name)
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, article: AnalyzedArticle | Problem) -> None:
        """Store an article, or its problem; a write that fails leaves no entry rather than
        half of one."""
        self.used.add(key)
        path = self._path(key)
        payload = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
        data = CACHE_FORMAT + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError as error:
            log.warning("could not write the cache entry %s (%s)", path.name, error.strerror)
            temporary.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries this build did not use: articles deleted or changed."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget every entry and result (`digest build --fresh`)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.results.clear()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"


def cache_salt(pipelines: Mapping[str, str | None]) -> str:
    """What shapes every cached article besides its own file: pipelines, lemmatizer, our code."""
    parts = [CACHE_FORMAT.decode().strip()]
    parts += [f"{name}=={_version(name)}" for name in ("spacy", "simplemma")]
    for language in sorted(pipelines):
        trained = pipelines[language]
        parts.append(f"{language}:{trained}=={_version(trained) if trained else '-'}")
    parts.append(_code_stamp(STAGE_MODULES))
    return "\n".join(parts)


def _code_stamp(modules: Iterable[str]) -> str:
    here = Path(__file__).resolve().parent
    return "\n".join(f"{module}:{hashlib.sha256((here / f'{module}.py').read_bytes()).hexdigest()}"
                     for module in modules)


def _version(name: str) -> str:
    """An installed package's version, or a stamp of a pipeline folder; '-' when absent."""
    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        meta = Path(name) / "meta.json"
        return hashlib.sha256(meta.read_bytes()).hexdigest() if meta.is_file() else "-"


def _unpack(stored: bytes, header: bytes = CACHE_FORMAT) -> Any:
    if not stored.startswith(header):
        return None
    checksum, _, payload = stored[len(header):].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        value = pickle.loads(payload)  # noqa: S301 (our own file, checked against its checksum)
    except Exception:  # noqa: BLE001 (a pickle of classes that changed shape)
        return None
    if header == CACHE_FORMAT:
        return value if isinstance(value, AnalyzedArticle | Problem) else None
    return value if isinstance(value, tuple) and len(value) == 2 else None



class ResultCache:
    """What a stage made of an article, by stage and article, with the signature of what it
    was made from; one file, read on first use and written by `save` with only the results
    this build used."""

    def __init__(self, file: Path, salt: str):
        self.file = file
        self.salt = salt
        self._stored: dict[tuple[str, str], tuple[bytes, Any]] | None = None
        self._used: dict[tuple[str, str], tuple[bytes, Any]] = {}
        self.hits = self.misses = 0

    def lookup(self, stage: str, article: str, signature: bytes) -> Any:
        """The stored result of `stage` for the article if it was made from this signature
        (it is then kept by `save`); else None."""
        if self._stored is None:
            self._stored = self._load()
        stored = self._stored.get((stage, article))
        if stored is None or stored[0] != signature:
            self.misses += 1
            return None
        self.hits += 1
        self._used[(stage, article)] = stored
        return stored[1]

    def store(self, stage: str, article: str, signature: bytes, value: Any) -> None:
        """Keep a result made from this signature."""
        self._used[(stage, article)] = (signature, value)

    def save(self) -> None:
        """Keep the results used by this build; a write that fails keeps none."""
        if not self._used:
            return
        payload = pickle.dumps((self.salt, self._used), protocol=pickle.HIGHEST_PROTOCOL)
        data = RESULTS_FORMAT + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        temporary = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, self.file)
        except OSError as error:
            log.warning("could not write the cache file %s (%s)", self.file.name,
                        error.strerror)
            temporary.unlink(missing_ok=True)

    def clear(self) -> None:
        self.file.unlink(missing_ok=True)
        self._stored = {}

    def _load(self) -> dict[tuple[str, str], tuple[bytes, Any]]:
        try:
            stored = self.file.read_bytes()
        except OSError:
            return {}
        value = _unpack(stored, RESULTS_FORMAT)
        if value is None:
            log.warning("ignoring a damaged or foreign cache file %s; it is made anew",
                        self.file.name)
            return {}
        salt, results = value
        return results if salt == self.salt else {}


def signature(*parts: object, weights: Iterable[float] = ()) -> bytes:
    """A short hash of values with a stable text form and of a run of numbers."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=16)
    digest.update(array("d", weights).tobytes())
    return digest.digest()
