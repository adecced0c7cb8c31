"""A renderer project in one folder: the generated pages, the hand-written `docs/`, the nav and a config file.

`python -m build_scripts emit DIR` writes one, and so does every Zensical
build (into `.research-cache/zensical/`). The folder holds

```
DIR/mkdocs.yml   the site's mkdocs.yml, without the research-site plugin, with the merged nav and paths made
                 relative to DIR
DIR/docs/        the generated pages and files, and the hand-written docs/ merged in
DIR/overrides/   the tool's theme overrides, and the project's own (its custom_dir) merged in over them
```

and its config's `site_dir` is `DIR/site` (Zensical wants the site inside the
project). Nothing here knows how any renderer runs: any renderer that reads
`mkdocs.yml` (MkDocs with Material, Zensical) builds the folder as it is.
A folder is written whole into a temporary folder beside `DIR`, then swapped
in; a problem (a hand-written page at the path of a generated one) leaves
`DIR` as it was.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from build_scripts.config import ConfigDumper, ConfigLoader
from build_scripts.model import BuildResult, NavItem
from build_scripts.paths import inside, real, relative_path, remove_except, write_changed
from build_scripts.theme import PLUGIN, plugin_name, theme_folders

__all__ = [
    "ConfigDumper",
    "ConfigLoader",
    "Project",
    "ProjectError",
    "Renderer",
    "check_hand_written",
    "dump_config",
    "merged_assets",
    "merged_nav",
    "project_config",
    "read_config",
    "swap_in",
    "write_pages",
    "write_project",
]

CONFIG = "mkdocs.yml"  # the config file of a written project (Zensical reads mkdocs.yml as well as zensical.toml)
DOCS = "docs"
SITE = "site"
THEME = "overrides"  # the theme overrides of a written project: Zensical takes a single custom_dir
MARKER = ".research-project"  # says a folder was written here, so that writing it again may replace it


class Renderer(StrEnum):
    """The renderers that turn the generated pages into a site."""

    MKDOCS = "mkdocs"
    ZENSICAL = "zensical"


class ProjectError(Exception):
    """The project could not be written (the message says why); the folder is unchanged."""


@dataclass(frozen=True, slots=True)
class Project:
    """Where a written project's parts are.

    Attributes:
        folder: The project folder (`DIR`).
        config_file: Its config file (`DIR/mkdocs.yml`).
        docs_dir: The pages, generated and hand-written (`DIR/docs`).
        site_dir: Where a renderer run on `config_file` writes the site (`DIR/site`).
    """

    folder: Path
    config_file: Path
    docs_dir: Path
    site_dir: Path

    @classmethod
    def at(cls, folder: Path) -> Project:
        """The parts of a project written to `folder`."""
        return cls(folder, folder / CONFIG, folder / DOCS, folder / SITE)


# -- the config file --------------------------------------------------------------------------------


def read_config(config_file: Path) -> dict[str, Any]:
    """The settings in `config_file` (a `mkdocs.yml`), tagged values kept as written.

    Raises:
        ProjectError: If the file is not YAML or not a mapping.
    """
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader)  # a safe loader
    except yaml.YAMLError as exc:
        raise ProjectError(f"{config_file}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProjectError(f"{config_file}: expected a mapping of settings, found {type(data).__name__}")
    return data


T = TypeVar("T")


def _nav_entry(item: NavItem) -> dict[str, object]:
    if item.children:
        return {item.title: [_nav_entry(child) for child in item.children]}
    return {item.title: item.path}


def merged_nav(generated: list[NavItem], written: list[object] | None) -> list[object]:
    """The site's nav: the generator's entries first, then the hand-written `nav:` of `mkdocs.yml`."""
    return [_nav_entry(item) for item in generated] + list(written or [])


def merged_assets(written: Sequence[T | str] | None, generated: list[str]) -> list[T | str]:
    """The theme's `extra_css` (or `extra_javascript`): the hand-written entries, then the generator's own."""
    entries: list[T | str] = list(written or [])
    names = {item if isinstance(item, str) else getattr(item, "path", None) for item in entries}
    return entries + [path for path in generated if path not in names]


def _rebase(path: Any, source: Path, target: Path) -> Any:
    """A relative path written in `source`'s config, made relative to `target` (absolute paths stay)."""
    if not isinstance(path, str) or os.path.isabs(path):
        return path
    return Path(os.path.relpath(source / path, target)).as_posix()


