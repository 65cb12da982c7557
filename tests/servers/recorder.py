"""A recording HTTP proxy on 127.0.0.1 in front of a real test server.

It forwards every request as it is and records `METHOD /path` of each, so a
test can assert the exact calls a sender made. `drop_answer(path_part)`
makes the next matching request reach the server while its answer is lost
(the connection closes without a response): the "request went out, no answer
came" case of `hearth send`.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}


@dataclass
class Recorder:
    upstream: str
    base_url: str = ""
    calls: list[str] = field(default_factory=list)
    _drop: list[list] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: Any = None

    def drop_answer(self, path_part: str, skip: int = 0) -> None:
        """Lose the answer to the next request whose path holds `path_part` (after `skip` more)."""
        with self._lock:
            self._drop.append([path_part, skip])

    def clear(self) -> None:
        self.calls.clear()

    def _take_drop(self, path: str) -> bool:
        with self._lock:
            for i, (part, skip) in enumerate(self._drop):
                if part in path:
                    if skip:
                        self._drop[i][1] -= 1
                        continue
                    del self._drop[i]
                    return True
        return False

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def start_recorder(upstream: str) -> Recorder:
    rec = Recorder(upstream.rstrip("/"))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _forward(self):
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            rec.calls.append(f"{self.command} {self.path.split('?')[0]}")
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            req = urllib.request.Request(rec.upstream + self.path, data=body, headers=headers,
                                         method=self.command)
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, out_headers, data = resp.status, resp.headers.items(), resp.read()
            except urllib.error.HTTPError as err:
                status, out_headers, data = err.code, err.headers.items(), err.read()
            if rec._take_drop(self.path):
                self.close_connection = True     # it arrived; the answer never comes back
                return
            self.send_response(status)
            for k, v in out_headers:
                if k.lower() not in HOP_BY_HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    rec.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    rec._httpd = httpd
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return rec
