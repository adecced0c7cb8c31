"""Real-browser fixtures: built sites served on 127.0.0.1, and Debian's chromium driven by Playwright.

The mini fixture corpus and the bundled corpus are each built once per session, served by a
threaded `http.server` on a random free port, and opened in headless chromium (/usr/bin/chromium,
installed by `make browser-deps`; Playwright's own browser download is never used). Every request
to anything but the local server is aborted, so the closed network cannot slow or break a page;
the console errors those aborts cause are the only ones a test may ignore.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from ..conftest import FIXTURES, ROOT, cli, commit_all

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json; `make browser-deps` installs it
BUILD_TIMEOUT = 600  # seconds; a build takes a few


# --- building the sites -----------------------------------------------------------------------


def _build(cwd: Path, *args: str) -> None:
    done = cli(cwd, *args, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"build failed in {cwd}:\n{done.stderr}"


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The mini fixture corpus built end to end (as tests/test_build.py does), with code copy buttons on."""
    project = tmp_path_factory.mktemp("browser-mini") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    config = project / "mkdocs.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"))
    features = settings["theme"].setdefault("features", [])
    if "content.code.copy" not in features:  # "Cite this page" is copied with Material's copy button
        features.append("content.code.copy")
    config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    commit_all(project, "2024-05-06T12:00:00+00:00")
    _build(project, "build")
    return project / "site"


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The repository's own corpus, built with the real mkdocs.yml into a temporary folder."""
    target = tmp_path_factory.mktemp("browser-bundled") / "site"
    _build(ROOT, "build", "-d", str(target))
    return target


# --- serving them -----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """A function `serve(folder)` giving the base URL of a threaded static server on 127.0.0.1 and a free port."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name=f"http {folder}", daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def mini_url(serve, mini_site) -> str:
    return serve(mini_site)


@pytest.fixture(scope="session")
def bundled_url(serve, bundled_site) -> str:
    return serve(bundled_site)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the lock file pins it
        pytest.fail("the Python package 'playwright' is missing: run `make test` (it installs requirements.lock)")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium), "
            "or deselect the browser tests with -m 'not browser'"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Console:
    """Console errors and uncaught exceptions of one page, and the external requests it was denied."""

    origin: str
    blocked: set[str] = field(default_factory=set)  # external URLs we aborted
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        text = f"{message.text} ({url or 'no location'})"
        # Only the failures we caused by aborting external requests (a passage opened in the original, ...).
        if url in self.blocked and "net::ERR_FAILED" in message.text:
            self.ignored.append(text)
        else:
            self.errors.append(text)

    def on_pageerror(self, error) -> None:
        self.errors.append(f"uncaught: {error}")

    def assert_clean(self) -> None:
        assert not self.errors, "console errors:\n" + "\n".join(self.errors)


@pytest.fixture
def context(browser):
    """A fresh browser context for one test; pages opened in it are watched for console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)  # explicit waits; nothing here should take more than a second
    yield context
    for page in context.pages:  # let requests still in flight end quietly
        page.unroute_all(behavior="ignoreErrors")
    context.close()


@pytest.fixture
def phone(browser):
    """A phone: 390 px wide, touch, no hover."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def wide(browser):
    """A wide desktop window: 1,400 px."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def open_page(context):
    """A function `open_page(base_url)` giving (page, console): a page whose external requests are aborted."""

    def open_(base_url: str):
        origin = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
        console = Console(origin)

        def route(route):
            url = route.request.url
            if url.startswith(origin + "/") or url == origin:
                route.continue_()
            else:
                console.blocked.add(url)
                route.abort()

        page = context.new_page()
        page.route("**/*", route)
        page.on("console", console.on_console)
        page.on("pageerror", console.on_pageerror)
        return page, console

    return open_


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- accessibility ----------------------------------------------------------------------------


def serious_violations(page) -> list[tuple[str, str, int, list]]:
    """axe-core's serious and critical WCAG 2 A and AA (2.0 and 2.1) violations on the open page.

    Checked twice: as the page opens, and with every collapsible block opened, so that what they hold
    is checked too. Each violation as (rule, impact, how many elements, the first element's selector).
    """
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make browser-deps` (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    found = []
    for opened in (False, True):
        if opened:
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        found += [
            (v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found
