"""Find citations, cross-references and unsafe content in a note body, as markdown-it-py tokens.

Two inline rules are added to a CommonMark parser: `[@key, locator; @key2]`
citations and `[[target#anchor|label]]` cross-references. Because they run
inside the parser, text in code spans, code blocks and autolinks is never
taken for either, and an e-mail address is plain text. Each match becomes a
[`Span`][build_scripts.model.Span] with its body line and columns, so the
renderer can replace exactly that text and diagnostics can name the line.

The same pass makes the body safe to publish. The site is rendered by
Python-Markdown, which reads some things differently from CommonMark, so the
checks are made on what either parser could see:

- raw HTML (blocks and inline tags) is cleaned with an allowlist
  ([`HTML_TAGS`][build_scripts.scan.HTML_TAGS]); a
  [`Replacement`][build_scripts.scan.Replacement] span carries the cleaned text,
  and a warning names what was removed;
- a `<` that neither parser should take for a tag is written `&lt;`;
- a link or image whose URL has a scheme other than http, https or mailto is
  an error, whether markdown-it or only Python-Markdown would make it a link
  (inline, reference-style, autolink);
- an attribute list (`{: onclick=...}`) setting anything but a few harmless
  attributes is an error;
- HTML in a code block or code span that Python-Markdown might not read as code
  is an error.

The bodies of Python-Markdown containers (admonitions `!!!`, details `???`,
content tabs `===`, footnote definitions), indented by four spaces, are
dedented before parsing, so that what they hold is checked as Markdown rather
than skipped as indented code.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Citation, CrossRef, Diagnostic, Location, Severity, Span

_KEY = re.compile(r"@([^\s,;@\[\]{}]+)\s*(?:,\s*(.*))?$", re.DOTALL)

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

_CLEAN_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math", "template",
                            "noscript", "textarea", "title", "xmp", "noembed", "noframes", "select"})
_VOID = frozenset({"br", "hr", "wbr"})
ATTR_LIST_KEYS = frozenset({"id", "class", "title", "lang", "dir", "width", "height", "alt",
                            "linenums", "hl_lines"})
"""Keys an attribute list (`{: key=value }`) in a note may set (and `data-*`)."""

_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===\+?!?|\[\^[^\]]+\]:)(?:\s|$)")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_SAFE_COMMENT = re.compile(r"<!--[^<>]*?-->")
_PM_DESTINATION = re.compile(r"\]\((?P<inline>[^)]*)|^(?:[ \t>]|[-*+][ \t]|\d+[.)][ \t])*\[(?!\^)[^\[\]\n]*\]:"
                             r"[ \t]*(?:\n[ \t>]*)?(?P<ref>\S*)", re.MULTILINE)
_ATTR_KEY = re.compile(r"(?:^|[\s:])([^\s=}{\"']+)=")


@dataclass(frozen=True, slots=True)
class Replacement(Span):
    """A span whose text the renderer replaces by `text` (cleaned HTML, an escaped `<`).

    Attributes:
        text: What to write instead, including the original line prefixes for
            a block of several lines.
        end_line: Last body line the span covers (for HTML blocks); equal to
            `line` for a span inside one line.
    """

    text: str = ""
    end_line: int = 0


# -- inline rules -------------------------------------------------------------------


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    end = src.find("]", pos)
    if end < 0 or "[" in src[pos + 1:end]:
        return False
    items = []
    for part in src[pos + 1:end].split(";"):
        match = _KEY.match(part.strip())
        if not match:
            return False
        items.append((match.group(1), " ".join((match.group(2) or "").split())))
    if not silent:
        broken = "\n" in src[pos:end]
        token = state.push("citation_broken" if broken else "citation", "", 0)
        token.meta = {"items": items, "start": pos, "end": pos + 2 if broken else end + 1}
    state.pos = end + 1
    return True


def _crossref_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0 or "\n" in src[pos:end]:
        return False
    inner = src[pos + 2:end]
    target, _, label = inner.partition("|")
    target, _, anchor = target.partition("#")
    if not target.strip():
        return False
    if not silent:
        token = state.push("crossref", "", 0)
        token.meta = {"target": target.strip(), "anchor": anchor.strip(), "label": label.strip(),
                      "start": pos, "end": end + 2}
    state.pos = end + 2
    return True


def _lt_rule(state: StateInline, silent: bool) -> bool:
    """A `<` that no other rule took (not a tag, not an autolink) but that Python-Markdown might."""
    src, pos = state.src, state.pos
    if not _TAG_START.match(src, pos):
        return False
    if not silent:
        token = state.push("html_lt", "", 0)
        token.content = "<"
        token.meta = {"start": pos, "end": pos + 1}
    state.pos = pos + 1
    return True


def _positioned(rule, types: tuple[str, ...]):
    """Wrap a built-in inline rule so that its first token of `types` records its source offsets."""
    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type in types and "start" not in (token.meta or {}):
                    token.meta = {**(token.meta or {}), "start": start, "end": state.pos}
                    break
        return True
    return wrapped


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser with the citation, cross-reference and safety rules.

    Every URL is accepted by the parser (markdown-it would otherwise turn a
    `javascript:` link into text, which Python-Markdown makes a link again);
    [`scan`][build_scripts.scan.scan] checks them instead.
    """
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # checked in scan(), with a location
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    md.inline.ruler.at("link", _positioned(rules["link"], ("link_open",)))
    md.inline.ruler.at("image", _positioned(rules["image"], ("image",)))
    md.inline.ruler.at("autolink", _positioned(rules["autolink"], ("link_open",)))
    md.inline.ruler.at("html_inline", _positioned(rules["html_inline"], ("html_inline",)))
    md.inline.ruler.at("backticks", _positioned(rules["backticks"], ("code_inline",)))
    md.inline.ruler.before("link", "crossref", _crossref_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.push("html_lt", _lt_rule)
    return md


# -- scanning -----------------------------------------------------------------------


@dataclass(slots=True)
class _Body:
    """A body as parsed: container bodies dedented; `offsets` maps parsed columns back to the file."""

    lines: list[str]
    parsed: list[str]
    offsets: list[int]

    @classmethod
    def of(cls, body: str) -> "_Body":
        lines = body.split("\n")
        # markdown-it reads a lone CR as a line break and NUL as U+FFFD; notes.py normalises both already.
        parsed, offsets = _dedent_containers([line.replace("\r", " ").replace("\0", "\ufffd") for line in lines])
        return cls(lines, parsed, offsets)

    def col(self, line: int, col: int) -> int:
        return col + self.offsets[line] if 0 <= line < len(self.offsets) else col


def _dedent_containers(lines: list[str]) -> tuple[list[str], list[int]]:
    """Dedent the bodies of admonitions, details, tabs and footnote definitions by 4 columns per level."""
    parsed, offsets = [], []
    stack: list[int] = []  # content indent of each open container
    for line in lines:
        if not line.strip():
            parsed.append(line)
            offsets.append(0)
            continue
        rest = line.lstrip(" \t")
        width = len(line[:len(line) - len(rest)].expandtabs(4))
        while stack and width < stack[-1]:
            stack.pop()
        remove = 4 * len(stack)
        if _CONTAINER.match(rest):
            stack.append(width + 4)
        new = " " * (width - remove) + rest if remove else line
        parsed.append(new)
        offsets.append(len(line) - len(new))
    return parsed, offsets


def scan(body: str, path: str, body_line: int) -> tuple[list[Span], list[Diagnostic]]:
    """Return the spans of `body` to replace, in reading order, and the problems found.

    Spans are citations, cross-references and
    [`Replacement`][build_scripts.scan.Replacement]s (cleaned HTML, escaped `<`).

    Args:
        body: The note body.
        path: The note's path, for locations.
        body_line: File line of the body's first line.
    """
    text = _Body.of(body)
    spans: list[Span] = []
    diags: list[Diagnostic] = []
    cleaned: dict[int, list[str]] = {}
    unsafe_lines: set[int] = set()
    trusted: set[int] = set()  # body lines inside fenced code that Python-Markdown surely reads as code
    block_end = 0

    def where(line: int, col: int | None = None) -> Location:
        return Location(path, body_line + line, None if col is None else col + 1)

    for token in parser().parse("\n".join(text.parsed)):
        if token.level == 0 and token.map and token.nesting >= 0:
            block_end = token.map[1]
        if token.type == "html_block" and token.map:
            span, removed = _html_block(token, text)
            if span is not None:
                spans.append(span)
            if removed:
                cleaned.setdefault(token.map[0], []).extend(removed)
            continue
        if token.type in ("fence", "code_block") and token.map:
            if _trusted_fence(token, text):
                trusted.update(range(token.map[0] + 1, token.map[1] - 1))
            elif tag := _TAG_START.search(token.content):
                diags.append(_error(where(token.map[0]), f"HTML ('{_snippet(token.content, tag.start())}') in a "
                                    "code block that Python-Markdown may not read as code",
                                    "put code examples with HTML in a fenced block (```) that starts at the "
                                    "beginning of a line, outside lists and quotes"))
            continue
        if token.type != "inline" or not token.map or not token.children:
            continue
        for child in token.children:
            meta = child.meta or {}
            if "start" not in meta:
                continue
            line, start, end = _position(child, token, text.parsed)
            if start >= 0:
                start, end = text.col(line, start), text.col(line, end)
            location = where(line, start if start >= 0 else None)
            kind = child.type
            if kind in ("citation", "crossref", "citation_broken"):
                if start < 0 or kind == "citation_broken":
                    diags.append(_error(location, "a citation spans several lines", "keep each [@...] on one line"))
                elif kind == "citation":
                    cites = tuple(Citation(key, locator, location) for key, locator in meta["items"])
                    spans.append(Span(line, start, end, citations=cites, block_end=block_end))
                else:
                    ref = CrossRef(meta["target"], meta["anchor"], meta["label"], location)
                    spans.append(Span(line, start, end, ref=ref, block_end=block_end))
            elif kind in ("link_open", "image"):
                url = str(child.attrGet("href" if kind == "link_open" else "src") or "")
                if unsafe_scheme(url) is not None:
                    unsafe_lines.add(line)
                    diags.append(_unsafe_link(location, url, "image" if kind == "image" else "link"))
            elif kind == "code_inline":
                raw = token.content[meta["start"]:meta["end"]]
                if "\n" in raw and (tag := _TAG_START.search(raw)):
                    diags.append(_error(location, f"a code span holding HTML ('{_snippet(raw, tag.start())}') "
                                        "spans several lines", "keep the code span on one line"))
            elif kind == "html_lt":
                if start >= 0:
                    spans.append(Replacement(line, start, end, block_end=block_end, text="&lt;", end_line=line))
                else:
                    diags.append(_error(location, "a '<' that could start an HTML tag cannot be placed",
                                        "write it as &lt;"))
            elif kind == "html_inline":
                raw = token.content[meta["start"]:meta["end"]]
                new, removed = clean_tag(raw)
                if new == raw:
                    continue
                if "\n" in raw or start < 0:
                    diags.append(_error(location, f"an HTML tag spans several lines ('{_snippet(raw, 0)}')",
                                        "keep each tag on one line"))
                    continue
                cleaned.setdefault(line, []).extend(removed)
                if _tag_name(raw) in _CLEAN_CONTENT:  # drop the content up to the closing tag on the line
                    source = text.lines[line]
                    close = re.compile(rf"</\s*{re.escape(_tag_name(raw))}\s*>", re.IGNORECASE).search(source, end)
                    end = close.end() if close else end
                spans.append(Replacement(line, start, end, block_end=block_end, text=new, end_line=line))
    diags += _python_markdown_links(text, trusted, unsafe_lines, where)
    diags += _attribute_lists(text, trusted, where)
    for line, removed in sorted(cleaned.items()):
        if not removed:
            continue
        items = ", ".join(dict.fromkeys(removed))
        diags.append(Diagnostic(where(line), Severity.WARNING, f"raw HTML was sanitised (removed: {items})",
                                "notes may use simple formatting tags only; see the authoring guide"))
    spans.sort(key=lambda s: (s.line, s.start))
    return _without_overlaps(spans), diags


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Drop spans inside an earlier one on the same line (the content of a removed inline `<script>...</script>`)."""
    out: list[Span] = []
    for span in spans:
        if out and out[-1].line == span.line and span.start < out[-1].end:
            continue
        out.append(span)
    return out


def _position(child: Token, block: Token, lines: list[str]) -> tuple[int, int, int]:
    """Body line and columns of an inline token, from its offsets in the block's content."""
    content = block.content
    start, end = child.meta["start"], child.meta["end"]
    line_in_block = content.count("\n", 0, start)
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", start)
    content_line = content[line_start:line_end if line_end >= 0 else len(content)].rstrip()
    line = block.map[0] + line_in_block
    source = lines[line] if line < len(lines) else ""
    offset = source.find(content_line) if content_line else -1
    if offset < 0:  # fall back to the token's own text
        raw = content[start:end]
        col = source.find(raw) if raw and "\n" not in raw else -1
        return line, col, col + len(raw) if col >= 0 else -1
    col = offset + (start - line_start)
    return line, col, col + (end - start)


# -- HTML -------------------------------------------------------------------------------


def clean_html(raw: str) -> str:
    """`raw` HTML with only the allowed tags, attributes and URL schemes left."""
    return nh3.clean(raw, tags=set(HTML_TAGS), attributes={k: set(v) for k, v in HTML_ATTRIBUTES.items()},
                     url_schemes=set(SAFE_SCHEMES), clean_content_tags=set(_CLEAN_CONTENT), strip_comments=True)


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
        new = new[:-len(f"</{name}>")]
    return new, _removed(raw, new)


def _tag_name(raw: str) -> str:
    match = re.match(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9:-]*)|<([!?])", raw)
    if not match:
        return ""
    if match.group(3):
        return match.group(3)
    return match.group(1) + match.group(2).lower()


