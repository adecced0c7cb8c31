"""LaTeX in BibTeX field values → Unicode text for display.

[`bib`][build_scripts.library.bib] keeps field values as written; the stages that
show them ([`cite`][build_scripts.citations.cite], add-source) decode them with
[`decode_latex`][build_scripts.library.latex.decode_latex]. pylatexenc does the work,
taught the macros common in .bib files; values without macros take a fast
path, and nothing here raises.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["decode_latex"]

_WS = re.compile(r"\s+")
_MAX_DEPTH = 64  # pylatexenc recurses per brace level; deeper groups are flattened
_PLAIN_RE = re.compile(r"[\\$%]")
_BRACE_RE = re.compile(r"(?<!\\)[{}]")
_PERCENT_RE = re.compile(r"(?<!\\)%")
_SIMPLE = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"), ("~", " "))


#: Macros common in .bib files that pylatexenc does not know: name -> (arguments, replacement).
_BIB_MACROS: dict[str, tuple[str, str | None]] = {
    **{
        name: ("{", "%(1)s")
        for name in ("mbox", "hbox", "text", "url", "path", "texttt", "acro", "textsuperscript", "textsc", "textsf")
    },
    **{name: ("{", "\u201c%(1)s\u201d") for name in ("enquote", "mkbibquote")},
    **{name: ("", "") for name in ("tt", "it", "sl", "sf", "bf", "rm", "sc", "em", "relax", "smc")},
    "href": ("{{", "%(2)s"),
    "switchargs": ("{{", "%(2)s%(1)s"),
    "noopsort": ("{", ""),
    "Dash": ("", "\u2014"),
    "dash": ("", "\u2014"),
    "slash": ("", "/"),
    "thinspace": ("", " "),
    "TeX": ("", "TeX"),
    "LaTeX": ("", "LaTeX"),
    "LaTeXe": ("", "LaTeX2e"),
    "BibTeX": ("", "BibTeX"),
    "MF": ("", "Metafont"),
    "MP": ("", "MetaPost"),
}
_UNKNOWN_MACRO = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])(\{\})?(?!\s*\{)")


@functools.cache
def _converter() -> tuple[Any, Any, Any]:
    """Pylatexenc's converter, walker context and walker module, knowing `_BIB_MACROS`."""
    from pylatexenc import latex2text, latexwalker, macrospec

    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "bib", prepend=True, macros=[macrospec.MacroSpec(name, args) for name, (args, _) in _BIB_MACROS.items()]
    )
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category(
        "bib",
        prepend=True,
        macros=[latex2text.MacroTextSpec(name, repl, discard=not repl) for name, (_, repl) in _BIB_MACROS.items()],
    )
    conv = latex2text.LatexNodes2Text(latex_context=text_db, math_mode="text")
    return conv, walker_db, latexwalker


def _logo(match: re.Match[str], text_db: Any) -> str:
    r"""Unknown argument-less macros are mostly logos (`\OzTeX{}`): show their name."""
    known = text_db.get_macro_spec(match.group(1)) is not None
    return match.group(0) if known else match.group(1)


def _flatten(value: str, limit: int = _MAX_DEPTH) -> str:
    """Drop the braces nested deeper than `limit` (pylatexenc recurses per level)."""
    out, depth, last = [], 0, 0
    for match in _BRACE_RE.finditer(value):
        opening = match.group() == "{"
        level = depth + 1 if opening else depth
        depth = level if opening else max(depth - 1, 0)
        if level > limit:
            out.append(value[last : match.start()])
            last = match.end()
    out.append(value[last:])
    return "".join(out)


def _simple(value: str) -> str:
    """Decoding for values without macros: drop braces, typographic ligatures."""
    value = _BRACE_RE.sub("", value)
    for old, new in _SIMPLE:
        value = value.replace(old, new)
    return value


@functools.lru_cache(maxsize=1 << 16)
def decode_latex(value: str) -> str:
    r"""LaTeX → Unicode for display ({\'e} → é, --- → —, protective braces removed); cached.

    A bare `%` is kept as a percent sign (in a .bib value it is hardly ever
    meant as a comment), `~` becomes a space, and whitespace is collapsed.
    Never raises: input pylatexenc cannot handle falls back to dropping braces.

    Args:
        value: A field value as stored in `Source.fields`.

    Returns:
        The text to show.
    """
    value = _flatten(value)
    if not _PLAIN_RE.search(value):
        text = _simple(value)
    else:
        conv, walker_db, latexwalker = _converter()
        source = _PERCENT_RE.sub(r"\\%", value)
        source = _UNKNOWN_MACRO.sub(lambda m: _logo(m, conv.latex_context), source)
        try:
            walker = latexwalker.LatexWalker(source, latex_context=walker_db, tolerant_parsing=True)
            text = conv.nodelist_to_text(walker.get_latex_nodes()[0])
        except Exception:  # malformed LaTeX must not stop the build
            text = _simple(value)
        text = text.replace("\u00a0", " ")
    return _WS.sub(" ", text).strip()
