"""The change report: what a build changed against the previous one.

After every build (including every live rebuild of `make serve`) the site's
inventory (notes, claims, disagreements, a hash of each page) is compared
with the previous build's, kept in `.cache/last-build.json`, and the
differences are printed in a few lines.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .model import BuildResult

SHOWN = 8  # names listed per line before "and N more"


def inventory(result: BuildResult) -> dict:
    """What a build produced, for comparison with the next one."""
    data = json.loads(result.files["claims.json"]) if "claims.json" in result.files else {}
    return {
        "notes": sorted(result.notes),
        "claims": sorted(c["id"] for c in data.get("claims", [])),
        "inconsistencies": {i["id"]: f"{i['label']} ({i['kind']})" for i in data.get("inconsistencies", [])},
        "pages": {p.path: hashlib.sha256(p.markdown.encode("utf-8")).hexdigest()[:16] for p in result.pages},
    }


def compare(old: dict | None, new: dict) -> list[str]:
    """Lines describing the changes from `old` to `new` (a first build says what it built)."""
    if old is None:
        return [f"first build: {len(new['notes'])} notes, {len(new['claims'])} claims, "
                f"{len(new['inconsistencies'])} disagreements, {len(new['pages'])} pages"]
    lines = []
    for what in ("notes", "claims"):
        added, removed = _diff(old[what], new[what])
        if added or removed:
            lines.append(f"{what}: +{len(added)} -{len(removed)}" + _names(added, "added") + _names(removed, "removed"))
    appeared, resolved = _diff(old["inconsistencies"], new["inconsistencies"])
    if appeared:
        lines.append(f"new disagreements ({len(appeared)}): "
                     + _list([new["inconsistencies"][a] for a in appeared]))
    if resolved:
        lines.append(f"resolved disagreements ({len(resolved)}): "
                     + _list([old["inconsistencies"][a] for a in resolved]))
    changed = sorted(p for p, h in new["pages"].items() if old["pages"].get(p) != h)
    gone = sorted(set(old["pages"]) - set(new["pages"]))
    if changed or gone:
        lines.append(f"pages changed: {len(changed)}" + (f", removed: {len(gone)}" if gone else "")
                     + (": " + _list(changed) if changed else ""))
    return lines or ["no changes since the previous build"]


def load(path: Path) -> dict | None:
    """The inventory saved by the previous build, if any."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, data: dict) -> None:
    """Keep this build's inventory for the next comparison."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")


def _diff(old, new) -> tuple[list[str], list[str]]:
    return sorted(set(new) - set(old)), sorted(set(old) - set(new))


def _names(items: list[str], verb: str) -> str:
    return f"; {verb}: {_list(items)}" if items else ""


def _list(items: list[str]) -> str:
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return ", ".join(items[:SHOWN]) + more
