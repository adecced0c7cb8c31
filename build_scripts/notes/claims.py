"""Read what a note records about its sources (`claims:`, `passed_over:`), checking each entry's shape.

```yaml
claims:
  - {fact: trade-2021, source: baev2021, value: "USD 140 bn", locator: para. 12, quote: "…"}
passed_over:
  - {source: baev2021, locator: paras. 30–31, reason: page furniture (share buttons)}
```
"""

from __future__ import annotations

from build_scripts.check.verify import paragraphs_named
from build_scripts.library.archive import quote_words
from build_scripts.model import Claim, Diagnostic, Location, PassedOver
from build_scripts.notes import frontmatter
from build_scripts.notes.frontmatter import Reader

__all__ = ["CLAIM_KEYS", "MAX_QUOTE_WORDS", "PASSED_OVER_KEYS", "read_claim", "read_passed_over"]

PASSED_OVER_KEYS = frozenset({"source", "locator", "reason"})
"""The keys of an item of `passed_over:` (a passage of a source the note leaves aside)."""
CLAIM_KEYS = frozenset({"fact", "source", "value", "locator", "quote", "position", "suspect"})
"""The keys of a claim (an item of `claims:`)."""
MAX_QUOTE_WORDS = 12


def read_passed_over(
    m: frontmatter.Mapping, path: str, sources: tuple[str, ...], diags: list[Diagnostic]
) -> PassedOver | None:
    """One `passed_over:` entry: paragraphs of a source deliberately not drawn on, and why."""
    r = Reader(path, m, diags, what="passed_over")
    r.unknown_keys(PASSED_OVER_KEYS)
    source = r.get("source", str, default="") or (sources[0] if len(sources) == 1 else "")
    locator = r.text("locator")
    reason = " ".join(r.text("reason").split())
    example = "'- {locator: paras. 30–31, reason: page furniture (share buttons)}'"
    if not source:
        r.error(None, "passed_over entry has no source", "add 'source: <citekey>' (the note does not name exactly one)")
    if paragraphs_named(locator) is None:
        r.error(
            "locator" if locator else None, f"passed_over locator '{locator}' names no paragraph", f"e.g. {example}"
        )
    if not reason:
        r.error("reason" if "reason" in m.data else None, "passed_over entry gives no reason", f"e.g. {example}")
    if not source or not reason or paragraphs_named(locator) is None:
        return None
    return PassedOver(source, locator, reason, Location(path, m.line))


def read_claim(
    m: frontmatter.Mapping, path: str, note_id: str, sources: tuple[str, ...], diags: list[Diagnostic]
) -> Claim | None:
    """One entry of a note's `claims:`: a source's value for a fact, with its quotation and locator.

    `None` (with diagnostics) when it cannot be used; a claim of a note that
    names exactly one source is that source's unless it says otherwise.
    """
    r = Reader(path, m, diags, what="claim")
    r.unknown_keys(CLAIM_KEYS)
    fact = r.get("fact", str, required=True)
    about = f"claim on '{fact}'" if fact else "claim"
    value = r.text("value")
    if not value:
        r.error("value", "claim has no value", "add 'value:' with the value as the source gives it")
    source = r.get("source", str, default="")
    if not source:
        if len(sources) == 1:
            source = sources[0]
        else:
            r.error(
                None, f"{about} has no source", "add 'source: <citekey>' (the note does not name exactly one source)"
            )
    locator = r.text("locator")
    quote = " ".join(r.text("quote").split())
    by = f" by '{source}'" if source else ""
    if not quote:
        diags.append(
            Diagnostic.warning(
                Location(path, m.line),
                f"{about}{by} has no quotation",
                f"add 'quote:' with the source's own words that carry the value (at most {MAX_QUOTE_WORDS} words)",
            )
        )
        if not locator:
            diags.append(
                Diagnostic.warning(
                    Location(path, m.line),
                    f"{about}{by} has no locator",
                    "add 'locator:' with the page, paragraph or section",
                )
            )
    elif quote_words(quote) > MAX_QUOTE_WORDS:
        r.error(
            "quote",
            f"quotation of {quote_words(quote)} words is too long",
            f"quote at most {MAX_QUOTE_WORDS} words (two fragments may be joined by '…'); "
            "summarise the rest in your own words",
        )
    if fact is None or not value or not source:
        return None
    return Claim(
        fact=fact,
        source=source,
        value=value,
        note=note_id,
        location=Location(path, m.line),
        locator=locator,
        quote=quote,
        position=r.text("position").casefold(),
        suspect=r.get("suspect", str, default=""),
    )
