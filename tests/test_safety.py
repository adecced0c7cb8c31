"""Nothing dangerous reaches the site: the hostile corpus (tests/fixtures/hostile) end to end.

Its notes and BibTeX entries carry `<script>`, event handlers, `javascript:` and
`data:` URLs in every field. `check` must report the unsafe links as errors;
once the note holding them is removed the site builds, and every file of it is
scanned: the only scripts are Material's own, no element has an `on*`
attribute, no URL attribute has a dangerous scheme, and the hostile strings
show as text.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.theme import ASSETS

from .conftest import FIXTURES, ROOT, cli

MATERIAL = Path(__import__("material").__file__).parent / "templates"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}
BUNDLE = re.compile(r"^(?:/|(?:\.\./)*)assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$")
SEARCH_WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js$")
MATERIAL_INLINE = (  # the inline scripts Material 9.8 writes into every page, by their start
    "__md_scope=new URL(",  # head: local-storage helpers
    'var palette=__md_get("__palette")',  # body: restores the colour palette
    "var target=document.getElementById(location.hash.slice(1))",  # body: opens <details> targeted by the hash
    'var tabs=__md_get("__tabs")',  # body: linked content tabs (feature content.tabs.link)
)
UNSAFE_LINK_LINES = [5, 6, 7, 8, 10, 12, 14, 16, 17, 18]


def copy_hostile(target: Path) -> Path:
    shutil.copytree(FIXTURES / "hostile", target)
    config = target / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"), encoding="utf-8")
    return target


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=project, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile corpus without its note of unsafe links, built by MkDocs (not strict: it has warnings)."""
    project = copy_hostile(tmp_path_factory.mktemp("hostile") / "hostile")
    (project / "content" / "notes" / "unsafe-links.md").unlink()
    before = {p.relative_to(project) for p in project.rglob("*")}
    done = run(project, "-m", "mkdocs", "build", "-q", "-d", "site")
    assert done.returncode == 0, done.stderr
    after = {p.relative_to(project) for p in project.rglob("*")}
    new_top = {p.parts[0] for p in after - before}
    assert new_top <= {"site", ".research-cache"}, new_top  # nothing written outside the output (and the cache)
    return project / "site"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def content_text(site: Path, page: str) -> str:
    return soup(site, page).select_one(".md-content").get_text(" ", strip=True)


# -- check ---------------------------------------------------------------------------------


def test_check_reports_unsafe_links_as_errors_with_lines(tmp_path):
    project = copy_hostile(tmp_path / "hostile")
    done = cli(project, "check")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert all(line.startswith("content/notes/unsafe-links.md:") for line in errors), errors
    lines = [int(line.split(":")[1]) for line in errors]
    assert lines == UNSAFE_LINK_LINES, errors
    unsafe = [line for line in errors if ": error: unsafe " in line]
    assert len(unsafe) == 9
    assert all("only http(s), mailto and relative links are allowed" in line for line in unsafe)
    assert "content/notes/unsafe-links.md:5:4: error: unsafe link 'javascript:alert('inline')'" in done.stderr
    assert "content/notes/unsafe-links.md:6:10: error: unsafe image 'data:image/svg+xml;" in done.stderr
    assert "content/notes/unsafe-links.md:17:19: error: attribute 'onclick' is not allowed" in done.stderr


def test_check_warns_about_sanitised_html_and_dropped_urls(tmp_path):
    project = copy_hostile(tmp_path / "hostile")
    (project / "content" / "notes" / "unsafe-links.md").unlink()
    done = cli(project, "check")
    assert done.returncode == 0, done.stderr
    assert "content/index.md:7: warning: raw HTML was sanitised (removed: <script>, onclick)" in done.stderr
    assert (
        "content/index.md:10: warning: raw HTML was sanitised (removed: onclick, style, <script>, <iframe>, "
        "<style>)" in done.stderr
    )
    assert (
        "bib/library.bib:1: warning: url 'javascript:alert('url')' of 'evil2020' is not an http(s) URL" in done.stderr
    )
    assert "bib/library.bib:1: warning: doi 'javascript:alert('doi')' of 'evil2020' is not a DOI" in done.stderr
    assert "of 'other2021' is not an http(s) URL" in done.stderr
    assert cli(project, "--strict", "check").returncode == 1


# -- the built site --------------------------------------------------------------------------


