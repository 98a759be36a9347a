"""The local WebSocket gateway: API Gateway's WebSocket API on a laptop.

Owns local mode's ``ws://127.0.0.1:8001``: it accepts WebSocket clients, calls the same
``ws_connect``/``ws_message``/``ws_disconnect`` handlers Lambda runs, with API Gateway-shaped
events, and serves the ``@connections`` callback API (POST a frame, DELETE a connection) on its
callback port, which the handlers reach through boto3's ``apigatewaymanagementapi`` client.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

_log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any], Any], Any]


class LocalWebSocketGateway:
    """Serve WebSocket clients and the ``@connections`` API in background threads."""

    def __init__(
        self,
        handlers: dict[str, Handler],
        *,
        host: str,
        port: int,
        callback_port: int,
        stage: str = "local",
        region: str = "ap-northeast-2",
    ) -> None:
        """Prepare the gateway.

        Args:
            handlers: ``{"connect", "message", "disconnect"}`` -> Lambda-style handlers.
            host: Interface to listen on.
            port: The WebSocket port (``FINQ_WS_PORT``).
            callback_port: The ``@connections`` HTTP port (``FINQ_WS_CALLBACK_PORT``).
            stage: The stage name put in events.
            region: Exported as AWS_DEFAULT_REGION when unset (Lambda always has one).
        """
        # Chalice's WebSocket handlers read the region from the environment, as in Lambda.
        os.environ.setdefault("AWS_DEFAULT_REGION", region)
        self._handlers = handlers
        self._host, self._port, self._callback_port = host, port, callback_port
        self._stage = stage
        self._connections: dict[str, ServerConnection] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._http: ThreadingHTTPServer | None = None
        self._ready = threading.Event()

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Start both servers; return once they accept connections."""
        self._http = ThreadingHTTPServer((self._host, self._callback_port), _callback_handler(self))
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, name="ws-callbacks", daemon=True).start()
        self._thread = threading.Thread(target=self._run_loop, name="ws-gateway", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the local WebSocket gateway did not start")

    def stop(self) -> None:
        """Stop accepting, close every connection, stop both servers."""
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    def _run_loop(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        async with serve(
            self._session, self._host, self._port, process_request=self._admit, max_size=128 * 1024
        ):
            self._ready.set()
            await self._stopped.wait()

    # --- WebSocket side --------------------------------------------------------------------

    def _event(self, connection_id: str, route: str, kind: str, **extra: Any) -> dict[str, Any]:
        return {
            "requestContext": {
                "routeKey": route,
                "eventType": kind,
                "connectionId": connection_id,
                "domainName": f"{self._host}:{self._port}",
                "stage": self._stage,
                "apiId": "local",
                "requestTimeEpoch": int(time.time() * 1000),
            },
            "isBase64Encoded": False,
            **extra,
        }

    async def _admit(self, connection: ServerConnection, request: Any) -> Any:
        connection_id = uuid.uuid4().hex[:16]
        connection.finq_id = connection_id  # type: ignore[attr-defined]
        query = dict(parse_qsl(urlsplit(request.path).query))
        event = self._event(
            connection_id,
            "$connect",
            "CONNECT",
            queryStringParameters=query or None,
            headers=dict(request.headers.raw_items()),
        )
        result = await asyncio.to_thread(self._handlers["connect"], event, None)
        status = int((result or {}).get("statusCode", 200))
        if status != 200:
            return connection.respond(HTTPStatus(status), "connection refused\n")
        self._connections[connection_id] = connection
        return None

    async def _session(self, connection: ServerConnection) -> None:
        connection_id: str = connection.finq_id  # type: ignore[attr-defined]
        try:
            async for message in connection:
                body = message if isinstance(message, str) else message.decode("utf-8", "replace")
                event = self._event(connection_id, "$default", "MESSAGE", body=body)
                # Each message runs like its own Lambda invocation, off the event loop.
                asyncio.get_running_loop().run_in_executor(None, self._invoke, "message", event)
        except ConnectionClosed:
            pass
        finally:
            self._connections.pop(connection_id, None)
            event = self._event(connection_id, "$disconnect", "DISCONNECT")
            await asyncio.to_thread(self._invoke, "disconnect", event)

    def _invoke(self, name: str, event: dict[str, Any]) -> None:
        try:
            self._handlers[name](event, None)
        except Exception:  # noqa: BLE001 - like Lambda: log and carry on serving
            _log.exception("WebSocket %s handler failed", name)

    # --- @connections side -----------------------------------------------------------------

    def post(self, connection_id: str, data: bytes) -> bool:
        """Send a frame to a connection; False when it is gone (HTTP 410)."""
        connection = self._connections.get(connection_id)
        if connection is None or self._loop is None:
            return False
        future = asyncio.run_coroutine_threadsafe(connection.send(data.decode("utf-8")), self._loop)
        try:
            future.result(timeout=10)
        except (ConnectionClosed, TimeoutError):
            return False
        return True

    def close(self, connection_id: str) -> bool:
        """Disconnect a client; False when it is gone."""
        connection = self._connections.get(connection_id)
        if connection is None or self._loop is None:
            return False
        asyncio.run_coroutine_threadsafe(connection.close(), self._loop).result(timeout=10)
        return True

    def connected(self, connection_id: str) -> bool:
        """Whether the connection is open."""
        return connection_id in self._connections


def _callback_handler(gateway: LocalWebSocketGateway) -> type[BaseHTTPRequestHandler]:
    class CallbackHandler(BaseHTTPRequestHandler):
        def _connection_id(self) -> str | None:
            parts = urlsplit(self.path).path.strip("/").split("/")
            return parts[1] if len(parts) == 2 and parts[0] == "@connections" else None

        def _reply(
            self, status: int, body: dict[str, Any] | None = None, error: str | None = None
        ) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if error:
                self.send_header("x-amzn-ErrorType", error)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            connection_id = self._connection_id()
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            if connection_id is None:
                self._reply(404, {"message": "not found"}, "NotFoundException")
            elif gateway.post(connection_id, data):
                self._reply(200)
            else:
                self._reply(410, {"message": "connection gone"}, "GoneException")

        def do_DELETE(self) -> None:  # noqa: N802
            connection_id = self._connection_id()
            if connection_id is not None and gateway.close(connection_id):
                self._reply(204)
            else:
                self._reply(410, {"message": "connection gone"}, "GoneException")

        def do_GET(self) -> None:  # noqa: N802
            connection_id = self._connection_id()
            if connection_id is not None and gateway.connected(connection_id):
                self._reply(200, {"ConnectedAt": "", "Identity": {"SourceIp": "127.0.0.1"}})
            else:
                self._reply(410, {"message": "connection gone"}, "GoneException")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            _log.debug("callback: " + format, *args)

    return CallbackHandler
