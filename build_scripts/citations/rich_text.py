r"""BibTeX field text → CSL-JSON rich text: Unicode, with the few HTML tags CSL processors read.

A title in BibTeX says more than its letters: braces protect case
(`{NATO}`, `{Moscow}`), `\emph` italicises, `$10^6$` raises. CSL-JSON says
the same with `<span class="nocase">`, `<i>`, `<b>`, `<sup>`, `<sub>` and
`<span style="font-variant:small-caps;">`, which citeproc-js honours
(a protected word keeps its case when the style changes a title's case).

```python
rich(r"Axis of Convenience: {Moscow}, \emph{Beijing}")
# → 'Axis of Convenience: <span class="nocase">Moscow</span>, <i>Beijing</i>'
```

[`unmarked`][build_scripts.citations.rich_text.unmarked] takes the tags out
again, for plain-text uses (exports, page titles).
"""

from __future__ import annotations

import re

from build_scripts.library.latex import decode_latex

__all__ = ["rich", "unmarked"]

# Private-use characters stand for the tags while pylatexenc decodes the rest.
_TAGS = {
    "nocase": ("\ue030", "\ue031", '<span class="nocase">', "</span>"),
    "i": ("\ue032", "\ue033", "<i>", "</i>"),
    "b": ("\ue034", "\ue035", "<b>", "</b>"),
    "sc": ("\ue036", "\ue037", '<span style="font-variant:small-caps;">', "</span>"),
    "sup": ("\ue038", "\ue039", "<sup>", "</sup>"),
    "sub": ("\ue03a", "\ue03b", "<sub>", "</sub>"),
}
_BACKSLASH = "\ue03c"
_MAX_DEPTH = 32
_COMMANDS = {"emph": "i", "textit": "i", "textsl": "i", "textbf": "b", "textsc": "sc", "textsuperscript": "sup"}
_COMMANDS |= {"textsubscript": "sub"}
_SWITCHES = {"em": "i", "it": "i", "sl": "i", "itshape": "i", "bf": "b", "bfseries": "b", "sc": "sc", "scshape": "sc"}
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)\s*$|\\[^A-Za-z\s]$")
_SWITCH = re.compile(r"^\\([A-Za-z]+)(?![A-Za-z])\s*")
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)")
_SCRIPT = re.compile(r"(?<!\\)([\^_])\s*(\{((?:[^{}]|\{[^{}]*\})*)\}|\\?[A-Za-z0-9])")
_CARET = re.compile(r"(?<![\\{])\^\s*(\{((?:[^{}]|\{[^{}]*\})*)\}|[A-Za-z0-9])")
_CHAR = re.compile(r"\\char\s*`\\?(\\|.)")
_MARKUP = re.compile(
    r'<(i|b|sup|sub)>((?:(?!<\1>).)*?)</\1>|<span (?:class="nocase"|style="[^"<>]*")>((?:(?!<span).)*?)</span>'
)
_OPENING = re.compile(r"(?<![\w\u2019])'(?=[^\W\d_])")  # 'A quote' opens; '05 is an apostrophe
_APOSTROPHE = re.compile(r"(?<=[\w.,;:!?)\]\u2019\ue031\ue033\ue035\ue037\ue039\ue03b])'")  # after a closing tag too


def rich(value: str) -> str:
    """A BibTeX field value as CSL-JSON rich text: LaTeX decoded, case protection and font commands as tags.

    Args:
        value: A field value as stored in `Source.fields`.

    Returns:
        Unicode text with `<span class="nocase">`, `<i>`, `<b>`, `<sup>`,
        `<sub>` and small-caps spans where the LaTeX asked for them.
    """
    if not re.search(r"[{}\\$^`]", value):
        return _OPENING.sub("\u2018", _APOSTROPHE.sub("\u2019", decode_latex(value)))
    marked = _scripts(_CHAR.sub(lambda m: _BACKSLASH if m.group(1) == "\\" else m.group(1), value))
    marked = re.sub(r"\\hyphen(?![A-Za-z])\s*", "-", _groups(marked, protect=True))
    text = _OPENING.sub("\u2018", _APOSTROPHE.sub("\u2019", decode_latex(marked)))
    text = text.replace("`", "\u2018").replace(_BACKSLASH, "\\")
    for opening, closing, tag, end in _TAGS.values():
        text = text.replace(opening, tag).replace(closing, end)
    return re.sub(r'<span class="nocase"></span>|<(i|b|sup|sub)></\1>', "", text)


def unmarked(text: str) -> str:
    """CSL-JSON rich text without its tags ("<i>Axis</i>" → "Axis"); a lone `<b>` is text and stays."""
    while "<" in text:
        done = _MARKUP.sub(lambda m: m.group(2) if m.group(1) else m.group(3), text)
        if done == text:
            break
        text = done
    return text


def _scripts(value: str) -> str:
    r"""`^x`, `^{xy}` → superscript, and in math `_x` → subscript (`$10^6$`, `\(CO_2\)`)."""

    def script(match: re.Match[str]) -> str:
        kind = "sup" if match.group(1) == "^" else "sub"
        body = match.group(3) if match.group(3) is not None else match.group(2)
        return f"{_TAGS[kind][0]}{body}{_TAGS[kind][1]}" if body.strip() else ""

    def math(match: re.Match[str]) -> str:
        body = (match.group(1) or match.group(2)).replace("{}", "")
        return _SCRIPT.sub(script, body)

    return _CARET.sub(
        lambda m: _mark("sup", m.group(2) if m.group(2) is not None else m.group(1)), _MATH.sub(math, value)
    )


def _groups(value: str, protect: bool, depth: int = 0) -> str:
    r"""Top-level brace groups as marks.

    A group after a font command is its font, `{\em …}` likewise,
    any other group (not a macro's argument, not an accent) as protected case. Groups nested deeper than
    `_MAX_DEPTH` are left to [`decode_latex`][build_scripts.library.latex.decode_latex].
    """
    if depth > _MAX_DEPTH:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            out.append(value[i : i + 2])
            i += 2
            continue
        if char != "{":
            out.append(char)
            i += 1
            continue
        end = _closing(value, i)
        inner = value[i + 1 : end]
        before = "".join(out)
        command = _CONTROL_WORD.search(before)
        if command and command.group(1) in _COMMANDS:
            kind = _COMMANDS[command.group(1)]
            del out[:]
            out.append(before[: command.start()] + _mark(kind, _groups(inner, protect, depth + 1)))
        elif command:  # another macro's argument, or an accent's: decoded as it is
            out.append("{" + inner + "}")
        elif inner.startswith(
            "\\"
        ):  # {\em …} a font switch; {\'e}, {\tt …} decoded as they are (BibTeX: not protected)
            switch = _SWITCH.match(inner)
            kind = _SWITCHES.get(switch.group(1), "") if switch else ""
            out.append(
                _mark(kind, _groups(inner[switch.end() :], protect, depth + 1))
                if switch and kind
                else "{" + inner + "}"
            )
        elif protect and inner.strip():
            out.append(_mark("nocase", _groups(inner, False, depth + 1)))
        else:
            out.append(_groups(inner, protect, depth + 1))
        i = end + 1
    return "".join(out)


def _closing(value: str, start: int) -> int:
    """The index of the brace closing the one at `start` (the end of the value if none does)."""
    depth, i = 0, start
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(value[i], 0)
        if depth == 0:
            return i
        i += 1
    return len(value)


def _mark(kind: str, text: str) -> str:
    return f"{_TAGS[kind][0]}{text}{_TAGS[kind][1]}"
