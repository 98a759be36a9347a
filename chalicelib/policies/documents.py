"""Parse a policy's required-documents text (``sbmsnDcmntCn``) into an ordered list.

Owns the splitting rules: line breaks, commas and semicolons outside parentheses, numbering
(``1.``, ``1)``, ``(1)``, ``①``), bullets (``-``, ``○``, ``•``, ``·``, ``*``, ``□``); items are
trimmed and de-duplicated in order. Notes that start with ``※`` are not documents.
"""

from __future__ import annotations

import re

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Numbering and bullets at the start of an item, repeated (e.g. "- 1. ").
_LEAD = re.compile(
    r"^(?:\s*(?:\d{1,2}\s*[.)]|\(\s*\d{1,2}\s*\)|["
    + _CIRCLED
    + r"]|[-–—○●•·∙*□■▪◦◎>]|가\.|나\.|다\.|라\.|마\.)\s*)+"
)
# Numbering that starts a new item in the middle of a line ("1. 신청서 2. 등본").
_INLINE_NUMBER = re.compile(r"\s(?=(?:\d{1,2}[.)]|[" + _CIRCLED + r"])\s*\S)")
_EMPTY_WORDS = {"없음", "해당없음", "해당 없음", "-", "추후 공지", "별도 공지"}
_MAX_ITEM = 200


def parse_required_documents(text: str | None) -> list[str]:
    """Return the documents named in ``text``, in order, without duplicates."""
    if not text:
        return []
    items: list[str] = []
    seen: set[str] = set()
    normalized = text.replace("\\n", "\n").replace("\r", "\n")
    for line in normalized.split("\n"):
        for part in _split_outside_parens(_INLINE_NUMBER.sub("\n", line)):
            item = _clean(part)
            key = re.sub(r"\s+", "", item)
            if not item or key in seen or item in _EMPTY_WORDS:
                continue
            seen.add(key)
            items.append(item[:_MAX_ITEM])
    return items


def _clean(part: str) -> str:
    item = _LEAD.sub("", part.strip()).strip()
    if item.startswith("※"):
        return ""
    return item.strip(" .;,").strip()


def _split_outside_parens(line: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in line:
        if char in "([{（［":
            depth += 1
        elif char in ")]}）］" and depth:
            depth -= 1
        if (char in ",;，、" and depth == 0) or char == "\n":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
