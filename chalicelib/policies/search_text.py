"""The text FinQ embeds for a policy, split into chunks a small embedding model can read.

Owns what a policy "means" for search: name, keywords, categories, description, support,
target and conditions. Every chunk repeats the name and keywords so each stands on its own.
"""

from __future__ import annotations

from chalicelib import codes
from chalicelib.policies.normalize import Policy

# multilingual-e5-small reads 512 tokens; ~600 Korean characters stay safely under that.
CHUNK_CHARS = 600


def _target(policy: Policy) -> str:
    parts = []
    if policy.min_age or policy.max_age:
        parts.append(f"만 {policy.min_age or 0}세 ~ {policy.max_age or '제한없음'}세")
    if policy.nationwide:
        parts.append("전국")
    else:
        names = [
            codes.provinces()[code] for code in policy.province_codes if code in codes.provinces()
        ]
        parts.append(", ".join(names))
    if policy.earn_max:
        parts.append(f"연소득 {policy.earn_max}만원 이하")
    return " / ".join(part for part in parts if part)


def chunks(policy: Policy) -> list[str]:
    """Return the texts to embed for ``policy`` (at least one)."""
    fields = ", ".join(policy.categories + policy.subcategories)
    header = f"{policy.name}. 키워드: {', '.join(policy.keywords)}. 분야: {fields}."
    body = " ".join(
        part
        for part in (
            policy.description,
            f"지원내용: {policy.support_content}" if policy.support_content else "",
            f"지원대상: {_target(policy)}",
            policy.earn_etc,
            policy.additional_conditions,
            policy.participant_target,
        )
        if part
    )
    room = max(CHUNK_CHARS - len(header), 200)
    pieces = [body[i : i + room] for i in range(0, len(body), room)] or [""]
    return [f"{header} {piece}".strip() for piece in pieces]
