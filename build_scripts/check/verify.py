"""Check every claim's quotation against the archived text of its source.

For each claim with a `quote`, the quotation must occur in the source's
archived text (see [`archive`][build_scripts.library.archive]) at the paragraph its
locator names:

* a quotation not found is an error, with the closest passage as the hint;
* found, but not where the locator says: an error naming the paragraph;
* found in several places: fine if the locator names one of them, else a
  warning listing them;
* no locator: the paragraph where the quotation is found becomes the locator;
* a source with no archived text: a warning that the claim is not checked.

Locators of other forms (a page, a section) are not compared.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from build_scripts.cache import Cache, digest
from build_scripts.library.archive import ArchivedText, Passage, closest, find, fragments
from build_scripts.model import Claim, Diagnostic

__all__ = ["QuoteStatus", "Verification", "paragraphs_named", "verify_claims"]

_PARAGRAPHS = re.compile(r"^\s*(?:paras?\.?|paragraphs?|¶¶?)\s*(?P<list>\d[\d\s,–—-]*(?:and\s+\d+)?)\s*$", re.I)


class QuoteStatus(enum.StrEnum):
    """What checking a claim's quotation found."""

    VERIFIED = "verified"
    """Found in the archived text, where the locator says."""
    MISPLACED = "misplaced"
    """Found, but not at the paragraph the locator names."""
    NOT_FOUND = "not-found"
    """Not in the archived text."""
    UNCHECKED = "unchecked"
    """The source has no archived text."""
    UNQUOTED = "unquoted"
    """The claim carries no quotation."""


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of checking one claim's quotation.

    Attributes:
        status: What was found.
        passage: Where the quotation is (the place the locator names, or the first).
        places: Every paragraph where the quotation occurs.
    """

    status: QuoteStatus
    passage: Passage | None = None
    places: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The result for `claims.json`: status, paragraph and character offsets of each fragment."""
        data: dict[str, object] = {"status": self.status.value, "verified": self.status is QuoteStatus.VERIFIED}
        if self.passage is not None:
            data |= {"paragraph": self.passage.paragraph, "spans": [list(s) for s in self.passage.spans]}
        if len(self.places) > 1:
            data["places"] = list(self.places)
        return data


def paragraphs_named(locator: str) -> frozenset[int] | None:
    """The paragraphs a locator names (`para. 4`, `paras. 4, 6`, `paras. 4–6`), or None if it names none."""
    match = _PARAGRAPHS.match(locator)
    if not match:
        return None
    found: set[int] = set()
    for part in re.split(r"\s*(?:,|and)\s*", match.group("list").strip()):
        bounds = [int(n) for n in re.split(r"\s*[–—-]\s*", part) if n.strip().isdigit()]
        if len(bounds) == 2 and bounds[0] <= bounds[1] <= bounds[0] + 50:
            found.update(range(bounds[0], bounds[1] + 1))
        else:
            found.update(bounds)
    return frozenset(found) or None


def verify_claims(
    claims: Sequence[Claim], texts: Mapping[str, ArchivedText], cache: Cache | None = None
) -> tuple[list[Claim], dict[str, Verification], list[Diagnostic]]:
    """Check each claim's quotation; return the claims (missing locators filled in), results by claim id, problems.

    With a cache, where each quotation was found in its text is kept, keyed on
    both: a rebuild looks up again only the quotations or texts that changed.
    """
    checked: list[Claim] = []
    results: dict[str, Verification] = {}
    diags: list[Diagnostic] = []
    for claim in claims:
        claim, result, found = _verify(claim, texts.get(claim.source), cache)
        checked.append(claim)
        results[claim.id] = result
        diags += found
    return checked, results, diags


def _find(text: ArchivedText, quote: str, cache: Cache | None) -> list[Passage]:
    """[`find`][build_scripts.library.archive.find], from the cache when this text and quotation were looked up."""
    if cache is None:
        return find(text, quote)
    key = digest(text.digest, quote)
    passages: list[Passage] | None = cache.get("quotes", key)
    if passages is None:
        passages = find(text, quote)
        cache.put("quotes", key, passages)
    return passages


def _verify(
    claim: Claim, text: ArchivedText | None, cache: Cache | None
) -> tuple[Claim, Verification, list[Diagnostic]]:
    about = f"quotation of {claim.source} on '{claim.fact}'"
    if not claim.quote:
        return claim, Verification(QuoteStatus.UNQUOTED), []
    if text is None:
        return (
            claim,
            Verification(QuoteStatus.UNCHECKED),
            [
                Diagnostic.warning(
                    claim.location,
                    f"{about} is not checked against the source text: '{claim.source}' has no archived text",
                    f"add a plain-text copy of the source and name it in the entry's 'file' field "
                    f"(e.g. file = {{texts/{claim.source}.txt}})",
                )
            ],
        )
    passages = _find(text, claim.quote, cache)
    if not passages:
        paragraph, words = closest(text, claim.quote)
        near = f"closest passage, para. {paragraph}: “{words}”" if words else "nothing close found"
        elided = (
            " (each part between '…' must be in one paragraph, in order)" if len(fragments(claim.quote)) > 1 else ""
        )
        return (
            claim,
            Verification(QuoteStatus.NOT_FOUND),
            [
                Diagnostic.error(
                    claim.location,
                    f"{about} is not in the source text {text.path}{elided}: “{claim.quote}”",
                    f"copy the words exactly; {near}",
                )
            ],
        )
    places = tuple(dict.fromkeys(p.paragraph for p in passages))
    named = paragraphs_named(claim.locator)
    if named is None:  # no locator (it becomes the first place), or one that names no paragraph
        diags = [_several(claim, about, places)] if not claim.locator and len(places) > 1 else []
        located = claim if claim.locator else replace(claim, locator=f"para. {places[0]}")
        return located, Verification(QuoteStatus.VERIFIED, passages[0], places), diags
    here = [p for p in passages if p.paragraph in named]
    if here:
        return claim, Verification(QuoteStatus.VERIFIED, here[0], places), []
    wrong = (
        _several(claim, about, places)
        if len(places) > 1
        else Diagnostic.error(
            claim.location,
            f"{about} is not at '{claim.locator}'",
            f"found in para. {places[0]}; write 'locator: para. {places[0]}'",
        )
    )
    return claim, Verification(QuoteStatus.MISPLACED, passages[0], places), [wrong]


def _several(claim: Claim, about: str, places: tuple[int, ...]) -> Diagnostic:
    listed = ", ".join(map(str, places))
    where = f"the locator '{claim.locator}' names none of them" if claim.locator else "no locator was given"
    return Diagnostic.warning(
        claim.location,
        f"{about} occurs in paras. {listed}; {where}",
        "name the paragraph meant in 'locator', or quote more words so that the place is clear",
    )
