"""What keeps a big site's build small: pages' HTML waits on disk, big cache values are kept one row at a time.

The builder moves each page's HTML into a spill folder once it is converted
(`renderers/mkdocs_spill.py`); plugins must not notice. The cache keeps
conversions and search entries in an SQLite file (`cache.Rows`); a damaged
file must cost a rebuild, never a traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from build_scripts.cache import BY_ROW, Cache
from build_scripts.renderers.mkdocs_spill import Spill

from .conftest import plain_mkdocs, write
from .test_incremental import build, differences

HOOK = '''\
"""Stamps each page in on_env with its address and the headings its HTML has."""


def on_env(env, config, files):
    for file in files.documentation_pages():
        page = file.page
        headings = page.content.count("<h2")
        page.content += f'<p class="stamp">{page.url} has {headings} sections</p>'
    return env
'''


@pytest.fixture
def hooked(mini: Path) -> Path:
    """The mini project with a hook whose `on_env` rewrites every page's HTML, as autorefs does."""
    write(mini / "hooks.py", HOOK)
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks: [hooks.py]\n", encoding="utf-8")
    return mini


def stamps(site: Path) -> dict[str, str]:
    """Each page's stamp (the hook's sentence), by HTML file."""
    found = {}
    for page in site.rglob("index.html"):
        match = re.search(r'<p class="stamp">([^<]*)</p>', page.read_text(encoding="utf-8"))
        found[str(page.relative_to(site))] = match.group(1) if match else ""
    return found


def test_a_plugin_rewriting_pages_in_on_env_changes_each_page_as_plain_mkdocs_does(hooked, tmp_path):
    build(hooked)
    plain = plain_mkdocs(hooked, tmp_path / "plain")
    built = stamps(hooked / "site")
    assert built["notes/lo-note/index.html"].startswith("notes/lo-note/ has ")
    assert all(stamp.split(" has ")[0] == page.removesuffix("index.html") for page, stamp in built.items()), built
    assert built == stamps(plain)
    assert differences(hooked / "site", plain) == []


def test_a_rebuild_reusing_every_page_keeps_the_plugins_changes(hooked):
    build(hooked)
    first = stamps(hooked / "site")
    report = build(hooked)
    assert re.search(r" 0 pages rendered", report), report
    assert stamps(hooked / "site") == first


def test_a_damaged_cache_file_costs_a_rebuild_not_a_traceback(mini):
    build(mini)
    before = {p.relative_to(mini / "site"): p.read_bytes() for p in (mini / "site").rglob("*.html")}
    (rows,) = (mini / ".research-cache").glob("*/rows.sqlite")
    rows.write_bytes(b"this is not a database" * 100)
    report = build(mini)
    assert "Traceback" not in report
    assert re.search(r" 0 reused", report), "pages were reused without their search entries"
    after = {p.relative_to(mini / "site"): p.read_bytes() for p in (mini / "site").rglob("*.html")}
    assert after == before
    assert re.search(r" 0 pages rendered", build(mini)), "the cache was not filled again"


def test_the_cache_keeps_big_values_by_row_and_only_those_used_in_the_last_run(tmp_path):
    namespace = next(iter(BY_ROW))
    cache = Cache(tmp_path)
    cache.put(namespace, "a", "x" * 1000)
    cache.put(namespace, "b", [1, 2])
    assert Cache(tmp_path).get(namespace, "a") is None, "a value was visible before it was saved"
    cache.save()
    again = Cache(tmp_path)
    assert again.has(namespace, "b")
    assert again.get(namespace, "a") == "x" * 1000
    again.put(namespace, "c", 3)
    again.save()
    last = Cache(tmp_path)
    assert (last.get(namespace, "a"), last.get(namespace, "b"), last.get(namespace, "c")) == ("x" * 1000, None, 3)


def test_a_preview_keeps_what_the_build_before_it_saved_but_not_each_of_its_own_saves(tmp_path):
    build = Cache(tmp_path)
    build.put("note", "kept by build", 1)
    build.save()
    preview = Cache(tmp_path, prune=False)
    assert preview.get("note", "unknown") is None  # reads the namespace as the build left it
    for run in range(5):  # each save of the preview: a rebuild that used one new value
        preview.put("note", f"save {run}", run)
        preview.save()
    after = Cache(tmp_path)
    assert after.get("note", "kept by build") == 1, "the preview pushed out what the build kept"
    assert after.get("note", "save 4") == 4, "the latest rebuild's value was not kept"
    assert after.get("note", "save 0") is None, "every save of the session was kept: the cache grows with each"
    assert preview.get("note", "save 0") is None, "the session holds the values of every save in memory"


def test_a_cache_file_that_is_not_a_database_reads_as_empty_and_is_replaced(tmp_path):
    namespace = next(iter(BY_ROW))
    cache = Cache(tmp_path)
    cache.directory.mkdir(parents=True)
    (cache.directory / "rows.sqlite").write_bytes(b"garbage" * 1000)
    assert cache.get(namespace, "a") is None
    cache.put(namespace, "a", 1)
    cache.save()
    assert Cache(tmp_path).get(namespace, "a") == 1


def test_a_spilled_page_reads_and_writes_its_html_on_disk_and_a_forked_change_stays_in_the_fork(tmp_path):
    config = {"use_directory_urls": True}
    pages = [Page(f"P{n}", File(f"p{n}.md", "docs", "site", True), config) for n in range(3)]  # type: ignore[arg-type]
    spill = Spill(tmp_path)
    try:
        for n, page in enumerate(pages):
            page.content = f"<p>page {n} é</p>"
            spill.page(page)
            assert "content" not in vars(page), "the HTML stayed in memory"
            assert "toc" not in vars(page), "the table of contents stayed in memory"
        pages[1].content = "<p>changed</p>"
        assert [p.content for p in pages] == ["<p>page 0 é</p>", "<p>changed</p>", "<p>page 2 é</p>"]
        pid = os.fork()
        if pid == 0:
            pages[0].content = "<p>changed in a worker</p>"
            os._exit(0 if pages[0].content == "<p>changed in a worker</p>" else 1)
        assert os.waitpid(pid, 0)[1] == 0
        assert pages[0].content == "<p>page 0 é</p>"
    finally:
        spill.close()
    assert not spill.folder.exists()


def test_a_spill_folder_left_by_a_killed_build_is_removed_by_the_next(tmp_path):
    pid = os.fork()
    if pid == 0:
        Spill(tmp_path).write(b"<p>HTML</p>")
        os._exit(0)  # killed: no close
    os.waitpid(pid, 0)
    assert len(list(tmp_path.iterdir())) == 1
    spill = Spill(tmp_path)
    assert list(tmp_path.iterdir()) == [spill.folder]
    spill.close()
