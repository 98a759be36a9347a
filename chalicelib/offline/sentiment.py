"""Offline sentiment and language for the inquiry desk (Comprehend's local stand-in).

Owns a nearest-centroid classifier over the offline embedding model's vectors of labelled
example sentences (Korean and English), plus complaint words (desk_rules.COMPLAINT) that
catch the sarcastic messages centroids miss. No Korean sentiment model ships its weights, and VADER calls every
Korean sentence neutral, so this is the local option (measured in bench/desk.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chalicelib.desk_rules import COMPLAINT, language_of
from chalicelib.offline.centroids import NearestCentroid
from chalicelib.ports import TextAnalysis

EXAMPLES: dict[str, tuple[str, ...]] = {
    "NEGATIVE": (
        "정말 화가 납니다. 환불해 주세요.", "서비스가 너무 느리고 불편해요.", "몇 번을 문의했는데 답이 없네요. 실망입니다.",
        "결제가 두 번 됐어요. 당장 해결해 주세요.", "앱이 계속 꺼져서 아무것도 못 하겠어요.", "최악의 경험이었습니다.",
        "This is unacceptable, I want a refund.", "Your app keeps crashing and nobody helps.", "I'm very disappointed with the service.",
        "I was charged twice and I'm furious.",
    ),
    "POSITIVE": (
        "빠르게 처리해 주셔서 감사합니다.", "서비스가 정말 마음에 들어요.", "친절한 안내 덕분에 해결했어요. 고맙습니다.",
        "Thank you so much for the quick help!", "I love this product, great job.", "Everything works perfectly, thanks.",
    ),
    "NEUTRAL": (
        "비밀번호 변경 방법을 알고 싶습니다.", "영수증을 이메일로 받을 수 있나요?", "요금제 변경은 어디서 하나요?",
        "How do I change my password?", "Can I get an invoice by email?", "Where can I update my billing address?",
        # Calm reports of an everyday problem are questions, not complaints.
        "카드를 잃어버렸는데 정지하려면 어떻게 하나요?", "아이디가 생각나지 않아요. 찾는 방법이 있나요?",
        "환불 신청은 어디서 하나요?", "I lost my phone, how do I sign out of other devices?",
        "I would like to request a refund for my order, please.", "I forgot my PIN. Can I set a new one?",
    ),
}  # fmt: skip


class OfflineSentiment:
    """Language and sentiment without a network."""

    model_id = "finq-offline-sentiment"

    def __init__(self, embed: Callable[[Sequence[str]], list[list[float]]]) -> None:
        """Use the offline embedding model."""
        self._centroids = NearestCentroid(embed, EXAMPLES)

    def analyze(self, text: str) -> TextAnalysis:
        """Return ``{"language", "sentiment", "scores"}`` (sentiment in Comprehend's labels)."""
        scores = self._centroids.scores(text[:2000])
        sentiment = max(scores, key=scores.__getitem__)
        # Complaint words (not topics: a calm refund question is neutral) decide what centroids
        # of a small embedding model miss, such as sarcasm.
        if COMPLAINT.search(text):
            sentiment = "NEGATIVE"
        return {"language": language_of(text), "sentiment": sentiment, "scores": scores}