def project_config(config: dict[str, Any], nav: list[object], source: Path, target: Path) -> dict[str, Any]:
    """`config` (read from a `mkdocs.yml` in folder `source`) as a project in folder `target` needs it.

    No `research-site` plugin (the pages are already there); `docs_dir`,
    `site_dir` and the theme's `custom_dir` inside `target` (the overrides are
    copied there: see [`theme_folders`][build_scripts.theme.theme_folders]);
    the merged `nav`; mkdocstrings' Python `paths`, `watch` and the generator's
    own folders relative to `target`.
    """
    data = copy.deepcopy(config)
    if isinstance(data.get("plugins"), list):
        data["plugins"] = [p for p in data["plugins"] if plugin_name(p) != PLUGIN]
    data["docs_dir"], data["site_dir"], data["nav"] = DOCS, SITE, nav
    if "INHERIT" in data:
        data["INHERIT"] = _rebase(data["INHERIT"], source, target)
    if theme_folders(config, source):
        theme = data.get("theme")
        data["theme"] = theme = theme if isinstance(theme, dict) else {"name": theme or "material"}
        theme["custom_dir"] = THEME
    for key in ("watch", "hooks"):
        if isinstance(data.get(key), list):
            data[key] = [_rebase(path, source, target) for path in data[key]]
    for plugin in data.get("plugins") or []:
        handlers = plugin.get("mkdocstrings", {}).get("handlers", {}) if isinstance(plugin, dict) else {}
        python = handlers.get("python") if isinstance(handlers, dict) else None
        if isinstance(python, dict) and isinstance(python.get("paths"), list):
            python["paths"] = [_rebase(path, source, target) for path in python["paths"]]
    research = (data.get("extra") or {}).get("research")
    if isinstance(research, dict):
        for key in ("content_dir", "bib_dir"):
            research[key] = _rebase(research.get(key, key.removesuffix("_dir")), source, target)
        if str(research.get("csl_style", "")).endswith(".csl"):
            research["csl_style"] = _rebase(research["csl_style"], source, target)
    return data


