"""The MkDocs hook named in `mkdocs.yml`: the events of [`mkdocs_adapter`][build_scripts.renderers.mkdocs_adapter].

MkDocs loads a hook file by its path, as a module of its own; importing the
events from the package keeps one copy of the adapter's state.
"""

from build_scripts.renderers.mkdocs_adapter import on_config, on_files, on_post_page

__all__ = ["on_config", "on_files", "on_post_page"]
