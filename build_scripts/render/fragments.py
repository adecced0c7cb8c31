"""Links that open a source at the passage: URL text fragments (`#:~:text=`).

A text fragment (WICG *URL Fragment Text Directives*) makes the browser
scroll to the given text and highlight it:
`…/page#:~:text=start,end` highlights from the first
occurrence of `start` to the next occurrence of `end`. Each term is
percent-encoded, and `-`, `,` and `&`, which are the directive's own syntax,
are always encoded (`%2D`, `%2C`, `%26`).

```python
text_fragment("https://wicg.github.io/scroll-to-text-fragment/", "a text directive")
# → 'https://wicg.github.io/scroll-to-text-fragment/#:~:text=a%20text%20directive'
```
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from build_scripts.library.archive import Passage

__all__ = ["decode", "encode_term", "passage_link", "text_fragment"]

WHOLE = 8
"""A passage of at most this many words is matched whole; a longer one by its first and last words."""
EDGE = 4
"""Words at each end of a longer passage (as `start,end`)."""


def encode_term(text: str) -> str:
    """One term of a text directive, percent-encoded; `-`, `,` and `&` always (the directive's syntax)."""
    return quote(" ".join(text.split()), safe="").replace("-", "%2D")


def text_fragment(url: str, start: str, end: str = "") -> str:
    """`url` with a text directive highlighting `start` (through `end`, if given).

    A URL that already has a fragment keeps it: the directive follows it
    after the `:~:` delimiter (`page#section:~:text=...`).
    """
    directive = "text=" + encode_term(start) + ("," + encode_term(end) if end else "")
    base, hash_, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]
    return f"{base}#{fragment}:~:{directive}" if hash_ else f"{url}#:~:{directive}"


def passage_link(url: str, passage: Passage) -> str:
    """A link to `url` that highlights the passage: two fragments as `start,end`; one long one by its ends."""
    if len(passage.text) > 1:
        return text_fragment(url, _head(passage.text[0]), _tail(passage.text[-1]))
    words = passage.text[0].split()
    if len(words) <= WHOLE:
        return text_fragment(url, passage.text[0])
    return text_fragment(url, " ".join(words[:EDGE]), " ".join(words[-EDGE:]))


def _head(text: str) -> str:
    return " ".join(text.split()[:WHOLE])


def _tail(text: str) -> str:
    return " ".join(text.split()[-WHOLE:])


def decode(url: str) -> tuple[str, str]:
    """The `(start, end)` terms of the text directive in `url` (`("", "")` if it has none)."""
    _, _, directive = url.partition(":~:text=")
    if not directive:
        return "", ""
    terms = directive.split("&", 1)[0].split(",")
    terms = [t for t in terms if not (t.endswith("-") or t.startswith("-"))]  # no prefix- or -suffix
    start = unquote(terms[0]) if terms else ""
    return start, unquote(terms[1]) if len(terms) > 1 else ""
