"""Split a note into YAML front matter and body, keeping line numbers.

The YAML is composed into a node tree first, so that every mapping in it
(the note itself, each fact, each claim) can be reported by its own line, and
duplicate keys, which PyYAML would silently overwrite, are caught.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import yaml

from build_scripts.model import Diagnostic, Location
from build_scripts.slugs import slug

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
        comma_splits: Keys that are the rest of a value YAML split at a comma
            (`{value: Kansas, USA}`), each with the key whose value it was split
            from and that whole value (`USA` → `("value", "Kansas, USA")`).
    """

    data: dict[str, Any]
    line: int
    key_lines: dict[str, int]
    items: dict[str, list[Mapping | Any]]
    raw: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    comma_splits: dict[str, tuple[str, str]] = field(default_factory=dict)


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
        return Split(None, text, 1), [
            Diagnostic.error(
                Location(path, 1),
                "note has no front matter",
                "start the file with a line '---', the YAML keys, and '---'",
            )
        ]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return Split(None, "", len(lines)), [
            Diagnostic.error(Location(path, 1), "front matter is not closed", "add a line '---' after the YAML keys")
        ]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    meta, diags = _parse_yaml(yaml_text, path, first_line=2, last_line=max(end, 2))
    return Split(meta, body, end + 2), diags


def _parse_yaml(text: str, path: str, first_line: int, last_line: int) -> tuple[Mapping | None, list[Diagnostic]]:
    lines = _Lines(first_line, last_line)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            Diagnostic.error(
                Location(path, lines.at(mark)),
                f"front matter is not valid YAML: {problem}",
                "check indentation (spaces, not tabs) and quote values containing ':'",
            )
        ]
    except RecursionError:
        return None, [
            Diagnostic.error(
                Location(path, first_line),
                "front matter is nested too deeply",
                "front matter holds plain keys, lists of names, and lists of facts and claims",
            )
        ]
    if node is None:
        return Mapping({}, first_line, {}, {}), []
    if not isinstance(node, yaml.MappingNode):
        return None, [
            Diagnostic.error(
                Location(path, first_line),
                "front matter must be a mapping of keys to values",
                "write one 'key: value' per line",
            )
        ]
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


