"""One short name per source, the one readers see everywhere: "Baev 2021".

A source's reader label is its biblatex `shorthand` where the entry has one;
otherwise it is made from the entry: the authors' surnames ("Baev", "Smith and
Jones", "Smith et al."; editors where there is no author), else the
organization, else the short title, then the year ("n.d." when there is none).
Two sources that would share a label are told apart by a letter after the
year, in reference-list order ("Abbott 1989a", "Abbott 1989b"). Matrices,
callouts, footnotes, tooltips, generated prose, source pages and the change
report all take this one label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from build_scripts.citations.cite import Reference, issued_year, names_short
from build_scripts.library.latex import decode_latex
from build_scripts.model import Source

__all__ = ["reader_label", "reader_labels"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def reader_labels(sources: Mapping[str, Source], refs: Mapping[str, Reference]) -> dict[str, str]:
    """The reader label of every formatted source, by citekey, equal labels told apart."""
    labels = {key: reader_label(sources[key], ref) for key, ref in refs.items() if key in sources}
    groups: dict[str, list[str]] = {}
    for key, label in labels.items():
        if not _shorthand(sources[key]):  # an author's own shorthand is kept as written
            groups.setdefault(label, []).append(key)
    for label, keys in groups.items():
        if len(keys) > 1:
            ordered = sorted(keys, key=lambda k: (refs[k].text.casefold(), k))
            for n, key in enumerate(ordered):
                labels[key] = label + _LETTERS[n % 26] * (n // 26 + 1)
    return labels


def reader_label(source: Source, ref: Reference) -> str:
    """One source's label, before equal labels are told apart."""
    given = _shorthand(source)
    if given:
        return given
    csl = ref.csl
    year = issued_year(csl) or "n.d."
    return f"{_who(source, csl)} {year}".strip()


def _shorthand(source: Source) -> str:
    return " ".join(decode_latex(source.fields.get("shorthand", "")).split())


def _who(source: Source, csl: Mapping[str, Any]) -> str:
    if names := names_short(csl):
        return names
    organization = " ".join(decode_latex(source.fields.get("organization", "")).split())
    if organization:
        return organization
    if csl.get("title-short"):
        return " ".join(str(csl["title-short"]).split())
    return " ".join(str(csl.get("title") or source.key).split(":")[0].split()[:4])
