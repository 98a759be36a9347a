"""A stand-in for Tavily's search API (``POST /search``) on 127.0.0.1, for tests and benchmarks.

Live Tavily cannot be reached here, so this server answers with the results the test sets (or
an error status, or after a delay) and records every request, headers and JSON body, so the
test can assert the exact request FinQ sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "tvly-test-key-0123456789"


def result(
    title: str, url: str, content: str, published: str | None = "Mon, 24 Nov 2026 09:00:00 GMT"
) -> dict[str, Any]:
    """One search result as Tavily's news topic returns it."""
    return {
        "title": title,
        "url": url,
        "content": content,
        "score": 0.8,
        "raw_content": None,
        "published_date": published,
    }


NEWS = [
    result(
        "청년미래적금 내년 6월 출시…정부 기여금 최대 12%",
        "https://www.news.example.co.kr/economy/2026/11/24/1",
        "금융위원회는 청년미래적금을 내년 6월 출시한다고 밝혔다.",
    ),
    result(
        "청년 적금 가입 조건 달라진다",
        "https://daily.example.com/articles/9",
        "청년도약계좌 가입자의 갈아타기 허용 여부가 논의되고 있다.",
        published="2026-11-20T08:30:00Z",
    ),
]


class FakeTavily:
    """Set the reply, run the server, read back the requests."""

    def __init__(self, results: list[dict[str, Any]] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.results = list(NEWS if results is None else results)
        self.status = 200
        self.delay = 0.0  # seconds before answering (a slow Tavily)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/search"

    def start(self) -> FakeTavily:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeTavily:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(raw),
                    }
                )
                if fake.delay:
                    time.sleep(fake.delay)
                body = json.dumps(
                    {"query": "", "answer": None, "results": fake.results, "response_time": 0.4}
                    if fake.status == 200
                    else {"detail": {"error": "failed"}}
                ).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
