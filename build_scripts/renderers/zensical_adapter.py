"""The only module that runs Zensical, Material for MkDocs' successor, as a second renderer.

Zensical reads `mkdocs.yml` but runs no MkDocs plugin of ours, so the pages are handed
to it as files: [`write_project`][build_scripts.renderers.project.write_project] writes
a project (pages, hand-written `docs/`, config) into a work folder of the
generator's cache, and Zensical builds that with `zensical build --clean
--strict` in a process of its own. The site it writes there is then swapped in
for the site folder; when it fails, the previous site is left as it was.
Zensical renders every page on every build (there is no reuse of earlier
pages, as the MkDocs adapter has).

Live preview ([`serve`][build_scripts.renderers.zensical_adapter.serve]) runs
`zensical serve` on a project of its own, which it keeps up to date file by
file when the inputs change; Zensical's server then rebuilds and reloads.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from build_scripts.config import Settings, load_settings
from build_scripts.model import BuildResult
from build_scripts.paths import stamps
from build_scripts.renderers import project as projects
from build_scripts.renderers.base import Preview, RenderError
from build_scripts.renderers.project import Project, swap_in

__all__ = [
    "INSTALL_HINT",
    "ZensicalBuild",
    "ZensicalError",
    "ZensicalRenderer",
    "build_site",
    "installed_version",
    "serve",
]

INSTALL_HINT = "install it with `make site RENDERER=zensical` (or `pip install -r requirements-zensical.lock`)"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_POLL = 0.3  # seconds between looks at the watched files in live preview
_DEFAULT_ADDR = "localhost:8000"  # Zensical's own default


class ZensicalError(Exception):
    """Zensical is missing or failed (the message says why); the previous site is unchanged."""


@dataclass(frozen=True, slots=True)
class ZensicalBuild:
    """What one Zensical build did.

    Attributes:
        pages: HTML pages in the site.
        seconds: Time Zensical took.
        version: Zensical's version.
    """

    pages: int
    seconds: float
    version: str


class ZensicalRenderer:
    """Zensical: every build renders every page, on a project written into the generator's cache."""

    def build(self, config_file: Path, settings: Settings, result: BuildResult, site_dir: Path, jobs: int) -> str:
        """Write the project into the cache (checking the hand-written pages), build it, swap the site in."""
        try:
            installed_version()  # before writing anything
            written = projects.write_project(config_file, result, settings.cache_dir / "zensical")
            done = build_site(written, site_dir)
        except (projects.ProjectError, ZensicalError) as exc:
            raise RenderError(str(exc), f"the site was not built; the previous {site_dir} is unchanged") from None
        return f"site built in {site_dir} with Zensical {done.version}: {done.pages} pages, {done.seconds:.2f} s"

    def serve(self, preview: Preview) -> int:
        """Live preview with Zensical's own server, on a project written again whenever an input changes."""
        folder = preview.settings.cache_dir / "zensical-serve"

        def update() -> str:
            start = time.perf_counter()
            fresh = preview.regenerate()
            if fresh.result is None:
                return f"{fresh.changed}: not written, problems above; the preview shows the last good site"
            try:
                projects.write_project(preview.config_file, fresh.result, folder, in_place=True)
            except projects.ProjectError as exc:
                return f"{fresh.changed}: not written: {exc}"
            return f"{fresh.changed}: pages written in {time.perf_counter() - start:.2f} s; Zensical rebuilds the site"

        try:
            installed_version()
            print(update(), flush=True)
            if not (folder / projects.CONFIG).is_file():
                return 1
            return serve(Project.at(folder), update, preview.watch, preview.dev_addr)
        except ZensicalError as exc:
            raise RenderError(str(exc)) from None


def installed_version() -> str:
    """Zensical's version.

    Raises:
        ZensicalError: If Zensical is not installed in this Python.
    """
    if importlib.util.find_spec("zensical") is None:
        raise ZensicalError(f"Zensical is not installed in {sys.prefix}: {INSTALL_HINT}")
    return importlib.metadata.version("zensical")


