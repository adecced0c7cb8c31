"""The fast path (markdown-it-py) gives generated pages the same HTML as Python-Markdown, page by page.

The example project and a synthetic one are each built twice, with the
`research-site` plugin's `fast_path` on and off, and every generated page is
compared as a normalised DOM: its article, its table of contents and its title,
and its entries in the search index.

Normalisation (deliberate, and all of it): attributes are compared in name
order and entities decoded (both by parsing); outside `<pre>`, runs of
whitespace count as one space and whitespace between tags as none (Python-
Markdown keeps a list item's continuation lines indented, markdown-it-py does
not, which a browser renders the same). `<pre>` blocks are compared as written.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from build_scripts.renderers.fast_html import parse, render

from .conftest import ROOT, cli

PARTS = ("article", "nav.md-nav--secondary", "title")
"""What a reader sees of a page's rendering: its content, its table of contents, its title."""


def normalised(element: Tag | None) -> str:
    """An element's HTML with attributes in order and insignificant whitespace folded (see the module docstring)."""
    if element is None:
        return ""
    kept: list[str] = []
    for pre in element.find_all("pre"):
        kept.append(str(pre))
        pre.replace_with(f"\x00{len(kept) - 1}\x00")
    for tag in element.find_all(True):
        tag.attrs = {k: " ".join(v) if isinstance(v, list) else v for k, v in sorted(tag.attrs.items())}
    text = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(element)))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], text)


def generated(project: Path) -> list[str]:
    """The site paths of the pages the generator wrote for `project` (from its cache of pages)."""
    pages = project / ".research-cache" / "pages"
    paths = []
    for md in sorted(pages.rglob("*.md")):
        uri = md.relative_to(pages).with_suffix("").as_posix()
        paths.append("index.html" if uri == "index" else f"{uri.removesuffix('/index')}/index.html".lstrip("/"))
    return paths


def search_texts(site: Path) -> dict[str, str]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {d["location"]: d["title"] + " | " + " ".join(d["text"].split()) for d in docs}


