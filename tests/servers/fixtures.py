"""Real servers on 127.0.0.1 for the tests of `hearth send` (see tests/servers/README.md).

Fixtures (import them into a test module or conftest):

    pds              session  Bluesky PLC + PDS (@atproto/dev-env, Node 22) with one account
    smtp_server      function aiosmtpd: AUTH (any login in `users`), STARTTLS offered when
                              trustme is installed; collects every message
    smtps_server     function the same on implicit TLS (SMTPS, "port 465" style)
    mastodon_server  session  mastodon-mock (FastAPI/uvicorn thread), reset before each use
    discord_webhook  function a stand-in for Discord's execute-webhook endpoint

Nothing here downloads anything: the PDS comes from tests/servers/install_pds.sh, run
once by the test command (or, as a fallback, by the `pds` fixture when the cache is
missing), which uses the npm registry only.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import json
import os
import re
import select
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("HEARTH_PDS_CACHE", HERE / ".cache" / "pds"))
INSTALL_PDS = HERE / "install_pds.sh"
RUN_PDS = HERE / "run_pds.mjs"
HOST = "127.0.0.1"

__all__ = [
    "DiscordWebhookServer",
    "MastodonServer",
    "PdsServer",
    "SmtpServer",
    "discord_webhook",
    "free_port",
    "mastodon_server",
    "pds",
    "smtp_server",
    "smtps_server",
]


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- PDS


def _xrpc_post(service: str, nsid: str, body: dict, token: str | None = None) -> dict:
    req = urllib.request.Request(
        f"{service}/xrpc/{nsid}",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json",
                 **({"authorization": f"Bearer {token}"} if token else {})},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@dataclass
class PdsServer:
    """A running PLC + PDS. `service` is what atproto's Client(base_url=...) takes."""

    service: str  # http://127.0.0.1:PORT
    handle: str  # alice.test
    password: str  # an app password of that account
    did: str
    account_password: str  # the account's main password
    plc: str
    admin_password: str
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    _accounts: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)

    def new_account(self, prefix: str = "user") -> tuple[str, str, str]:
        """Create another account; returns (handle, app_password, did).

        Handles on this PDS end in `.test`; one account per test keeps tests apart
        (record keys, blobs) while sharing the one PDS of the session.
        """
        n = next(self._accounts)
        handle = f"{prefix}{os.getpid()}x{n}.test"
        acct = _xrpc_post(self.service, "com.atproto.server.createAccount", {
            "handle": handle, "email": f"{handle}@example.com", "password": f"{handle}-pass"})
        app = _xrpc_post(self.service, "com.atproto.server.createAppPassword",
                         {"name": "hearth-tests"}, acct["accessJwt"])
        return acct["handle"], app["password"], acct["did"]

    def client(self, handle: str | None = None, password: str | None = None):
        """An atproto Client logged in WITHOUT the AppView profile lookup."""
        from atproto import Client

        c = Client(base_url=self.service)
        c.login(handle or self.handle, password or self.password, fetch_bsky_profile=False)
        return c


def _pds_installed() -> bool:
    node = CACHE / "bin" / "node"
    return (CACHE / ".stamp").is_file() and node.exists() and \
        (CACHE / "app" / "node_modules" / "@atproto" / "dev-env" / "package.json").is_file()