def build_site(project: Project, site_dir: Path, *, strict: bool = True) -> ZensicalBuild:
    """Build the written `project` with Zensical, then swap its site in for `site_dir`.

    With `strict` (the default, as for MkDocs), a warning (a link to a missing
    page or anchor) fails the build.

    Raises:
        ZensicalError: If Zensical is missing or reports a failure; `site_dir` is unchanged.
    """
    version = installed_version()
    start = time.perf_counter()
    shutil.rmtree(project.site_dir, ignore_errors=True)
    args = ["build", "--config-file", str(project.config_file), "--clean", *(["--strict"] if strict else [])]
    done = subprocess.run(_command(args), cwd=project.folder, capture_output=True, text=True, check=False)
    output = _readable(done.stdout + done.stderr)
    if output:
        print(output, file=sys.stderr)
    if done.returncode != 0 or not (project.site_dir / "index.html").is_file():
        raise ZensicalError(_failure(output, strict))
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in project.site_dir.rglob("*.html"))
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        tmp.rmdir()
        shutil.move(str(project.site_dir), tmp)  # a rename, or a copy when the site is on another drive
        swap_in(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ZensicalBuild(pages, seconds, version)


def serve(
    project: Project,
    update: Callable[[], str],
    watch: list[Path],
    dev_addr: str | None,
) -> int:
    """Run Zensical's live preview of `project`; `update()` re-emits it when a file under `watch` changes.

    `update` writes the project again in place and returns a line to print;
    Zensical's server sees the changed pages, rebuilds and reloads the
    browser. A change to the project's config restarts the server. Returns
    when interrupted (0) or when the server stops by itself (its exit status).

    Raises:
        ZensicalError: If Zensical is not installed.
    """
    installed_version()
    args = ["serve", "--config-file", str(project.config_file), *(["--dev-addr", dev_addr] if dev_addr else [])]
    seen = stamps(watch)
    config = project.config_file.read_bytes()
    handler = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the server too, as Ctrl-C does
    server = subprocess.Popen(_command(args), cwd=project.folder)
    host, port, mount = _address(project, dev_addr)
    waiting = True
    try:
        while server.poll() is None:
            time.sleep(_POLL)
            if waiting and _listening(host, port):
                print(f"serving the site at http://{host}:{port}{mount} (Ctrl-C stops)", file=sys.stderr, flush=True)
                waiting = False
            now = stamps(watch)
            if now == seen:
                continue
            seen = now
            print(update(), flush=True)
            if project.config_file.read_bytes() != config:  # a new nav or theme: Zensical reads its config once
                config = project.config_file.read_bytes()
                _stop(server)
                server = subprocess.Popen(_command(args), cwd=project.folder)
        return server.returncode
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(server)
        signal.signal(signal.SIGTERM, handler)  # the handler this process had before


def _address(project: Project, dev_addr: str | None) -> tuple[str, int, str]:
    """Where Zensical serves: `dev_addr`, else the config's, else its default; at the path of `site_url`."""
    addr = dev_addr or str(projects.read_config(project.config_file).get("dev_addr") or _DEFAULT_ADDR)
    host, _, port = addr.rpartition(":")
    mount = urlsplit(load_settings(project.config_file).site_url).path or "/"
    return host or "localhost", int(port) if port.isdigit() else 8000, mount


def _listening(host: str, port: int) -> bool:
    """Whether a server accepts connections at `host:port`."""
    try:
        with socket.create_connection((host, port), timeout=_POLL):
            return True
    except OSError:
        return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "zensical", *args]


def _readable(output: str) -> str:
    """Zensical's output without colour codes and without the Python traceback of an aborted build."""
    lines, skipping = [], False
    for line in _ANSI.sub("", output).splitlines():
        if line.startswith("Traceback (most recent call last):"):
            skipping = True
        elif skipping and not line.startswith(" "):
            skipping = False
            line = line.split(": ", 1)[-1]  # `RuntimeError: Aborted because ...`: the message only
        if not skipping and line.strip():
            lines.append(line)
    return "\n".join(lines)


def _failure(output: str, strict: bool) -> str:
    """Why a build failed, in one line."""
    issues = re.search(r"(\d+) issues? found", output)
    if issues and strict:
        return f"Zensical reported {issues.group(1)} issue(s) (see above); warnings fail the build"
    last = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
    return f"Zensical failed: {last[0].strip()}"


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
