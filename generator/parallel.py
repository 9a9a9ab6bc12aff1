"""Work over the whole digest shared among forked processes: summaries, similarities, pages.

Once every article is collected, what is left to compute reads values the build process already
holds (the articles, the collection's word weights). Forked processes start with all of it and
need nothing sent to them: each computes a share of the items and sends its results back,
pickled, through a pipe. Where the system cannot fork, or there is little to do, the work is
done here. Results come back in the order of the items, whatever the number of processes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items than this per process are not worth a fork.
MIN_SHARE = 200


def fork_map(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`[function(item) for item in items]`, computed by up to `jobs` processes, each a
    contiguous share of at least `MIN_SHARE` items; an exception in any process is raised
    here."""
    processes = min(jobs, len(items) // max(1, MIN_SHARE)) if hasattr(os, "fork") else 1
    if processes <= 1:
        return [function(item) for item in items]
    bounds = [len(items) * k // processes for k in range(processes + 1)]
    children = []
    for k in range(1, processes):
        read_end, write_end = os.pipe()
        pid = fork()
        if pid == 0:  # a forked copy: it sends its share's results, and ends without cleanup
            os.close(read_end)
            status = 0
            try:
                outcome: tuple = (True, [function(item) for item in items[bounds[k]:bounds[k + 1]]])
            except BaseException as error:  # noqa: BLE001 (raised again in the parent)
                outcome, status = (False, f"{type(error).__name__}: {error}"), 1
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    failure: BaseException | None = None
    try:
        results = [function(item) for item in items[bounds[0]:bounds[1]]]
    except BaseException as error:  # noqa: BLE001 (after the other processes have ended)
        failure, results = error, []
    for pid, read_end in children:
        try:
            with os.fdopen(read_end, "rb") as pipe:
                done, share = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            done, share = False, "a process ended without its results"
        os.waitpid(pid, 0)
        if not done and failure is None:
            failure = RuntimeError(f"a forked process failed: {share}")
        if done:
            results.extend(share)
    if failure is not None:
        raise failure
    return results


def fork() -> int:
    """`os.fork`, with what this process holds kept shared with the child: the objects made so
    far are frozen out of the child's garbage collector, whose passes would otherwise write to
    every one of them and so give the child a copy of all the memory they stand in. This
    process unfreezes them again, unless some were frozen before (a build freezes what it
    holds for as long as it runs)."""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    pid = os.fork()
    if pid != 0 and not frozen_before:  # what a build froze stays frozen until it ends
        gc.unfreeze()
    return pid


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while many objects without cycles are made: each of its
    passes would walk everything the build holds (reading ten thousand articles back, or
    building the search index, would set it off hundreds of times)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
