"""A test PKI and an RDS stand-in: PostgreSQL over TCP with TLS, in front of the embedded server.

RDS answers only over TCP with TLS, under a certificate from its own CA. The embedded server
listens on a unix socket without TLS, so `RdsStandIn` accepts TCP connections, answers the
client's SSLRequest, completes the TLS handshake with a certificate signed by the test CA and
relays the decrypted protocol to the unix socket. FinQ then connects exactly as it does to RDS:
host and port from the secret, certificate verified against the configured CA bundle.
"""

from __future__ import annotations

import datetime
import ipaddress
import select
import socket
import ssl
import struct
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, key, signer, *, ca: bool, ip: str | None = None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
    if ip is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), False
        )
    return builder.sign(signer, hashes.SHA256())


def make_pki(folder: Path) -> dict[str, Path]:
    """Write a test CA, a server certificate it signed for 127.0.0.1 (and its key), and an
    unrelated CA; return their PEM paths (``ca``, ``server``, ``server_key``, ``other``)."""
    ca_key, other_key, server_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca = _certificate("FinQ test RDS CA", "FinQ test RDS CA", ca_key, ca_key, ca=True)
    other = _certificate("Someone else's CA", "Someone else's CA", other_key, other_key, ca=True)
    server = _certificate("db", "FinQ test RDS CA", server_key, ca_key, ca=False, ip="127.0.0.1")
    paths = {name: folder / f"{name}.pem" for name in ("ca", "other", "server", "server_key")}
    for name, cert in (("ca", ca), ("other", other), ("server", server)):
        paths[name].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["server_key"].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


class RdsStandIn:
    """TLS-only PostgreSQL on 127.0.0.1:<port>, relaying to the embedded server's socket."""

    def __init__(self, pki: dict[str, Path], unix_socket: str) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(pki["server"], pki["server_key"])
        self._unix_socket = unix_socket
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.tls_sessions = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        """Stop accepting (relays in flight end when their client disconnects)."""
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            if client.recv(8) != _SSL_REQUEST:
                return  # RDS with rds.force_ssl: no plaintext sessions
            client.sendall(b"S")
            try:
                tls = self._context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate
            self.tls_sessions += 1
            with tls, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as backend:
                backend.connect(self._unix_socket)
                _relay(tls, backend)


def _relay(tls: ssl.SSLSocket, backend: socket.socket) -> None:
    """Copy bytes both ways from one thread (an SSL socket must not be used from two)."""
    while True:
        ready = [tls] if tls.pending() else select.select([tls, backend], [], [], 5)[0]
        for source in ready:
            try:
                data = source.recv(65536)
            except (ssl.SSLError, OSError):
                return
            if not data:
                return
            (backend if source is tls else tls).sendall(data)