def test_every_file_is_free_of_foreign_scripts_handlers_and_dangerous_urls(hostile_site):
    assert_safe(hostile_site)


def test_bundled_site_is_free_of_foreign_scripts(bundled_site):
    """Hand-written pages too (a stray `<script>` in the authoring guide once ran in readers' browsers)."""
    assert_safe(bundled_site)


CITATION_DOWNLOADS = (
    "data:application/x-bibtex;charset=utf-8,",
    "data:application/x-research-info-systems;charset=utf-8,",
)


def _citation_download(tag) -> bool:
    """A "Cite this page" download: a link that saves the page's BibTeX or RIS as a file (never opened as a page)."""
    return tag.name == "a" and tag.has_attr("download") and str(tag.get("href", "")).startswith(CITATION_DOWNLOADS)


def assert_safe(site: Path) -> None:  # noqa: C901 (one check per kind of unsafe HTML, read as a list)
    """No script but Material's and the generator's own, no handlers, no dangerous URLs, in any file of `site`."""
    pages = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel in ("assets/_mkdocstrings.css", "objects.inv"):  # mkdocstrings' own files
            continue
        if rel.startswith("assets/research/"):  # the generator's own stylesheet and script, as packaged
            assert (ASSETS / path.name).read_bytes() == path.read_bytes(), rel
            continue
        if rel.startswith("assets/"):
            packaged = MATERIAL / rel
            assert packaged.is_file(), f"{rel} is not Material's"
            assert packaged.read_bytes() == path.read_bytes(), f"{rel} is not Material's"
            continue
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
        if path.suffix != ".html":
            assert "<script" not in text.lower(), rel
            if path.suffix == ".json":
                json.loads(text)
            continue
        pages += 1
        page = BeautifulSoup(text, "html.parser")
        scripts = page.find_all("script")
        assert text.lower().count("<script") == len(scripts), rel  # no script hiding where the parser did not look
        for script in scripts:
            if not script.get("src", "").endswith("assets/research/research.js"):  # the generator's own
                check_script(script, rel)
        for tag in page.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), f"{rel}: <{tag.name} {name}={value!r}>"
                assert name.lower() != "style" or tag.name in ("svg", "td", "th"), f"{rel}: style on <{tag.name}>"
                if name.lower() in URL_ATTRIBUTES and not _citation_download(tag):
                    scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", str(value).lower())
                    assert not scheme or scheme.group(1) in ("http", "https", "mailto"), f"{rel}: {name}={value!r}"
            if tag.name == "style":  # Material's font settings, nothing else
                assert (tag.string or "").startswith(":root{--md-text-font:"), f"{rel}: {tag}"
        content = page.select_one(".md-content")
        if content is not None:  # what the notes and the library fill: no embedded or active elements
            for tag in content.find_all(
                [
                    "iframe",
                    "object",
                    "embed",
                    "img",
                    "form",
                    "math",
                    "style",
                    "link",
                    "meta",
                    "base",
                    "frame",
                    "video",
                    "audio",
                    "template",
                    "textarea",
                ]
            ):
                raise AssertionError(f"{rel}: {tag}")
            for tag in content.find_all("input"):  # the radio buttons of content tabs ("Cite this page")
                assert tag.get("type") == "radio", f"{rel}: {tag}"
                assert tag["id"].startswith("__tabbed_"), f"{rel}: {tag}"
    assert pages >= 10


