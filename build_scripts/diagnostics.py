"""Problems found in the inputs, each at a `path:line`: the one way to make and order them.

```python
Diagnostic.error(Location("content/a.md", 12), "unknown citekey 'baev2012'", "did you mean 'baev2021'?")
```
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field

__all__ = ["Code", "Diagnostic", "Location", "Severity"]


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class Location:
    """A place in an input file.

    Locations sort by path, line and column; a location without a column comes
    first on its line (as the whole line precedes a place in it).

    Attributes:
        path: Path of the file, relative to the project root, with `/` separators.
        line: 1-based line number (0 when the whole file is meant).
        col: Optional 1-based column.
    """

    path: str
    line: int = 0
    col: int | None = None

    def _key(self) -> tuple[str, int, int]:
        return self.path, self.line, self.col or 0

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        out = f"{self.path}:{self.line}" if self.line else self.path
        return f"{out}:{self.col}" if self.col else out


class Severity(enum.StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


class Code(enum.StrEnum):
    """What a diagnostic is about, for the code that acts on it (readers see its message and hint)."""

    DUPLICATE_KEY = "duplicate-key"
    """A BibTeX entry's citekey is already used (compared case-insensitively)."""


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in the inputs.

    Attributes:
        location: Where the problem is.
        severity: Error or warning.
        message: What is wrong, naming the key or id involved.
        hint: How to fix it, if there is something useful to say.
        code: What kind of problem it is, where code acts on it; not compared (two diagnostics
            saying the same at the same place are one).
    """

    location: Location
    severity: Severity
    message: str
    hint: str = ""
    code: Code | None = field(default=None, compare=False)

    @classmethod
    def error(cls, location: Location, message: str, hint: str = "", code: Code | None = None) -> Diagnostic:
        """An error at `location`: the build stops."""
        return cls(location, Severity.ERROR, message, hint, code)

    @classmethod
    def warning(cls, location: Location, message: str, hint: str = "") -> Diagnostic:
        """A warning at `location`: the build goes on (an error under `--strict`)."""
        return cls(location, Severity.WARNING, message, hint)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text
