"""Every paragraph of every archived source accounted for: it feeds a claim, or is passed over with a reason.

Reading a source paragraph by paragraph, a note either records a claim drawn
from a paragraph (its locator names it) or says why it draws nothing from it,
under `passed_over:` ("author biography", "page furniture", "restates
para. 12"). A paragraph with neither is a warning, so that what the site
leaves out of a source is a decision, not an oversight. The result, per
source, is in `claims.json` and on the source's page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from build_scripts.check.verify import Verification, paragraphs_named
from build_scripts.library.archive import ArchivedText
from build_scripts.model import Claim, Diagnostic, PassedOver, Source

__all__ = ["ParagraphUse", "coverage", "paras", "ranges"]


@dataclass(frozen=True, slots=True)
class ParagraphUse:
    """What the notes do with one paragraph of an archived source.

    Attributes:
        number: The paragraph's number (its non-empty line, counted from 1).
        claims: Ids of the claims drawn from it.
        passed_over: Why nothing is drawn from it ("" unless it is passed over).
    """

    number: int
    claims: tuple[str, ...]
    passed_over: str = ""


def coverage(
    texts: Mapping[str, ArchivedText],
    sources: Mapping[str, Source],
    claims: Sequence[Claim],
    verifications: Mapping[str, Verification],
    passed: Iterable[PassedOver],
) -> tuple[dict[str, tuple[ParagraphUse, ...]], list[Diagnostic]]:
    """Each archived source's paragraphs, with the claims drawn from each and the reasons for passing one over.

    A claim draws on the paragraphs its locator names; a claim located
    otherwise ("p. 4"), on the paragraph where its quotation was found.

    Returns:
        The uses of each archived source's paragraphs, by citekey, and the
        problems: a passed-over paragraph the text does not have (error),
        a paragraph passed over twice or passed over yet drawn on, and the
        paragraphs with neither claim nor reason (warnings, one per source).
    """
    drawn: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        checked = verifications.get(claim.id)
        where = paragraphs_named(claim.locator) or (
            {checked.passage.paragraph} if checked is not None and checked.passage is not None else set()
        )
        for number in sorted(where):
            drawn[claim.source][number].append(claim.id)
    reasons: dict[str, dict[int, PassedOver]] = defaultdict(dict)
    diags: list[Diagnostic] = []
    for entry in passed:
        text = texts.get(entry.source)
        if text is None:
            diags.append(
                Diagnostic.warning(
                    entry.location,
                    f"'{entry.source}' has no archived text: its paragraphs cannot be passed over",
                    "archive the source's text (the entry's 'file' field) or remove the passed_over entry",
                )
            )
            continue
        for number in sorted(paragraphs_named(entry.locator) or ()):
            diags += _check(entry, number, text, drawn[entry.source], reasons[entry.source])
    uses: dict[str, tuple[ParagraphUse, ...]] = {}
    for key in sorted(texts):
        found = tuple(
            ParagraphUse(
                n,
                tuple(drawn[key].get(n, ())),
                reasons[key][n].reason if n in reasons[key] else "",
            )
            for n in range(1, len(texts[key].paragraphs) + 1)
        )
        uses[key] = found
        missing = [use.number for use in found if not use.claims and not use.passed_over]
        if missing and key in sources:
            diags.append(
                Diagnostic.warning(
                    sources[key].location,
                    f"{paras(missing)} of '{key}' "
                    + (
                        "feeds no claim and is not passed over"
                        if len(missing) == 1
                        else "feed no claim and are not passed over"
                    ),
                    "read them: record a claim drawn from each, or add "
                    "'passed_over: [{locator: para. N, reason: ...}]' to a note on the source saying why not",
                )
            )
    return uses, diags


def _check(
    entry: PassedOver, number: int, text: ArchivedText, drawn: Mapping[int, list[str]], seen: dict[int, PassedOver]
) -> list[Diagnostic]:
    if not 1 <= number <= len(text.paragraphs):
        return [
            Diagnostic.error(
                entry.location,
                f"'{entry.source}' has {len(text.paragraphs)} paragraphs: para. {number} cannot be passed over",
                "paragraphs are the non-empty lines of the archived text, counted from 1",
            )
        ]
    if number in seen:
        return [
            Diagnostic.warning(
                entry.location,
                f"para. {number} of '{entry.source}' is passed over twice (also at {seen[number].location})",
                "keep one reason for it",
            )
        ]
    seen[number] = entry
    if drawn.get(number):
        return [
            Diagnostic.warning(
                entry.location,
                f"para. {number} of '{entry.source}' is passed over, yet claims are drawn from it",
                "treat one passage one way: remove it from passed_over, or the claims",
            )
        ]
    return []


def ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def paras(numbers: Iterable[int]) -> str:
    """Paragraph numbers as a locator writes them: "para. 3", "paras. 1–3, 7"."""
    numbers = sorted(numbers)
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges(numbers)]
    return f"para. {parts[0]}" if len(numbers) == 1 else f"paras. {', '.join(parts)}"
