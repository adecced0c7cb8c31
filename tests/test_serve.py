"""Live preview: a saved note shows up in the served page, and each rebuild prints one line."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from .conftest import cli, cli_process


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as page:
        return page.read().decode("utf-8")
    return ""


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def serving(project: Path) -> tuple[subprocess.Popen[str], int, list[str]]:
    """`serve` started on a free port; the lines it prints are collected as they come."""
    port = free_port()
    proc = cli_process(project, "serve", "--dev-addr", f"127.0.0.1:{port}")
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    return proc, port, lines


def test_serve_renders_only_the_saved_note_and_says_so(mini):
    proc, port, lines = serving(mini)
    try:
        assert wait_for(lambda: lines), "no first build"
        assert lines[0].startswith("first build")
        assert " pages rendered, 0 reused" in lines[0]
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert wait_for(lambda: "Lo is more upbeat" in fetch(url))  # the server listens once the site is built

        note = mini / "content" / "notes" / "lo-note.md"
        note.write_text(note.read_text(encoding="utf-8") + "\nA sentence saved during the preview.\n", encoding="utf-8")
        assert wait_for(lambda: "A sentence saved during the preview." in fetch(url)), lines
        assert wait_for(lambda: len(lines) >= 2)
        assert lines[1].startswith("content/notes/lo-note.md changed: ")
        rendered, reused = (int(lines[1].split(" pages rendered, ")[0].rsplit(" ", 1)[1]),
                            int(lines[1].split(" reused")[0].rsplit(" ", 1)[1]))  # fmt: skip
        assert 1 <= rendered < reused
        assert len(lines) == 2, "one line per rebuild"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def listening_pid(port: int) -> int | None:
    """The process that listens on `port` (Linux: the socket's inode in /proc/net/tcp, found among /proc/*/fd)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
            inodes.add(f"socket:[{fields[9]}]")
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) in inodes:
                return int(fd.parts[2])
    return None


def test_the_same_server_process_handles_every_save_and_keeps_its_pages(mini):
    proc, port, lines = serving(mini)
    try:
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert wait_for(lambda: "Lo is more upbeat" in fetch(url)), lines
        assert listening_pid(port) == proc.pid
        time.sleep(1.0)  # the file watcher takes stock
        note = mini / "content" / "notes" / "lo-note.md"
        for n, sentence in enumerate(["A first saved sentence.", "A second saved sentence."], start=2):
            note.write_text(note.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
            assert wait_for(lambda s=sentence: s in fetch(url)), lines
            assert wait_for(lambda n=n: len(lines) >= n), lines
            assert lines[-1].startswith("content/notes/lo-note.md changed: ")
            assert listening_pid(port) == proc.pid, "the preview was restarted in another process"
            time.sleep(0.6)
        assert "A first saved sentence." in fetch(url)
        rendered = int(lines[-1].split(" pages rendered, ")[0].rsplit(" ", 1)[1])
        reused = int(lines[-1].split(" reused")[0].rsplit(" ", 1)[1])
        assert rendered < reused, lines[-1]
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_build_after_a_preview_session_reuses_the_pages_the_build_before_it_rendered(mini):
    """What live preview renders for its own address does not push out what `build` keeps."""
    first = cli(mini, "build")
    assert first.returncode == 0, first.stderr
    proc, port, lines = serving(mini)
    try:
        assert wait_for(lambda: lines), "no first build"
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert wait_for(lambda: "Lo is more upbeat" in fetch(url))
        time.sleep(1.0)  # the watcher takes stock
        note = mini / "content" / "notes" / "baev-note.md"
        note.write_text(note.read_text(encoding="utf-8") + "\nSaved in the preview.\n", encoding="utf-8")
        assert wait_for(lambda: len(lines) >= 2), lines
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    again = cli(mini, "build")
    assert again.returncode == 0, again.stderr
    built = again.stderr.strip().splitlines()[-1]
    rendered = int(built.split(" pages rendered, ")[0].rsplit(" ", 1)[1])
    reused = int(built.split(" reused")[0].rsplit(" ", 1)[1])
    assert rendered < reused, built  # the saved note's pages, not every page
