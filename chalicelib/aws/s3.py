"""S3 object access FinQ needs: read, write, compare (ETag), delete, list a prefix.

Wraps an ``s3`` client it is given; hides pagination and maps missing objects to NotFound.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import NotFound


class S3Bucket:
    """One bucket (implements ``ports.BlobStore``)."""

    def __init__(self, client: Any, bucket: str) -> None:
        """Wrap a ready ``s3`` client for ``bucket``."""
        self._client = client
        self.name = bucket

    def read(self, key: str) -> bytes:
        """Return an object's bytes."""
        try:
            return bytes(self._client.get_object(Bucket=self.name, Key=key)["Body"].read())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise NotFound(f"s3://{self.name}/{key} does not exist") from exc
            raise

    def write(self, key: str, body: bytes, content_type: str = "application/json") -> None:
        """Store an object."""
        self._client.put_object(Bucket=self.name, Key=key, Body=body, ContentType=content_type)

    def etag(self, key: str) -> str | None:
        """Return an object's ETag without quotes (its MD5 for a single-part upload), or None."""
        try:
            head = self._client.head_object(Bucket=self.name, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        return str(head["ETag"]).strip('"')

    def delete(self, key: str) -> None:
        """Remove an object (S3 answers success for a missing key too)."""
        self._client.delete_object(Bucket=self.name, Key=key)

    def keys(self, prefix: str) -> Iterator[str]:
        """Yield every key under ``prefix``, in S3's (lexicographic) order."""
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.name, Prefix=prefix):
            for item in page.get("Contents", []):
                yield str(item["Key"])