def start_pds(log_path: Path, timeout: float = 90.0) -> PdsServer:
    if not _pds_installed():
        # The test command should have run it already; this is the fallback.
        proc = subprocess.run(["bash", str(INSTALL_PDS)], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            pytest.fail(f"install_pds.sh failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    env = {**os.environ, "LOG_ENABLED": os.environ.get("LOG_ENABLED", "true"),
           "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn"), "NODE_ENV": "development"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(CACHE / "bin" / "node"), str(RUN_PDS), "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env, cwd=HERE,
        )
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            proc.kill()
            proc.wait()
            pytest.fail(f"run_pds.mjs did not become ready (exit {proc.returncode}); "
                        f"log {log_path}:\n{log_path.read_text(errors='replace')[-4000:]}")
        ready, _, _ = select.select([proc.stdout], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk and proc.poll() is None:
                time.sleep(0.05)
            buf += chunk
    info = json.loads(buf.split(b"\n", 1)[0])
    return PdsServer(
        service=info["service"], handle=info["handle"], password=info["password"],
        did=info["did"], account_password=info["account_password"], plc=info["plc"],
        admin_password=info["admin_password"], log_path=log_path, process=proc,
    )


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for f in (proc.stdin, proc.stdout):
        if f:
            f.close()


@pytest.fixture(scope="session")
def pds(tmp_path_factory) -> PdsServer:
    """One PLC + PDS for the whole session (startup ≈ 3 s once installed)."""
    server = start_pds(tmp_path_factory.mktemp("pds") / "pds.log")
    try:
        yield server
    finally:
        stop_process(server.process)


# -------------------------------------------------------------------------- SMTP


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes  # the message as received (after dot-unstuffing)
    message: email.message.EmailMessage
    login: str | None  # the AUTH login used, or None
    tls: bool  # whether the session ran over TLS (STARTTLS or SMTPS)
    peer: Any = None


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, srv, session, envelope, address, rcpt_options):
        if address.lower() in self.server.reject_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, srv, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        login = session.auth_data if session.authenticated else None  # set by authenticator
        transport = getattr(srv, "transport", None)
        tls = session.ssl is not None or (
            transport is not None and transport.get_extra_info("ssl_object") is not None)
        mail = ReceivedMail(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), data=raw,
            message=email.message_from_bytes(raw, policy=email.policy.default),
            login=login, tls=tls, peer=session.peer,
        )
        with self.server._cond:
            self.server.messages.append(mail)
            self.server._cond.notify_all()
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    users: dict[str, str]  # login -> password accepted by AUTH PLAIN/LOGIN
    starttls: bool  # STARTTLS is offered
    implicit_tls: bool  # the socket speaks TLS from the first byte (SMTPS)
    ca_path: str | None  # PEM of the CA that signed the server's cert (for clients)
    messages: list[ReceivedMail] = field(default_factory=list)
    reject_rcpt: set[str] = field(default_factory=set)  # lower-cased addresses -> 550
    require_auth: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _controller: Any = field(default=None, repr=False)

    def client_ssl_context(self) -> ssl.SSLContext:
        """An SSLContext that trusts this server's certificate (hostname 127.0.0.1)."""
        return ssl.create_default_context(cafile=self.ca_path)

    def wait_for(self, n: int = 1, timeout: float = 5.0) -> list[ReceivedMail]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.messages) >= n, timeout):
                raise TimeoutError(f"{len(self.messages)} of {n} messages after {timeout}s")
            return list(self.messages)


_TRUSTME: list = []  # (ca, cert): made once per process, key generation is slowish


def _tls_contexts(tmp: Path) -> tuple[ssl.SSLContext | None, str | None]:
    try:
        import trustme
    except ImportError:
        return None, None
    if not _TRUSTME:
        ca = trustme.CA()
        _TRUSTME.append((ca, ca.issue_cert("127.0.0.1", "localhost")))
    ca, cert = _TRUSTME[0]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    ca_path = tmp / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return ctx, str(ca_path)


def start_smtp(tmp: Path, *, implicit_tls: bool = False, require_auth: bool = False,
               users: dict[str, str] | None = None) -> SmtpServer:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    users = dict(users if users is not None else {"hearth": "hearth-pass"})
    tls_ctx, ca_path = _tls_contexts(tmp)
    if implicit_tls and tls_ctx is None:
        pytest.skip("SMTPS needs the trustme package")
    server = SmtpServer(host=HOST, port=free_port(), users=users,
                        starttls=tls_ctx is not None and not implicit_tls,
                        implicit_tls=implicit_tls, ca_path=ca_path, require_auth=require_auth)

    def authenticator(srv, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False,
                          auth_data=auth_data.login.decode() if ok else None)

    kwargs: dict[str, Any] = {
        "hostname": HOST, "port": server.port, "authenticator": authenticator,
        "auth_required": require_auth, "auth_require_tls": False,
    }
    if implicit_tls:
        kwargs["ssl_context"] = tls_ctx
    elif tls_ctx is not None:
        kwargs["tls_context"] = tls_ctx  # offers STARTTLS; not required
    controller = Controller(_Handler(server), **kwargs)
    controller.start()
    server._controller = controller
    return server


