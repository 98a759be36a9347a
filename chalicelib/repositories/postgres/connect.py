"""Open pg8000 connections: from a URL, from a Secrets Manager secret, or to the embedded server.

Owns connection parameters only; the Database wrapper decides when to connect and reconnect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pg8000.native

from chalicelib.errors import ConfigurationError, UpstreamUnavailable
from chalicelib.repositories.postgres.tls import verifying_context
from chalicelib.settings import Settings

DATABASE = "finq"


def socket_path(data_dir: Path) -> str:
    """Return the unix socket of the server running on ``data_dir``.

    Raises:
        UpstreamUnavailable: No server runs there (start it with ``make services``).
    """
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        port, socket_dir = lines[3].strip(), lines[4].strip()
    except (OSError, IndexError) as exc:
        raise UpstreamUnavailable(
            f"the embedded PostgreSQL is not running on {data_dir}; start it with `make services`"
        ) from exc
    return f"{socket_dir}/.s.PGSQL.{port}"


def connect(data_dir: Path, database: str = DATABASE, timeout: float = 5.0) -> Any:
    """Open a pg8000 native connection to the embedded server's database."""
    # ssl_context=False: building an SSL context costs ~85 ms and a unix socket needs none.
    return pg8000.native.Connection(
        user="postgres",
        database=database,
        unix_sock=socket_path(data_dir),
        ssl_context=False,
        timeout=timeout,
    )


def connector(settings: Settings, read_secret: Any) -> Any:
    """Return a zero-argument function that opens a pg8000 connection per settings."""
    import pg8000.native

    timeout = settings.db_connect_timeout
    if settings.database_url is not None:
        params = parse_database_url(settings.database_url.get_secret_value(), settings.db_ca_bundle)
        return lambda: pg8000.native.Connection(timeout=timeout, **params)
    if settings.db_secret_arn:
        secret_arn = settings.db_secret_arn
        tls = verifying_context(settings.db_ca_bundle)  # built once: ~85 ms

        def connect_with_secret() -> Any:
            secret = read_secret(secret_arn)
            return pg8000.native.Connection(
                user=secret["username"],
                password=secret["password"],
                host=secret["host"],
                port=int(secret.get("port", 5432)),
                database=secret.get("dbname", "finq"),
                ssl_context=tls,
                timeout=timeout,
            )

        return connect_with_secret
    if settings.mode == "local":
        return lambda: connect(settings.pg_data_dir, timeout=timeout)
    raise ConfigurationError(
        "no PostgreSQL configured: set FINQ_DATABASE_URL or FINQ_DB_SECRET_ARN"
    )


def parse_database_url(url: str, ca_bundle: Path | None = None) -> dict[str, Any]:
    """Turn ``postgresql://user:pw@host:port/db?unix_sock=...&sslmode=require`` into kwargs.

    ``sslmode`` as libpq reads it: ``verify-full`` checks the certificate and the host name,
    ``verify-ca`` the certificate, ``require`` only encrypts; ``sslrootcert`` (a path) adds
    CAs to trust, else ``ca_bundle`` does.
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ConfigurationError("FINQ_DATABASE_URL must start with postgresql://")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    params: dict[str, Any] = {
        "user": unquote(parsed.username or "postgres"),
        "database": (parsed.path or "/finq").lstrip("/") or "finq",
    }
    if parsed.password:
        params["password"] = unquote(parsed.password)
    host_dir = query.get("host", "")
    socket = query.get("unix_sock") or (host_dir if host_dir.startswith("/") else None)
    if socket:
        port = parsed.port or 5432
        params["unix_sock"] = socket if "/.s.PGSQL." in socket else f"{socket}/.s.PGSQL.{port}"
        params["ssl_context"] = False
    else:
        params["host"] = parsed.hostname or "127.0.0.1"
        params["port"] = parsed.port or 5432
        mode = query.get("sslmode", "prefer")
        if mode in ("verify-ca", "verify-full"):
            root = query.get("sslrootcert")
            params["ssl_context"] = verifying_context(
                Path(root) if root else ca_bundle, check_hostname=mode == "verify-full"
            )
        else:
            params["ssl_context"] = True if mode == "require" else None
    return params
