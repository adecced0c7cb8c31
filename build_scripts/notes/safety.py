"""Safety rules for note bodies: what may reach the site, and what is cleaned or refused.

The site is rendered by Python-Markdown, which reads some things differently
from CommonMark, so the checks are made on what either parser could see:

- raw HTML (blocks and inline tags) is cleaned with nh3 and an allowlist
  ([`HTML_TAGS`][build_scripts.notes.safety.HTML_TAGS]); a
  [`Replacement`][build_scripts.model.Replacement] span carries the cleaned
  text, and a warning names what was removed;
- a `<` that neither parser should take for a tag is written `&lt;`;
- a link or image whose URL has a scheme other than http, https or mailto is
  an error, whether markdown-it or only Python-Markdown would make it a link
  (inline, reference-style, autolink);
- an attribute list (`{: onclick=...}`) setting anything but a few harmless
  attributes is an error;
- HTML in a code block or code span that Python-Markdown might not read as code
  is an error.

[`scan`][build_scripts.notes.scan.scan] finds the places while it parses; the
functions here decide, clean and word the diagnostics. They take plain text
and lines, so this module knows nothing of how a body is scanned.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

import nh3
from markdown_it.token import Token

from build_scripts.model import Diagnostic, Location, Replacement

Where = Callable[..., Location]
"""Turns a body line (and optionally a 0-based column) into a file location."""

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes a note may link to; links without a scheme (relative, `#anchor`) are fine too."""

HTML_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})  # fmt: skip
"""Tags allowed in raw HTML in a note (formatting and structure; no images, forms, media, scripts or styles)."""

HTML_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "span": {"class"},
    "div": {"class"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
"""Attributes allowed per tag; no `on*` handlers, no `style`, no `id` (it could clash with the page's own)."""

ATTR_LIST_KEYS = frozenset({"id", "class", "title", "lang", "dir", "width", "height", "alt", "linenums", "hl_lines"})
"""Keys an attribute list (`{: key=value }`) in a note may set (and `data-*`)."""

TAG_START = re.compile(r"<[A-Za-z/!?]")
"""A `<` that Python-Markdown may take for the start of a tag, comment or declaration."""

_CLEAN_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "template",
        "noscript",
        "textarea",
        "title",
        "xmp",
        "noembed",
        "noframes",
        "select",
    }
)
_VOID = frozenset({"br", "hr", "wbr"})
_SAFE_COMMENT = re.compile(r"<!--[^<>]*?-->")
_PM_DESTINATION = re.compile(
    r"\]\((?P<inline>[^)]*)|^(?:[ \t>]|[-*+][ \t]|\d+[.)][ \t])*\[(?!\^)[^\[\]\n]*\]:"
    r"[ \t]*(?:\n[ \t>]*)?(?P<ref>\S*)",
    re.MULTILINE,
)
_ATTR_KEY = re.compile(r"(?:^|[\s:])([^\s=}{\"']+)=")


# -- HTML -------------------------------------------------------------------------------


def clean_html(raw: str) -> str:
    """`raw` HTML with only the allowed tags, attributes and URL schemes left."""
    return nh3.clean(
        raw,
        tags=set(HTML_TAGS),
        attributes={k: set(v) for k, v in HTML_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        clean_content_tags=set(_CLEAN_CONTENT),
        strip_comments=True,
    )


def clean_tag(raw: str) -> tuple[str, list[str]]:
    """One inline tag (`<b>`, `</b>`, `<a href=...>`, a comment), cleaned; and what was removed."""
    if raw.startswith("<!--"):
        return (raw, []) if _SAFE_COMMENT.fullmatch(raw) else ("", [])
    name = _tag_name(raw)
    if not name or name.startswith(("!", "?")):
        return "", []
    if name.startswith("/"):
        return (f"</{name[1:]}>" if name[1:] in HTML_TAGS else ""), []
    if name not in HTML_TAGS:
        return "", [f"<{name}>"]
    new = clean_html(raw)
    if name not in _VOID and new.endswith(f"</{name}>"):
        new = new[: -len(f"</{name}>")]
    return new, _removed(raw, new)


def cleaned_tag_end(raw: str, source: str, end: int) -> int:
    """Where the replacement of the cleaned inline tag `raw` ends on its line `source`.

    For a tag whose content is dropped too (`<script>`, `<style>`...), that is
    after its closing tag on the same line, if there is one; else `end`.
    """
    name = _tag_name(raw)
    if name not in _CLEAN_CONTENT:
        return end
    close = re.compile(rf"</\s*{re.escape(name)}\s*>", re.IGNORECASE).search(source, end)
    return close.end() if close else end


def _tag_name(raw: str) -> str:
    match = re.match(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9:-]*)|<([!?])", raw)
    if not match:
        return ""
    if match.group(3):
        return match.group(3)
    return match.group(1) + match.group(2).lower()


