"""Section labels of the advisor's answers in Korean and English (strings only)."""

from __future__ import annotations

_LABELS: dict[str, tuple[str, str]] = {
    "verdict": ("신청 가능 여부", "Can you apply?"),
    "conditions": ("조건별 확인", "Conditions"),
    "exclusions": ("참여 제한 대상 (신청할 수 없는 경우)", "Excluded (who cannot apply)"),
    "window": ("신청 기간", "Application window"),
    "documents": ("제출 서류", "Documents"),
    "amount": ("지원 내용", "What you get"),
    "how_to_apply": ("신청 방법", "How to apply"),
    "apply_url": ("신청 페이지", "Application page"),
    "who": ("대상", "Who it is for"),
    "overlap": ("함께 받을 수 있는지", "Can you get both?"),
    "related": ("관련 정책 (참고)", "Related policies (for reference)"),
    "next_steps": ("이렇게 해 보세요", "What you can do"),
    "not_stated": ("정책 정보에 적혀 있지 않아요.", "The policy does not say."),
}


def label(key: str, language: str) -> str:
    """Return the label ``key`` in ``language`` (``en`` or anything else for Korean)."""
    korean, english = _LABELS[key]
    return english if language == "en" else korean