@pytest.fixture
def smtp_server(tmp_path) -> SmtpServer:
    """Plain SMTP on 127.0.0.1 with AUTH (user `hearth`/`hearth-pass`) and STARTTLS offered."""
    server = start_smtp(tmp_path)
    try:
        yield server
    finally:
        server._controller.stop()


@pytest.fixture
def smtps_server(tmp_path) -> SmtpServer:
    """SMTP over implicit TLS (smtplib.SMTP_SSL), same AUTH user."""
    server = start_smtp(tmp_path, implicit_tls=True)
    try:
        yield server
    finally:
        server._controller.stop()


# ---------------------------------------------------------------------- Mastodon


@dataclass
class MastodonServer:
    """mastodon-mock on 127.0.0.1: seeded alice/bob/carol with tokens `<name>_token`."""

    base_url: str
    token: str  # alice's bearer token
    _mock: Any = field(repr=False)

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(
            f"{self.base_url}/api/v1/_mock/reset", data=b"", method="POST"), timeout=10).close()

    def fault(self, **kwargs: Any) -> str:
        """Register a fault rule (POST /api/v1/_mock/faults); returns its id.

        e.g. fault(path="/api/v1/statuses", methods=["POST"], type="ratelimit", count=1)
        or   fault(path="/api/v2/media", type="status", status=503, count=1)
        """
        effect_keys = {"type", "status", "body", "headers", "delay_ms", "truncate"}
        effect = {k: v for k, v in kwargs.items() if k in effect_keys}
        effect.setdefault("type", "status")
        rule = {"match": {"methods": kwargs.get("methods"), "path": kwargs.get("path"),
                          "path_regex": kwargs.get("path_regex")},
                "effect": effect, "count": kwargs.get("count")}
        req = urllib.request.Request(f"{self.base_url}/api/v1/_mock/faults",
                                     data=json.dumps(rule).encode(), method="POST",
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())["id"]


@pytest.fixture(scope="session")
def _mastodon_mock_session_server(tmp_path_factory):
    pytest.importorskip("mastodon_mock", reason="pip install mastodon-mock")
    from mastodon_mock.testing.server import MockServer, _default_config

    config = _default_config()  # in-memory DB, seeded alice/bob/carol(/dave)
    config.media_storage_path = str(tmp_path_factory.mktemp("mastodon-media"))
    mock = MockServer(config=config, host=HOST)
    mock.start()
    try:
        yield MastodonServer(base_url=mock.base_url, token="alice_token", _mock=mock)
    finally:
        mock.stop()


@pytest.fixture
def mastodon_server(_mastodon_mock_session_server) -> MastodonServer:
    """The session's mastodon-mock, reset to its seed (and no faults) before the test."""
    _mastodon_mock_session_server.reset()
    return _mastodon_mock_session_server


# ----------------------------------------------------------------------- Discord

DISCORD_EPOCH_MS = 1420070400000
_WEBHOOK_PATH = re.compile(r"^/api(?:/v\d+)?/webhooks/(\d+)/([A-Za-z0-9_.\-]+)(/messages/(\d+|@original))?/?$")


def _snowflake(seq: int) -> str:
    return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (seq & 0xFFF))


def _discord_error(status: int, code: int, message: str, errors: dict | None = None):
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return status, body, {}


def _max_len_error(path: str, limit: int):
    return {path: {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                "message": f"Must be {limit} or fewer in length."}]}}


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict | None, list[dict]]:
    """payload_json + files[n] out of a multipart/form-data body (stdlib email parser)."""
    msg = email.message_from_bytes(
        b"Content-Type: " + content_type.encode() + b"\r\nMIME-Version: 1.0\r\n\r\n" + body,
        policy=email.policy.HTTP)
    payload, files = None, []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if name == "payload_json":
            payload = json.loads(data.decode("utf-8"))
        elif name is not None:
            m = re.fullmatch(r"files\[(\d+)\]", name)  # also takes legacy `file`, `file1`
            index = int(m.group(1)) if m else len(files)
            files.append({"field": name, "index": index,
                          "filename": part.get_filename() or f"file{index}",
                          "content_type": part.get_content_type(), "data": data})
    return payload, files