def clean_html_block(content: str, lines: list[str], first: int, last: int) -> tuple[Replacement | None, list[str]]:
    """A cleaned HTML block, written back over its lines with their prefixes (quote marks, indentation).

    Args:
        content: The block's HTML, as the parser saw it.
        lines: The body's lines, as in the file.
        first: Body line where the block starts.
        last: Body line where it ends.

    Returns:
        The replacement (None if nothing changed) and what was removed.
    """
    content = content[:-1] if content.endswith("\n") else content
    new = clean_html(content).rstrip("\n")
    if new == content:
        return None, []
    prefixes: list[tuple[str, bool]] = []  # per line: what precedes the HTML, and whether it was re-indented
    for i, part in enumerate(content.split("\n")):
        source = lines[first + i] if first + i <= last and first + i < len(lines) else ""
        if part and source.endswith(part):
            prefixes.append((source[: len(source) - len(part)], False))
        else:
            prefixes.append((source[: len(source) - len(source.lstrip(" \t>"))], True))
    out = []
    for i, part in enumerate(new.split("\n")):
        prefix, strip = prefixes[min(i, len(prefixes) - 1)]
        out.append(prefix + (part.lstrip(" \t") if strip else part))
    source = lines[first] if first < len(lines) else ""
    span = Replacement(first, 0, len(source), text="\n".join(out), end_line=min(last, len(lines) - 1))
    return span, _removed(content, new)


