"""The change report: what a build changed against the previous one.

After every build (including every live rebuild of `make serve`) the site's
inventory (notes, claims and how their quotations checked, disagreements with
who says what, a hash of each page) is compared with the previous build's,
kept in `.research-cache/last-build.json`, and the differences are printed in a few
lines, for example:

```
claims: +1 -0; added: claim-mil-naval-exercise--smith2024
widened (1): Year of the first joint naval exercise: 3 dates from 3 sources (+2012 smith2024)
```
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeAlias

from build_scripts.model import BuildResult

SHOWN = 8  # names listed per line before "and N more"
VERSION = 3  # inventories of another version are not compared (their shape differs)

Inventory: TypeAlias = dict[str, Any]
"""What a build produced, as saved in JSON: `version`, `notes`, `claims`, `verification`, `disagreements`, `pages`."""

NOUNS = {"numeric": "figures", "date": "dates", "categorical": "answers", "assessment": "assessments"}


def inventory(data: dict[str, Any], result: BuildResult) -> Inventory:
    """What a build produced (`data`, the content of its `claims.json`), for comparison with the next one.

    Disagreements are keyed by fact (and whether they are internal), so that
    one that changes kind, e.g. from a real to an apparent disagreement, is
    reported as changed rather than as one resolved and one new.
    """
    claims = {c["id"]: c for c in data.get("claims", [])}
    labels = data.get("labels", {})  # each source by the name readers know it by, each position by its label
    positions = {f["id"]: f.get("positions") or {} for f in data.get("facts", [])}
    disagreements = {}
    for issue in data.get("inconsistencies", []):
        sides = sorted(
            {
                (_shown(claims[c], positions), labels.get(claims[c]["source"], claims[c]["source"]))
                for c in issue["claims"]
                if c in claims
            }
        )
        key = f"{issue['fact']}--{'internal' if issue['kind'] == 'internal' else 'across'}"
        disagreements[key] = {"label": issue["label"], "kind": issue["kind"], "sides": [list(s) for s in sides]}
    return {
        "version": VERSION,
        "notes": sorted(result.notes),
        "claims": sorted(claims),
        "verification": {k: (c.get("verification") or {}).get("status", "unquoted") for k, c in sorted(claims.items())},
        "disagreements": disagreements,
        "pages": {p.path: p.digest[:16] for p in result.pages},
    }


def compare(old: Inventory | None, new: Inventory) -> list[str]:
    """Lines describing the changes from `old` to `new` (a first build says what it built)."""
    if old is None or old.get("version") != VERSION:
        return [
            f"first build: {len(new['notes'])} notes, {len(new['claims'])} claims, "
            f"{len(new['disagreements'])} disagreements, {len(new['pages'])} pages"
        ]
    lines = []
    for what in ("notes", "claims"):
        added, removed = _diff(old[what], new[what])
        if added or removed:
            lines.append(f"{what}: +{len(added)} -{len(removed)}" + _names(added, "added") + _names(removed, "removed"))
    lines += _disagreements(old["disagreements"], new["disagreements"])
    checked = [
        f"{k}: {old['verification'][k]} → {v}"
        for k, v in new["verification"].items()
        if k in old["verification"] and old["verification"][k] != v
    ]
    if checked:
        lines.append(f"quotation checks changed ({len(checked)}): " + _list(checked))
    changed = sorted(p for p, h in new["pages"].items() if old["pages"].get(p) != h)
    gone = sorted(set(old["pages"]) - set(new["pages"]))
    if changed or gone:
        lines.append(
            f"pages changed: {len(changed)}"
            + (f", removed: {len(gone)}" if gone else "")
            + (": " + _list(changed) if changed else "")
        )
    return lines or ["no changes since the previous build"]


def _disagreements(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """New, widened, narrowed, reclassified and resolved disagreements, a line per group."""
    appeared, resolved = _diff(old, new)
    groups: dict[str, list[str]] = {"new": [_describe(new[k]) for k in appeared]}
    for key in sorted(set(old) & set(new)):
        before, after = {tuple(s) for s in old[key]["sides"]}, {tuple(s) for s in new[key]["sides"]}
        joined, left = sorted(after - before), sorted(before - after)
        if old[key]["kind"] != new[key]["kind"]:
            change = f"{new[key]['label']}: {old[key]['kind']} → {new[key]['kind']}"
            groups.setdefault("changed kind", []).append(change)
        if joined or left:
            delta = " ".join([*(f"+{v} {s}" for v, s in joined), *(f"-{v} {s}" for v, s in left)])
            verb = "widened" if joined and not left else "narrowed" if left and not joined else "changed"
            groups.setdefault(verb, []).append(f"{_describe(new[key])} ({delta})")
    groups["resolved"] = [_describe(old[k]) for k in resolved]
    order = ("new", "widened", "narrowed", "changed", "changed kind", "resolved")
    return [
        f"{name} disagreements ({len(groups[name])}): " + _list(groups[name], sep="; ")
        for name in order
        if groups.get(name)
    ]


def _describe(item: dict[str, Any]) -> str:
    """`Label: 3 dates from 3 sources`."""
    values = {v for v, _ in item["sides"]}
    sources = {s for _, s in item["sides"]}
    noun = NOUNS.get(item["kind"], "values")
    return f"{item['label']}: {len(values)} {noun} from {len(sources)} source{'s' if len(sources) != 1 else ''}"


def _shown(claim: dict[str, Any], positions: dict[str, dict[str, Any]]) -> str:
    norm = claim.get("normalised") or {}
    declared = positions.get(claim.get("fact", ""), {}).get(norm.get("position") or "")
    return " ".join(str((declared or {}).get("label") or norm.get("display") or claim["value"]).split())


def load(path: Path) -> Inventory | None:
    """The inventory saved by the previous build, if any."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(path: Path, data: Inventory) -> None:
    """Keep this build's inventory for the next comparison."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")


def _diff(old: Iterable[str], new: Iterable[str]) -> tuple[list[str], list[str]]:
    return sorted(set(new) - set(old)), sorted(set(old) - set(new))


def _names(items: list[str], verb: str) -> str:
    return f"; {verb}: {_list(items)}" if items else ""


def _list(items: list[str], sep: str = ", ") -> str:
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return sep.join(items[:SHOWN]) + more
