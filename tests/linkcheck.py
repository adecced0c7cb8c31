"""A link checker for a built site: every internal link and anchor must resolve."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"))


def broken_links(site: Path) -> list[str]:
    """`page: href` for each internal link or anchor in `site` that does not resolve."""
    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in sorted(site.rglob("*.html"))}
    ids = {
        p: {tag["id"] for tag in soup.find_all(id=True)}
        | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        for p, soup in pages.items()
    }
    broken = []
    for page, soup in pages.items():
        for tag, attr in LINK_ATTRS:
            for element in soup.find_all(tag, attrs={attr: True}):
                href = element[attr]
                if not _resolves(page, href, site, ids):
                    broken.append(f"{page.relative_to(site)}: {href}")
    return broken


def _resolves(page: Path, href: str, site: Path, ids: dict[Path, set[str]]) -> bool:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return True  # external: not ours to check here
    base = site if parts.path.startswith("/") else page.parent  # root-relative links (404.html) start at the site
    target = page if not parts.path else (base / unquote(parts.path).lstrip("/")).resolve()
    if not str(target).startswith(str(site.resolve())) and target != page:
        return False
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    if parts.fragment and target.suffix == ".html":
        return unquote(parts.fragment) in ids.get(target, ids.get(target.resolve(), set()))
    return True
