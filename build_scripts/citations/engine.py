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

[`run`][build_scripts.citations.engine.run] may be called from several threads
at once: each call takes a V8 context of its own from a small pool (one per
thread that ever ran the processor, started on first use, closed at exit),
and V8 works without holding the GIL, so calls on different threads format
on different cores. V8 does not survive a fork: a process forked after this
one started V8 runs the processor in a new Python process instead (slower,
same result).
"""

from __future__ import annotations

import atexit
import functools
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

from build_scripts.cache import digest

__all__ = ["CITEPROC_JS", "EngineError", "processor_version", "run"]

CITEPROC_JS = "2.4.63"
"""The npm package `citeproc` kept in `js/citeproc.js` (citeproc-js 1.4.61 inside)."""

_JS = Path(__file__).parent / "js"


class EngineError(RuntimeError):
    """The processor failed (a style it cannot read, an item it cannot format)."""


@functools.lru_cache(maxsize=1)
def processor_version() -> str:
    """The processor as a cache key part: the bundle's and driver's contents and the mini-racer version."""
    files = (_JS / "citeproc.js").read_bytes(), (_JS / "driver.js").read_bytes()
    return f"citeproc {CITEPROC_JS}, mini-racer {version('mini-racer')}, " + digest(*files)[:16]


_idle: list[Any] = []  # V8 contexts with the processor loaded, none in use: the pool
_lock = threading.Lock()
_starting = threading.Lock()
_started_in = 0  # the process that started V8 (a forked child cannot use it)


@contextmanager
def _racer() -> Iterator[Any]:
    """A V8 context with the processor loaded, the caller's alone until the block ends.

    It comes from the pool, else is started (a thread that finds every
    context busy starts one more, so there are as many as threads ever ran
    the processor at once); the block gives it back. The most recently used
    comes first: it is the likeliest to have built the style already.
    """
    global _started_in
    with _lock:
        context = _idle.pop() if _idle else None
    if context is None:
        from py_mini_racer import MiniRacer

        with _starting:  # V8 sets itself up with the first context: two started at once can crash it
            context = MiniRacer()
        bundle = (_JS / "citeproc.js").read_text(encoding="utf-8")
        context.eval(f"var module = {{exports: {{}}}}; var exports = module.exports;\n{bundle}\n")
        context.eval("var CSL = module.exports;")
        context.eval((_JS / "driver.js").read_text(encoding="utf-8"))
        with _lock:
            if not _started_in:
                atexit.register(_close)
            _started_in = os.getpid()
    try:
        yield context
    finally:
        with _lock:
            _idle.append(context)


def _close() -> None:
    """Close V8 before the interpreter tears down (closed by the garbage collector then, it can hang)."""
    with _lock:
        if _started_in == os.getpid():
            for context in _idle:
                context.close()
            _idle.clear()


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
    payload = {"style": style, "lang": lang, "locales": locales, "items": items, "together": together}
    if _started_in and _started_in != os.getpid():
        return _in_new_process(payload)
    return _run(payload)


def _run(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    from py_mini_racer import JSEvalException

    key = digest(payload["style"], payload["lang"])
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


def _in_new_process(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """[`run`][build_scripts.citations.engine.run] in a new Python process (this one was forked after V8 started)."""
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts.citations.engine"],
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


if __name__ == "__main__":  # the new process of _in_new_process: a payload on stdin, the result on stdout
    try:
        print(json.dumps(_run(json.loads(sys.stdin.read()))))
    except EngineError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
