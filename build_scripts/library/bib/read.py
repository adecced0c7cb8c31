r"""Stage 1 of loading a library: a .bib file's bytes become text with `\n` line ends."""

from __future__ import annotations

import codecs
from pathlib import Path

from build_scripts.model import Diagnostic, Location

__all__ = ["decode", "read_bib"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def read_bib(path: Path, rel: str, *, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    r"""Read one .bib file as text with `\n` line ends.

    The bytes are decoded as [`decode`][build_scripts.library.bib.read.decode] says;
    `\r\n` and `\r` become `\n`, and a backslash at the end of a line is
    followed by a space (bibtexparser does not count a newline after a
    backslash; as whitespace in values is collapsed, nothing else changes).
    So line `n` of the text is line `n` of the file as an editor shows it.

    Args:
        path: The file.
        rel: The file as diagnostics name it (see [`relative_path`][build_scripts.paths.relative_path]).
        max_bytes: Larger files are not read.

    Returns:
        The text, or None if the file is missing, unreadable or too big; and
        the problems. A file that cannot be read is an error at `rel` (no line);
        an encoding warning is at `rel:line`, the line of the first bad byte.
    """
    try:
        if path.stat().st_size > max_bytes:
            return None, [
                Diagnostic.error(
                    Location(rel),
                    f"bibliography file is larger than {max_bytes // 2**20} MB; not read",
                    "split it into several .bib files",
                )
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            Diagnostic.error(
                Location(rel), "bibliography file not found", "check the path, or remove it from the list of .bib files"
            )
        ]
    except OSError as exc:
        return None, [Diagnostic.error(Location(rel), f"cannot read bibliography file: {exc.strerror or exc}")]
    text, diagnostics = decode(data, rel)
    del data
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\\n", "\\ \n"), diagnostics


def decode(data: bytes, rel: str) -> tuple[str, list[Diagnostic]]:
    """Decode a .bib file's bytes: UTF-8, else what its BOM says, else Windows-1252/Latin-1.

    A UTF-8 BOM is dropped silently. UTF-16 or UTF-32 with a BOM is decoded
    (BibTeX cannot read it: a warning at `rel:1`). Bytes that are not UTF-8 are
    read as Windows-1252 (as Latin-1 if one is among the five bytes that
    Windows-1252 leaves undefined), with a warning at `rel:line`, the line
    (any line ends counted) of the first byte that is not UTF-8.

    Args:
        data: The file's bytes.
        rel: The file as diagnostics name it.

    Returns:
        The text (line ends as in the file), and the warnings.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace").removeprefix("\ufeff"), [
                Diagnostic.warning(
                    Location(rel, 1),
                    f"{rel} is encoded as {codec.upper()}",
                    "save the file as UTF-8; BibTeX cannot read it",
                )
            ]
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        diagnostics = [
            Diagnostic.warning(
                Location(rel, line),
                f"{rel} is not valid UTF-8; read it as Windows-1252/Latin-1",
                "save the file as UTF-8",
            )
        ]
    try:
        return data.decode("cp1252"), diagnostics
    except UnicodeDecodeError:
        return data.decode("latin-1"), diagnostics
