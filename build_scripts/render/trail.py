"""Where a page belongs in the site's navigation: the readers' section, and the breadcrumb of pages outside it.

The nav lists the home page, the topics, the notes the home page links to and
the index pages. Every other note, and every source, is reached from those;
its breadcrumb ("Research › Military cooperation", "Research › Bibliography")
says where it belongs. The generator writes the breadcrumb in the page's front
matter (`research_trail`), and the theme override `overrides/partials/path.html`
shows it where the theme shows the breadcrumb of a page in the nav.
"""

from __future__ import annotations

from build_scripts.model import NavItem, Note, NoteKind
from build_scripts.page_paths import HOME_PAGE, NOTES_DIR, NOTES_INDEX_PAGE, SOURCES_DIR, SitePage
from build_scripts.render.context import Context
from build_scripts.render.text import nav_title, short_title

READERS_SECTION = "Research"
"""Title of the readers' section (a tab of its own): the hand-written `nav:` of `mkdocs.yml` follows it."""


def home_linked(ctx: Context) -> list[Note]:
    """The notes (not topics) the home page links to, by title: the nav lists them after the topics."""
    return sorted((n for n in ctx.index.notes.values() if _home_linked(n, ctx)), key=lambda n: n.title.casefold())


def _home_linked(note: Note, ctx: Context) -> bool:
    home = ctx.index.home
    return note.kind is NoteKind.NOTE and home is not None and home.id in ctx.index.backlinks.get(note.id, ())


def nav(ctx: Context) -> list[NavItem]:
    """Home, then the readers' section: the topics, the notes the home page links to, and the index pages.

    Other notes and the sources are reached from those pages (their breadcrumb
    says where they belong: [`trail`][build_scripts.render.trail.trail]).
    The authors' and developers' pages (the authoring guide, the API reference)
    are in the hand-written `nav:` of `mkdocs.yml`, a section of their own.
    Titles are HTML (escaped text), as MkDocs' own titles taken from headings are;
    a title's subtitle (after a colon) is left out.
    """
    index = ctx.index
    entries = (
        NavItem("Topics", children=tuple(NavItem(_nav_title(t.title), index.page(t.id)) for t in index.topics)),
        *(NavItem(_nav_title(n.title), index.page(n.id)) for n in home_linked(ctx)),
        *(NavItem(page.heading, page.path) for page in SitePage),
        NavItem("All notes", NOTES_INDEX_PAGE),
    )
    home = [NavItem("Home", HOME_PAGE)] if index.home else []  # at the top, the home page is titled by the site
    return [*home, NavItem(READERS_SECTION, children=entries)]


def _nav_title(title: str) -> str:
    """A title in the nav: without its subtitle ("Overview: the wider order" → "Overview")."""
    return nav_title(short_title(title))


def page_url(page: str) -> str:
    """A docs page's URL relative to the site's root, with directory URLs (`notes/a.md` → `notes/a/`)."""
    if page == HOME_PAGE:
        return ""
    return page.removesuffix(".md").removesuffix("/index").removesuffix("index") + "/"


def trail(page: str, ctx: Context) -> list[dict[str, str]]:
    """The breadcrumb of a page outside the nav, after the home page: [] for a page in the nav.

    A source belongs under the Bibliography; a note under its first topic, or
    under All notes. Each step is `{"title": plain text, "url": URL from the site's root}`.
    """
    index = ctx.index
    if page.startswith(SOURCES_DIR):
        parent = (SitePage.BIBLIOGRAPHY.heading, SitePage.BIBLIOGRAPHY.path)
    else:
        note = index.notes.get(page.removeprefix(NOTES_DIR).removesuffix(".md"))
        if note is None or index.page(note.id) != page or note.kind is not NoteKind.NOTE or _home_linked(note, ctx):
            return []
        topic = next((index.notes[t] for t in note.topics if t in index.notes), None)
        parent = (topic.title, index.page(topic.id)) if topic else ("All notes", NOTES_INDEX_PAGE)
    first = index.page(index.topics[0].id) if index.topics else parent[1]  # a section links to its first page
    return [{"title": READERS_SECTION, "url": page_url(first)}, {"title": parent[0], "url": page_url(parent[1])}]
