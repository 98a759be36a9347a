"""Sending frames to WebSocket clients through API Gateway's ``@connections`` API.

Wraps an ``apigatewaymanagementapi`` client it is given (locally it points at the local
gateway's callback endpoint). A client that went away raises errors.ConnectionGone.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import ConnectionGone, UpstreamUnavailable

# API Gateway limits a WebSocket frame to 32 KB; keep well under it.
MAX_FRAME_BYTES = 30_000


class WebSocketSender:
    """Post JSON frames to connections (a ports.FrameSender)."""

    def __init__(self, client: Any) -> None:
        """Wrap a ready ``apigatewaymanagementapi`` client."""
        self._client = client

    def send(self, connection_id: str, frame: dict[str, Any]) -> None:
        """Send one JSON frame (oversized message content is dropped, not the frame)."""
        data = json.dumps(frame, ensure_ascii=False).encode("utf-8")
        if len(data) > MAX_FRAME_BYTES and isinstance(frame.get("message"), dict):
            trimmed = {**frame["message"], "content": None, "content_truncated": True}
            data = json.dumps({**frame, "message": trimmed}, ensure_ascii=False).encode("utf-8")
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code == "GoneException" or status == 410:
                raise ConnectionGone(connection_id) from exc
            raise UpstreamUnavailable("the WebSocket API refused a frame") from exc

    def close(self, connection_id: str) -> None:
        """Disconnect a client (ignores one that is already gone)."""
        try:
            self._client.delete_connection(ConnectionId=connection_id)
        except ClientError:
            pass