class _Tags(HTMLParser):
    """The start tags of a piece of HTML, with their attributes."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [(name, value or "") for name, value in attrs]))


def _removed(raw: str, new: str) -> list[str]:
    """What cleaning took out: tags (`<script>`), attributes (`onclick`), URLs (`href="javascript:..."`)."""
    before, after = _Tags(raw).tags, _Tags(new).tags
    kept_tags = {tag for tag, _ in after}
    kept_attrs = {(tag, name, value) for tag, attrs in after for name, value in attrs}
    out: list[str] = []
    for tag, attrs in before:
        if tag not in kept_tags:
            out.append(f"<{tag}>")
            continue
        for name, value in attrs:
            if (tag, name, value) not in kept_attrs:
                out.append(_snippet(f'{name}="{value}"', 0) if name in ("href", "src", "cite") else name)
    return list(dict.fromkeys(out))


def sanitised(cleaned: dict[int, list[str]], where: Where) -> list[Diagnostic]:
    """One warning per body line whose raw HTML was cleaned, naming what was removed."""
    diags: list[Diagnostic] = []
    for line, removed in sorted(cleaned.items()):
        if not removed:
            continue
        items = ", ".join(dict.fromkeys(removed))
        diags.append(
            Diagnostic.warning(
                where(line),
                f"raw HTML was sanitised (removed: {items})",
                "notes may use simple formatting tags only; see the authoring guide",
            )
        )
    return diags


# -- HTML that cannot be cleaned in place ------------------------------------------------


def html_in_code_block(content: str, location: Location) -> list[Diagnostic]:
    """An error if a code block that Python-Markdown may not read as code holds HTML."""
    tag = TAG_START.search(content)
    if not tag:
        return []
    return [
        Diagnostic.error(
            location,
            f"HTML ('{_snippet(content, tag.start())}') in a code block that Python-Markdown may not read as code",
            "put code examples with HTML in a fenced block (```) that starts at the "
            "beginning of a line, outside lists and quotes",
        )
    ]


def html_in_code_span(raw: str, location: Location) -> list[Diagnostic]:
    """An error if the code span `raw` holds HTML and spans several lines."""
    if "\n" not in raw or not (tag := TAG_START.search(raw)):
        return []
    return [
        Diagnostic.error(
            location,
            f"a code span holding HTML ('{_snippet(raw, tag.start())}') spans several lines",
            "keep the code span on one line",
        )
    ]


def misplaced_lt(location: Location) -> Diagnostic:
    """The error for a `<` that could start a tag but whose column is not known."""
    return Diagnostic.error(location, "a '<' that could start an HTML tag cannot be placed", "write it as &lt;")


def split_tag(location: Location, raw: str) -> Diagnostic:
    """The error for an HTML tag (to be cleaned) that spans several lines."""
    return Diagnostic.error(
        location, f"an HTML tag spans several lines ('{_snippet(raw, 0)}')", "keep each tag on one line"
    )


def trusted_fence(token: Token, parsed: list[str]) -> bool:
    """A fenced block at the top level, opened and closed at the start of a line: code for both parsers.

    Args:
        token: A markdown-it block token.
        parsed: The body's lines as they were parsed.
    """
    if token.type != "fence" or token.level != 0 or token.map is None:
        return False
    first, last = token.map[0], token.map[1] - 1
    if last <= first or last >= len(parsed):
        return False
    opening, closing = parsed[first], parsed[last]
    return (
        opening.startswith(token.markup)
        and closing.rstrip().startswith(token.markup)
        and set(closing.strip()) == {token.markup[0]}
        and len(closing.strip()) >= len(token.markup)
    )


# -- URLs and attribute lists ---------------------------------------------------------


def unsafe_scheme(url: str) -> str | None:
    """The scheme of `url` if it is not one a note may link to (http, https, mailto), else None.

    The URL is read as a browser would: entities decoded, tabs and line breaks
    removed, leading control characters and spaces dropped. Anything before a
    `:` that comes before the first `/`, `?` or `#` counts as a scheme, so an
    obfuscated `java%73cript:` is refused too.
    """
    value = html.unescape(url)
    value = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    value = re.sub(r"\\(.)", r"\1", value)
    match = re.match(r"([^/?#]*?):", value)
    if not match:
        return None
    scheme = match.group(1).lower()
    return None if scheme in SAFE_SCHEMES else (scheme or ":")


def unsafe_link(location: Location, url: str, what: str = "link") -> Diagnostic:
    """The error for a link (or image) to `url`, whose scheme is not allowed."""
    return Diagnostic.error(
        location,
        f"unsafe {what} '{_snippet(url, 0)}': only http(s), mailto and relative links are allowed",
        "link to a web page (https://...), an e-mail address (mailto:...) or a page of this site",
    )


def python_markdown_links(lines: list[str], trusted: set[int], reported: set[int], where: Where) -> list[Diagnostic]:
    """Unsafe URLs in link syntax that Python-Markdown reads but markdown-it may not.

    Python-Markdown takes `[x](javascript:alert(1) more)` for a link, and a
    reference definition in the middle of a paragraph for a definition; both
    are plain text to CommonMark. Every `](...)` and `]: ...` outside trusted
    code is checked; lines in `reported` (which is updated) are skipped.
    """
    diags: list[Diagnostic] = []
    body = "\n".join(line if i not in trusted else "" for i, line in enumerate(lines))
    for match in _PM_DESTINATION.finditer(body):
        raw = match.group("inline") if match.group("inline") is not None else match.group("ref")
        value = re.sub(r"[\t\n\r]", "", html.unescape(raw)).strip().lstrip("<").split(" ")[0]
        if unsafe_scheme(value) is None:
            continue
        line = body.count("\n", 0, match.start())
        if line in reported:
            continue
        reported.add(line)
        col = match.start() - (body.rfind("\n", 0, match.start()) + 1)
        diags.append(unsafe_link(where(line, col), value))
    return diags


def attribute_lists(lines: list[str], trusted: set[int], where: Where) -> list[Diagnostic]:
    """Attribute lists (`{: key=value }`, Python-Markdown's attr_list) setting anything but harmless attributes."""
    diags: list[Diagnostic] = []
    for number, line in enumerate(lines):
        if number in trusted or "{" not in line or "=" not in line:
            continue
        first, last = line.find("{"), line.rfind("}")
        if last < first:
            continue
        bad = [k for k in _ATTR_KEY.findall(line[first + 1 : last]) if not _harmless_attribute(k)]
        if bad:
            diags.append(
                Diagnostic.error(
                    where(number, first),
                    f"attribute '{bad[0]}' is not allowed in an attribute list",
                    f"notes may set only #id, .class, data-* and {', '.join(sorted(ATTR_LIST_KEYS))}",
                )
            )
    return diags


def _harmless_attribute(key: str) -> bool:
    key = key.lower().lstrip(":")
    return key in ATTR_LIST_KEYS or re.fullmatch(r"data-[a-z0-9-]+", key) is not None


def _snippet(text: str, start: int, size: int = 40) -> str:
    part = text[start : start + size].replace("\n", " ")
    return part + ("..." if len(text) > start + size else "")
