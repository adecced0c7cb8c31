"""The `mkdocs.yml` of a synthetic project: the repository's, adapted; YAML tags such as `!!python/name:` kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from build_scripts.config import ConfigDumper, ConfigLoader

REPO = Path(__file__).resolve().parent.parent


# mkdocs.yml is read and written with the generator's own YAML classes, which keep tagged values as written.
Loader, Dumper = ConfigLoader, ConfigDumper


def _drop_pages(nav: list, drop) -> list:
    """`nav` without the pages `drop` selects (and without sections left empty)."""
    out = []
    for item in nav:
        if isinstance(item, dict):
            kept = {}
            for title, target in item.items():
                if isinstance(target, list):
                    target = _drop_pages(target, drop)
                    if target:
                        kept[title] = target
                elif not drop(str(target)):
                    kept[title] = target
            if kept:
                out.append(kept)
        elif not drop(str(item)):
            out.append(item)
    return out


def site_config(out: Path, n: int, seed: int, code_root: Path = REPO) -> dict:
    """The repository's mkdocs.yml, adapted to a synthetic project in `out`.

    The `research-site` plugin (and its theme overrides) come from the
    `build_scripts` package on the Python path (the repository, or a copy of it).
    """
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader) or {}
    rel = lambda p: Path(os.path.relpath(code_root.resolve() / p, out.resolve())).as_posix()  # noqa: E731
    config["site_name"] = f"Synthetic study ({n} notes, seed {seed})"
    config["site_description"] = "A synthetic corpus for benchmarking the research site generator."
    config["site_url"] = "https://synthetic.example.org/"
    config["docs_dir"], config["site_dir"] = "docs", "site"
    theme = config.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = rel(theme["custom_dir"])
    plugins = []
    for plugin in config.get("plugins") or []:
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name != "mkdocstrings":
            plugins.append(plugin)
    config["plugins"] = plugins
    config["hooks"] = [rel(h) for h in config.get("hooks") or []]
    drop = lambda p: p == "authoring.md" or p.startswith("reference/")  # noqa: E731
    nav = _drop_pages(config.get("nav") or [], drop)
    if nav:
        config["nav"] = nav
    else:
        config.pop("nav", None)
    research = (config.setdefault("extra", {}) or {}).setdefault("research", {})
    research.update({"content_dir": "content", "bib_dir": "bib"})
    config["watch"] = ["content", "bib"]
    return config


def copy_assets(config: dict, out: Path) -> None:
    """Copy the stylesheets and scripts the configuration names from the repository's docs/.

    `docs/` is made even when there is nothing to copy: MkDocs wants `docs_dir` to exist.
    """
    repo_docs = REPO / "docs"
    (out / "docs").mkdir(parents=True, exist_ok=True)
    for name in [*(config.get("extra_css") or []), *(config.get("extra_javascript") or [])]:
        path = name if isinstance(name, str) else name.get("path", "")
        source = repo_docs / path
        if path and source.is_file():
            target = out / "docs" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
