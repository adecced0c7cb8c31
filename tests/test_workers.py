"""Sharing work among cores: results in order, errors raised where the work was asked for."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from build_scripts.workers import fork_map, forked

IN_A_FRESH_PROCESS = """
import os
from build_scripts.workers import fork_map, forked
parent = os.getpid()
results = fork_map(lambda n: (n * n, os.getpid()), list(range(20)), jobs=2)
assert [square for square, _ in results] == [n * n for n in range(20)]
assert {pid for _, pid in results} - {parent}, "the work ran in forked workers"
assert forked(os.getpid) != parent
inner = forked(lambda: {pid for pid in fork_map(lambda _: os.getpid(), list(range(8)), jobs=2)})
assert parent not in inner, "a forked process may share its own work"
meanwhile = []
assert forked(os.getpid, meanwhile=lambda: meanwhile.append(os.getpid())) != parent
assert meanwhile == [parent], "what runs meanwhile runs here"
def fail():
    raise KeyError("meanwhile failed")
try:
    forked(lambda: "x" * 10_000_000, meanwhile=fail)  # a result larger than the pipe holds: no deadlock
except KeyError:
    pass
else:
    raise AssertionError("an error of what runs meanwhile is raised")
print("ok")
"""


def test_work_runs_in_forked_processes_in_order():
    # In a process of its own: the test runner may have threads running (browser tests), and then nothing forks.
    done = subprocess.run(
        [sys.executable, "-c", IN_A_FRESH_PROCESS], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_fork_map_keeps_the_order():
    assert fork_map(lambda n: n * n, list(range(20)), jobs=2) == [n * n for n in range(20)]


def test_fork_map_closes_over_local_state_without_pickling_it():
    lock = threading.Lock()  # cannot be pickled; a forked worker inherits it
    assert fork_map(lambda n: (lock is not None) and n + 1, [1, 2, 3], jobs=2) == [2, 3, 4]


def test_an_error_in_a_worker_is_raised_in_the_caller():
    def fail(n: int) -> int:
        if n == 3:
            raise ValueError("item 3 is bad")
        return n

    with pytest.raises(ValueError, match="item 3 is bad"):
        fork_map(fail, [1, 2, 3, 4], jobs=2)


def test_with_other_threads_running_the_work_stays_in_this_process():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for pid in fork_map(lambda _: os.getpid(), [1, 2, 3], jobs=2)} == {os.getpid()}
        assert forked(os.getpid) == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_forked_returns_the_childs_result_and_raises_its_error():
    assert forked(lambda: {"pages": [1, 2]}) == {"pages": [1, 2]}
    with pytest.raises(KeyError, match="missing"):
        forked(lambda: {}["missing"])
