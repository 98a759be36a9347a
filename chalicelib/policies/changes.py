"""What changed between two versions of a policy, in the terms a person who saved it cares about.

Owns the change kinds (application window, amount, age, region, income, other conditions,
documents, withdrawal) and the rule that a cosmetic edit (wording of the description, keywords,
links, whitespace, ``lastMdfcnDt`` alone) is no change at all. Pure functions, no I/O; the
words are chalicelib.policies.change_text's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.policies.normalize import Policy

KINDS = (
    "withdrawn",
    "restored",
    "window_opened",
    "window_extended",
    "window_closed_early",
    "window_moved",
    "window_closed",
    "amount",
    "age",
    "region",
    "income",
    "conditions",
    "documents",
)
_CONDITION_FIELDS = (
    "job_codes",
    "school_codes",
    "marital_code",
    "major_codes",
    "special_codes",
    "additional_conditions",
    "participant_target",
)
_TEXT_LIMIT = 300


@dataclass(frozen=True)
class Change:
    """One change of one policy: a kind and its before/after values (JSON-ready)."""

    kind: str
    before: Any = None
    after: Any = None

    def to_json(self) -> dict[str, Any]:
        """Return the stored form ``{"kind", "before", "after"}``."""
        return {"kind": self.kind, "before": self.before, "after": self.after}


def detect(old: Policy, new: Policy, today: date, *, old_status: str | None = None) -> list[Change]:
    """Return the changes a saver should hear of, in a stable order; [] for cosmetic edits.

    Args:
        old: The stored version.
        new: The version being ingested.
        today: The KST day (whether a window that now shows closed closed early).
        old_status: The stored status when it is not the record's own (``withdrawn`` by a
            full sync that no longer listed it).
    """
    was = old_status or old.status
    if was == "active" and new.status != "active":
        return [Change("withdrawn")]
    found: list[Change] = []
    if was != "active" and new.status == "active":
        found.append(Change("restored"))
    window = window_change(window_of(old), window_of(new), today)
    if window is not None:
        found.append(window)
    if _text(old.support_content) != _text(new.support_content):
        found.append(Change("amount", _clip(old.support_content), _clip(new.support_content)))
    if (old.min_age, old.max_age) != (new.min_age, new.max_age):
        found.append(Change("age", _ages(old), _ages(new)))
    if _region(old) != _region(new):
        found.append(Change("region", _region(old), _region(new)))
    if _income(old) != _income(new):
        found.append(Change("income", _income(old), _income(new)))
    fields = [f for f in _CONDITION_FIELDS if _value(old, f) != _value(new, f)]
    if fields:
        found.append(Change("conditions", None, {"fields": fields}))
    added = [d for d in new.documents if d not in old.documents]
    removed = [d for d in old.documents if d not in new.documents]
    if added or removed:
        found.append(Change("documents", None, {"added": added, "removed": removed}))
    return found


def window_of(policy: Policy) -> dict[str, Any]:
    """Return a policy's application window as ``{"status", "start", "end"}`` (ISO dates)."""
    return {
        "status": policy.apply_status,
        "start": policy.apply_start.isoformat() if policy.apply_start else None,
        "end": policy.apply_end.isoformat() if policy.apply_end else None,
    }


def window_change(before: dict[str, Any], after: dict[str, Any], today: date) -> Change | None:
    """Classify a change of application window; None when it did not change."""
    if before == after:
        return None
    old, new = before["status"], after["status"]
    if new == "closed":
        still_open = old == "always" or (old == "window" and (before["end"] or "") >= str(today))
        return Change("window_closed_early" if still_open else "window_closed", before, after)
    if new == "always" or (new == "window" and old in ("closed", "unknown")):
        return Change("window_opened", before, after)
    if new == "window" and old == "window" and before["start"] == after["start"]:
        kind = "window_extended" if after["end"] > before["end"] else "window_closed_early"
        return Change(kind, before, after)
    return Change("window_moved", before, after)


def _text(value: str) -> str:
    return " ".join(value.split())


def _clip(value: str) -> str:
    text = _text(value)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _ages(policy: Policy) -> dict[str, int | None]:
    return {"min": policy.min_age, "max": policy.max_age}


def _region(policy: Policy) -> dict[str, Any]:
    if policy.nationwide:
        return {"nationwide": True, "provinces": [], "districts": []}
    return {
        "nationwide": False,
        "provinces": sorted(policy.province_wide),
        "districts": sorted(
            d for d in policy.district_codes if d[:2] not in set(policy.province_wide)
        ),
    }


def _income(policy: Policy) -> dict[str, Any]:
    return {
        "code": policy.earn_condition_code,
        "min": policy.earn_min,
        "max": policy.earn_max,
        "text": _clip(policy.earn_etc),
    }


def _value(policy: Policy, name: str) -> Any:
    value = getattr(policy, name)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return sorted(value)
    return value
