"""TLS to PostgreSQL verifies the server: a certificate from another CA or for another host is
refused before any credential is sent; the right CA is accepted.

The server is a minimal PostgreSQL front end over TCP: it answers pg8000's SSLRequest with "S",
completes (or fails) the TLS handshake and records the first bytes sent over the encrypted
channel (the startup message), then closes.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pg8000.native
import pytest

from chalicelib.errors import ConfigurationError
from chalicelib.repositories.postgres.connect import connector, parse_database_url
from chalicelib.repositories.postgres.tls import verifying_context
from chalicelib.settings import Settings
from tests.tls_postgres import make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A test CA, a server certificate it signed for 127.0.0.1, and an unrelated CA."""
    return make_pki(tmp_path_factory.mktemp("pki"))


class _TlsPostgres:
    """Accept one connection: SSLRequest -> 'S' -> TLS handshake -> read the startup message."""

    def __init__(self, pki: dict[str, Path]) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(pki["server"], pki["server_key"])
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.startup: bytes | None = None
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        connection, _ = self._listener.accept()
        with connection:
            connection.settimeout(5)
            connection.recv(8)  # SSLRequest
            connection.sendall(b"S")
            try:
                with self._context.wrap_socket(connection, server_side=True) as tls:
                    self.startup = tls.recv(1024)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate

    def close(self) -> None:
        self._thread.join(timeout=5)
        self._listener.close()


@pytest.fixture
def server(pki: dict[str, Path]) -> Iterator[_TlsPostgres]:
    running = _TlsPostgres(pki)
    yield running
    running.close()


def _connect(port: int, context: ssl.SSLContext, host: str = "127.0.0.1") -> None:
    pg8000.native.Connection(
        user="finq", password="s3cret", host=host, port=port, ssl_context=context, timeout=5
    )


def test_a_certificate_from_another_ca_is_refused_before_the_password_is_sent(server, pki):
    with pytest.raises(ssl.SSLCertVerificationError):
        _connect(server.port, verifying_context(pki["other"]))
    server.close()
    assert server.startup is None


def test_the_system_store_alone_does_not_trust_a_private_database_ca(server):
    with pytest.raises(ssl.SSLCertVerificationError):
        _connect(server.port, verifying_context())


def test_a_certificate_for_another_host_is_refused(server, pki):
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch|match"):
        _connect(server.port, verifying_context(pki["ca"]), host="localhost")


def test_the_configured_ca_is_trusted_and_the_startup_message_is_encrypted(server, pki):
    with pytest.raises(pg8000.exceptions.InterfaceError):  # our fake server then hangs up
        _connect(server.port, verifying_context(pki["ca"]))
    server.close()
    assert server.startup is not None and b"finq" in server.startup


def test_the_context_requires_a_verified_certificate_and_name():
    """Why FinQ builds its own context: pg8000's ``ssl_context=True`` means CERT_NONE."""
    context = verifying_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize(("bundle", "trusted"), [("ca", True), ("other", False)])
def test_connections_from_the_rds_secret_verify_against_the_ca_bundle(server, pki, bundle, trusted):
    settings = Settings(
        mode="local",
        db_secret_arn="arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:finq/dev/db",
        db_ca_bundle=pki[bundle],
    )
    secret = {"host": "127.0.0.1", "port": server.port, "username": "finq", "password": "pw"}
    open_connection = connector(settings, lambda arn: secret)
    expected = pg8000.exceptions.InterfaceError if trusted else ssl.SSLCertVerificationError
    with pytest.raises(expected):
        open_connection()
    server.close()
    assert (server.startup is not None) is trusted


def test_url_sslmode_verify_full_builds_a_verifying_context(pki):
    params = parse_database_url(
        f"postgresql://u:p@db.example:5432/finq?sslmode=verify-full&sslrootcert={pki['ca']}"
    )
    context = params["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    chain_only = parse_database_url("postgresql://u:p@db/finq?sslmode=verify-ca")["ssl_context"]
    assert chain_only.verify_mode == ssl.CERT_REQUIRED and not chain_only.check_hostname


def test_an_unreadable_ca_bundle_is_a_configuration_error(tmp_path):
    missing = tmp_path / "nope.pem"
    with pytest.raises(ConfigurationError, match="nope.pem"):
        verifying_context(missing)
