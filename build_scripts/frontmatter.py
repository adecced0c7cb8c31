"""Split a note into YAML front matter and body, keeping line numbers.

The YAML is composed into a node tree first, so that every mapping in it
(the note itself, each fact, each claim) can be reported by its own line, and
duplicate keys, which PyYAML would silently overwrite, are caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .model import Diagnostic, Location, Severity

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


@dataclass(frozen=True, slots=True)
class Mapping:
    """A YAML mapping with the 1-based file line of each key.

    Attributes:
        data: The constructed values (plain Python objects).
        line: File line where the mapping starts.
        key_lines: File line of each key.
        items: For keys holding a list of mappings, those mappings.
    """

    data: dict[str, Any]
    line: int
    key_lines: dict[str, int]
    items: dict[str, list["Mapping | Any"]]


@dataclass(frozen=True, slots=True)
class Split:
    """A note file split into parts.

    Attributes:
        meta: The front matter, or None when it is missing or unreadable.
        body: The Markdown after the closing `---`.
        body_line: File line of the body's first line.
    """

    meta: Mapping | None
    body: str
    body_line: int


def split(text: str, path: str) -> tuple[Split, list[Diagnostic]]:
    """Split `text` (the contents of the note at `path`) into front matter and body."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Split(None, text, 1), [_error(path, 1, "note has no front matter",
                                             "start the file with a line '---', the YAML keys, and '---'")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return Split(None, "", len(lines)), [_error(path, 1, "front matter is not closed",
                                                    "add a line '---' after the YAML keys")]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    meta, diags = _parse_yaml(yaml_text, path, first_line=2, last_line=max(end, 2))
    return Split(meta, body, end + 2), diags


def _parse_yaml(text: str, path: str, first_line: int, last_line: int) -> tuple[Mapping | None, list[Diagnostic]]:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = min(first_line + mark.line, last_line) if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [_error(path, line, f"front matter is not valid YAML: {problem}",
                             "check indentation (spaces, not tabs) and quote values containing ':'")]
    if node is None:
        return Mapping({}, first_line, {}, {}), []
    if not isinstance(node, yaml.MappingNode):
        return None, [_error(path, first_line, "front matter must be a mapping of keys to values")]
    diags: list[Diagnostic] = []
    mapping = _mapping(node, path, first_line, diags)
    return mapping, diags


def _mapping(node: yaml.MappingNode, path: str, offset: int, diags: list[Diagnostic]) -> Mapping | None:
    loader = _LOADER("")
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    items: dict[str, list[Any]] = {}
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            diags.append(_error(path, line, "front matter keys must be plain words"))
            continue
        key = key_node.value
        if key in data:
            diags.append(_error(path, line, f"duplicate key '{key}'", "remove one of the two"))
            continue
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except yaml.YAMLError as exc:
            diags.append(_error(path, line, f"cannot read '{key}': {getattr(exc, 'problem', exc)}",
                                "only plain YAML values are allowed (no tags such as !!python)"))
            continue
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            items[key] = [
                _mapping(item, path, offset, diags) if isinstance(item, yaml.MappingNode) else None
                for item in value_node.value
            ]
    return Mapping(data, offset + node.start_mark.line, key_lines, items)


def _error(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(path, line), Severity.ERROR, message, hint)
