"""The one place where text becomes part of an address: heading anchors and slugs.

```python
heading_anchor("Arms sales (1990s–2020s)")   # → "arms-sales-1990s2020s", as the table of contents makes it
slug("Gómez/2008")                            # → "gomez-2008"
slug("lo.2008_b", keep="._")                  # → "lo.2008_b"
```
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["heading_anchor", "slug"]


def heading_anchor(text: str) -> str:
    """Heading text to anchor, the same way Python-Markdown's `toc` extension does (the site's anchors)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def slug(text: str, keep: str = "") -> str:
    """`text` as lower-case ASCII letters, digits and `-`, for ids and file names.

    Accents are dropped (`ó` → `o`); every run of other characters (a dash,
    a space, a letter of another script) becomes one `-`, trimmed at both
    ends. Characters in `keep` (such as `.` and `_` for file names) are kept,
    and trimmed at the ends too. The result may be empty: callers give their
    own fallback.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    allowed = "a-z0-9" + re.escape(keep)
    return re.sub(rf"[^{allowed}]+|-+", "-", bare).strip("-" + keep)
