"""A loopback stand-in for the providers' send APIs: an HTTP server on 127.0.0.1 started by the
test, recording every call and checking its authorisation header. It is the only thing mocked:
what it stands for lies outside the machine."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    authorised: bool


class WideHTTPServer(ThreadingHTTPServer):
    """A listen queue as long as a provider's: the default (5) resets connections when many
    answers go out at once, which says nothing about the application."""

    request_queue_size = 512
    daemon_threads = True


@dataclass
class ProviderStandIn:
    token: str
    calls: list[Call] = field(default_factory=list)
    # statuses to answer, one per call, before answering 200 (e.g. [500, 500] fails twice)
    failures: list[int] = field(default_factory=list)
    zalo_error: int = 0
    url: str = ""
    _server: WideHTTPServer | None = None

    def start(self) -> ProviderStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                authorised = headers.get("authorization") == f"Bearer {stand_in.token}" or (
                    headers.get("access_token") == stand_in.token
                )
                stand_in.calls.append(Call(self.path, headers, json.loads(raw), authorised))
                answer: dict[str, object]
                if not authorised:
                    status, answer = 401, {"message": "Authentication failed"}
                elif stand_in.failures:
                    status, answer = stand_in.failures.pop(0), {"message": "try later"}
                else:
                    status, answer = 200, {"error": stand_in.zalo_error, "message": "Success"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = WideHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