def build_both_ways(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Build copies of `project` with the fast path on and off; return the two sites."""
    sites = []
    for name in ("on", "off"):
        copy = shutil.copytree(project, tmp_path / name)
        if name == "off":
            config = copy / "mkdocs.yml"
            text, found = re.subn(r"^(\s*)- research-site\s*$", r"\1- research-site:\n\1    fast_path: false",
                                  config.read_text(encoding="utf-8"), flags=re.M)  # fmt: skip
            assert found == 1, "the project's mkdocs.yml names the plugin"
            config.write_text(text, encoding="utf-8")
        done = cli(copy, "build")
        assert done.returncode == 0, done.stderr
        sites.append(copy)
    return sites[0], sites[1]


def differences(on: Path, off: Path) -> list[str]:
    """Every generated page, and every part of it, that differs between the two builds."""
    pages = generated(on)
    assert pages, "the generator wrote no pages"
    found = []
    for page in pages:
        fast = BeautifulSoup((on / "site" / page).read_text(encoding="utf-8"), "html.parser")
        slow = BeautifulSoup((off / "site" / page).read_text(encoding="utf-8"), "html.parser")
        found += [
            f"{page}: {part}"
            for part in PARTS
            if normalised(fast.select_one(part)) != normalised(slow.select_one(part))
        ]
    fast_search, slow_search = search_texts(on / "site"), search_texts(off / "site")
    found += [f"search: {loc}" for loc in sorted(fast_search.keys() | slow_search.keys())
              if fast_search.get(loc) != slow_search.get(loc)]  # fmt: skip
    return found


def test_the_example_projects_pages_are_the_same_either_way(tmp_path: Path):
    project = tmp_path / "example"
    project.mkdir()
    for part in ("content", "bib", "docs", "mkdocs.yml"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, project / part)
    on, off = build_both_ways(project, tmp_path)
    assert differences(on, off) == []


def test_a_synthetic_projects_pages_are_the_same_either_way(tmp_path: Path):
    project = tmp_path / "synth"
    script = ROOT / "benchmarks" / "synth.py"
    subprocess.run([sys.executable, str(script), "20", str(project)], check=True, capture_output=True)
    on, off = build_both_ways(project, tmp_path)
    assert len(generated(on)) > 40
    assert differences(on, off) == []


EXTENSIONS = ["admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.details",
              "pymdownx.superfences", "pymdownx.tabbed"]  # fmt: skip
"""The example's `markdown_extensions`."""

CASES = {
    "footnotes, repeated and placed": "A[^1] and B[^2], A again[^1].\n\n## Notes\n\n///Footnotes Go Here///\n\n"
    "[^1]: First, with [a link](#x).\n[^2]: Second.\n",
    "admonition with details and raw HTML inside": '!!! note "Title *here*"\n\n    <div class="a"><span id="s">'
    '</span></div>\n\n    <p class="r" markdown="span">**Bold**</p>\n\n    ??? info "More"\n\n        - one\n'
    "        - two\n",
    "tabs": '=== "One"\n\n    Text.\n\n=== "Two"\n\n    <pre class="c"><code>a &#123;\n  b\n</code></pre>\n',
    "headings with ids and repeats": "# Title\n\n## Same\n\n## Same\n\n### Para. 2 { #para-2 }\n",
    "an id given by hand later wins": "## Para 2\n\n### Other { #para-2 }\n\nSee [x](#a){ #other }\n\n## Other\n",
    "attribute lists and tables": '| A | B |\n|---|---|\n| [x](y.md){ .c title="t" data-k="it&#x27;s" } | z |\n',
    "md_in_html blocks": '<div class="m" markdown="block">\n<table markdown="block">\n<caption>Cap</caption>\n'
    '<thead><tr><th>H</th></tr></thead>\n<tbody markdown="block"><tr markdown="block"><td markdown="span">'
    "[l](#a) *e*</td></tr></tbody>\n</table>\n</div>\n",
}


GOLDEN = sorted((ROOT / "tests" / "golden").glob("**/*.md"))
"""The generator's expected pages (the mini project, and each feature's own): more of what it writes."""


def body(page: Path) -> str:
    """A generated page's Markdown without its front matter (MkDocs renders only this)."""
    text = page.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


@pytest.mark.parametrize(
    "source",
    [*CASES.values(), *(body(page) for page in GOLDEN if "/content/" not in page.as_posix())],
    ids=[*CASES.keys(), *(page.relative_to(ROOT).as_posix() for page in GOLDEN if "/content/" not in page.as_posix())],
)
def test_each_construct_renders_as_python_markdown_renders_it(source: str):
    slow = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True},
                             "pymdownx.tabbed": {"alternate_style": True}})  # fmt: skip
    expected = slow.convert(source)
    fast = render(source)
    assert normalised(BeautifulSoup(fast.html, "html.parser")) == normalised(BeautifulSoup(expected, "html.parser"))
    strip = lambda toc: [{k: t[k] for k in ("level", "id", "name")} | {"children": strip(t["children"])} for t in toc]  # noqa: E731
    assert fast.toc == strip(slow.toc_tokens)


@pytest.mark.parametrize(
    ("markdown", "left"),
    [
        ("See [the formatter][pkg.Formatter].", True),
        ("See [pkg.Formatter][].", True),
        ("A [link](other.md), a footnote[^1] and `[code][x]`.\n\n[^1]: Note.", False),
        ("A [defined][d] reference.\n\n[d]: other.md", False),
    ],
)
def test_a_page_leaving_a_reference_undefined_is_left_to_python_markdown(markdown: str, left: bool) -> None:
    """The autorefs plugin makes API links of `[text][id]` with no definition; the fast path leaves those pages to it."""
    assert parse(markdown).leaves_references() is left
