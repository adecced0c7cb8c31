"""The runs of citeproc-js behind a [`Formatter`][build_scripts.citations.cite.Formatter].

Which items are registered together ([`groups`][build_scripts.citations.runs.groups]:
only items that the style could cite alike need to be), and one run of the
processor on some of them ([`run`][build_scripts.citations.runs.run]), which
falls back to formatting each item on its own should the processor fail.
[`shared`][build_scripts.citations.runs.shared] shares the groups out among
threads, one run in each, on the cores at once (the
[`engine`][build_scripts.citations.engine] gives each thread a V8 context of
its own); a group is never split, so the output is that of one run.

```python
made = shared(style, items, groups(items, style), jobs=2, least=150, together=True)
made["baev2021"]   # → ("(Baev 2021)", "Baev, Pavel K. 2021. …")
```
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from build_scripts.citations import engine
from build_scripts.citations.style import Style, StyleError

__all__ = ["CHUNK", "batches", "chunks", "groups", "run", "shared"]

CHUNK = 500
"""The most items a process registers with citeproc-js at once (unless one group is larger).

V8 collects its garbage lazily: registering 1,000 Chicago items at once
takes its process to about 250 MB, and 10,000 to well over a gigabyte; a
chunk at a time, with the garbage collected between chunks, it stays near
what one chunk needs.
"""

_ENTRY = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.DOTALL)
_NAME_ROLES = ("author", "editor", "translator", "container-author", "collection-editor", "director", "interviewer")


def groups(items: dict[str, dict[str, Any]], style: Style) -> list[list[str]]:
    """Lower-case ids (the keys of `items`) in groups that the style could cite alike only within a group.

    A citation can only be confused with another that names the same first
    person (family name) or, without names, another without names; a style
    whose given-name rule looks at every name in the library ("all-names")
    makes one group of everything.
    """
    if re.search(r'givenname-disambiguation-rule="all-names', style.xml):
        return [list(items)] if items else []
    found: dict[str, list[str]] = {}
    for low, item in items.items():
        found.setdefault(_first_family(item), []).append(low)
    return list(found.values())


def _first_family(item: dict[str, Any]) -> str:
    for role in _NAME_ROLES:
        for name in item.get(role) or []:
            if isinstance(name, dict) and (family := name.get("family") or name.get("literal")):
                return str(family).casefold()
    return ""


def run(
    style: Style,
    items: dict[str, dict[str, Any]],
    together: bool,
    chunks: list[list[str]] | None = None,
    alone: dict[str, dict[str, Any]] | None = None,
) -> dict[str, tuple[str, str]]:
    """(citation, entry) HTML by lower-case key (the keys of `items` and `alone`), from one citeproc-js run.

    With `chunks` (the keys of `items`, in chunks of whole groups), the run is
    made in a process of its own, a chunk at a time
    ([`engine.run_apart`][build_scripts.citations.engine.run_apart]); else here.
    `alone` (keys distinct from those of `items`) are formatted in the same
    run, each on its own, whatever `together` says (the style is built once).
    Should citeproc-js fail on the run, each item is formatted on its own, and
    one it still fails on is left empty (shown by its title); if it fails on
    every item, the style is unusable.
    """
    alone = alone or {}
    try:
        if chunks is None:
            citations, entries = engine.run(style.xml, style.lang, style.locales, list(items.values()), together)
            if alone:
                more = engine.run(style.xml, style.lang, style.locales, list(alone.values()), False)
                citations, entries = citations | more[0], entries | more[1]
        else:
            parts = [([items[low] for low in chunk], together) for chunk in chunks]
            parts += [(list(alone.values()), False)] if alone else []
            citations, entries = engine.run_apart(style.xml, style.lang, style.locales, parts)
    except engine.EngineError as exc:
        every = items | alone
        if len(every) < 2:
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        out: dict[str, tuple[str, str]] = {}
        for low, item in every.items():
            try:
                out |= run(style, {low: item}, together)
            except StyleError:
                out[low] = ("", "")
        if not any(citation or entry for citation, entry in out.values()):
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        return out
    out = {}
    for low, item in (items | alone).items():
        entry = _ENTRY.match(entries.get(item["id"], ""))
        out[low] = (citations.get(item["id"], ""), entry.group(1).strip() if entry else "")
    return out


def shared(
    style: Style,
    items: dict[str, dict[str, Any]],
    groups: list[list[str]],
    jobs: int,
    least: int,
    together: bool,
    apart: bool = False,
    alone: dict[str, dict[str, Any]] | None = None,
) -> dict[str, tuple[str, str]]:
    """(citation, entry) HTML by lower-case key: the groups' items, each batch of them run in a process of its own.

    Fewer than `2 * least` items are formatted here, in one run (unless
    `apart`: then in one process of their own). More are
    shared out in [`batches`][build_scripts.citations.runs.batches], formatted
    at once, each by [`run`][build_scripts.citations.runs.run] (with its
    fallback) in a process of its own and in [`chunks`][build_scripts.citations.runs.chunks]
    there, and merged.

    Args:
        style: The style.
        items: CSL-JSON items by lower-case key.
        groups: The keys to format, in groups that are never split.
        jobs: Processes to share the groups among, at most.
        least: The fewest items a thread is given.
        together: Register the items of a run together (else each on its own).
        apart: Never format here, however few the items.
        alone: Items to format each on its own, by lower-case key (none of
            `items`), in the first batch's run: no process of their own.

    Raises:
        StyleError: If the style can format no batch; a batch it cannot
            format, while others format, has its items left empty (shown by
            their titles), as one run leaves an item it cannot format.
    """
    alone = alone or {}
    if sum(map(len, groups)) + len(alone) < 2 * least and not apart:
        return run(style, {low: items[low] for group in groups for low in group}, together, alone=alone)
    parts = batches(groups, jobs, least) or [[]]  # nothing but `alone`: one run
    first = {group[0]: group for group in groups}  # a group is never split: it is where its first key is
    with ThreadPoolExecutor(len(parts)) as threads:  # threads waiting on processes: the work is on every core
        running = [
            threads.submit(
                run,
                style,
                {low: items[low] for low in part},
                together,
                chunks([first[low] for low in part if low in first], CHUNK),
                alone if number == 0 else None,
            )
            for number, part in enumerate(parts)
        ]
    made: dict[str, tuple[str, str]] = {}
    failed: list[StyleError] = []
    for number, (part, done) in enumerate(zip(parts, running, strict=True)):
        try:
            made |= done.result()
        except StyleError as exc:
            failed.append(exc)
            made |= dict.fromkeys([*part, *(alone if number == 0 else ())], ("", ""))
    if failed and len(failed) == len(parts):
        raise failed[0]
    return made


def chunks(groups: list[list[str]], size: int) -> list[list[str]]:
    """The groups' keys in chunks of about `size` keys at most, each group whole (a larger group is a chunk alone)."""
    out: list[list[str]] = []
    for group in groups:
        if not out or (out[-1] and len(out[-1]) + len(group) > size):
            out.append([])
        out[-1].extend(group)
    return out


def batches(groups: list[list[str]], jobs: int, least: int) -> list[list[str]]:
    """The groups' keys shared out into at most `jobs` batches of about `least` keys or more, as even as can be.

    Each group goes whole, the largest first, to the batch with the fewest
    keys yet; a batch keeps its keys in the order they came.
    """
    count = max(1, min(jobs, sum(map(len, groups)) // max(1, least)))
    out: list[list[str]] = [[] for _ in range(count)]
    for group in sorted(groups, key=len, reverse=True):
        min(out, key=len).extend(group)
    order = {low: at for at, low in enumerate(low for group in groups for low in group)}
    return [sorted(part, key=order.__getitem__) for part in out if part]