def dump_config(data: dict[str, Any]) -> str:
    """`data` as YAML, tagged values with their tags, settings in their order."""
    return yaml.dump(data, Dumper=ConfigDumper, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _config_text(data: dict[str, Any], config_file: Path, target: Path) -> str:
    header = (
        f"# Written by `python -m build_scripts emit` from {Path(os.path.relpath(config_file, target)).as_posix()}:\n"
        "# edit that file and emit again; this one is replaced.\n"
    )
    return header + dump_config(data)


# -- writing the folder -----------------------------------------------------------------------------


def write_pages(result: BuildResult, out: Path, root: Path) -> None:
    """Write only the generated pages and files to `out` (replaced), as `emit --pages-only` does.

    Raises:
        ProjectError: If `out` holds the project at `root` or is inside its generator's folder.
    """
    _check_target(out.resolve(), root, [result.folder], replace_any=True)
    tmp = _temporary_beside(out)
    try:
        _copy_generated(result, tmp)
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_hand_written(config_file: Path, result: BuildResult) -> None:
    """Check that no hand-written file in the docs folder of `config_file` has the path of a generated one.

    Raises:
        ProjectError: Naming the first such file.
    """
    source = config_file.resolve().parent
    written_docs = source / str(read_config(config_file).get("docs_dir") or DOCS)
    _check_collisions(result, _files(written_docs), relative_path(written_docs, source))


def write_project(config_file: Path, result: BuildResult, out: Path, *, in_place: bool = False) -> Project:
    """Write the renderer project of `result` to `out`: pages, hand-written docs, config.

    `in_place` updates a project written before file by file (only files whose
    bytes changed are written, so a server watching it rebuilds only those)
    instead of swapping in a new folder.

    Raises:
        ProjectError: If a hand-written page has the path of a generated one, or
            `out` is a folder that must not be replaced; `out` is then unchanged.
    """
    config_file = config_file.resolve()
    config = read_config(config_file)
    source = config_file.parent
    written_docs = source / str(config.get("docs_dir") or DOCS)
    out = out.resolve()
    research = (config.get("extra") or {}).get("research") or {}
    inputs = [written_docs, result.folder, *(source / str(research.get(k, k[:-4])) for k in ("content_dir", "bib_dir"))]
    _check_target(out, source, inputs)
    hand_written = _files(written_docs)
    _check_collisions(result, hand_written, relative_path(written_docs, source))
    nav = merged_nav(result.nav, config.get("nav"))
    data = project_config(config, nav, source, out)
    data["extra_css"] = merged_assets(data.get("extra_css"), result.stylesheets)
    data["extra_javascript"] = merged_assets(data.get("extra_javascript"), result.scripts)
    text = _config_text(data, config_file, out)
    tmp = _temporary_beside(out)
    try:
        _copy_generated(result, tmp / DOCS)
        for path in hand_written:
            _copy(written_docs / path, tmp / DOCS / path)
        for folder in theme_folders(config, source):
            for path in _files(folder):
                _copy(folder / path, tmp / THEME / path)
        (tmp / CONFIG).write_text(text, encoding="utf-8")
        (tmp / MARKER).write_text("written by python -m build_scripts emit; replaced on every emit\n", encoding="utf-8")
        if in_place and (out / MARKER).is_file():
            _sync(tmp, out)
            shutil.rmtree(tmp)
        else:
            swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Project.at(out)


def swap_in(tmp: Path, target: Path) -> None:
    """Put the folder `tmp` where `target` is, replacing it; the old folder is removed once the new one is there."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _temporary_beside(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))


def _check_target(out: Path, root: Path, inputs: list[Path | None], replace_any: bool = False) -> None:
    """Refuse to replace the project itself or a folder of its inputs, or to write into one.

    Unless `replace_any`, a folder that has files but was not written by emit is refused too.
    """
    target = real(out)
    if inside(real(root), target) or inside(real(Path.cwd()), target):
        raise ProjectError(f"{out}: cannot write the project here: it holds the project (or the current folder)")
    for folder in filter(None, inputs):
        if inside(target, real(folder)) or inside(real(folder), target):
            raise ProjectError(f"{out}: cannot write the project here: it holds, or is inside, {folder}")
    if out.exists() and not out.is_dir():
        raise ProjectError(f"{out}: a file is there; name a folder")
    if not replace_any and out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ProjectError(
            f"{out}: folder exists and was not written by emit; name a new or empty folder (it is replaced)"
        )


def _files(folder: Path) -> list[str]:
    """The files under `folder`, relative to it, sorted (none when it is missing)."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _check_collisions(result: BuildResult, hand_written: list[str], docs_name: str) -> None:
    """A hand-written file at the path of a generated one (or of a folder of them) is an error."""
    generated = {page.path for page in result.pages} | set(result.files)
    folders = {parent.as_posix() for path in generated for parent in Path(path).parents}
    for path in hand_written:
        parents = {parent.as_posix() for parent in Path(path).parents}
        clash = path if path in generated or path in folders else next(iter(sorted(parents & generated)), None)
        if clash is not None:
            raise ProjectError(
                f"{docs_name}/{path}: a hand-written file has the same path as a generated page or file "
                f"({clash}); rename or move it (nothing was written)"
            )


def _copy_generated(result: BuildResult, docs: Path) -> None:
    for path in [*(page.path for page in result.pages), *result.files]:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(result.read(path))


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _sync(new: Path, old: Path) -> None:
    """Make `old`'s config, docs and theme what `new`'s are, writing only files whose bytes differ."""
    synced = [CONFIG, MARKER]
    for folder in (DOCS, THEME):
        names = _files(new / folder)
        if (old / folder).is_dir():
            remove_except(old / folder, set(names))
        synced += [f"{folder}/{name}" for name in names]
    for path in synced:
        write_changed(old / path, [(new / path).read_bytes()])
