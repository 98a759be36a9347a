"""Hangul -> Revised Romanization of Korean, and a loose key to compare romanised spellings.

Owns reading a romanised programme name ("Beotimmok", "Doyak", "Naeil Baeum") back to the
catalogue's Hangul: ``romanize`` follows the Revised Romanization (2000) letter tables with
the liaison of a final consonant before a vowel; ``loose_key`` folds the spellings people
actually use (McCune-Reischauer "ŏ"/"eo"/"o", k/g, t/d, p/b, r/l, doubled letters). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")  # fmt: skip
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
# Final consonants as pronounced at the end of a syllable (RR writes the sound).
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
# The same finals carried over to a following vowel (liaison: 목이 -> mogi, 일을 -> ireul).
_CARRIED = ("", "g", "kk", "gs", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp",
            "r", "m", "b", "bs", "s", "ss", "", "j", "ch", "k", "t", "p", "")  # fmt: skip
_BASE, _LAST = 0xAC00, 0xD7A3
_FOLDS = (("eo", "o"), ("eu", "u"), ("ae", "e"), ("oe", "e"), ("wo", "o"), ("yeo", "yo"),
          ("k", "g"), ("t", "d"), ("p", "b"), ("l", "r"), ("ch", "j"), ("sh", "s"))  # fmt: skip


def _parts(char: str) -> tuple[int, int, int] | None:
    code = ord(char)
    if not _BASE <= code <= _LAST:
        return None
    offset = code - _BASE
    return offset // 588, (offset % 588) // 28, offset % 28


def romanize(text: str) -> str:
    """Return ``text`` in Revised Romanization (non-Hangul characters are kept as they are)."""
    out: list[str] = []
    chars = list(text)
    for i, char in enumerate(chars):
        parts = _parts(char)
        if parts is None:
            out.append(char)
            continue
        initial, vowel, final = parts
        after = _parts(chars[i + 1]) if i + 1 < len(chars) else None
        out.append(_INITIALS[initial] + _VOWELS[vowel])
        if final and after is not None and after[0] == 11 and _CARRIED[final]:
            out.append(_CARRIED[final])  # the next syllable starts with a vowel: carried over
        elif final:
            out.append(_FINALS[final])
    return "".join(out)


def loose_key(text: str) -> str:
    """Return a spelling-insensitive key of romanised text (only letters, variants folded)."""
    key = re.sub(r"[^a-z]", "", text.lower().replace("ŏ", "o").replace("ŭ", "u"))
    for spelled, folded in _FOLDS:
        key = key.replace(spelled, folded)
    return re.sub(r"(.)\1+", r"\1", key)


def reading_table(words: Iterable[str]) -> dict[str, str]:
    """Map the loose key of each Hangul word's romanisation to the word.

    Every run of two to five syllables of each word is a reading ("버팀목전세자금" also gives
    "버팀목", "전세"); a key two different spellings share is dropped, as is a key under four
    letters (too easily an English word).
    """
    found: dict[str, set[str]] = {}
    for word in words:
        for run in re.findall(r"[가-힣]{2,}", word):
            for size in range(2, min(5, len(run)) + 1):
                for start in range(len(run) - size + 1):
                    part = run[start : start + size]
                    found.setdefault(loose_key(romanize(part)), set()).add(part)
    return {
        key: next(iter(parts)) for key, parts in found.items() if len(parts) == 1 and len(key) >= 4
    }


def read_romanised(text: str, table: dict[str, str], keep: Callable[[str], bool]) -> str:
    """Return ``text`` with runs of romanised words replaced by the Hangul they spell.

    Args:
        text: The message.
        table: ``reading_table`` of the catalogue.
        keep: True for a word that must stay English (a glossary word: "loan", "rent").
    """
    tokens = list(re.finditer(r"[A-Za-z]+", text))
    out, cursor, i = [], 0, 0
    while i < len(tokens):
        for size in (3, 2, 1):
            run = tokens[i : i + size]
            words = [t.group(0) for t in run]
            if len(run) < size or any(keep(w) for w in words):
                continue
            hangul = table.get(loose_key("".join(words)))
            if hangul:
                out += [text[cursor : run[0].start()], hangul]
                cursor, i = run[-1].end(), i + size
                break
        else:
            i += 1
    return "".join(out) + text[cursor:]
