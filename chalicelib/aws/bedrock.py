"""Amazon Bedrock adapters: Titan Text Embeddings V2 (more models join with the chat issue).

Owns request and response shapes of Bedrock's InvokeModel for embeddings, concurrency, and
backoff on throttling. Wraps a ``bedrock-runtime`` client it is given.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable

_log = logging.getLogger(__name__)
_RETRYABLE = {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"}


class TitanEmbedder:
    """Embedder backed by ``amazon.titan-embed-text-v2:0`` (1024-d, normalized)."""

    dimension = 1024

    def __init__(
        self,
        client: Any,
        *,
        model_id: str = "amazon.titan-embed-text-v2:0",
        concurrency: int = 4,
        max_attempts: int = 6,
        sleep: Any = time.sleep,
    ) -> None:
        """Wrap a ready ``bedrock-runtime`` client.

        Args:
            client: boto3 ``bedrock-runtime`` client.
            model_id: The Titan embeddings model.
            concurrency: Parallel requests (Titan V2 embeds one text per request).
            max_attempts: Attempts per text on throttling before giving up.
            sleep: Injectable for tests.
        """
        self._client = client
        self.model_id = model_id
        self._concurrency = concurrency
        self._attempts = max_attempts
        self._sleep = sleep

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages, several requests at a time, in input order."""
        if len(texts) <= 1 or self._concurrency <= 1:
            return [self._embed(text) for text in texts]
        with ThreadPoolExecutor(max_workers=self._concurrency) as pool:
            return list(pool.map(self._embed, texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        body = json.dumps({"inputText": text, "dimensions": self.dimension, "normalize": True})
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._client.invoke_model(
                    modelId=self.model_id,
                    body=body,
                    contentType="application/json",
                    accept="application/json",
                )
                return list(json.loads(response["body"].read())["embedding"])
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code not in _RETRYABLE or attempt == self._attempts:
                    raise UpstreamUnavailable(f"Bedrock embeddings failed: {code}") from exc
                delay = min(20.0, 0.5 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)  # noqa: S311
                _log.warning("Bedrock throttled (%s); retrying in %.1f s", code, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")
