"""The key that signs pagination cursors: configured, from a secret, or generated per install."""

from __future__ import annotations

import stat

import pytest

from chalicelib.errors import InvalidInput
from chalicelib.offline.secrets import install_secret
from chalicelib.providers import Container
from chalicelib.services.discovery import decode_cursor, encode_cursor
from chalicelib.settings import Settings


def test_an_install_secret_is_generated_once_private_and_then_reused(tmp_path):
    first = install_secret(tmp_path, "cursor")
    assert len(first) == 64
    assert install_secret(tmp_path, "cursor") == first
    assert stat.S_IMODE((tmp_path / "cursor.secret").stat().st_mode) == 0o600
    assert install_secret(tmp_path / "other-install", "cursor") != first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_configured_secret_wins_over_the_install_secret(tmp_path):
    settings = Settings(mode="local", home=tmp_path, cursor_secret="configured-key")
    assert Container(settings).cursor_key == b"configured-key"
    assert not (tmp_path / "cursor.secret").exists()


def test_local_mode_without_a_setting_uses_the_install_secret(tmp_path):
    key = Container(Settings(mode="local", home=tmp_path)).cursor_key
    assert key == (tmp_path / "cursor.secret").read_text().encode()


def test_a_cursor_signed_with_another_key_is_refused():
    cursor = encode_cursor({"o": 20, "f": "abc"}, b"install-a")
    assert decode_cursor(cursor, "abc", b"install-a") == {"o": 20, "f": "abc"}
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor, "abc", b"install-b")
    assert refused.value.code == "invalid_cursor"
