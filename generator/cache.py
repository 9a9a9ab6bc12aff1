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

Each pack, and the results file, holds a format version, a checksum and the pickled values;
one that is damaged, or written by another format, is ignored with a warning and its articles
are made anew. A pack's values come in records, each the keys of a batch of articles and the
batch pickled: an analysis process pickles its batch once, to send it back, and the very bytes
go into the pack, without being pickled again here.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import pickle
import shutil
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from .model import AnalyzedArticle, Problem
from .parallel import collector_paused, fork, process_running

log = logging.getLogger("digest")

CACHE_FORMAT = b"news-digest article cache 3\n"
RESULTS_FORMAT = b"news-digest result cache 2\n"
# The modules whose code shapes a cached article, one per stage and the values they make.
STAGE_MODULES = ("read", "clean", "language", "analyze", "model")
# The modules whose code shapes a cached result besides those.
RESULT_MODULES = ("summarize", "themes", "classify", "link", "config")
PACK_SUFFIX = ".pack"
FILES_NOTE = "files.note"
# A file changed this close to the noting of its times is read again (a coarse clock would
# give the change and the noting the same time).
RACY_NS = 2_000_000_000
# The packs are written again as one when more than this share of their articles is unused,
# or when there are more than this many.
STALE_SHARE = 0.25
MAX_PACKS = 8


