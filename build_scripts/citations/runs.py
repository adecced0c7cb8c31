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

__all__ = ["batches", "groups", "run", "shared"]

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


def run(style: Style, items: dict[str, dict[str, Any]], together: bool) -> dict[str, tuple[str, str]]:
    """(citation, entry) HTML by lower-case key (the keys of `items`), from one citeproc-js run.

    Should citeproc-js fail on the run, each item is formatted on its own, and
    one it still fails on is left empty (shown by its title); if it fails on
    every item, the style is unusable.
    """
    try:
        citations, entries = engine.run(style.xml, style.lang, style.locales, list(items.values()), together)
    except engine.EngineError as exc:
        if len(items) < 2:
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        out: dict[str, tuple[str, str]] = {}
        for low, item in items.items():
            try:
                out |= run(style, {low: item}, together)
            except StyleError:
                out[low] = ("", "")
        if not any(citation or entry for citation, entry in out.values()):
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        return out
    out = {}
    for low, item in items.items():
        entry = _ENTRY.match(entries.get(item["id"], ""))
        out[low] = (citations.get(item["id"], ""), entry.group(1).strip() if entry else "")
    return out


def shared(
    style: Style, items: dict[str, dict[str, Any]], groups: list[list[str]], jobs: int, least: int, together: bool
) -> dict[str, tuple[str, str]]:
    """(citation, entry) HTML by lower-case key: the groups' items, each batch of them run in a thread of its own.

    The [`batches`][build_scripts.citations.runs.batches] are formatted at
    once, each by [`run`][build_scripts.citations.runs.run] (with its
    fallback), and merged.

    Args:
        style: The style.
        items: CSL-JSON items by lower-case key.
        groups: The keys to format, in groups that are never split.
        jobs: Threads (and V8 contexts) to share the groups among, at most.
        least: The fewest items a thread is given.
        together: Register the items of a run together (else each on its own).

    Raises:
        StyleError: If the style can format no batch; a batch it cannot
            format, while others format, has its items left empty (shown by
            their titles), as one run leaves an item it cannot format.
    """
    parts = batches(groups, jobs, least)
    if len(parts) == 1:
        return run(style, {low: items[low] for low in parts[0]}, together)
    with ThreadPoolExecutor(len(parts)) as threads:
        running = [threads.submit(run, style, {low: items[low] for low in part}, together) for part in parts]
    made: dict[str, tuple[str, str]] = {}
    failed: list[StyleError] = []
    for part, done in zip(parts, running, strict=True):
        try:
            made |= done.result()
        except StyleError as exc:
            failed.append(exc)
            made |= dict.fromkeys(part, ("", ""))
    if failed and len(failed) == len(parts):
        raise failed[0]
    return made


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