def _mapping(node: yaml.MappingNode, path: str, lines: _Lines, diags: list[Diagnostic], top: bool = False) -> Mapping:
    loader = _LOADER("")
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    items: dict[str, list[Any]] = {}
    raw: dict[str, str] = {}
    pairs: dict[str, list[tuple[str, Any]]] = {}
    for key_node, value_node in node.value:
        line = lines.at(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            diags.append(
                Diagnostic.error(
                    Location(path, line),
                    "front matter keys must be plain words",
                    "write 'key: value', with a word as the key",
                )
            )
            continue
        key = key_node.value
        if key in data:
            diags.append(Diagnostic.error(Location(path, line), f"duplicate key '{key}'", "remove one of the two"))
            continue
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except Exception as exc:
            problem = getattr(exc, "problem", None) or (
                "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
            )
            diags.append(
                Diagnostic.error(
                    Location(path, line),
                    f"cannot read '{key}': {problem}",
                    "only plain YAML values are allowed (no tags such as !!python)",
                )
            )
            key_lines[key] = line  # known but unreadable: not reported again as missing
            continue
        key_lines[key] = line
        if (
            isinstance(value_node, yaml.ScalarNode)
            and not value_node.style
            and value_node.tag.startswith("tag:yaml.org,2002:")
            and value_node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null")
        ):
            raw[key] = value_node.value
        if isinstance(value_node, yaml.MappingNode) and isinstance(data[key], dict):
            pairs[key] = [(str(k.value), loader.construct_object(v, deep=True)) for k, v in value_node.value]
        if top and isinstance(value_node, yaml.SequenceNode):
            items[key] = [
                _mapping(item, path, lines, diags) if isinstance(item, yaml.MappingNode) else None
                for item in value_node.value
            ]
    splits = _comma_splits(node) if node.flow_style else {}
    return Mapping(data, lines.at(node.start_mark), key_lines, items, raw, pairs, splits)


def _comma_splits(node: yaml.MappingNode) -> dict[str, tuple[str, str]]:
    """In `{key: value, ...}`, the keys without a value that follow a plain value: the rest of it after a comma.

    `{fact: x, value: Kansas, USA}` is read by YAML as `value: Kansas` and a key `USA` with no value.
    """
    runs: list[tuple[str, list[str]]] = []
    found: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            runs.append(("", []))
        elif runs and runs[-1][1] and value_node.tag.endswith(":null") and not value_node.value:
            runs[-1][1].append(key_node.value)
            found[key_node.value] = len(runs) - 1
        else:
            runs.append((key_node.value, [value_node.value] if value_node.value and not value_node.style else []))
    return {key: (runs[run][0], ", ".join(runs[run][1])) for key, run in found.items()}


ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""What an id (of a note or a fact) looks like."""
MAX_ID_LENGTH = 100
"""Longest id accepted: ids become file names and URLs."""


class Reader:
    """Typed access to one front-matter mapping, reporting problems as it goes."""

    def __init__(self, path: str, mapping: Mapping, diags: list[Diagnostic], what: str = "note"):
        self.path, self.m, self.diags, self.what = path, mapping, diags, what

    def line(self, key: str | None) -> int:
        """The line of `key` in the file (the mapping's first line for None or a key not written)."""
        return self.m.key_lines.get(key, self.m.line) if key else self.m.line

    def error(self, key: str | None, message: str, hint: str = "") -> None:
        """Report an error at `key`'s line."""
        self.diags.append(Diagnostic.error(Location(self.path, self.line(key)), message, hint))

    def get(self, key: str, types: type | tuple[type, ...], required: bool = False, default: Any = None) -> Any:
        """The value of `key` if it is one of `types` (text stripped), else `default`, reporting why."""
        value = self.m.data.get(key)
        if value is None:
            if required and key not in self.m.key_lines:
                self.error(None, f"{self.what} has no '{key}'", f"add '{key}:'")
            return default
        if isinstance(value, bool) or not isinstance(value, types):
            expected = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
            self.error(key, f"'{key}' must be {_article(expected)}, not {type(value).__name__}")
            return default
        return value.strip() if isinstance(value, str) else value

    def text(self, key: str) -> str:
        """A scalar as text: numbers, dates and yes/no written unquoted are taken as written."""
        value = self.m.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, (str, int, float, datetime.date)):
            self.error(
                key,
                f"'{key}' must be a single value, not {_kind(value)}",
                "write it as text; quote it if it contains ':' or starts with '[' or '{'",
            )
            return ""
        return " ".join(str(self.m.raw.get(key, value)).split())

    def ident(self, key: str) -> str | None:
        """The id written under `key`, or None (reported) if it is missing or not a valid id."""
        value: str | None = self.get(key, str, required=True)
        if value is None:
            return None
        what = f"{self.what} id"
        if len(value) > MAX_ID_LENGTH:
            self.error(
                key,
                f"{what} '{value[:40]}…' is {len(value)} characters long",
                f"use at most {MAX_ID_LENGTH} characters",
            )
            return None
        if not ID_PATTERN.fullmatch(value):
            self.error(key, f"invalid {what} '{value}': {_id_problem(value)}", _id_hint(value))
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of names (one name alone is taken as a list of one); () if absent or malformed."""
        value = self.m.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"'{key}' must be a list of names")
            return ()
        return tuple(v.strip() for v in value)

    def mappings(self, key: str) -> list[Mapping]:
        """The list of mappings under `key`; items that are not mappings are reported and left out."""
        if key not in self.m.data:
            return []
        items = self.m.items.get(key)
        if items is None or any(item is None for item in items):
            self.error(key, f"'{key}' must be a list of mappings", "write each item as '- key: value'")
            return [item for item in items or [] if item is not None]
        return items

    def unknown_keys(self, allowed: AbstractSet[str]) -> None:
        """Report each key not in `allowed`, naming the allowed ones (or the comma that split a value)."""
        split_up = set()  # a value split at several commas is reported once
        for key in sorted(set(self.m.data) - allowed, key=self.line):
            owner, whole = self.m.comma_splits.get(key, ("", ""))
            if owner in allowed and (owner, whole) in split_up:
                continue
            if owner in allowed:
                split_up.add((owner, whole))
                message = f"unknown {self.what} key '{key}': YAML ended the value of '{owner}' at the comma before it"
                self.error(key, message, f'quote the value: {owner}: "{whole}"')
            else:
                self.error(key, f"unknown {self.what} key '{key}'", f"allowed keys: {', '.join(sorted(allowed))}")


def _id_problem(value: str) -> str:
    """Why `value` is not an id, in the author's terms."""
    if not value:
        return "it is empty"
    if "/" in value or "\\" in value or value.startswith("."):
        return "an id is a name, not a path"
    if not value.isascii():
        return "ids use ASCII only (no accents or other scripts)"
    if value.lower() != value:
        return "ids are lower-case"
    if value.startswith("-"):
        return "an id starts with a letter or digit"
    return "ids use lower-case letters, digits and '-' only"


def _id_hint(value: str) -> str:
    """A valid id close to `value`, as a hint."""
    suggestion = slug(value)[:MAX_ID_LENGTH].strip("-")
    if suggestion and suggestion != value:
        return f"use lower-case ASCII letters, digits and '-', e.g. '{suggestion}'"
    return "use lower-case ASCII letters, digits and '-'"


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), type(value).__name__)


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
