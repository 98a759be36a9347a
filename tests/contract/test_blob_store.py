"""Contract: the blob store fake behaves as the S3 adapter on the moto server."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from chalicelib.errors import NotFound
from tests.fakes.storage import InMemoryBlobStore


@pytest.fixture(params=["fake", "s3"])
def store(request):
    if request.param == "fake":
        return InMemoryBlobStore()
    return request.getfixturevalue("stack").policy_bucket


def _prefix() -> str:
    return f"contract/{uuid.uuid4().hex}/"


def test_written_objects_read_back_and_list_in_order(store):
    prefix = _prefix()
    for name in ("b.json", "a.json", "c/d.json"):
        store.write(prefix + name, name.encode())
    assert store.read(prefix + "a.json") == b"a.json"
    assert list(store.keys(prefix)) == [prefix + "a.json", prefix + "b.json", prefix + "c/d.json"]
    for key in list(store.keys(prefix)):
        store.delete(key)
    assert list(store.keys(prefix)) == []


def test_a_missing_object_is_not_found_and_deleting_it_is_fine(store):
    key = _prefix() + "missing.json"
    with pytest.raises(NotFound):
        store.read(key)
    store.delete(key)
    assert store.etag(key) is None


def test_the_etag_is_the_md5_of_the_body(store):
    key = _prefix() + "x.json"
    store.write(key, b'{"a": 1}')
    assert store.etag(key) == hashlib.md5(b'{"a": 1}').hexdigest()
    store.delete(key)
