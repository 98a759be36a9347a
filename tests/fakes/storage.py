"""Fake of ports.BlobStore: objects in a dict."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from chalicelib.errors import NotFound


class InMemoryBlobStore:
    """A bucket in memory, with S3's semantics for missing keys and listing order."""

    def __init__(self, name: str = "fake-bucket") -> None:
        self.name = name
        self.objects: dict[str, bytes] = {}

    def read(self, key: str) -> bytes:
        if key not in self.objects:
            raise NotFound(f"s3://{self.name}/{key} does not exist")
        return self.objects[key]

    def write(self, key: str, body: bytes, content_type: str = "application/json") -> None:
        self.objects[key] = bytes(body)

    def etag(self, key: str) -> str | None:
        body = self.objects.get(key)
        return None if body is None else hashlib.md5(body).hexdigest()  # noqa: S324 - as S3

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def keys(self, prefix: str) -> Iterator[str]:
        yield from sorted(k for k in self.objects if k.startswith(prefix))
