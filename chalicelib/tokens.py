"""A rough token count for text no model metered (offline answers, web news): one definition.

Pure. Korean runs about 2 characters per token, other scripts about 4.
"""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[가-힣]")


def count_tokens(text: str) -> int:
    """A rough token count (Korean ~2 characters per token, English ~4); at least 1."""
    hangul = len(_HANGUL.findall(text))
    return max(1, hangul // 2 + (len(text) - hangul) // 4)