@dataclass
class WebhookRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    payload: dict | None  # the JSON body, or payload_json of a multipart body
    files: list[dict]  # [{field, index, filename, content_type, data}]
    status: int  # what the server answered


@dataclass
class DiscordWebhookServer:
    """Answers like Discord's Execute Webhook (POST /api/webhooks/{id}/{token})."""

    base_url: str  # http://127.0.0.1:PORT
    webhook_id: str
    token: str
    channel_id: str
    requests: list[WebhookRequest] = field(default_factory=list)
    messages: dict[str, dict] = field(default_factory=dict)  # id -> message object
    _forced: list[tuple[int, dict, dict]] = field(default_factory=list, repr=False)
    _delays: list[float] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _seq: itertools.count = field(default_factory=itertools.count, repr=False)
    _httpd: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The webhook URL as Discord shows it (without ?wait=true)."""
        return f"{self.base_url}/api/webhooks/{self.webhook_id}/{self.token}"

    def rate_limit_next(self, retry_after: float = 0.25, *, is_global: bool = False,
                        times: int = 1) -> None:
        """The next `times` executions answer 429 as Discord does."""
        reset = time.time() + retry_after
        body = {"message": "You are being rate limited.", "retry_after": retry_after,
                "global": is_global}
        if is_global:
            body["code"] = 0
        headers = {
            "Retry-After": str(max(1, int(-(-retry_after // 1)))),  # whole seconds, rounded up
            "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}", "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "hearthtestbucket",
            "X-RateLimit-Scope": "global" if is_global else "shared",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        with self._lock:
            self._forced.extend([(429, body, headers)] * times)

    def fail_next(self, status: int, body: dict | None = None, headers: dict | None = None,
                  times: int = 1) -> None:
        """The next `times` executions answer `status` (e.g. 500, 502, 404)."""
        body = body if body is not None else {"message": HTTPStatus(status).phrase, "code": 0}
        with self._lock:
            self._forced.extend([(status, body, headers or {})] * times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` executions are carried out at once (the message is
        stored) but answered only after `seconds`: an answer lost in flight."""
        with self._lock:
            self._delays.extend([seconds] * times)

    def take_delay(self) -> float:
        with self._lock:
            return self._delays.pop(0) if self._delays else 0.0

    # -- the API ---------------------------------------------------------------
    def _execute(self, query: dict, payload: dict | None, files: list[dict]):
        payload = payload or {}
        content = payload.get("content") or ""
        embeds = payload.get("embeds") or []
        errors: dict = {}
        if len(content) > 2000:
            errors.update(_max_len_error("content", 2000))
        if "username" in payload and payload["username"] is not None and not (
                1 <= len(payload["username"]) <= 80):
            errors.update(_max_len_error("username", 80))
        if len(embeds) > 10:
            errors.update(_max_len_error("embeds", 10))
        if len(files) > 10:
            errors.update(_max_len_error("files", 10))
        if errors:
            return _discord_error(400, 50035, "Invalid Form Body", errors)
        if not content and not embeds and not files and not payload.get("components") \
                and not payload.get("poll"):
            return _discord_error(400, 50006, "Cannot send an empty message")

        message_id = _snowflake(next(self._seq))
        described = {str(a.get("id")): a for a in payload.get("attachments") or []}
        attachments = []
        for f in files:
            meta = described.get(str(f["index"]), {})
            att_id = _snowflake(next(self._seq))
            filename = meta.get("filename") or f["filename"]
            url = f"{self.base_url}/attachments/{self.channel_id}/{att_id}/{filename}"
            att = {"id": att_id, "filename": filename, "size": len(f["data"]), "url": url,
                   "proxy_url": url, "content_type": f["content_type"]}
            if meta.get("description"):
                att["description"] = meta["description"]
            attachments.append(att)
        message = {
            "id": message_id, "type": 0, "content": content, "channel_id": self.channel_id,
            "author": {"bot": True, "id": self.webhook_id,
                       "username": payload.get("username") or "Hearth Test Webhook",
                       "avatar": None, "discriminator": "0000"},
            "attachments": attachments, "embeds": embeds, "mentions": [], "mention_roles": [],
            "pinned": False, "mention_everyone": False, "tts": bool(payload.get("tts")),
            "timestamp": datetime.now(UTC).isoformat(), "edited_timestamp": None,
            "flags": int(payload.get("flags") or 0), "components": payload.get("components") or [],
            "webhook_id": self.webhook_id,
        }
        if "thread_id" in query:
            message["channel_id"] = query["thread_id"][0]
        self.messages[message_id] = message
        wait = query.get("wait", ["false"])[0].lower() in ("true", "1")
        return (200, message, {}) if wait else (204, None, {})

    def handle(self, method: str, path: str, query: dict, headers: dict, body: bytes):
        m = _WEBHOOK_PATH.match(path)
        if not m:
            return _discord_error(404, 0, "404: Not Found")
        wid, token, _, msg_id = m.groups()
        if wid != self.webhook_id or token != self.token:
            return _discord_error(404, 10015, "Unknown Webhook")
        if msg_id is not None:
            if method == "GET":
                msg = self.messages.get(msg_id)
                return (200, msg, {}) if msg else _discord_error(404, 10008, "Unknown Message")
            if method == "DELETE":
                return (204, None, {}) if self.messages.pop(msg_id, None) else \
                    _discord_error(404, 10008, "Unknown Message")
            return _discord_error(405, 0, "405: Method Not Allowed")
        if method == "GET":
            return 200, {"type": 1, "id": self.webhook_id, "name": "Hearth Test Webhook",
                         "channel_id": self.channel_id, "token": self.token,
                         "guild_id": "1", "avatar": None, "application_id": None}, {}
        if method != "POST":
            return _discord_error(405, 0, "405: Method Not Allowed")
        with self._lock:
            forced = self._forced.pop(0) if self._forced else None
        if forced:
            return forced
        ctype = headers.get("content-type", "")
        try:
            if ctype.startswith("multipart/form-data"):
                payload, files = _parse_multipart(ctype, body)
            elif ctype.startswith("application/json"):
                payload, files = json.loads(body.decode("utf-8") or "{}"), []
            else:
                return _discord_error(400, 50109, "The request body contains invalid JSON.")
        except (ValueError, UnicodeDecodeError):
            return _discord_error(400, 50109, "The request body contains invalid JSON.")
        return self._execute(query, payload, files)


