"""Offline OCR with Tesseract (Debian's tesseract-ocr with the kor and eng models).

Owns local mode's stand-in for Textract. ``lang="kor+eng"`` with ``--psm 6`` read a clean
Korean/English page with no character errors in a probe; the default page segmentation gave
garbage. When the tesseract binary is missing the adapter says so instead of failing the inquiry.
"""

from __future__ import annotations

import io
from typing import Any

from chalicelib.errors import UpstreamUnavailable


class TesseractOcr:
    """Read text from an image's bytes."""

    model_id = "tesseract-kor+eng"

    def __init__(self, read_object: Any) -> None:
        """``read_object(key) -> bytes`` fetches an uploaded attachment."""
        self._read = read_object

    def extract_text(self, bucket: str, key: str) -> str:
        """Return the text of an uploaded image."""
        import pytesseract
        from PIL import Image, UnidentifiedImageError

        try:
            image = Image.open(io.BytesIO(self._read(key)))
        except UnidentifiedImageError as exc:
            raise UpstreamUnavailable("the attachment is not an image OCR can read") from exc
        try:
            return str(pytesseract.image_to_string(image, lang="kor+eng", config="--psm 6")).strip()
        except pytesseract.TesseractNotFoundError as exc:
            raise UpstreamUnavailable("OCR is not installed on this machine (tesseract)") from exc
