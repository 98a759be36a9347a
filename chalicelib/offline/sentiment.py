"""Offline sentiment and language for the inquiry desk (Comprehend's local stand-in).

Owns the desk's local sentiment: k nearest neighbours (offline.neighbours) over the offline
embedding model's vectors of labelled example sentences in Korean and English
(``sentiment_examples.json``, written for FinQ and kept apart from the evaluation sets under
bench/data), plus complaint words (desk_rules.COMPLAINT) for the sarcasm an embedding misses.
No Korean sentiment model ships its weights, and VADER calls every Korean sentence neutral, so
this is the local option (measured by ``python -m bench.desk_eval``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from chalicelib.desk_rules import COMPLAINT, language_of
from chalicelib.offline.neighbours import NearestNeighbours
from chalicelib.ports import TextAnalysis

EXAMPLES_FILE = Path(__file__).resolve().parent / "sentiment_examples.json"
# Chosen on the development sets only (bench/data/desk_inquiries.jsonl and desk_sentiment.jsonl;
# k 5/7/9 x lead 0.2-0.5 all within 0.04 there): k=7, lead 0.4 is the middle of the plateau that
# calls fewest calm inquiries negative. The held-out and blind sets were measured after, never used.
K = 7
# NEGATIVE must lead NEUTRAL by this share of the vote: a calm question about a problem (a lost
# card, a late parcel) sits near complaints about the same problem, and must not be called
# negative on noise.
NEGATIVE_LEAD = 0.4


@functools.cache
def examples() -> dict[str, tuple[str, ...]]:
    """The labelled example sentences by Comprehend label (read once)."""
    data = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return {label: tuple(texts) for label, texts in data["examples"].items()}


def decide(votes: dict[str, float], complaint: bool) -> str:
    """The sentiment from the neighbours' votes and whether complaint words were written.

    NEGATIVE needs a lead of ``NEGATIVE_LEAD`` over NEUTRAL. Complaint words make a neutral
    reading NEGATIVE and a positive one MIXED (thanks with a complaint).
    """
    sentiment = max(votes, key=votes.__getitem__)
    if sentiment == "NEGATIVE" and votes["NEGATIVE"] - votes.get("NEUTRAL", 0.0) < NEGATIVE_LEAD:
        sentiment = "NEUTRAL"
    if complaint:
        return "MIXED" if sentiment in ("POSITIVE", "MIXED") else "NEGATIVE"
    return sentiment


class OfflineSentiment:
    """Language and sentiment without a network."""

    model_id = "finq-offline-sentiment"

    def __init__(self, embed: Callable[[Sequence[str]], list[list[float]]]) -> None:
        """Use the offline embedding model."""
        self._neighbours = NearestNeighbours(embed, examples(), k=K)

    def analyze(self, text: str) -> TextAnalysis:
        """Return ``{"language", "sentiment", "scores"}`` (sentiment in Comprehend's labels)."""
        votes = self._neighbours.votes(text[:2000])
        sentiment = decide(votes, bool(COMPLAINT.search(text)))
        return {"language": language_of(text), "sentiment": sentiment, "scores": votes}
