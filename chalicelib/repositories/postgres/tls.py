"""TLS to PostgreSQL over TCP: a context that verifies the server's certificate and name.

Owns the trust store for database connections: the system's CAs plus the RDS CA bundle when
one is configured or packaged. pg8000's own ``ssl_context=True`` encrypts without verifying
(CERT_NONE), so a man in the middle could read the password; this context refuses that.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from chalicelib.errors import ConfigurationError

# Where a deploy may place the RDS CA bundle (global-bundle.pem from
# https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) to ship it in the package.
PACKAGED_CA_BUNDLE = Path(__file__).resolve().parents[2] / "certs" / "rds-global-bundle.pem"


def verifying_context(ca_bundle: Path | None = None, check_hostname: bool = True) -> ssl.SSLContext:
    """Return a client TLS context that verifies the server's chain (and name) before use.

    Args:
        ca_bundle: Extra CA certificates (PEM) to trust besides the system's, such as the RDS
            bundle; None trusts the packaged RDS bundle when present, else the system's only.
        check_hostname: Also require the certificate to name the host (libpq's
            ``verify-full``); False checks the chain only (``verify-ca``).

    Raises:
        ConfigurationError: ``ca_bundle`` is not a readable PEM file.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = check_hostname
    context.verify_mode = ssl.CERT_REQUIRED
    bundle = ca_bundle if ca_bundle is not None else _packaged_bundle()
    if bundle is not None:
        try:
            context.load_verify_locations(cafile=str(bundle))
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(f"the database CA bundle {bundle} cannot be read") from exc
    return context


def _packaged_bundle() -> Path | None:
    return PACKAGED_CA_BUNDLE if PACKAGED_CA_BUNDLE.is_file() else None
