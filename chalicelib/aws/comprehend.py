"""Amazon Comprehend: the dominant language and the sentiment of an inquiry.

Wraps a ``comprehend`` client it is given; returns the same shape as the offline stand-in.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable
from chalicelib.ports import TextAnalysis

# Comprehend's sentiment languages; others are analyzed as English would be wrong, so neutral.
_SENTIMENT_LANGUAGES = {"ko", "en", "ja", "zh", "es", "fr", "de", "it", "pt", "ar", "hi"}


class ComprehendAnalyzer:
    """Language and sentiment through Comprehend."""

    model_id = "amazon-comprehend"

    def __init__(self, client: Any) -> None:
        """Wrap a ready ``comprehend`` client."""
        self._client = client

    def analyze(self, text: str) -> TextAnalysis:
        """Return ``{"language", "sentiment", "scores"}``."""
        sample = text[:4500]  # DetectSentiment accepts 5,000 bytes of UTF-8
        try:
            languages = self._client.detect_dominant_language(Text=sample)["Languages"]
            language = (
                max(languages, key=lambda item: item["Score"])["LanguageCode"]
                if languages
                else "en"
            )
            if language not in _SENTIMENT_LANGUAGES:
                return {"language": language, "sentiment": "NEUTRAL", "scores": {}}
            encoded = sample.encode("utf-8")[:4900].decode("utf-8", "ignore")
            result = self._client.detect_sentiment(Text=encoded, LanguageCode=language)
        except ClientError as exc:
            raise UpstreamUnavailable("Comprehend is unavailable") from exc
        return {
            "language": language,
            "sentiment": result["Sentiment"],
            "scores": {k.upper(): float(v) for k, v in result["SentimentScore"].items()},
        }
