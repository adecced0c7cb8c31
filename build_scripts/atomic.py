"""Writing a user's file safely: the old bytes stay as they are, and a failed write changes nothing."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["EncodingMismatch", "append_atomically"]


class EncodingMismatch(Exception):
    """The library file is not UTF-8 and the new text is not ASCII."""


def append_atomically(path: Path, text: str) -> None:
    """Append `text` to `path` atomically: the file is replaced whole, or not at all.

    The file's line endings are kept and one blank line separates the new text
    from the old; a symbolic link is written through to its target.

    Raises:
        EncodingMismatch: If the file is not UTF-8 and `text` is not ASCII.
        OSError: If the file cannot be written (it is then unchanged).
    """
    path = path.resolve() if path.is_symlink() else path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = path.read_bytes()
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        old, mode = b"", 0o666 & ~_umask()
    if not text.isascii():
        try:
            old.decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingMismatch from None
    newline = "\r\n" if b"\r\n" in old else "\n"  # keep the file's line endings
    text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    sep = ""
    if old:
        sep = "" if old.endswith(b"\n") else "\n"
        sep += "" if old.endswith((b"\n\n", b"\r\n\r\n")) else "\n"  # one blank line before the entry
    data = old + (sep + text).replace("\n", newline).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
