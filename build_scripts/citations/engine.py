"""citeproc-js, the reference CSL processor (the one Zotero and Mendeley use), run in V8 from Python.

The processor is the npm package `citeproc` (version
[`CITEPROC_JS`][build_scripts.citations.engine.CITEPROC_JS]), kept in this
package as `js/citeproc.js` with its licence; `js/driver.js` is the few lines
that hand it the items and read back the HTML. V8 is embedded by the PyPI
package `mini-racer`: no Node at build time.

```python
citations, entries = run(style_xml, "en-US", {"en-US": locale_xml}, items)
citations["baev2021"]   # → "(Baev 2021)"
```

[`run`][build_scripts.citations.engine.run] formats in this process, on one
V8 context (started on first use, its built styles kept, closed at exit);
[`run_apart`][build_scripts.citations.engine.run_apart] in a new Python
process, so that V8's memory is never this process's: a large library is
formatted on all cores that way, a process for each share
([`runs.shared`][build_scripts.citations.runs.shared]). V8 does not survive a
fork, and a process running it has threads (so it forks no workers): a
process forked after this one started V8 runs the processor apart.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

# This module imports nothing of the package: `run_apart` runs it as a script, which then starts at once.

__all__ = ["CITEPROC_JS", "V8_FLAGS", "EngineError", "apart", "processor_version", "run", "run_apart"]

CITEPROC_JS = "2.4.63"
"""The npm package `citeproc` kept in `js/citeproc.js` (citeproc-js 1.4.61 inside)."""

_JS = Path(__file__).parent / "js"

V8_FLAGS = ("--single-threaded", "--no-opt", "--max-lazy")
"""mini-racer's own flag, and two that build a style about a quarter faster (measured: Chicago author-date
0.82 → 0.75 s): V8 compiles the processor's functions only when called, and never optimises them
(each run is too short for optimising to pay back)."""


class EngineError(RuntimeError):
    """The processor failed (a style it cannot read, an item it cannot format)."""


@functools.lru_cache(maxsize=1)
def processor_version() -> str:
    """The processor as a cache key part: the bundle's and driver's contents and the mini-racer version."""
    files = hashlib.sha256((_JS / "citeproc.js").read_bytes() + b"\0" + (_JS / "driver.js").read_bytes())
    return f"citeproc {CITEPROC_JS}, mini-racer {version('mini-racer')}, " + files.hexdigest()[:16]


_context: Any = None  # this process's V8 context, with the processor loaded
_lock = threading.Lock()  # one call at a time on it
_started_in = 0  # the process that started V8 (a forked child cannot use it)


@contextmanager
def _racer() -> Iterator[Any]:
    """This process's V8 context with the processor loaded (started on first use), the caller's alone in the block."""
    global _context, _started_in
    with _lock:
        if _context is None:
            from py_mini_racer import MiniRacer, init_mini_racer

            init_mini_racer(flags=V8_FLAGS, ignore_duplicate_init=True)
            context = MiniRacer()
            bundle = (_JS / "citeproc.js").read_text(encoding="utf-8")
            context.eval(f"var module = {{exports: {{}}}}; var exports = module.exports;\n{bundle}\n")
            context.eval("var CSL = module.exports;")
            context.eval((_JS / "driver.js").read_text(encoding="utf-8"))
            _context, _started_in = context, os.getpid()
            atexit.register(_close)
        yield _context


def _close() -> None:
    """Close V8 before the interpreter tears down (closed by the garbage collector then, it can hang)."""
    global _context
    if _context is not None and _started_in == os.getpid():
        _context.close()
        _context = None


def run(
    style: str, lang: str, locales: dict[str, str], items: list[dict[str, Any]], together: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """Format CSL-JSON items with citeproc-js: in-text citations and bibliography entries, HTML, by item id.

    Args:
        style: The style's CSL XML.
        lang: The locale to format in ("en-US").
        locales: Locale XML by code, every one the processor may ask for.
        items: CSL-JSON items, their ids distinct.
        together: Register every item at once, so that the style's
            disambiguation sees them all; else each is formatted on its own.

    Returns:
        (citations, entries): citations by id, e.g. "(Baev 2021)"; entries by
        id, each a `<div class="csl-entry">`; an item the bibliography leaves
        out has no entry.

    Raises:
        EngineError: If citeproc-js fails.
    """
    if _started_in and _started_in != os.getpid():
        return run_apart(style, lang, locales, [(items, together)])
    return _run({"style": style, "lang": lang, "locales": locales, "items": items, "together": together})


def _run(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    from py_mini_racer import JSEvalException

    key = hashlib.sha256(f"{payload['lang']}\0{payload['style']}".encode()).hexdigest()
    try:
        with _racer() as context:
            done = context.call(
                "researchFormat",
                key,
                payload["style"],
                payload["lang"],
                payload["locales"],
                payload["items"],
                payload["together"],
            )
    except JSEvalException as exc:
        raise EngineError(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from None
    return dict(done["citations"]), dict(done["entries"])


def run_apart(
    style: str, lang: str, locales: dict[str, str], chunks: list[tuple[list[dict[str, Any]], bool]]
) -> tuple[dict[str, str], dict[str, str]]:
    """[`run`][build_scripts.citations.engine.run] in a new Python process, one chunk of items after another.

    V8, and the memory it takes, stay out of this process (which can then
    still fork its workers: a process running V8 has threads, and does not).
    The new process builds the style once for all the chunks, and collects
    V8's garbage between them, so that it takes about what one chunk needs,
    however many there are.

    Args:
        style: The style's CSL XML.
        lang: The locale to format in.
        locales: Locale XML by code.
        chunks: CSL-JSON items, in chunks formatted one after another (items
            the style could cite alike must share a chunk), each with its
            `together` (as for `run`).

    Raises:
        EngineError: If citeproc-js fails.
    """
    payload = {"style": style, "lang": lang, "locales": locales, "chunks": chunks}
    done = subprocess.run(
        [sys.executable, "-P", __file__],  # this module alone, as a script (-P: its folder not on the path)
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise EngineError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "citeproc-js failed")
    citations, entries = json.loads(done.stdout)
    return citations, entries


def _chunks(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The new process of `run_apart`: each chunk formatted in turn, V8's garbage collected between them."""
    citations: dict[str, str] = {}
    entries: dict[str, str] = {}
    for number, (chunk, together) in enumerate(payload["chunks"]):
        if number:
            with _racer() as context:
                context.low_memory_notification()
        made = _run({**payload, "items": chunk, "together": together})
        citations |= made[0]
        entries |= made[1]
    return citations, entries


def apart() -> None:
    """The new process of `run_apart`: the payload on stdin, the result on stdout, an error on stderr (exit 1)."""
    try:
        print(json.dumps(_chunks(json.loads(sys.stdin.read()))))
    except EngineError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    apart()
