"""Sharing work among the machine's cores: one helper, used wherever a stage is a map.

```python
entries = fork_map(lambda part: render(style, part), parts)
```

Workers are forked, so the function may be a closure over anything in this
process (the index, a loaded style, MkDocs' state): nothing but the items and
the results is pickled. Results come back in the order of the items.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["cores", "fork_map", "forked", "forks", "give_back_large_blocks"]

T = TypeVar("T")
R = TypeVar("R")

_function: Callable[[Any], Any] | None = None


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def give_back_large_blocks() -> None:
    """Have glibc (Linux) map each block of 1 MB or more on its own, so that freeing it gives it back at once.

    By default glibc raises that threshold each time such a block is freed,
    and the next big blocks come from the heap, which it keeps: a process
    that drafts one 10 MB page after another (a topic page at N=5,000) grows
    with each. Measured there, the generator's peak: 376 → 325 MB. Elsewhere
    (another C library, another system) this does nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)


def fork_map(function: Callable[[T], R], items: Sequence[T], jobs: int = 0) -> list[R]:
    """`[function(item) for item in items]`, on `jobs` forked processes (0: one per core).

    Runs here, in order, when there is one job or one item, or when this
    process runs other threads (forking then is unsafe: live preview rebuilds
    on its server's thread). An exception in a worker is raised here.
    """
    if not forks(len(items), jobs):
        return [function(item) for item in items]
    jobs = min(jobs or cores(), len(items))
    global _function
    _function = function
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_call, items, chunksize=1)
    finally:
        _function = None


def forks(items: int, jobs: int = 0) -> bool:
    """Whether [`fork_map`][build_scripts.workers.fork_map] would share `items` items among forked workers."""
    many = min(jobs or cores(), items) >= 2
    return many and threading.active_count() == 1 and multiprocessing.parent_process() is None


def forked(function: Callable[[], R], meanwhile: Callable[[], object] | None = None) -> R:
    """`function()` in a forked process of its own: the memory it takes is given back when it returns.

    The child may share its own work among the cores (it is not a pool's
    worker). `meanwhile`, if given, runs here while the child works (such as
    importing what the next stage needs, on the other core). Runs both here,
    one after the other, when this process runs other threads. An exception in
    the child is raised here.
    """
    if threading.active_count() > 1:
        value = function()
        if meanwhile is not None:
            meanwhile()
        return value
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the outcome back, and leave without running the parent's exit handlers
        status = 0
        try:
            os.close(read)
            try:
                outcome: tuple[bool, Any] = (True, function())
            except BaseException as exc:
                outcome = (False, exc)
            with os.fdopen(write, "wb") as out:
                pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(write)
    received = os.fdopen(read, "rb")
    try:
        if meanwhile is not None:
            meanwhile()
        ok, value = pickle.load(received)
    except EOFError:
        raise RuntimeError("the forked process ended without a result") from None
    finally:
        received.close()  # first: a child still writing its result then stops, and is waited for
        os.waitpid(pid, 0)
    if not ok:
        raise value
    result: R = value
    return result


def _call(item: Any) -> Any:
    assert _function is not None
    return _function(item)
