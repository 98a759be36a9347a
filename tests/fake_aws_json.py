"""A recording stand-in for AWS JSON-protocol services that cannot run here (Comprehend).

Answers each ``X-Amz-Target`` operation from a table of canned responses and records every
request, so a test asserts exactly what FinQ asked. boto3 reaches it through the service's
``AWS_ENDPOINT_URL_<SERVICE>`` variable, with no change to FinQ's client code.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], dict[str, Any]]


class FakeAwsJsonService:
    """Serve ``responders`` (operation name -> request body -> response) on 127.0.0.1."""

    def __init__(self, responders: dict[str, Responder]) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.responders = responders
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeAwsJsonService:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def operations(self) -> list[str]:
        """The operations called, in order."""
        return [operation for operation, _ in self.requests]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                operation = self.headers["X-Amz-Target"].split(".")[-1]
                fake.requests.append((operation, body))
                respond = fake.responders.get(operation)
                status, reply = (200, respond(body)) if respond else (400, {
                    "__type": "UnknownOperationException", "message": operation
                })  # fmt: skip
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler
