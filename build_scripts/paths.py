"""Files and folders: how a path is named, and which symbolic links are followed.

One rule for symbolic links everywhere: a link is followed only when its real
target is inside the project (so `bib/texts/x.txt -> /etc/passwd` is not read,
and a link loop cannot hang the build); and a file is named by the path at
which it was found, relative to the project root, never by its target.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISDIR

from build_scripts.model import Diagnostic, Location

__all__ = ["find_notes", "inside", "real", "relative_path", "remove_except", "stamps", "write_changed"]


def relative_path(path: Path, root: Path) -> str:
    """`path` relative to `root`, with `/` separators, as diagnostics and pages name files.

    Symbolic links are not resolved. A path outside `root` is given with `..`
    (or as it is, where no relative path exists, as on another drive).
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def real(path: Path) -> Path:
    """Where `path` really is, symbolic links resolved (as it is, if that cannot be worked out)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, RuntimeError, ValueError):
        return path.absolute()


def inside(path: Path, base: Path) -> bool:
    """Whether `path` is `base` or below it (compare real paths, from [`real`][build_scripts.paths.real])."""
    return path == base or base in path.parents


def stamps(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Size and modification time of each file of `paths`, and of every file under each folder of them.

    What live preview compares between two looks to tell which files changed;
    a path that is missing (or vanishes meanwhile) is left out.
    """
    found: dict[Path, tuple[int, int]] = {}
    for path in paths:
        for file in [path] if path.is_file() else path.rglob("*") if path.is_dir() else []:
            try:
                stat = file.stat()
            except OSError:
                continue
            if not S_ISDIR(stat.st_mode):
                found[file] = (stat.st_size, stat.st_mtime_ns)
    return found


def write_changed(target: Path, chunks: Iterable[bytes]) -> str:
    """Write the chunks to `target` unless it holds them already; return their SHA-256 (hex).

    They go to a file beside `target` first, put in its place once whole (a
    reader never sees half a file, and a 10 MB page is never whole in
    memory). A file that held them already is left as it was: its time stamp
    stays, so that whatever watches or reuses it (a renderer's server, the
    incremental build) sees no change.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    written = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for chunk in chunks:
                written.update(chunk)
                out.write(chunk)
        if _same_file(tmp, target):
            tmp.unlink()
        else:
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written.hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (read a block at a time)."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as one, b.open("rb") as other:
            while block := one.read(1 << 20):
                if block != other.read(len(block)):
                    return False
    except OSError:
        return False
    return True


def remove_except(folder: Path, keep: set[str]) -> None:
    """Delete the files under `folder` whose paths (relative, `/`-separated) are not in `keep`, and empty folders."""
    for top, dirs, files in os.walk(folder, topdown=False):  # a folder after what is in it
        here = Path(top)
        for name in files:
            if (here / name).relative_to(folder).as_posix() not in keep:
                (here / name).unlink()
        for name in dirs:
            with contextlib.suppress(OSError):  # not empty
                (here / name).rmdir()


def find_notes(content_dir: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:  # noqa: C901 (one walk: links, unreadable folders and duplicates each reported where met)
    """The note files under `content_dir`, sorted by path, with problems found on the way.

    Symbolic links are followed only inside the project (`root`, or the real
    location of `content_dir` itself); a link pointing elsewhere is an error and
    is not read. Every real folder and file is visited once.
    """
    diags: list[Diagnostic] = []
    allowed = [real(root), real(content_dir)]
    seen_dirs: set[Path] = set()
    seen_files: dict[Path, str] = {}
    found: list[tuple[str, Path]] = []
    pending = [content_dir]
    while pending:
        folder = pending.pop()
        folder_real = real(folder)
        if folder_real in seen_dirs:
            continue
        seen_dirs.add(folder_real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diags.append(
                Diagnostic.error(Location(relative_path(folder, root), 0), f"cannot read folder: {exc.strerror or exc}")
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = relative_path(path, root)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_link:
                target = real(path)
                if not any(inside(target, base) for base in allowed):
                    what = "folder" if target.is_dir() else "file"
                    if is_dir or target.is_dir() or entry.name.endswith(".md"):
                        diags.append(
                            Diagnostic.error(
                                Location(rel, 0),
                                f"symbolic link to a {what} outside the project: {os.readlink(path)}",
                                "copy the note into content/ instead of linking to it",
                            )
                        )
                    continue
                if not target.exists():
                    if entry.name.endswith(".md"):
                        diags.append(
                            Diagnostic.error(
                                Location(rel, 0),
                                f"broken symbolic link: {os.readlink(path)}",
                                "remove the link or restore its target",
                            )
                        )
                    continue
                is_dir = target.is_dir()
            if is_dir:
                if is_link and inside(allowed[1], target):
                    diags.append(
                        Diagnostic.warning(
                            Location(rel),
                            "symbolic link back to the content folder or above it; not followed",
                            "remove the link (it makes a loop)",
                        )
                    )
                    continue
                pending.append(path)
            elif entry.name.endswith(".md"):
                real_file = real(path) if is_link else folder_real / entry.name  # realpath: a look at each folder
                if real_file in seen_files:
                    diags.append(
                        Diagnostic.warning(
                            Location(rel),
                            f"same file as {seen_files[real_file]} (a symbolic link); read once",
                            "remove the link",
                        )
                    )
                    continue
                seen_files[real_file] = rel
                found.append((rel, path))
    return [path for _, path in sorted(found)], diags