def start_discord() -> DiscordWebhookServer:
    server = DiscordWebhookServer(base_url="", webhook_id="112233445566778899",
                                  token="hearth-test-token_abc", channel_id="998877665544332211")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _serve(self):
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            hdrs = {k.lower(): v for k, v in self.headers.items()}
            status, obj, extra = server.handle(self.command, parts.path, query, hdrs, body)
            payload = files = None
            if self.command == "POST" and _WEBHOOK_PATH.match(parts.path):
                try:
                    ctype = hdrs.get("content-type", "")
                    payload, files = (_parse_multipart(ctype, body)
                                      if ctype.startswith("multipart/form-data")
                                      else (json.loads(body or b"{}"), []))
                except (ValueError, UnicodeDecodeError):
                    payload, files = None, []
            server.requests.append(WebhookRequest(self.command, parts.path, query, hdrs,
                                                  payload, files or [], status))
            if self.command == "POST" and status < 300:
                delay = server.take_delay()
                if delay:
                    time.sleep(delay)
            data = b"" if obj is None else json.dumps(obj).encode()
            self.send_response(status)
            for k, v in extra.items():
                self.send_header(k, v)
            if obj is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    httpd = ThreadingHTTPServer((HOST, 0), Handler)
    httpd.daemon_threads = True
    server.base_url = f"http://{HOST}:{httpd.server_address[1]}"
    server._httpd = httpd
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                     name="discord-webhook", daemon=True).start()
    return server


@pytest.fixture
def discord_webhook() -> DiscordWebhookServer:
    server = start_discord()
    try:
        yield server
    finally:
        server._httpd.shutdown()
        server._httpd.server_close()
