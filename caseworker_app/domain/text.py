"""Text folding shared by search, sorting and comune lookup."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lowercase, strip accents, turn punctuation and apostrophes into single spaces.

    >>> fold("  Nicolò D'Àngelo ")
    'nicolo d angelo'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()