class ArticleCache:
    """A folder of cached articles, keyed by everything that shapes each one.

    The articles are kept in packs: each build adds one pack of the articles it made, and
    a pack is read whole, once (one file of ten thousand articles reads in a fraction of the
    time of ten thousand files, and the words the articles share are stored once). When the
    packs hold many articles no build uses any more, or are many, they are written again as
    one."""

    def __init__(self, folder: Path, pipelines: Mapping[str, str | None]):
        self.folder = folder
        self.salt = cache_salt(pipelines)
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self._stored: dict[str, Any] | None = None  # key → article or problem, from the packs
        self._packs: list[Path] = []  # the packs read, good or not
        self._unusable: list[Path] = []  # those damaged or of another format
        self._new: dict[str, AnalyzedArticle | Problem] = {}
        self._pack: _PackWriter | None = None  # this build's pack, written as it is made
        self._written: Path | None = None  # the pack `save` wrote
        # What each file was (size, times, inode) and its key, at the last build and at this one.
        self._noted: tuple[int, dict[str, tuple[tuple[int, ...], str]]] | None = None
        self._seen: dict[str, tuple[tuple[int, ...], str]] = {}
        self._known: set[str] = set()
        self._scan_started = 0
        self.files_read = 0
        self.results = ResultCache(folder.with_name(f"{folder.name}-results.pickle"),
                                   self.salt + "\n" + _code_stamp(RESULT_MODULES))
        # What the search index keeps between builds (`search_files`' memo, which checks its
        # own code and stemmers): a file of its own, read and written while the index is made.
        self.search = ResultCache(folder.with_name(f"{folder.name}-search.pickle"), self.salt)

    def key(self, data: bytes, relative_path: str) -> str:
        """The key of an article file with these bytes at this path."""
        return file_key(self.salt, data, relative_path)

    def key_of(self, path: Path, relative_path: str) -> str | None:
        """The key of an article file, None when it cannot be read. A file of the size, times
        and inode noted at the last build is not read again (git's index does the same), unless
        it was noted within `RACY_NS` of a change: a change in the same tick of the clock as
        the noting would not show in its times."""
        try:
            stat = path.stat()
        except OSError:
            return None
        self.noted_files()
        assert self._noted is not None
        noted_at, noted = self._noted
        status = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        before = noted.get(relative_path)
        if before is not None and before[0] == status \
                and max(stat.st_mtime_ns, stat.st_ctime_ns) < noted_at - RACY_NS:
            key = before[1]
        else:
            try:
                data = path.read_bytes()
            except OSError:
                return None  # reading it again will say why
            self.files_read += 1
            key = self.key(data, relative_path)
        if before is not None and before[1] == key:
            self._known.add(key)
        self._seen[relative_path] = (status, key)
        return key

    def noted_files(self) -> int:
        """How many files the last build noted (none after `--fresh`, or without a build)."""
        if self._noted is None:
            self._noted = self._load_noted()
            self._scan_started = time.time_ns()
        return len(self._noted[1])

    def known(self, key: str) -> bool:
        """Whether the file of this key was as it is at the last build (whose articles the
        cache holds, unless its packs were lost)."""
        return key in self._known

    def get(self, key: str) -> AnalyzedArticle | Problem | None:
        """The cached article, or why it could not be used (a file that cannot be read,
        cleaned or analyzed says so again without being tried again), or None when there is
        none that can be trusted."""
        if self._stored is None:
            self._stored = self._load()
        value = self._stored.get(key)
        if value is None:
            self.misses += 1
            return None
        self.used.add(key)
        self.hits += 1
        return value

    def put(self, key: str, article: AnalyzedArticle | Problem) -> None:
        """Keep an article, or its problem, for `save`."""
        self.used.add(key)
        self._new[key] = article

    def put_pickled(self, keys: Sequence[str | None], pickled: bytes) -> None:
        """Keep a batch of articles (or their problems), pickled as a list, each by its key
        (None for one not to keep): written to this build's pack at once, as it is."""
        if self._pack is None:
            self._pack = _PackWriter(self.folder)
        if self._pack.add(keys, pickled):
            self.used.update(key for key in keys if key is not None)

    def save(self) -> None:
        """Write the articles this build made as a pack of their own, and forget those it did
        not use (articles deleted or changed): the packs are written again as one when more
        than `STALE_SHARE` of what they hold is unused or they are more than `MAX_PACKS`. A
        write that fails leaves the packs as they were."""
        stored = self._stored or {}
        stale = sum(1 for key in stored if key not in self.used)
        packs = [pack for pack in self._packs if pack.exists() and pack not in self._unusable]
        pack, self._pack = self._pack, None
        for unusable in self._unusable:  # its articles were made anew: said once, then gone
            with contextlib.suppress(OSError):
                unusable.unlink()
        self._unusable = []
        if stale > STALE_SHARE * max(1, len(stored)) or len(packs) + 1 > MAX_PACKS:
            entries = {key: value for key, value in stored.items() if key in self.used}
            entries.update(self._new)
            if self._write_pack(entries, pack):
                for old in packs:  # not one the new pack replaced, holding what it held
                    if old != self._written:
                        old.unlink(missing_ok=True)
        elif self._new or pack is not None:
            self._write_pack(self._new, pack)
        self._new = {}
        if self._seen:
            # Noted as of when this build began to look: a change after that is seen next time.
            _write_file(self.folder / FILES_NOTE, CACHE_FORMAT, pickle.dumps(
                (self.salt, self._scan_started, self._seen), protocol=pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        """Forget every entry and result (`digest build --fresh`)."""
        if self._pack is not None:
            self._pack.discard()
            self._pack = None
        shutil.rmtree(self.folder, ignore_errors=True)
        self._stored, self._packs = {}, []
        self.results.clear()
        self.search.clear()

    def _load(self) -> dict[str, Any]:
        if not self.folder.is_dir():
            return {}
        for old in self.folder.iterdir():  # a folder of single entries, from before the packs
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            elif old.name.startswith(".new-") and not _writer_running(old.name):
                old.unlink(missing_ok=True)  # the pack of a build that stopped halfway
        self._packs = sorted(self.folder.glob(f"*{PACK_SUFFIX}"))
        stored: dict[str, Any] = {}
        for pack in self._packs:
            try:
                data = pack.read_bytes()
            except OSError:
                continue
            # A pack is many small objects and no cycles, that live as long as the build.
            with collector_paused(keep=True):
                value = _read_pack(data)
            if value is None:
                log.warning("ignoring a damaged or foreign cache pack %s; its articles are "
                            "made anew", pack.name)
                self._unusable.append(pack)
                continue
            stored.update(value)
        return stored

    def _load_noted(self) -> tuple[int, dict[str, tuple[tuple[int, ...], str]]]:
        try:
            with collector_paused(keep=True):
                value = _unpack((self.folder / FILES_NOTE).read_bytes())
        except OSError:
            return 0, {}
        if isinstance(value, tuple) and len(value) == 3 and value[0] == self.salt:
            return value[1], value[2]
        return 0, {}  # damaged, or of other code: every file is read

    def _write_pack(self, entries: Mapping[str, AnalyzedArticle | Problem],
                    pack: _PackWriter | None = None) -> bool:
        """Write a pack named after what it holds (the records already in `pack`, this
        build's, and the entries); whether it was written (`_written` is its path)."""
        self._written = None
        if not entries and pack is None:
            return True
        pack = pack or _PackWriter(self.folder)
        if entries:
            ordered = sorted(entries.items())
            pack.add([key for key, _ in ordered], pickle.dumps(
                [value for _, value in ordered], protocol=pickle.HIGHEST_PROTOCOL))
        self._written = pack.finish()
        return self._written is not None


class _PackWriter:
    """A pack written as its records come: the format's header, room for the checksum of what
    follows, then each record (a batch's keys and the batch pickled); named after its checksum
    when it is finished, and not a pack before. A write that fails is said once, and leaves no
    pack."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.temporary = folder / f".new-{os.getpid()}-{id(self):x}.tmp"
        self.checksum = hashlib.sha256()
        self.stream: IO[bytes] | None = None
        self.failed = False

    def add(self, keys: Sequence[str | None], pickled: bytes) -> bool:
        """Write a record; whether it was written."""
        if self.failed:
            return False
        record = pickle.dumps((tuple(keys), pickled), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            if self.stream is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.stream = open(self.temporary, "wb")  # noqa: SIM115 (closed by finish)
                self.stream.write(CACHE_FORMAT + b"0" * 64 + b"\n")
            self.stream.write(record)
        except OSError as error:
            self._fail(error)
            return False
        self.checksum.update(record)
        return True

    def finish(self) -> Path | None:
        """Put the checksum in its place and the pack under its name: its path, or None when
        it could not be written (or held nothing)."""
        if self.failed or self.stream is None:
            return None
        checksum = self.checksum.hexdigest()
        pack = self.folder / f"{checksum[:32]}{PACK_SUFFIX}"
        try:
            self.stream.seek(len(CACHE_FORMAT))
            self.stream.write(checksum.encode())
            self.stream.close()
            os.replace(self.temporary, pack)
        except OSError as error:
            self._fail(error)
            return None
        return pack

    def discard(self) -> None:
        if self.stream is not None:
            self.stream.close()
        with contextlib.suppress(OSError):
            self.temporary.unlink()

    def _fail(self, error: OSError) -> None:
        log.warning("could not write the cache file %s (%s)", self.temporary.name,
                    error.strerror)
        self.failed = True
        self.discard()


def _writer_running(name: str) -> bool:
    """Whether the process that is writing the pack `.new-<pid>-….tmp` is running (this one
    is)."""
    pid = name.split("-")[1]
    return pid.isdigit() and process_running(int(pid))


def file_key(salt: str, data: bytes, relative_path: str) -> str:
    """The key of an article file with these bytes at this path, under this salt (what
    shapes every cached article besides its file)."""
    digest = hashlib.sha256(salt.encode())
    digest.update(relative_path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _read_pack(stored: bytes) -> dict[str, AnalyzedArticle | Problem] | None:
    """The entries of a pack by key, or None for one that is damaged or of another format.
    A value that came with the themes an analysis process found is the article alone."""
    header = CACHE_FORMAT
    newline = stored.find(b"\n", len(header))
    if not stored.startswith(header) or newline < 0:
        return None
    checksum, payload = stored[len(header):newline], memoryview(stored)[newline + 1:]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    entries: dict[str, AnalyzedArticle | Problem] = {}
    records = pickle.Unpickler(io.BytesIO(payload))
    try:
        while True:
            try:
                keys, pickled = records.load()  # noqa: S301 (our own file, checked)
            except EOFError:
                return entries
            values = pickle.loads(pickled)  # noqa: S301
            for key, value in zip(keys, values, strict=True):
                if key is not None:
                    entries[key] = value[0] if isinstance(value, tuple) else value
    except Exception:  # noqa: BLE001 (a pickle of classes that changed shape)
        return None


def _write_file(file: Path, header: bytes, payload: bytes) -> bool:
    """Write the format's header, the payload's checksum and the payload, whole or not at all
    (the payload, a hundred megabytes at ten thousand articles, is not copied to be joined to
    the rest); whether it was written."""
    temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(header + _checksum(payload).encode() + b"\n")
            stream.write(payload)
        os.replace(temporary, file)
    except OSError as error:
        log.warning("could not write the cache file %s (%s)", file.name, error.strerror)
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True


def _checksum(payload: bytes | memoryview) -> str:
    return hashlib.sha256(payload).hexdigest()


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
    # A view, not a copy: a pack is a hundred megabytes at ten thousand articles.
    newline = stored.find(b"\n", len(header))
    if newline < 0:
        return None
    checksum, payload = stored[len(header):newline], memoryview(stored)[newline + 1:]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        value = pickle.loads(payload)  # noqa: S301 (our own file, checked against its checksum)
    except Exception:  # noqa: BLE001 (a pickle of classes that changed shape)
        return None
    if header == CACHE_FORMAT:
        return value if isinstance(value, dict | tuple) else None
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

    def read(self) -> dict[tuple[str, str], tuple[bytes, Any]]:
        """What the file holds, read now if it is not read yet (else the first lookup reads
        it)."""
        if self._stored is None:
            self._stored = self._load()
        return self._stored

    def lookup(self, stage: str, article: str, signature: bytes) -> Any:
        """The stored result of `stage` for the article if it was made from this signature
        (it is then kept by `save`); else None."""
        stored = self.read().get((stage, article))
        if stored is None or stored[0] != signature:
            self.misses += 1
            return None
        self.hits += 1
        self._used[(stage, article)] = stored
        return stored[1]

    def store(self, stage: str, article: str, signature: bytes, value: Any) -> None:
        """Keep a result made from this signature."""
        self._used[(stage, article)] = (signature, value)

    def save(self, background: bool = False) -> None:
        """Keep the results used by this build, and let go of what is held here (a lookup
        after this reads the file again, once `saves_done`); a write that fails keeps none.

        In the `background`, the file is written by a forked process while the build goes
        on (a rebuild's tenths of a second; a build from nothing writes here, where the
        memory a fork would copy counts)."""
        used, self._stored, self._used = self._used, None, {}
        if not used:
            return
        if background and hasattr(os, "fork"):
            pid = fork()
            if pid == 0:  # a forked copy: it writes the file, and ends without cleaning up
                status = 1
                try:
                    status = 0 if self._write(used) else 1
                finally:
                    os._exit(status)
            _SAVING.append(pid)
            return
        self._write(used)

    def _write(self, used: dict[tuple[str, str], tuple[bytes, Any]]) -> bool:
        return _write_file(self.file, RESULTS_FORMAT,
                           pickle.dumps((self.salt, used), protocol=pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        self.file.unlink(missing_ok=True)
        self._stored = {}

    def _load(self) -> dict[tuple[str, str], tuple[bytes, Any]]:
        try:
            stored = self.file.read_bytes()
        except OSError:
            return {}
        with collector_paused(keep=True):  # as the articles' packs are
            value = _unpack(stored, RESULTS_FORMAT)
        if value is None:
            log.warning("ignoring a damaged or foreign cache file %s; it is made anew",
                        self.file.name)
            return {}
        salt, results = value
        return results if salt == self.salt else {}


# The processes writing results in the background (`ResultCache.save`).
_SAVING: list[int] = []


def saved_by(pid: int) -> None:
    """Count a process of the build that writes results (a forked `save`) among those that
    `saves_done` waits for."""
    _SAVING.append(pid)


def saves_done() -> None:
    """Wait for the results being written in the background."""
    while _SAVING:
        os.waitpid(_SAVING.pop(), 0)


def signature(*parts: object, weights: Iterable[float] = (), packed: bytes = b"") -> bytes:
    """A short hash of values with a stable text form and of a run of numbers (`weights`, or
    `packed`: the same numbers as the bytes of doubles, `array("d", weights).tobytes()`)."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=16)
    digest.update(array("d", weights).tobytes())
    digest.update(packed)
    return digest.digest()
