"""Split a note into YAML front matter and body, keeping line numbers.

The YAML is composed into a node tree first, so that every mapping in it
(the note itself, each fact, each claim) can be reported by its own line, and
duplicate keys, which PyYAML would silently overwrite, are caught.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
        items: For keys holding a list of mappings, those mappings (top-level
            mapping only: facts and claims are one level deep).
        raw: For keys holding a plain (untagged, unquoted) scalar, the text as
            written, so that `value: 107.70` or `position: no` is not turned
            into `107.7` or `False` by YAML's typing.
        pairs: For keys holding a mapping, its entries with each key as
            written (so that `positions: {yes: ..., no: ...}` keeps `yes`).
    """

    data: dict[str, Any]
    line: int
    key_lines: dict[str, int]
    items: dict[str, list[Mapping | Any]]
    raw: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)


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
    lines = _Lines(first_line, last_line)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [_error(path, lines.at(mark), f"front matter is not valid YAML: {problem}",
                             "check indentation (spaces, not tabs) and quote values containing ':'")]
    except RecursionError:
        return None, [_error(path, first_line, "front matter is nested too deeply",
                             "front matter holds plain keys, lists of names, and lists of facts and claims")]
    if node is None:
        return Mapping({}, first_line, {}, {}), []
    if not isinstance(node, yaml.MappingNode):
        return None, [_error(path, first_line, "front matter must be a mapping of keys to values",
                             "write one 'key: value' per line")]
    diags: list[Diagnostic] = []
    mapping = _mapping(node, path, lines, diags, top=True)
    return mapping, diags


@dataclass(frozen=True, slots=True)
class _Lines:
    """Turns YAML marks into file lines, kept inside the front matter.

    YAML also breaks lines at U+0085, U+2028 and U+2029, which the note's own
    line count does not; clamping keeps every reported line a real one.
    """

    first: int
    last: int

    def at(self, mark: Any) -> int:
        line = getattr(mark, "line", None)
        if not isinstance(line, int):
            return self.first
        return max(self.first, min(self.first + line, self.last))


def _mapping(node: yaml.MappingNode, path: str, lines: _Lines, diags: list[Diagnostic],
             top: bool = False) -> Mapping:
    loader = _LOADER("")
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    items: dict[str, list[Any]] = {}
    raw: dict[str, str] = {}
    pairs: dict[str, list[tuple[str, Any]]] = {}
    for key_node, value_node in node.value:
        line = lines.at(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            diags.append(_error(path, line, "front matter keys must be plain words",
                                "write 'key: value', with a word as the key"))
            continue
        key = key_node.value
        if key in data:
            diags.append(_error(path, line, f"duplicate key '{key}'", "remove one of the two"))
            continue
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except Exception as exc:
            problem = getattr(exc, "problem", None) or (
                "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__)
            diags.append(_error(path, line, f"cannot read '{key}': {problem}",
                                "only plain YAML values are allowed (no tags such as !!python)"))
            key_lines[key] = line  # known but unreadable: not reported again as missing
            continue
        key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode) and not value_node.style and value_node.tag.startswith(
                "tag:yaml.org,2002:") and value_node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null"):
            raw[key] = value_node.value
        if isinstance(value_node, yaml.MappingNode) and isinstance(data[key], dict):
            pairs[key] = [(str(k.value), loader.construct_object(v, deep=True)) for k, v in value_node.value]
        if top and isinstance(value_node, yaml.SequenceNode):
            items[key] = [
                _mapping(item, path, lines, diags) if isinstance(item, yaml.MappingNode) else None
                for item in value_node.value
            ]
    return Mapping(data, lines.at(node.start_mark), key_lines, items, raw, pairs)


def _error(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(path, line), Severity.ERROR, message, hint)
