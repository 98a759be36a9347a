"""Whether two or more policies can be received together, from their own exclusion texts.

Owns the duplicate-benefit rule of a comparison ("둘 다 받을 수 있어?"): an exclusion item of one
policy that names another compared policy decides it; otherwise an item about 중복/동시 receipt
is quoted as the rule to check; otherwise the answer says the data does not state it and where to
ask. Pure.
"""

# ruff: noqa: E501  (answer text in Hangul reads best on one line; Hangul is double width)

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chalicelib.agent.policy_text import exclusion_items, whole_sentences
from chalicelib.policies.names import core, normalize

# The person asks about taking several policies at once.
BOTH = re.compile(
    r"둘 ?다|셋 ?다|같이 (받|하|가입|신청)|동시에|함께 (받|하|가입|신청)|중복|both|at the same time|together|combine",
    re.I,
)
# An item or condition about receiving another benefit at the same time.
_DUPLICATE = re.compile(r"중복|동시|타 [^,]{0,20}(수혜|지원|참여)|기존 가입자|이미 (받|수혜)")


def asks_both(text: str) -> bool:
    """True when the message asks whether the policies can be received together."""
    return BOTH.search(text) is not None


def overlap_lines(policies: Sequence[dict[str, Any]], language: str) -> tuple[str, ...]:
    """Return what the policies' texts say about receiving them together (always some line)."""
    en = language == "en"
    lines: list[str] = []
    for policy in policies:
        for other in policies:
            if other is not policy and (item := _naming(policy, other)):
                lines.append(
                    f"{policy['name']} excludes '{item}', so you cannot receive both {policy['name']} and {other['name']}."
                    if en else f"{policy['name']}의 참여 제한 대상에 '{item}'이(가) 있어서 {other['name']}과(와) 중복으로 받을 수 없어요."
                )  # fmt: skip
    if lines:
        return tuple(lines)
    for policy in policies:
        for item in _duplicate_rules(policy):
            lines.append(
                f"{policy['name']} states a duplicate-benefit rule: '{item}'. Check whether it covers the other policy."
                if en else f"{policy['name']}에는 중복 수혜 제한이 있어요: '{item}'. 다른 정책도 여기에 해당하는지 확인해 주세요."
            )  # fmt: skip
    if lines:
        return tuple(lines)
    return (
        ("The policy information does not say whether they can be received together; ask each programme's office (or the youth policy counselling centre) before applying.",)
        if en else ("두 정책을 함께 받을 수 있는지는 정책 정보에 적혀 있지 않아요. 신청 전에 각 운영기관이나 청년정책 상담센터에 확인해 주세요.",)
    )  # fmt: skip


def _naming(policy: dict[str, Any], other: dict[str, Any]) -> str | None:
    """Return the exclusion item of ``policy`` that names ``other``, if any."""
    names = {normalize(other["name"]), core(other["name"])}
    names = {n for n in names if len(n) >= 3}
    for item in exclusion_items(policy):
        if any(name in normalize(item) for name in names):
            return item
    return None


def _duplicate_rules(policy: dict[str, Any]) -> list[str]:
    texts = exclusion_items(policy) + [whole_sentences(policy.get("additional_conditions"), 200)]
    return [t for t in texts if t and _DUPLICATE.search(t)]
