"""Related policies: open ones that answer the same need when the asked one cannot be used.

Owns when related policies are suggested (the named policy is closed or ended, or the person
cannot apply; or they ask for an alternative "대신", "instead"), what is searched (the policy's
own name, keywords and categories), and what qualifies (open or always open now, not the same
policy, not one the person is blocked from). Also keeps a crisis answer's suggestions to policies
open now. Pure over the rows and verdicts handed in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from chalicelib.agent.facts import Facts
from chalicelib.agent.policy_text import window
from chalicelib.agent.verdicts import judge

# Asking for something else in place of the policy under discussion.
INSTEAD = re.compile(
    r"대신|다른 (거|것|게|정책|방법|지원)|비슷한|대안|"
    r"instead|alternative|similar|other (option|polic|program)",
    re.I,
)
_OPEN = ("open", "always")
MAX_RELATED = 2
# An open policy this close to a closed best match answers the need about as well. Measured on
# the failing turns of both advisor sets: open fits scored 0.025-0.032 below the closed best,
# an open policy that merely mentions the need's word 0.043 below.
LIVE_MARGIN = 0.035


def needs_related(row: dict[str, Any], profile: dict[str, Any], today: date, facts: Facts) -> bool:
    """True when the named policy cannot be used now: closed, ended, or the person is blocked."""
    if window(row, today).state in ("closed", "ended"):
        return True
    return judge(row, profile, today, facts).overall == "not_eligible"


def need_of(row: dict[str, Any]) -> str:
    """Return what to search for policies answering the same need as ``row``."""
    parts = [row.get("name") or "", *(row.get("keywords") or [])[:4]]
    parts += list(row.get("subcategories") or [])[:2]
    return " ".join(p for p in parts if p)


def open_alternatives(
    rows: list[dict[str, Any]],
    exclude: set[str],
    profile: dict[str, Any],
    today: date,
    facts: Facts,
) -> list[dict[str, Any]]:
    """Return the rows open now that the person is not blocked from, best first (a few)."""
    kept = [
        r
        for r in rows
        if r["plcy_no"] not in exclude
        and window(r, today).state in _OPEN
        and judge(r, profile, today, facts).overall != "not_eligible"
    ]
    return kept[:MAX_RELATED]


def open_now(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Return the rows whose application is open now or always open."""
    return [r for r in rows if window(r, today).state in _OPEN]


def applicable_first(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Return the rows one can still apply to (open, always, upcoming), else all of them.

    A need is answered with what the person can act on: a closed or ended policy that fits
    better by meaning must not crowd out open ones ("job seeker in Seoul" answered only with
    an ended allowance), unless it fits clearly better (``LIVE_MARGIN``). Only when nothing
    fitting is open or coming are closed ones shown.
    """
    best = max((r.get("score", 0.0) for r in rows), default=0.0)
    live = [
        r
        for r in rows
        if window(r, today).state in (*_OPEN, "upcoming")
        and r.get("score", 0.0) >= best - LIVE_MARGIN
    ]
    return live or rows
