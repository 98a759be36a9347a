"""The conversation's memory between turns: stated facts and the focus a follow-up refers to.

Owns how facts stated over several turns combine (the latest statement wins, benefits add up),
their JSON-safe form in the checkpoint, which policy of the focus a follow-up means
("두 번째", "the first"; otherwise the first), and which named policies a message is about
(the person's own status apart, two named together compared). Pure.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from chalicelib.agent.facts import Facts
from chalicelib.agent.state import Focus
from chalicelib.policies.names import Candidate, normalize

_ORDINALS = (
    (re.compile(r"첫 ?번째|첫째|\bthe first\b|\bfirst one\b", re.I), 0),
    (re.compile(r"두 ?번째|둘째|\bthe second\b|\bsecond one\b", re.I), 1),
    (re.compile(r"세 ?번째|셋째|\bthe third\b|\bthird one\b", re.I), 2),
)
_TUPLES = ("benefits", "interests")
# A name matched exactly or by a derived alias (not fuzzily).
_STRONG_MATCH = 0.9
# What follows a policy the person already has: "받는 중", "가입돼 있는데", "가입자인데", "참여 중".
_STATUS_AFTER = re.compile(
    r"(을|를|은|는|에|이|도)?(이미)?(받는중|받고있|받고|수급|수혜|가입돼|가입되어|가입해|가입했|가입한|가입자|"
    r"가입중|참여중|참여하고|참여했|참여자|이용중|이용하고|하는중|하고있|다니는|다니고|재학|살고|거주)"
)


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


def is_status(candidate: Candidate, text: str) -> bool:
    """True when the message says the person has or receives the named policy already."""
    message = normalize(text)
    at = message.find(candidate.matched)
    if at < 0:
        return False
    after = message[at + len(candidate.matched) : at + len(candidate.matched) + 12]
    return _STATUS_AFTER.match(after) is not None or "이미" in message[max(0, at - 4) : at]


def named_in(
    candidates: list[Candidate], asks: list[str], text: str, focus: Focus | None
) -> list[str]:
    """Return the policies a message is about: one, or all of those it compares."""
    statuses = [c for c in candidates if is_status(c, text)]
    if statuses and len(statuses) < len(candidates) and "comparison" not in asks:
        # "도약계좌 이미 가입돼 있는데 미래적금 돼?": the first is what the person has.
        candidates = [c for c in candidates if c not in statuses]
        asks[:] = ["exclusion", *[a for a in asks if a not in ("exclusion", "eligibility")]]
    strong = [c for c in candidates if c.score >= _STRONG_MATCH]
    if "exclusion" in asks and "comparison" not in asks:
        # "X 받는 중인데 Y도 돼?": X is the person's status, Y (named last) the question.
        message = normalize(text)
        return [max(strong or candidates[:1], key=lambda c: message.rfind(c.matched)).plcy_no]
    if len(strong) > 1 and "comparison" not in asks:
        asks.insert(0, "comparison")  # two programmes named together are weighed together
    if "comparison" not in asks:
        return [candidates[0].plcy_no]
    # Two programmes named outright are compared; a look-alike name (fuzzy) is not a third.
    named = [c.plcy_no for c in (strong if len(strong) > 1 else candidates)]
    if len(named) == 1 and focus and focus["plcy_nos"]:
        named += [n for n in focus["plcy_nos"][:1] if n not in named]  # "X랑 비교하면?"
    return named
