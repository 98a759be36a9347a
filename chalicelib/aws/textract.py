"""Amazon Textract: the text of an uploaded attachment, read where it lies in S3.

Wraps a ``textract`` client it is given.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable


class TextractOcr:
    """Read text lines with DetectDocumentText (images and one-page PDFs)."""

    model_id = "amazon-textract"

    def __init__(self, client: Any) -> None:
        """Wrap a ready ``textract`` client."""
        self._client = client

    def extract_text(self, bucket: str, key: str) -> str:
        """Return the attachment's text, line by line."""
        try:
            response = self._client.detect_document_text(
                Document={"S3Object": {"Bucket": bucket, "Name": key}}
            )
        except ClientError as exc:
            raise UpstreamUnavailable("Textract could not read the attachment") from exc
        return "\n".join(
            block["Text"]
            for block in response.get("Blocks", [])
            if block.get("BlockType") == "LINE"
        )
