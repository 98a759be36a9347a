"""A stand-in for Amazon Bedrock's Converse API on 127.0.0.1, for tests only.

Bedrock cannot run here, so this server answers ``converse`` (JSON) and ``converse-stream``
(AWS event-stream framing) with replies the test queues, and records every request so the test
can assert the exact request FinQ sent.
"""

from __future__ import annotations

import binascii
import json
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote


def _header(name: str, value: str) -> bytes:
    encoded = value.encode()
    return bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(encoded)) + encoded


def event_message(event_type: str, payload: dict[str, Any]) -> bytes:
    """Encode one AWS event-stream message (prelude, headers, payload, CRCs)."""
    headers = (
        _header(":event-type", event_type)
        + _header(":content-type", "application/json")
        + _header(":message-type", "event")
    )
    body = json.dumps(payload).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + headers + body
    return message + struct.pack(">I", binascii.crc32(message) & 0xFFFFFFFF)


class FakeBedrock:
    """Queue replies, run the server, read back the requests."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: list[tuple[str, Any]] = []
        self._embeds = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def reply_tool(
        self, name: str, data: dict[str, Any], tokens: tuple[int, int] = (50, 20)
    ) -> None:
        """Queue a ``converse`` reply that calls the structured-output tool ``name``."""
        self._replies.append(
            (
                "converse",
                {
                    "output": {
                        "message": {
                            "role": "assistant",
                            "content": [
                                {"toolUse": {"toolUseId": "t1", "name": name, "input": data}}
                            ],
                        }
                    },
                    "stopReason": "tool_use",
                    "usage": {
                        "inputTokens": tokens[0],
                        "outputTokens": tokens[1],
                        "totalTokens": sum(tokens),
                    },
                    "metrics": {"latencyMs": 5},
                },
            )
        )

    def reply_stream(self, pieces: list[str], tokens: tuple[int, int] = (300, 80)) -> None:
        """Queue a ``converse-stream`` reply that streams ``pieces`` of text."""
        events = [event_message("messageStart", {"role": "assistant"})]
        events += [
            event_message("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": p}})
            for p in pieces
        ]
        events += [
            event_message("contentBlockStop", {"contentBlockIndex": 0}),
            event_message("messageStop", {"stopReason": "end_turn"}),
            event_message(
                "metadata",
                {
                    "usage": {
                        "inputTokens": tokens[0],
                        "outputTokens": tokens[1],
                        "totalTokens": sum(tokens),
                    },
                    "metrics": {"latencyMs": 9},
                },
            ),
        ]
        self._replies.append(("converse-stream", b"".join(events)))

    def embed_every_invoke(self) -> FakeBedrock:
        """Answer every ``invoke`` (Titan Embeddings V2) with a vector computed from the text.

        Hashed character bigrams, normalized: texts sharing words get close vectors, so search
        over them behaves like a (crude) embedding model. Queued replies are left for Converse.
        """
        self._embeds = True
        return self

    def next_reply(self, operation: str, body: dict[str, Any] | None = None) -> Any:
        """Take the next queued reply, which must be for ``operation``."""
        if operation == "invoke" and self._embeds and body is not None:
            return _titan_embedding(str(body["inputText"]), int(body.get("dimensions", 1024)))
        kind, reply = self._replies.pop(0)
        assert kind == operation, f"expected {kind}, FinQ called {operation}"
        return reply

    def start(self) -> FakeBedrock:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                parts = self.path.strip("/").split("/")
                operation, model = parts[-1], unquote(parts[1])
                fake.requests.append({"operation": operation, "modelId": model, "body": body})
                reply = fake.next_reply(operation, body)
                if operation == "converse-stream":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/vnd.amazon.eventstream")
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                    return
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler


def _titan_embedding(text: str, dimensions: int) -> dict[str, Any]:
    vector = [0.0] * dimensions
    folded = text.lower()
    for i in range(len(folded) - 1):
        vector[binascii.crc32(folded[i : i + 2].encode()) % dimensions] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return {"embedding": [v / norm for v in vector], "inputTextTokenCount": len(text.split())}
