"""Work over the whole digest shared among forked processes: summaries, similarities, pages.

Once every article is collected, what is left to compute reads values the build process already
holds (the articles, the collection's word weights). Forked processes start with all of it and
need nothing sent to them: each computes a share of the items and sends its results back,
pickled, through a temporary file. Where the system cannot fork, or there is little to do, the
work is done here. Results come back in the order of the items, whatever the number of
processes.

The articles themselves are analyzed before that, by a `ProcessPool` (or a Dask cluster's
executor): plain values in, plain values out.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import IO, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items than this per process are not worth a fork.
MIN_SHARE = 200
# A forked process writes its results in batches of this many, and lets them go.
BATCH = 64


def fork_map(function: Callable[[T], R], items: Sequence[T], jobs: int,
             here: bool = True) -> list[R]:
    """`[function(item) for item in items]`, computed by up to `jobs` processes, each a
    contiguous share of at least `MIN_SHARE` items; an exception in any process is raised
    here.

    Each forked process writes its results to a temporary file as it goes, `BATCH` at a time,
    and holds no more than a batch of them (the pages of ten thousand articles are a hundred
    megabytes); this process reads them once its own share is done. Without `here`, every
    share is a forked process's, and this one waits: what the work leaves behind in the
    items (an article's sentences, unpickled) goes with the process."""
    processes = min(jobs, len(items) // max(1, MIN_SHARE)) if hasattr(os, "fork") else 1
    if processes <= 1:
        return [function(item) for item in items]
    bounds = [len(items) * k // processes for k in range(processes + 1)]
    if not here:
        bounds.insert(0, 0)
    children = []
    for k in range(1, len(bounds) - 1):
        spool = tempfile.TemporaryFile()
        pid = fork()
        if pid == 0:  # a forked copy: it writes its share's results, and ends without cleanup
            status = 0
            try:
                _write_results(function, items[bounds[k]:bounds[k + 1]], spool)
            except BaseException as error:  # noqa: BLE001 (raised again in the parent)
                status = 1
                pickle.dump((False, f"{type(error).__name__}: {error}"), spool)
            finally:
                spool.flush()
                os._exit(status)
        children.append((pid, spool))
    failure: BaseException | None = None
    try:
        results = [function(item) for item in items[bounds[0]:bounds[1]]]
    except BaseException as error:  # noqa: BLE001 (after the other processes have ended)
        failure, results = error, []
    for pid, spool in children:
        os.waitpid(pid, 0)
        with spool:
            spool.seek(0)
            share = _read_results(spool)
        if isinstance(share, str) and failure is None:
            failure = RuntimeError(f"a forked process failed: {share}")
        elif isinstance(share, list):
            results.extend(share)
    if failure is not None:
        raise failure
    return results


class Forked(Generic[R]):
    """`function()` computed by a forked process while this one goes on; `result()` waits for
    it and gives its value (or raises what it raised). The process then does `then()`, when
    given, while this one goes on again: `wait()` waits for that. Where the system cannot
    fork, both are done here, when `result()` asks."""

    def __init__(self, function: Callable[[], R], then: Callable[[], object] | None = None):
        self.pid: int | None = None
        self.spool: IO[bytes] | None = None
        self.function: Callable[[], R] | None = None
        self.then = then
        self.ready = -1
        if not hasattr(os, "fork"):
            self.function = function
            return
        self.spool = tempfile.TemporaryFile()
        # A byte through the pipe says the value is written; an end without it, that it never
        # will be.
        self.ready, written = os.pipe()
        self.pid = fork()
        if self.pid == 0:  # a forked copy: it writes the value, says so, then does the rest
            status = 0
            try:
                os.close(self.ready)
                try:
                    _write_results(lambda _: function(), [None], self.spool)
                except BaseException as error:  # noqa: BLE001 (raised again in the parent)
                    status = 1
                    pickle.dump((False, f"{type(error).__name__}: {error}"), self.spool)
                self.spool.flush()
                os.write(written, b".")
                if then is not None and status == 0:
                    then()
            except BaseException:  # noqa: BLE001 (the parent has the value, or says it has none)
                status = 1
            finally:
                os._exit(status)
        os.close(written)

    def result(self) -> R:
        if self.function is not None:
            value = self.function()
            if self.then is not None:
                self.then()
            return value
        assert self.pid is not None and self.spool is not None
        os.read(self.ready, 1)  # the value written, or the process ended ("": without it)
        os.close(self.ready)
        self.ready = -1
        with self.spool:
            self.spool.seek(0)
            share = _read_results(self.spool)
        if isinstance(share, str):
            self.wait()
            raise RuntimeError(f"a forked process failed: {share}")
        if self.then is None:
            self.wait()
        return share[0]

    def wait(self) -> None:
        """Wait for the process to end (and let go of its value, if not asked for)."""
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.ready >= 0:
            os.close(self.ready)
            self.ready = -1
        if self.spool is not None:
            self.spool.close()


def _write_results(function: Callable[[T], R], items: Sequence[T], spool: IO[bytes]) -> None:
    """The results of a share, pickled in batches, then the mark of a share done."""
    batch = []
    for item in items:
        batch.append(function(item))
        if len(batch) == BATCH:
            pickle.dump((True, batch), spool, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
    pickle.dump((True, batch), spool, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump((True, None), spool)


def _read_results(spool: IO[bytes]) -> list | str:
    """A share's results, or why the process that made them failed."""
    results: list = []
    while True:
        try:
            done, batch = pickle.load(spool)  # noqa: S301 (written by our own fork)
        except (EOFError, pickle.UnpicklingError):
            return "a process ended without its results"
        if not done:
            return batch
        if batch is None:
            return results
        results.extend(batch)


def fork() -> int:
    """`os.fork`, with what this process holds kept shared with the child: the objects made so
    far are frozen out of the child's garbage collector, whose passes would otherwise write to
    every one of them and so give the child a copy of all the memory they stand in. They stay
    frozen here too, until the build unfreezes what it froze when it ends (asking whether any
    were frozen before would count them all, a tenth of a second at ten thousand articles)."""
    gc.freeze()
    return os.fork()


@contextlib.contextmanager
def collector_paused(keep: bool = False) -> Iterator[None]:
    """The cyclic garbage collector off while many objects without cycles are made: each of its
    passes would walk everything the build holds (reading ten thousand articles back, or
    building the search index, would set it off hundreds of times).

    With `keep`, everything made so far is frozen out of its reach (`gc.freeze`) before it is
    on again: what was made lives as long as the build, and the first pass after the pause
    would otherwise walk all of it, and the next passes again as it ages (half a second for the
    articles of ten thousand files). A build unfreezes what it froze when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def process_running(pid: int) -> bool:
    """Whether a process of this number is running (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ProcessPool(Executor):
    """Up to `jobs` processes, started on first use, and no more of them than the work first
    given: each starts a language pipeline (a second or two), which one changed article
    does not need twice."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def _started(self, work: int) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max(1, min(self.jobs, work)))
        return self.pool

    def submit(self, fn, /, *args, **kwargs):
        return self._started(self.jobs).submit(fn, *args, **kwargs)

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        lists = [list(items) for items in iterables]
        return self._started(min(map(len, lists), default=1)).map(
            fn, *lists, timeout=timeout, chunksize=chunksize)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait, cancel_futures=cancel_futures)
