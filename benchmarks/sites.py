"""The two sites our build is compared with, set up from a synthetic project.

- The **floor**: MkDocs rendering the pages our generator emits
  (`python -m build_scripts emit`), already written out as plain Markdown, with
  the same theme, Markdown extensions and navigation but no hook: what any
  build of these pages costs at least.
- The **peer**: what a user would build without us, MkDocs with the
  mkdocs-bibtex plugin. Each note becomes a page: its front matter dropped, a
  `# title` added, its `[@key, p. 3]` citations left as they are (that is
  mkdocs-bibtex's syntax; without a CSL file it drops the locator and logs a
  warning), `[[id]]` references turned into relative Markdown links and
  `[[fact:ID]]` into the first value claimed for the fact. Topic pages get a
  hand-kept list of their notes. `bib_file` is the same library.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import yaml
from synth_config import Dumper, Loader

from build_scripts.theme import OVERRIDES

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_REF = re.compile(r"\[\[([^\]|#]+)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]")
_LOAD = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_config(project: Path) -> dict:
    """A project's mkdocs.yml (tags such as `!!python/name:` kept as they are)."""
    return yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader) or {}


def write_config(folder: Path, config: dict) -> Path:
    path = folder / "mkdocs.yml"
    text = yaml.dump(config, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text("# Written by benchmarks/sites.py.\n" + text, encoding="utf-8")
    return path


def _theme(config: dict, project: Path, folder: Path, overrides: bool) -> dict:
    """The project's theme, with the tool's theme overrides (as the plugin adds them) re-pointed from `folder`."""
    theme = dict(config.get("theme") or {"name": "material"})
    theme.pop("custom_dir", None)
    if overrides:
        theme["custom_dir"] = os.path.relpath(OVERRIDES, folder.resolve())
    return theme


def nav_entries(nav: list[dict]) -> list:
    """The generator's navigation (as JSON from the generator stage) in mkdocs.yml form."""
    out = []
    for item in nav:
        if item.get("children"):
            out.append({item["title"]: nav_entries(item["children"])})
        else:
            out.append({item["title"]: item["path"]})
    return out


def floor_site(project: Path, emitted: Path, folder: Path, nav: list[dict]) -> Path:
    """A bare MkDocs project around the emitted pages; returns its mkdocs.yml.

    `emitted` must be `folder / "docs"`: the stylesheet and script of the
    project are copied into it.
    """
    config = read_config(project)
    for sub in ("stylesheets", "javascripts"):
        if (project / "docs" / sub).is_dir():
            shutil.copytree(project / "docs" / sub, emitted / sub, dirs_exist_ok=True)
    floor = {
        "site_name": config.get("site_name", "Floor"),
        "site_url": config.get("site_url", ""),
        "site_author": config.get("site_author", ""),
        "docs_dir": os.path.relpath(emitted.resolve(), folder.resolve()),
        "theme": _theme(config, project, folder, overrides=True),
        "markdown_extensions": config.get("markdown_extensions", []),
        "plugins": ["search"],
        # The generator's own stylesheet and script come with the emitted pages (assets/research/).
        "extra_css": [*config.get("extra_css", []), *_assets(emitted, "css")],
        "extra_javascript": [*config.get("extra_javascript", []), *_assets(emitted, "js")],
        "validation": config.get("validation", {}),
        "nav": nav_entries(nav),
    }
    return write_config(folder, floor)


def _assets(emitted: Path, suffix: str) -> list[str]:
    return [path.relative_to(emitted).as_posix() for path in sorted(emitted.glob(f"assets/research/*.{suffix}"))]


def _notes(project: Path) -> list[tuple[dict, str]]:
    """(front matter, body) of every note, in path order."""
    out = []
    for path in sorted((project / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        meta = yaml.load(match.group(1), Loader=_LOAD) if match else {}
        out.append((meta or {}, text[match.end() :] if match else text))
    return out


def _page(meta: dict) -> str:
    kind = meta.get("kind", "note")
    if kind == "home":
        return "index.md"
    return f"{meta['id']}.md" if kind == "topic" else f"notes/{meta['id']}.md"


def peer_site(project: Path, folder: Path) -> tuple[Path, int]:
    """The same notes as an MkDocs + mkdocs-bibtex project; returns its mkdocs.yml and page count."""
    config = read_config(project)
    docs = folder / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    notes = _notes(project)
    pages = {m["id"]: (_page(m), m.get("title", m["id"])) for m, _ in notes}
    values: dict[str, str] = {}
    for meta, _ in notes:
        for claim in meta.get("claims") or []:
            values.setdefault(str(claim.get("fact")), str(claim.get("value")))
    tagged: dict[str, list[str]] = {}
    for meta, _ in notes:
        if meta.get("kind", "note") == "note":
            for topic in meta.get("topics") or []:
                tagged.setdefault(topic, []).append(meta["id"])

    for meta, body in notes:
        here = pages[meta["id"]][0]

        def link(match: re.Match[str], here: str = here) -> str:
            target, anchor, label = match.group(1).strip(), (match.group(2) or "").strip(), match.group(3)
            if target.startswith("fact:"):
                return values.get(target[5:], target[5:])
            path, title = pages[target]
            href = os.path.relpath(path, os.path.dirname(here) or ".").replace(os.sep, "/")
            return f"[{(label or title).strip()}]({href}{'#' + anchor if anchor else ''})"

        text = f"# {meta.get('title', meta['id'])}\n\n{_REF.sub(link, body).strip()}\n"
        if meta.get("kind") == "topic" and tagged.get(meta["id"]):
            items = [f"- [{pages[n][1]}]({pages[n][0]})" for n in tagged[meta["id"]]]
            text += "\n## Notes on this topic\n\n" + "\n".join(items) + "\n"
        target = docs / here
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    topics = sorted((m for m, _ in notes if m.get("kind") == "topic"), key=lambda m: (m.get("order", 0), m["id"]))
    peer = {
        "site_name": config.get("site_name", "Peer"),
        "site_url": config.get("site_url", ""),
        "docs_dir": "docs",
        "theme": _theme(config, project, folder, overrides=False),
        "markdown_extensions": config.get("markdown_extensions", []),
        "plugins": ["search", {"bibtex": {"bib_file": str((project / "bib" / "library.bib").resolve())}}],
        "validation": config.get("validation", {}),
        "nav": [{"Home": "index.md"}, {"Topics": [{m.get("title", m["id"]): _page(m)} for m in topics]}],
    }
    return write_config(folder, peer), len(notes)