def check_script(script, rel: str) -> None:
    """A `<script>` Material writes itself, and nothing else."""
    if script.get("src"):
        assert BUNDLE.match(script["src"]), f"{rel}: {script}"
        assert not script.string, f"{rel}: {script}"
        return
    body = script.string or ""
    if script.get("id") == "__config":
        config = json.loads(body)
        assert SEARCH_WORKER.match(config["search"].lstrip("./").replace("../", "")) or config["search"].endswith(
            ".min.js"
        ), config["search"]
        assert "alert(" not in body
        return
    assert body.startswith(MATERIAL_INLINE), f"{rel}: {body[:80]}"
    assert "alert(" not in body, f"{rel}: {body[:80]}"


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        pytest.param("index.html", "Welcome.", id="home-body"),
        pytest.param(
            "evil/index.html", "Evil <\u2060script>alert('topic-title')<\u2060/script> & co", id="topic-title"
        ),
        pytest.param(
            "index.html",
            "Summary <img src=x onerror=alert('topic-summary')> [x](javascript:alert('summary-link')) *em*",
            id="topic-summary",
        ),
        pytest.param("evil/index.html", "USD 5 billion <script>alert('value')</script>", id="claim-value"),
        pytest.param("evil/index.html", "p. <img src=x onerror=alert('locator')>", id="claim-locator"),
        pytest.param("evil/index.html", "<script>alert('quote')</script>", id="claim-quote"),
        pytest.param("evil/index.html", "<script>alert('gloss')</script> going up", id="position-gloss"),
        pytest.param("evil/index.html", "[neither](javascript:alert('gloss-link'))", id="position-gloss-link"),
        pytest.param("evil/index.html", "<iframe src=javascript:alert('suspect')>", id="claim-suspect"),
        pytest.param(
            "evil/index.html",
            "Trade <script>alert('label')</script> [x](javascript:alert('label-link')) {: onclick=alert(1) }",
            id="fact-label",
        ),
        pytest.param("evil/index.html", "p. 3 | injected | cell", id="table-cell"),
        pytest.param("evil/index.html", "down {: onclick=alert('attr') }", id="attr-list-in-value"),
        pytest.param("evil/index.html", "See <img src=x onerror=alert('crossref-label')>", id="crossref-label"),
        pytest.param("evil/index.html", "<script>alert('author’)</script> and Doe 2020", id="bibtex-author-label"),
        pytest.param(
            "notes/index.html",
            "<img src=x onerror=alert('note-title')> : [click](javascript:alert('note-summary'))",
            id="note-title-summary",
        ),
        pytest.param("notes/xss-note/index.html", "<script>alert('code-span')</script>", id="code-span"),
        # A quotation opened by a straight quote in a title is typographic (‘title’), as citeproc-js shows it.
        pytest.param(
            "sources/evil2020/index.html",
            "Title <script>alert(‘title’)</script> [click](javascript:alert(‘title-link’)) & *stars*",
            id="bibtex-title",
        ),
        # In the formatted reference the style puts titles in headline case, as citeproc-js does.
        pytest.param("sources/evil2020/index.html", "<img Src=x Onerror=alert(‘Journal’)>", id="bibtex-journal"),
        pytest.param(
            "sources/evil2020/index.html", "Abstract <script>alert('abstract’)</script>", id="bibtex-abstract"
        ),
        pytest.param("sources/other2021/index.html", 'Other "quoted" <\u2060b onmouseover=', id="bibtex-title-quotes"),
        pytest.param(
            "bibliography/index.html",
            "Title <script>alert(‘Title’)</Script> [Click](Javascript:Alert(‘Title-Link’)) & *stars*",
            id="bibliography-entry",
        ),
    ],
)
def test_hostile_strings_show_as_text(hostile_site, page, shown):
    assert shown in content_text(hostile_site, page)


def test_code_and_body_headings(hostile_site):
    note = soup(hostile_site, "notes/xss-note/index.html")
    assert note.select_one("pre code").get_text().strip() == "<script>alert('fenced-code')</script>"
    heading = soup(hostile_site, "evil/index.html").find("h2", id="heading")
    assert heading is not None
    assert "alert" not in heading.get_text()  # inline <script> removed with its content


def test_page_and_nav_titles_are_text(hostile_site):
    page = soup(hostile_site, "evil/index.html")
    assert page.title.get_text() == "Evil <\u2060script>alert('topic-title')<\u2060/script> & co - Hostile study"
    nav = [a.get_text(strip=True) for a in page.select("nav.md-nav--primary .md-nav__link")]
    assert "Evil <\u2060script>alert('topic-title')<\u2060/script> & co" in nav
    note = soup(hostile_site, "notes/xss-note/index.html")
    assert note.title.get_text() == "<\u2060img src=x onerror=alert('note-title')> - Hostile study"


def test_admonition_titles_are_escaped_once(hostile_site):
    html = (hostile_site / "evil" / "index.html").read_text(encoding="utf-8")
    titles = [t.get_text() for t in soup(hostile_site, "evil/index.html").select(".admonition-title")]
    assert "Admonition  & bold" in titles  # the note's own admonition: <script> removed, <b> kept
    assert "Figures disagree: Trade <script>alert('label-2021')</script> (2021)" in titles
    assert "Assessments disagree: Mood \" onmouseover=\"alert('mood')" in titles
    assert "&amp;amp;" not in html


