"""The conversation's memory between turns: stated facts and the focus a follow-up refers to.

Owns how facts stated over several turns combine (the latest statement wins, benefits add up),
their JSON-safe form in the checkpoint, and which policy of the focus a follow-up means
("두 번째", "the first"; otherwise the first). Pure.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from chalicelib.agent.facts import Facts

_ORDINALS = (
    (re.compile(r"첫 ?번째|첫째|\bthe first\b|\bfirst one\b", re.I), 0),
    (re.compile(r"두 ?번째|둘째|\bthe second\b|\bsecond one\b", re.I), 1),
    (re.compile(r"세 ?번째|셋째|\bthe third\b|\bthird one\b", re.I), 2),
)
_TUPLES = ("benefits", "interests")


def facts_from_state(saved: dict[str, Any] | None) -> Facts:
    """Return the facts the checkpoint holds (empty when none)."""
    known = {f.name for f in dataclasses.fields(Facts)}
    values = {k: v for k, v in (saved or {}).items() if k in known}
    for key in _TUPLES:
        if key in values:
            values[key] = tuple(values[key])
    return Facts(**values)


def facts_to_state(facts: Facts) -> dict[str, Any]:
    """Return ``facts`` in a JSON-safe form for the checkpoint."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in dataclasses.asdict(facts).items()
        if value not in (None, ())
    }


def combine(earlier: Facts, now: Facts) -> Facts:
    """Return what the person has said so far: this message's statements win, benefits add up."""
    merged: dict[str, Any] = {}
    for field in dataclasses.fields(Facts):
        old, new = getattr(earlier, field.name), getattr(now, field.name)
        if field.name == "benefits":
            merged[field.name] = tuple(dict.fromkeys((*old, *new)))
        elif field.name == "interests":
            merged[field.name] = new or old
        else:
            merged[field.name] = new if new is not None else old
    return Facts(**merged)


def pick(plcy_nos: list[str], text: str) -> list[str]:
    """Return the one policy of the focus a follow-up means (an ordinal, else the first)."""
    for pattern, index in _ORDINALS:
        if pattern.search(text) and index < len(plcy_nos):
            return [plcy_nos[index]]
    return plcy_nos[:1]
