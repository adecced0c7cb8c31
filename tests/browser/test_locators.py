"""Every locator leads somewhere, on the bundled site in a real browser; source pages keep citekeys for authors.

A "para. N" link that stays on the site (its source has no address) must land
on an anchor of the source's page whose block (its heading, up to the next
heading) shows a quotation; a source page, with its "For authors" block
closed, shows no citekey.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from ..conftest import ROOT

pytestmark = pytest.mark.browser

TOPICS = sorted(
    yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["id"]
    for p in (ROOT / "content" / "topics").glob("*.md")
)
CITEKEYS = re.findall(
    r"^@(?!string)\w+\{([^,\s]+),",
    (ROOT / "bib" / "library.bib").read_text(encoding="utf-8"),
    re.MULTILINE | re.IGNORECASE,
)

PARA_LINKS = """() => [...document.querySelectorAll('article a[href]')]
  .filter(a => /^paras?\\.\\s*\\d/i.test(a.textContent.trim()))
  .map(a => ({text: a.textContent.trim(), href: a.href}))"""

BLOCK_QUOTES = """anchor => {
  const target = document.getElementById(anchor);
  if (!target) return null;
  const quotes = [...target.querySelectorAll('q.research-quote')];
  for (let el = target.nextElementSibling; el && !/^H[1-3]$/.test(el.tagName); el = el.nextElementSibling) {
    if (el.matches('q.research-quote')) quotes.push(el);
    quotes.push(...el.querySelectorAll('q.research-quote'));
  }
  return quotes.map(q => q.textContent);
}"""


def test_every_paragraph_link_that_stays_on_the_site_reaches_a_block_with_a_quotation(open_page, bundled_url):
    page, console = open_page(bundled_url)
    targets: dict[str, dict[str, str]] = {}  # source page → anchor → where one link to it was found
    offsite = 0
    for topic in TOPICS:
        page.goto(f"{bundled_url}/{topic}/")
        for link in page.evaluate(PARA_LINKS):
            if not link["href"].startswith(bundled_url + "/"):
                offsite += 1
                assert link["text"].endswith("at the publisher"), link  # says where it leads
                continue
            where, anchor = urldefrag(link["href"])
            assert urlsplit(where).path.startswith("/sources/"), link
            assert anchor.startswith("para-"), link  # not the top of the source's page
            targets.setdefault(where, {}).setdefault(anchor, f"{topic}: {link['text']}")
    assert offsite
    assert sum(map(len, targets.values())) > 20  # both kinds occur on the bundled site
    for where, anchors in sorted(targets.items()):
        page.goto(where)
        for anchor, found in sorted(anchors.items()):
            quotes = page.evaluate(BLOCK_QUOTES, anchor)
            assert quotes is not None, f"{found}: no #{anchor} on {where}"
            assert quotes, f"{found}: the block #{anchor} on {where} shows no quotation"
    # Followed, a link brings its block into view, below the header.
    where, anchors = next(iter(sorted(targets.items())))
    page.goto(f"{where}#{min(anchors)}")
    heading = page.locator(f"[id='{min(anchors)}']")
    expect(heading).to_be_in_viewport()
    console.assert_clean()


@pytest.mark.parametrize("key", CITEKEYS)
def test_a_source_page_shows_no_citekey_until_the_for_authors_block_is_opened(open_page, bundled_url, key):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/sources/{key}/")
    expect(page.locator("h2#about-this-reference")).to_be_visible()
    authors = page.locator("details", has=page.locator("summary", has_text="For authors"))
    expect(authors).to_have_count(1)
    assert authors.get_attribute("open") is None
    visible = re.sub(r"https?://\S+", "", page.locator("article").inner_text())  # a page's address is no name
    shown = [k for k in CITEKEYS if k in visible]
    assert not shown, f"citekeys in the visible text of /sources/{key}/: {shown}"
    authors.locator("summary").click()
    expect(authors.locator("code").first).to_have_text(key)  # there for authors who look
    console.assert_clean()
