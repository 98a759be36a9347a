"""Where policy records come from: an S3 object, an S3 prefix, a local path, the Ontong API.

Owns turning each source into one stream of records (or read failures) in a stable order, so a
checkpoint offset means the same thing when a stopped run resumes.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from chalicelib.errors import UpstreamUnavailable
from chalicelib.policies.records import RawRecord, Rejection, page_info, read_records
from chalicelib.ports import BlobStore

_log = logging.getLogger(__name__)

POLICY_PREFIX = "policies/"
POLICY_SUFFIXES = (".json", ".jsonl")
Items = Iterator[RawRecord | Rejection]


def is_policy_key(key: str) -> bool:
    """Return True for keys the policy ingester reads (``policies/*.json|.jsonl``)."""
    return key.startswith(POLICY_PREFIX) and key.lower().endswith(POLICY_SUFFIXES)


def s3_object(bucket: BlobStore, key: str) -> Items:
    """Records of one S3 object."""
    yield from read_records(bucket.read(key))


def s3_prefix(bucket: BlobStore, prefix: str = POLICY_PREFIX) -> Items:
    """Records of every policy file under ``prefix``, file by file in key order."""
    for key in bucket.keys(prefix):
        if key.lower().endswith(POLICY_SUFFIXES):
            yield from s3_object(bucket, key)


def local_path(path: Path) -> Items:
    """Records of a file, or of every ``.json``/``.jsonl`` file in a directory (sorted)."""
    files = (
        sorted(p for p in path.rglob("*") if p.suffix.lower() in POLICY_SUFFIXES)
        if path.is_dir()
        else [path]
    )
    for file in files:
        yield from read_records(file.read_bytes())


class OntongClient:
    """The Ontong Youth open API (``getPlcy``): paged, rate-limited, retried."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://www.youthcenter.go.kr/go/ythip/getPlcy",
        page_size: int = 100,
        min_interval: float = 0.5,
        attempts: int = 4,
        timeout: float = 20.0,
        fetch: Callable[[str, float], bytes] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Configure the client.

        Args:
            api_key: The Ontong API key (``apiKeyNm``); never logged.
            base_url: The ``getPlcy`` endpoint.
            page_size: Records per page.
            min_interval: Seconds between requests (the API throttles bursts).
            attempts: Tries per page on network errors and 5xx answers.
            timeout: Seconds per request.
            fetch: ``(url, timeout) -> body``; injectable for tests.
            sleep: Injectable for tests.
        """
        self._key = api_key
        self._base = base_url
        self._size = page_size
        self._interval = min_interval
        self._attempts = attempts
        self._timeout = timeout
        self._fetch = fetch or _http_get
        self._sleep = sleep

    def records(self) -> Items:
        """Yield every policy, page by page, until the API's total is reached."""
        page = 1
        while True:
            document = self._page(page)
            listing = (document.get("result") or {}).get("youthPolicyList") or []
            for position, item in enumerate(listing):
                if isinstance(item, dict):
                    yield RawRecord(position, item)
                else:
                    yield Rejection(position, "a record must be a JSON object", str(item))
            total = page_info(document)["total"]
            if not listing or page * self._size >= total:
                return
            page += 1
            self._sleep(self._interval)

    def _page(self, page: int) -> dict[str, Any]:
        query = urllib.parse.urlencode(
            {"apiKeyNm": self._key, "pageNum": page, "pageSize": self._size, "rtnType": "json"}
        )
        url = f"{self._base}?{query}"
        for attempt in range(1, self._attempts + 1):
            try:
                return dict(json.loads(self._fetch(url, self._timeout)))
            except (OSError, ValueError) as exc:
                if attempt == self._attempts:
                    raise UpstreamUnavailable(f"the Ontong API failed on page {page}") from exc
                _log.warning("Ontong API page %d failed (%s); retrying", page, type(exc).__name__)
                self._sleep(min(30.0, 2.0**attempt))
        raise AssertionError("unreachable")


def _http_get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed https host
        return bytes(response.read())
