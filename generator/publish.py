"""Put a built site in place all at once: readers see the old site or the new one, never half.

A build writes into a staging folder beside the site (`.site.building-<pid>`). Only a complete
build is published, by swapping the two folders in one step (Linux `renameat2` with
`RENAME_EXCHANGE`); elsewhere the old site is moved aside and the new one moved in, and a build
killed between those two moves is repaired by the next one. A build that fails or is killed
leaves the previous site as it was; its staging folder is removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from pathlib import Path

from .parallel import process_running

_STAGING = "building"
_ASIDE = "previous"


def staging_dir(site_dir: Path) -> Path:
    """A fresh, empty folder beside the site for this process's build."""
    clear_stale(site_dir)
    staging = _sibling(site_dir, _STAGING, os.getpid())
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Make the complete build in `staging` the site, in one step where the system allows."""
    if not site_dir.exists() and not site_dir.is_symlink():
        os.replace(staging, site_dir)
        return
    if _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
        return
    aside = _sibling(site_dir, _ASIDE, os.getpid())
    os.replace(site_dir, aside)
    os.replace(staging, site_dir)
    shutil.rmtree(aside, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a build that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)


def clear_stale(site_dir: Path) -> None:
    """Remove what killed builds left beside the site; bring back a site moved aside by a
    build killed mid-swap. Folders of builds still running are left alone."""
    pattern = re.compile(rf"^\.{re.escape(site_dir.name)}\.({_STAGING}|{_ASIDE})-(\d+)$")
    if not site_dir.parent.is_dir():
        return
    for entry in sorted(site_dir.parent.iterdir()):
        match = pattern.match(entry.name)
        if not match or _running(int(match.group(2))):
            continue
        if match.group(1) == _ASIDE and not site_dir.exists():
            os.replace(entry, site_dir)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _sibling(site_dir: Path, kind: str, pid: int) -> Path:
    return site_dir.parent / f".{site_dir.name}.{kind}-{pid}"


def _running(pid: int) -> bool:
    """Whether another build, still running, owns a folder of this process number."""
    return pid != os.getpid() and process_running(pid)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux 3.15+, glibc 2.28+); False where that is not possible."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       rename_exchange)
    return result == 0
