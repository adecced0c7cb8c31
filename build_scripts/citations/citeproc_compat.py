"""Where this project follows the Chicago Manual of Style and citeproc-js does not: corrections after formatting.

citeproc-js ([`engine`][build_scripts.citations.engine]) formats every
reference; the few places where its output departs from the Chicago Manual of
Style (18th edition) are corrected here, each with its rule:

* initials with a space between them: "Barrow, H. G.", not "H.G." (CMOS 10.12);
* a hyphenated identifier is not a range: volume "60-I", report "99-02", not
  "60–I", "99–02" (CMOS 6.78: the en dash joins ranges; an identifier keeps its hyphen);
* the comma before "and" after an inverted first name, also when the second
  name is an organization's: "Christiansen, Kaja, and TUG Election Committee" (CMOS 13.76, 6.19);
* a period or comma inside single and double closing quotation marks:
  `.’”`, not `’.”`, and none after `?` or `!` (CMOS 6.9, 6.123);
* year suffixes in the order of the titles with a leading article ignored
  ([`suffix_order`][build_scripts.citations.citeproc_compat.suffix_order], CMOS 15.20 and 8.5).

[`after_formatting`][build_scripts.citations.citeproc_compat.after_formatting] applies
the first four to each citation and bibliography entry.

[`fix_punctuation`][build_scripts.citations.citeproc_compat.fix_punctuation] applies the
style's punctuation rules, and to text put into formatted output afterwards
(the titles of this site's own pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from build_scripts.citations.cite import Reference

__all__ = ["after_formatting", "fix_punctuation", "suffix_order"]


_ROLES = ("author", "editor", "translator", "container-author")
_NUMBERS = ("volume", "issue", "number", "collection-number", "chapter-number")
_CLOSE_PUNCT = re.compile(r"’([.,])”")


def after_formatting(markup: str, item: dict[str, Any], punctuation_in_quote: bool) -> str:
    """A citation or bibliography entry from citeproc-js with this project's Chicago corrections applied.

    Args:
        markup: citeproc-js's HTML for the item.
        item: The CSL-JSON item it was formatted from.
        punctuation_in_quote: Whether the style's locale puts punctuation inside quotation marks.

    Returns:
        The HTML, corrected where CMOS and citeproc-js part.
    """
    if not markup:
        return markup
    for role in _ROLES:
        for name in item.get(role) or []:
            if isinstance(name, dict):
                markup = _spaced_initials(markup, name)
    for var in _NUMBERS:
        markup = _hyphen_kept(markup, str(item.get(var) or ""))
    markup = _serial_comma(markup, item)
    if punctuation_in_quote:
        markup = _CLOSE_PUNCT.sub(r"\1’”", markup)
    return _ENDS_QUESTION.sub(r"\1\2", markup)


def _spaced_initials(markup: str, name: dict[str, Any]) -> str:
    """Initials given as "H.G." spaced, "H. G.", next to the family name (citeproc-js spaces only those it makes)."""
    given, family = str(name.get("given") or ""), str(name.get("family") or "")
    spaced = re.sub(r"(?<=[A-Z]\.)(?=[A-Z]\b)", " ", given)
    if not family or spaced == given:
        return markup
    return markup.replace(f"{family}, {given}", f"{family}, {spaced}").replace(
        f"{given} {family}", f"{spaced} {family}"
    )


def _hyphen_kept(markup: str, value: str) -> str:
    """An identifier's hyphen back where citeproc-js made it a range's en dash ("60–I" → "60-I")."""
    first, dash, last = value.partition("-")
    if not dash or "-" in last or not first or not last:
        return markup
    if first.isdigit() and last.isdigit() and int(last) > int(first):
        return markup  # a range ("3-4", a double issue): the en dash is right
    return re.sub(rf"(?<![\w–-]){re.escape(first)}–{re.escape(last)}(?![\w–-])", value, markup)


def _serial_comma(markup: str, item: dict[str, Any]) -> str:
    """The serial comma in "Family, Given, and …" when the second name is an organization's.

    citeproc-js drops the comma then.
    """
    names: list[Any] = next((item[role] for role in ("author", "editor") if item.get(role)), [])
    if len(names) < 2 or not isinstance(names[0], dict) or not names[0].get("given") or not names[0].get("family"):
        return markup
    start = f"{names[0]['family']}, "
    if not markup.startswith(start):
        return markup
    given, sep, rest = markup[len(start) :].partition(" and ")
    if not sep or "," in given or "<" in given or len(given) > len(str(names[0]["given"])) + 8:
        return markup
    return f"{start}{given}, and {rest}"


_SUFFIXED = re.compile(r"(?P<year>\d{4}(?:[–-]\d{2,4})?|n\.d\.-)(?P<letter>[a-z]{1,3})$")
_ARTICLE = re.compile(r"^(?:the|an?)\s+")


def _title(ref: Reference) -> str:
    """The title in lower case, without leading punctuation."""
    return re.sub(r"^\W+", "", str(ref.csl.get("title", "")).casefold())


def suffix_order(refs: dict[str, Reference], plain: Callable[[str], str]) -> dict[str, Reference]:
    """Year suffixes in the order of the titles, a leading "The", "A" or "An" ignored (CMOS 15.20, 8.5).

    References cited alike by author and year get letters after the year in
    the order of their titles; CMOS files a title by the word after a leading
    article ("The Rise" under R). citeproc-js orders them by its bibliography
    sort, which reads the article as a word: in a group where a title starts
    with an article, the letters are given again in the order of the titles
    without it (citeproc-js's order kept where titles are equal).
    """
    groups: dict[str, list[tuple[Reference, re.Match[str]]]] = {}
    for ref in refs.values():
        if found := _SUFFIXED.search(ref.label):
            groups.setdefault(ref.label[: found.start("letter")], []).append((ref, found))
    out = dict(refs)
    for group in groups.values():
        if not any(_ARTICLE.match(_title(ref)) for ref, _ in group):
            continue
        letters = sorted((m.group("letter") for _, m in group), key=lambda s: (len(s), s))
        in_order = sorted(group, key=lambda pair: (len(pair[1].group("letter")), pair[1].group("letter")))
        ordered = sorted(in_order, key=lambda pair: _ARTICLE.sub("", _title(pair[0])))
        for (ref, found), letter in zip(ordered, letters, strict=True):
            old, new = found.group(0), found.group("year") + letter
            if old == new:
                continue
            pattern = re.compile(rf"(?<![\w.]){re.escape(old)}(?!\w)")
            markup = pattern.sub(new, ref.html, count=1)
            out[ref.key] = replace(
                ref,
                label=ref.label[: found.start()] + new,
                citation=pattern.sub(new, ref.citation, count=1),
                html=markup,
                text=plain(markup),
            )
    return out


_ENDS_QUESTION = re.compile(r"([?!])((?:</[a-z]+>|[”’])*)\.")
_PUNCT_OUTSIDE = re.compile(r"(?<![?!])(’?”)([.,])")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.((?:</[a-z]+>|[”’])*)\.(?!\.)")


def _nest_quotes(text: str) -> str:
    """Quotes inside quotes alternate: “a ‘b’ c” (a title with quotes put inside the style's quotes)."""
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
    """The style's punctuation rules on text put into formatted output.

    Quotes inside quotes alternate, `?”.` → `?”` (no period after `?`/`!`), `”.` → `.”` when the locale
    puts punctuation inside quotes (American usage), and a doubled period (a title ending in "Inc.") collapsed.
    """
    if "“" in text:
        text = _nest_quotes(text)
    text = _ENDS_QUESTION.sub(r"\1\2", text)
    if punctuation_in_quote:
        text = _PUNCT_OUTSIDE.sub(r"\2\1", text)
    return _DOUBLE_PERIOD.sub(r".\1", text)
