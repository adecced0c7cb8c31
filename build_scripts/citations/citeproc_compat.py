"""Compatibility shim for citeproc-py 0.11.1, applied once by [`patch`][build_scripts.citations.citeproc_compat.patch].

citeproc-py falls short of CSL 1.0.1 in ways that show with the Chicago styles:

* `initialize="false"` on `cs:name` is ignored ("Baev, P. K." for "Pavel K.");
* a title ending in `?`/`!` keeps the following period (`“Partnership?”.`),
  and the locale's `punctuation-in-quote` is ignored (`“Title”.`);
* variables used by `cs:substitute` are printed again later, and a bare
  `cs:names` inside it loses the name options ("M. Kaczmarski, B. Lo");
* quotes inside quotes are not alternated;
* title case capitalizes most prepositions ("Behind"), having few stop words;
* static style lookups are repeated by XPath for every entry (30x slower).

[`patch`][build_scripts.citations.citeproc_compat.patch] fixes the model;
[`fix_punctuation`][build_scripts.citations.citeproc_compat.fix_punctuation] fixes the output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from citeproc import model as csl_model
from citeproc import source as csl_source
from citeproc.source import VariableError


def _is_initials(word: str) -> bool:
    """True for "P.", "P.K." or "J-P": every part a single capital letter."""
    parts = [p for p in re.split(r"[.\-]", word) if p]
    return bool(parts) and all(len(p) == 1 and p.isupper() for p in parts)


def _honour_initialize_false() -> None:
    """Make `cs:name` honour `initialize="false"` (CSL 1.0.1).

    With `initialize="false"`, given names are kept in full; only names that
    already are initials ("P.K.") are formatted with `initialize-with`.
    """
    original = csl_model.Name.initialize

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        setting = self.get("initialize")
        if setting is None:
            scope = (context if context is not None else self).xpath_search(
                "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
            )
            setting = (scope[0].get("initialize") if scope else None) or self.get_root().get("initialize")
        if (setting or "true").lower() != "false":
            initials: str = original(self, given, mark, context)
            return initials
        return " ".join(original(self, w, mark, context) if _is_initials(w) else w for w in given.split())

    csl_model.Name.initialize = initialize


#: Variables rendered while each active `cs:substitute` child renders.
_recording: list[set[tuple[str, str]]] = []


def _layout(element: Any) -> Any:
    try:
        return element.get_layout()
    except IndexError:
        return None


def _substituted_names(names: Any) -> Any:
    """The `cs:names` whose `cs:substitute` holds a bare `names` (in a `cs:choose`), or None.

    A bare `<names variable="editor"/>` in a substitute inherits the original
    `cs:name` and `cs:label`; citeproc-py only did so for direct children.
    """
    key = ("substituted", names, "")
    if key not in _memo:
        found = names.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
        _memo[key] = found[0] if found else None
    return _memo[key]


def _suppress_substituted() -> None:  # noqa: C901 (the replacement methods nest inside the patch)
    """Suppress variables used by `cs:substitute` in the rest of the entry (CSL 1.0.1).

    citeproc-py only suppresses a substitute child that is itself a
    `<text variable>`; the Chicago styles substitute through macros and
    `cs:choose`, which printed e.g. an untitled author's title twice. Here the
    variables that a successful substitute child actually rendered are
    recorded and suppressed, for `cs:text` and for `cs:names`. Bare `cs:names`
    nested in the substitute inherit the original name options.
    """
    text_variable, names_process = csl_model.Text._variable, csl_model.Names.process

    def _variable(self: Any, item: Any, context: Any) -> Any:
        text = text_variable(self, item, context)
        if text and _recording:
            for used in _recording:
                used.add((self.tag, self.get("variable")))
        return text

    def process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        layout = _layout(context if context is not None else self)
        roles = [role for role in self.get("variable", "").split() if role in item.reference]
        repressed = layout.repressed.get(self.tag, []) if layout is not None else []
        if roles and all(role in repressed for role in roles):
            raise VariableError
        if names_context is None and self.name is None:
            names_context = _substituted_names(self)
        text = names_process(self, item, names_context=names_context, context=context, **kwargs)
        if text and _recording:
            for used in _recording:
                used.update((self.tag, role) for role in roles)
        return text

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        for child in self.getchildren():
            _recording.append(set())
            try:
                if isinstance(child, csl_model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                used = _recording.pop()
            if text:
                layout = _layout(context if context is not None else self)
                if layout is not None:
                    for tag, variable in used:
                        layout.repressed.setdefault(tag, []).append(variable)
                return text
        return None

    csl_model.Text._variable = _variable
    csl_model.Names.process = process
    csl_model.Substitute.render = render


#: Per-run memo of static style lookups, keyed by style element (cleared by each run).
_memo: dict[tuple[str, Any, str], Any] = {}


@contextmanager
def cached_lookups() -> Iterator[None]:
    """Cache static style lookups for one citeproc run (cleared before and after it)."""
    _memo.clear()
    try:
        yield
    finally:
        _memo.clear()


def _memoize_style_lookups() -> None:  # noqa: C901 (the replacement methods nest inside the patch)
    """Memoize lookups that citeproc-py repeats by XPath for every entry.

    Macros, layouts, locale terms and `calls_variable` depend only on the
    style tree; without the memo, formatting the 3,644 entries of tugboat.bib
    took 110 s instead of about 10 s.
    """
    element = csl_model.CitationStylesElement
    get_macro, get_layout, get_term = element.get_macro, element.get_layout, csl_model.Locale.get_term
    parent_calls, text_calls = csl_model.Parent.calls_variable, csl_model.Text.calls_variable
    reference = csl_source.CitationItem.reference.fget

    def cached_get_macro(self: Any, name: str) -> Any:
        key = ("macro", self.get_root(), name)
        if key not in _memo:
            _memo[key] = get_macro(self, name)
        return _memo[key]

    def cached_get_layout(self: Any) -> Any:
        key = ("layout", self, "")
        if key not in _memo:
            _memo[key] = get_layout(self)
        return _memo[key]

    def cached_get_term(self: Any, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        key = ("term", self, f"{name}|{form}|{zero_padded}")
        if key not in _memo:
            try:
                _memo[key] = get_term(self, name, form, zero_padded)
            except IndexError:
                _memo[key] = None
        if _memo[key] is None:
            raise IndexError(name)
        return _memo[key]

    def cached_reference(self: Any) -> Any:
        key = ("reference", id(self), "")
        if key not in _memo:
            _memo[key] = (self, reference(self))  # holding `self` keeps its id unique
        return _memo[key][1]

    def cached(original: Any) -> Any:
        def calls_variable(self: Any) -> bool:
            key = ("calls", self, "")
            if key not in _memo:
                _memo[key] = original(self)
            calls: bool = _memo[key]
            return calls

        return calls_variable

    element.get_macro, element.get_layout = cached_get_macro, cached_get_layout
    csl_model.Locale.get_term = cached_get_term
    csl_source.CitationItem.reference = property(cached_reference)
    csl_model.Parent.calls_variable = cached(parent_calls)
    csl_model.Text.calls_variable = cached(text_calls)


#: Words CSL title case leaves lower-case (citeproc-js's list; citeproc-py knows 26 of them).
_STOP_WORDS = frozenset(
    [
        "a",
        "according",
        "across",
        "after",
        "against",
        "ahead",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "an",
        "and",
        "apart",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "atop",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "except",
        "for",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "near",
        "next",
        "nor",
        "of",
        "off",
        "on",
        "onto",
        "or",
        "out",
        "over",
        "per",
        "plus",
        "since",
        "so",
        "than",
        "the",
        "through",
        "throughout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "via",
        "with",
        "within",
        "without",
        "yet",
    ]
)


def patch() -> None:
    """Apply the compatibility shim once (idempotent)."""
    if getattr(csl_model, "_research_site_patched", False):
        return
    csl_model.TextCased._stop_words = _STOP_WORDS
    _honour_initialize_false()
    _suppress_substituted()
    _memoize_style_lookups()
    csl_model._research_site_patched = True


_ENDS_QUESTION = re.compile(r"([?!])((?:</[a-z]+>|[”’])*)\.")
_PUNCT_OUTSIDE = re.compile(r"(?<![?!])(’?”)([.,])")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.((?:</[a-z]+>|[”’])*)\.(?!\.)")


def _nest_quotes(text: str) -> str:
    """Quotes inside quotes alternate: “a ‘b’ c” (citeproc-py leaves “a “b” c”)."""
    out, depth = [], 0
    for char in text:
        if char == "“":
            char = "“" if depth % 2 == 0 else "‘"
            depth += 1
        elif char == "”" and depth > 0:
            depth -= 1
            char = "”" if depth % 2 == 0 else "’"
        out.append(char)
    return "".join(out)


def fix_punctuation(text: str, punctuation_in_quote: bool) -> str:
    """Post-process citeproc-py output for punctuation it gets wrong.

    `?”.` → `?”` (no period after `?`/`!`), nested quotes alternate, `”.` →
    `.”` when the locale puts punctuation inside quotes (American usage), and
    a doubled period (a title ending in "Inc.") is collapsed.
    """
    if "“" in text:
        text = _nest_quotes(text)
    text = _ENDS_QUESTION.sub(r"\1\2", text)
    if punctuation_in_quote:
        text = _PUNCT_OUTSIDE.sub(r"\2\1", text)
    return _DOUBLE_PERIOD.sub(r".\1", text)
