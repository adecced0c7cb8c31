"""Live preview: a saved note shows up in the served page, and each rebuild prints one line."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.request

from .conftest import cli_process


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


def test_serve_renders_only_the_saved_note_and_says_so(mini):
    port = free_port()
    proc = cli_process(mini, "serve", "--dev-addr", f"127.0.0.1:{port}")
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    try:
        assert wait_for(lambda: lines), "no first build"
        assert lines[0].startswith("first build")
        assert " pages rendered, 0 reused" in lines[0]
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert "Lo is more upbeat" in fetch(url)

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