def test_raw_html_is_sanitised_not_dropped(hostile_site):
    page = soup(hostile_site, "index.html")
    body = page.select_one(".md-content")
    assert body.find("abbr", title="HyperText Markup Language").get_text() == "HTML"
    assert body.find("sub").get_text() == "2"
    assert body.find("span", class_="tag").get_text() == "a span"
    assert body.find("a", href="https://example.org/").get_text() == "a web link"
    box = body.find("div", class_="box")
    assert box is not None
    assert dict(box.attrs) == {"class": ["box"]}
    text = body.get_text(" ", strip=True)
    for gone in ("inline-script", "block-script", "iframe", "body { display", "svg"):
        assert gone not in text
    assert "raw javascript link" in text
    assert not body.find("a", string="raw javascript link").get("href")
    assert "<a/onmouseover=alert(1)>this" in text  # a tag only Python-Markdown reads: shown as text


def test_bibtex_urls_are_linked_only_when_http(hostile_site):
    evil = soup(hostile_site, "sources/evil2020/index.html").select_one(".md-content")
    assert "Link:" not in evil.get_text()
    assert not [a for a in evil.find_all("a", href=True) if "doi.org" in a["href"]]
    assert "Link:" not in soup(hostile_site, "sources/other2021/index.html").select_one(".md-content").get_text()
    safe = soup(hostile_site, "sources/safe2022/index.html").select_one(".md-content")
    assert safe.find("a", href="https://example.org/a?b=%22c%22%3Cd%3E")


def test_hostile_citekey_gets_a_page_inside_sources(hostile_site):
    assert (hostile_site / "sources" / "escape" / "index.html").is_file()
    assert "A citekey that tries to leave sources/" in content_text(hostile_site, "sources/escape/index.html")


def test_claims_json_keeps_the_data_but_no_markup(hostile_site):
    text = (hostile_site / "claims.json").read_text(encoding="utf-8")
    assert "<" not in text
    assert ">" not in text
    data = json.loads(text)
    values = {c["id"]: c for c in data["claims"]}
    assert values["claim-trade--evil2020"]["value"] == "USD 5 billion <script>alert('value')</script>"
    assert values["claim-trade--evil2020"]["quote"] == "<script>alert('quote')</script>"
    assert "URL" not in data["sources"]["evil2020"]
    assert "DOI" not in data["sources"]["evil2020"]


# -- the scanner's rules, one by one -------------------------------------------------------------


def scanned(body: str):
    from build_scripts.notes.scan import scan

    return scan(body, "n.md", 10)


def rendered(body: str) -> str:
    from types import SimpleNamespace

    from build_scripts.model import Note
    from build_scripts.render.body import render_body

    spans, _ = scanned(body)
    note = Note(id="n", title="T", kind="note", path="n.md", body=body, spans=tuple(spans))
    return render_body(note, SimpleNamespace(inputs=set()))


@pytest.mark.parametrize(
    ("body", "where"),
    [
        pytest.param("[x](javascript:alert(1))", "10:1", id="inline"),
        pytest.param("x ![i](data:text/html,hi)", "10:3", id="image-data"),
        pytest.param("<javascript:alert(1)>", "10:1", id="autolink"),
        pytest.param("[x][r]\n\n[r]: javascript:alert(1)", "10:1 12:1", id="reference"),
        pytest.param("[x](JaVaScRiPt:alert(1))", "10:1", id="mixed-case"),
        pytest.param("[x]( \tjavascript:alert(1))", "10:1", id="leading-space"),
        pytest.param("[x](java&#x73;cript:alert(1))", "10:1", id="entity"),
        pytest.param("[x](java%73cript:alert(1))", "10:1", id="percent-encoded"),
        pytest.param("[x](<javascript:alert(1)>)", "10:1", id="angle-brackets"),
        pytest.param("[x](javascript:alert(1) not-a-title)", "10:3", id="python-markdown-only"),
        pytest.param("para\n[d]: javascript:alert(1)\n\n[y][d]", "11:1", id="definition-inside-paragraph"),
        pytest.param("> [x](vbscript:x)", "10:3", id="in-quote"),
        pytest.param("!!! note\n\n    [x](javascript:x)", "12:5", id="in-admonition"),
        pytest.param("[x](file:///etc/passwd)", "10:1", id="file"),
    ],
)
def test_unsafe_links_are_errors(body, where):
    _, diags = scanned(body)
    assert [f"{d.location.line}:{d.location.col}" for d in diags] == where.split(), diags
    assert diags[0].message.startswith("unsafe ")
    assert "only http(s), mailto and relative links" in diags[0].message


