"""The per-article cache: what reading, cleaning and analysis made of an article, kept between
builds and used again while nothing that shapes it has changed.

An entry's key is a hash of everything that shapes the result: the file's bytes and its path
in the articles folder, the spaCy pipelines (name and version, or the rule-based one) and
simplemma's version, and the source of our own code for each stage (read, clean, analyze and
the values they make). A change to any of them is a miss, never a wrong result. Themes,
summaries and links are not cached: they depend on the other articles, and are quick.

Each entry is one file holding a format version, a checksum and the pickled value; an entry
that is damaged, or written by another format, is ignored with a warning and replaced.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from .model import AnalyzedArticle

log = logging.getLogger("digest")

CACHE_FORMAT = b"news-digest article cache 1\n"
# The modules whose code shapes a cached article, one per stage and the values they make.
STAGE_MODULES = ("read", "clean", "language", "analyze", "model")


class ArticleCache:
    """A folder of cached articles, keyed by everything that shapes each one."""

    def __init__(self, folder: Path, pipelines: Mapping[str, str | None]):
        self.folder = folder
        self.salt = cache_salt(pipelines)
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def key(self, data: bytes, relative_path: str) -> str:
        """The key of an article file with these bytes at this path."""
        digest = hashlib.sha256(self.salt.encode())
        digest.update(relative_path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> AnalyzedArticle | None:
        """The cached article, or None when there is none that can be trusted."""
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

    def put(self, key: str, article: AnalyzedArticle) -> None:
        """Store an article; a write that fails leaves no entry rather than half of one."""
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
        """Forget every entry (`digest build --fresh`)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"


def cache_salt(pipelines: Mapping[str, str | None]) -> str:
    """What shapes every cached article besides its own file: pipelines, lemmatizer, our code."""
    parts = [CACHE_FORMAT.decode().strip()]
    parts += [f"{name}=={_version(name)}" for name in ("spacy", "simplemma")]
    for language in sorted(pipelines):
        trained = pipelines[language]
        parts.append(f"{language}:{trained}=={_version(trained) if trained else '-'}")
    here = Path(__file__).resolve().parent
    for module in STAGE_MODULES:
        source = (here / f"{module}.py").read_bytes()
        parts.append(f"{module}:{hashlib.sha256(source).hexdigest()}")
    return "\n".join(parts)


def _version(name: str) -> str:
    """An installed package's version, or a stamp of a pipeline folder; '-' when absent."""
    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        meta = Path(name) / "meta.json"
        return hashlib.sha256(meta.read_bytes()).hexdigest() if meta.is_file() else "-"


def _unpack(stored: bytes) -> AnalyzedArticle | None:
    if not stored.startswith(CACHE_FORMAT):
        return None
    checksum, _, payload = stored[len(CACHE_FORMAT):].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        value = pickle.loads(payload)  # noqa: S301 (our own file, checked against its checksum)
    except Exception:  # noqa: BLE001 (a pickle of classes that changed shape)
        return None
    return value if isinstance(value, AnalyzedArticle) else None