def _html_block(token: Token, text: _Body) -> tuple[Replacement | None, list[str]]:
    """A cleaned HTML block, written back over its lines with their prefixes (quote marks, indentation)."""
    first, last = token.map[0], token.map[1] - 1
    content = token.content[:-1] if token.content.endswith("\n") else token.content
    new = clean_html(content).rstrip("\n")
    if new == content:
        return None, []
    prefixes: list[tuple[str, bool]] = []  # per line: what precedes the HTML, and whether it was re-indented
    for i, part in enumerate(content.split("\n")):
        source = text.lines[first + i] if first + i <= last and first + i < len(text.lines) else ""
        if part and source.endswith(part):
            prefixes.append((source[:len(source) - len(part)], False))
        else:
            prefixes.append((source[:len(source) - len(source.lstrip(" \t>"))], True))
    out = []
    for i, part in enumerate(new.split("\n")):
        prefix, strip = prefixes[min(i, len(prefixes) - 1)]
        out.append(prefix + (part.lstrip(" \t") if strip else part))
    source = text.lines[first] if first < len(text.lines) else ""
    span = Replacement(first, 0, len(source), text="\n".join(out), end_line=min(last, len(text.lines) - 1))
    return span, _removed(content, new)


class _Tags(HTMLParser):
    """The start tags of a piece of HTML, with their attributes."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
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


def _unsafe_link(location: Location, url: str, what: str = "link") -> Diagnostic:
    return _error(location, f"unsafe {what} '{_snippet(url, 0)}': only http(s), mailto and relative links are allowed",
                  "link to a web page (https://...), an e-mail address (mailto:...) or a page of this site")


def _python_markdown_links(text: _Body, trusted: set[int], reported: set[int], where) -> list[Diagnostic]:
    """Unsafe URLs in link syntax that Python-Markdown reads but markdown-it may not.

    Python-Markdown takes `[x](javascript:alert(1) more)` for a link, and a
    reference definition in the middle of a paragraph for a definition; both
    are plain text to CommonMark. Every `](...)` and `]: ...` outside trusted
    code is checked.
    """
    diags: list[Diagnostic] = []
    body = "\n".join(line if i not in trusted else "" for i, line in enumerate(text.lines))
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
        diags.append(_unsafe_link(where(line, col), value))
    return diags


def _attribute_lists(text: _Body, trusted: set[int], where) -> list[Diagnostic]:
    """Attribute lists (`{: key=value }`, Python-Markdown's attr_list) setting anything but harmless attributes."""
    diags: list[Diagnostic] = []
    for number, line in enumerate(text.lines):
        if number in trusted or "{" not in line or "=" not in line:
            continue
        first, last = line.find("{"), line.rfind("}")
        if last < first:
            continue
        bad = [k for k in _ATTR_KEY.findall(line[first + 1:last]) if not _harmless_attribute(k)]
        if bad:
            diags.append(_error(where(number, first), f"attribute '{bad[0]}' is not allowed in an attribute list",
                                f"notes may set only #id, .class, data-* and {', '.join(sorted(ATTR_LIST_KEYS))}"))
    return diags


def _harmless_attribute(key: str) -> bool:
    key = key.lower().lstrip(":")
    return key in ATTR_LIST_KEYS or re.fullmatch(r"data-[a-z0-9-]+", key) is not None


def _trusted_fence(token: Token, text: _Body) -> bool:
    """A fenced block at the top level, opened and closed at the start of a line: code for both parsers."""
    if token.type != "fence" or token.level != 0:
        return False
    first, last = token.map[0], token.map[1] - 1
    if last <= first or last >= len(text.parsed):
        return False
    opening, closing = text.parsed[first], text.parsed[last]
    return (opening.startswith(token.markup) and closing.rstrip().startswith(token.markup)
            and set(closing.strip()) == {token.markup[0]} and len(closing.strip()) >= len(token.markup))


def _snippet(text: str, start: int, size: int = 40) -> str:
    part = text[start:start + size].replace("\n", " ")
    return part + ("..." if len(text) > start + size else "")


def _error(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, Severity.ERROR, message, hint)


# -- headings ---------------------------------------------------------------------------


def heading_slugs(body: str) -> set[str]:
    """Anchors of the body's headings, as the site's table of contents makes them."""
    slugs: set[str] = set()
    tokens = parser().parse("\n".join(_Body.of(body).parsed))
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            slug = slugify(text)
            unique, n = slug, 1
            while unique in slugs:
                unique, n = f"{slug}_{n}", n + 1
            slugs.add(unique)
    return slugs


def slugify(text: str) -> str:
    """Heading text to anchor, the same way Python-Markdown's `toc` extension does."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)