@pytest.mark.parametrize(
    "body",
    [
        "[x](https://a.org)",
        "[x](http://a.org/p?q=1#f)",
        "[x](mailto:me@a.org)",
        "<me@a.org>",
        "[x](../n/)",
        "[x](#anchor)",
        "[x](/abs/path)",
        "![i](img/a.png)",
        "[x](a.md#b:c)",
        "<https://a.org>",
        "Figure [2]: a caption: with colons",
        "[^1]: a footnote: text",
        "time {x} and a=b",
    ],
)
def test_safe_links_pass(body):
    assert scanned(body)[1] == []


@pytest.mark.parametrize(
    ("body", "shown", "removed"),
    [
        pytest.param("a <b>bold</b> c", "a <b>bold</b> c", None, id="allowed-tags-untouched"),
        pytest.param("a <script>alert(1)</script> c", "a  c", "<script>", id="inline-script-with-content"),
        pytest.param("a <img src=x onerror=alert(1)> c", "a  c", "<img>", id="img"),
        pytest.param(
            'a <span class="k" onclick="x" style="y">s</span>',
            'a <span class="k">s</span>',
            "onclick, style",
            id="attributes",
        ),
        pytest.param(
            '<a href="javascript:x">y</a>', '<a rel="noopener noreferrer">y</a>', 'href="javascript:x"', id="raw-link"
        ),
        pytest.param(
            "<div>\n<script>\nx\n</script>\n</div>\n\nnext",
            "<div>\n\n</div>\n\nnext",
            "<script>",
            id="block-lines-removed",
        ),
        pytest.param(
            "> <div onclick=x>\n> text\n\nnext",
            "> <div>\n> text</div>\n\nnext",
            "onclick",
            id="block-in-quote-keeps-markers",
        ),
        pytest.param("a <a/onmouseover=x>b", "a &lt;a/onmouseover=x>b", None, id="python-markdown-only-tag"),
        pytest.param("1 < 2 and <3", "1 < 2 and <3", None, id="plain-less-than"),
        pytest.param("x <!-- note to self --> y", "x <!-- note to self --> y", None, id="comment-kept"),
    ],
)
def test_raw_html_is_cleaned(body, shown, removed):
    _, diags = scanned(body)
    assert rendered(body) == shown
    warnings = [d.message for d in diags]
    assert warnings == ([f"raw HTML was sanitised (removed: {removed})"] if removed else [])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("# Title { onclick=alert(1) }", "attribute 'onclick' is not allowed", id="heading"),
        pytest.param("| a |\n|---|\n| b { style=x } |", "attribute 'style' is not allowed", id="table-cell"),
        pytest.param("[x](https://a.org){: href=javascript:x }", "attribute 'href' is not allowed", id="link"),
        pytest.param(
            "- item\n\n        <img src=x onerror=alert(1)>",
            "in a code block that Python-Markdown",
            id="indented-code-in-list",
        ),
        pytest.param("`code\n<img src=x onerror=alert(1)>`", "a code span holding HTML", id="multiline-code-span"),
        pytest.param("a <img\nsrc=x onerror=alert(1)>", "an HTML tag spans several lines", id="multiline-tag"),
    ],
)
def test_other_unsafe_constructs_are_errors(body, message):
    _, diags = scanned(body)
    assert [d.severity.value for d in diags] == ["error"], diags
    assert message in diags[0].message


def test_harmless_attribute_lists_and_fenced_html_pass():
    body = '# Title { #t .c title="x" data-k=v }\n\n```html\n<script>ok</script>\n```\n'
    assert scanned(body) == ([], [])


def test_admonition_bodies_are_scanned_as_markdown():
    body = '!!! note "Title [@a]"\n\n    Inside [@b, p. 2] and <b>ok</b> <script>x</script>.\n\n    ??? tip\n\n        Deep [@c]'
    spans, diags = scanned(body)
    lines = body.split("\n")
    assert [lines[s.line][s.start : s.end] for s in spans] == ["[@a]", "[@b, p. 2]", "<script>x</script>", "[@c]"]
    assert [str(d.location) for d in diags] == ["n.md:12"]
