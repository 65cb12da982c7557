"""`hearth serve`: build, watch, rebuild what changed, reload the browser.

The watchdog callback only notes that something changed. A build loop waits
for the burst of events to settle (an editor's save, a `git checkout` of 500
files), rebuilds with one long-lived Builder (so only changed files are read
and only changed outputs are written), and bumps an epoch. Browsers listen on
a server-sent-events stream and reload when their page changed. After a bad
edit the last good build stays up and every page shows the problems in an
overlay until they are fixed. Only files inside the output folder are served.
"""

from __future__ import annotations

import gc
import ipaddress
import json
import mimetypes
import re
import socket
import sys
import threading
import time
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import Builder, BuildResult, own_pages
from .dates import resolve_now
from .incremental.instants import next_change
from .plural import counted
from .settings import SettingsError, load_settings

WATCHED = ("content", "calendar", "guidelines", "templates", "static")
SETTLE_SECONDS = 0.05       # quiet time that ends a burst of file events
MAX_WAIT_SECONDS = 2.0      # rebuild anyway after this long in a continuous burst
REVIEW_PREFIX = "/_review/"
QUEUES_PREFIX = "/_queues/"
EVENTS_PATH = "/_hearth/events"
STATUS_PATH = "/_hearth/status"
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part", ".hearth-tmp", ".hearth-fix")
IDLE_TIMEOUT = 30.0         # seconds a connection may stay silent before it is closed
KEEP_ALIVE_SECONDS = 10.0   # the event stream's comment interval (capped below the timeout)

CLIENT = """<script>/* hearth serve: live reload and build errors */(function(){
var here=location.pathname,epoch=null,box=null;
function show(errors){if(!errors.length){if(box){box.remove();box=null;}return;}
if(!box){box=document.createElement("div");box.id="hearth-errors";box.setAttribute("role","alert");
box.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0b;color:#ffecec;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:16px 20px;border-top:4px solid #ff5c5c;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
document.body.appendChild(box);}
box.textContent="";var h=document.createElement("strong");h.textContent="Build failed \\u2014 showing the last good build. Fix these and save:";box.appendChild(h);
var ul=document.createElement("ul");ul.style.cssText="margin:8px 0 0;padding-left:20px";
errors.forEach(function(e){var li=document.createElement("li");li.textContent=e;ul.appendChild(li);});box.appendChild(ul);}
function mine(changed){return changed.some(function(p){return p===here||p===here+"index.html"||/\\.(css|js)$/.test(p);});}
var source=new EventSource("/_hearth/events");
source.onmessage=function(m){var s=JSON.parse(m.data);
if(epoch!==null&&s.epoch!==epoch&&(s.all||s.changes.some(function(c){return c[0]>epoch&&mine(c[1]);}))){location.reload();return;}
epoch=s.epoch;show(s.errors);};})();</script>"""


class ServeState:
    """What the server tells browsers: the build epoch and the current problems."""

    def __init__(self) -> None:
        self.epoch = 0
        self.errors: list[str] = []
        self.changed: list[str] = []        # every URL the current rebuild changed so far
        self.changes: list[list] = []       # [epoch, URLs] of each announcement of this rebuild
        self.all = False
        self.condition = threading.Condition()

    def publish(self, errors: list[str], changed: list[str], everything: bool,
                more: bool = False) -> None:
        """`more`: a later announcement of the same rebuild (the lists after the edited
        page). A browser that sees only the last snapshot still finds its page in `changes`."""
        with self.condition:
            self.epoch += 1
            self.errors = errors
            if not more:
                self.changes = []
            self.changes.append([self.epoch, changed])
            self.changed = sorted({url for _, urls in self.changes for url in urls})
            self.all = everything
            self.condition.notify_all()

    def snapshot(self) -> dict:
        return {"epoch": self.epoch, "errors": self.errors, "changed": self.changed,
                "changes": self.changes, "all": self.all}


class ChangeWatcher(FileSystemEventHandler):
    """Notes which input files changed; never builds itself."""

    def __init__(self, root: Path, out_dir: Path):
        self.root = root.resolve()
        self.out_dir = out_dir.resolve()
        self.lock = threading.Lock()
        self.paths: set[str] = set()
        self.first = 0.0
        self.last = 0.0
        self.pending = threading.Event()

    def relevant(self, path: str) -> str | None:
        try:
            resolved = Path(path).resolve()
        except OSError:
            return None
        if resolved.is_relative_to(self.out_dir) or not resolved.is_relative_to(self.root):
            return None
        rel = resolved.relative_to(self.root).as_posix()
        if rel == "hearth.toml":
            return rel
        top = rel.split("/", 1)[0]
        name = rel.rsplit("/", 1)[-1]
        if top not in WATCHED or name.startswith((".#", "#")) or name.endswith(IGNORED_SUFFIXES):
            return None
        return rel

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return      # a folder's entries changed: each entry has its own event
        hits = [self.relevant(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        hits = [h for h in hits if h]
        if not hits:
            return
        with self.lock:
            now = time.monotonic()
            if not self.paths:
                self.first = now
            self.paths.update(hits)
            self.last = now
            self.pending.set()

    def wait_for_burst(self, stop: threading.Event) -> set[str] | None:
        """Block until changes have settled; return the changed paths."""
        while not stop.is_set():
            if not self.pending.wait(0.2):
                continue
            while not stop.is_set():
                with self.lock:
                    now = time.monotonic()
                    quiet = now - self.last >= SETTLE_SECONDS
                    too_long = now - self.first >= MAX_WAIT_SECONDS
                    if quiet or too_long:
                        paths, self.paths = self.paths, set()
                        self.pending.clear()
                        return paths
                time.sleep(SETTLE_SECONDS / 4)
        return None


def url_paths(changed: list[str], base_path: str) -> list[str]:
    """Output paths (hub/x/index.html) → the URL paths browsers have open."""
    urls = []
    for path in changed:
        area, _, rest = path.partition("/")
        prefix = {"hub": base_path, "review": REVIEW_PREFIX, "queues": QUEUES_PREFIX}.get(area)
        if prefix is None:
            continue
        url = prefix + rest
        urls.append(url[: -len("index.html")] if url.endswith("index.html") else url)
    return urls


def is_loopback(host: str) -> bool:
    """True when `host` only reaches this machine (127.0.0.1, ::1, localhost)."""
    name = host.strip().strip("[]")
    if name.lower().rstrip(".") in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, None) if name else []
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0].split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


class PreviewHTTPServer(ThreadingHTTPServer):
    """One thread per connection; a connection that goes quiet is closed by its
    handler's socket timeout. Errors answering one request never print a traceback."""

    daemon_threads = True
    request_queue_size = 128    # a page opens several connections at once; don't drop them
    report: Callable[[str], None] = staticmethod(lambda line: None)

    def handle_error(self, request, client_address) -> None:
        err = sys.exc_info()[1]
        if isinstance(err, (ConnectionError, TimeoutError)):
            return          # the browser went away, or a connection went quiet
        self.report(f"could not answer a request: {type(err).__name__}: {err}")


def open_port(host: str, port: int, handler) -> PreviewHTTPServer:
    """Bind and listen; raises OSError (in use, no such address, not allowed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("PreviewHTTPServer", (PreviewHTTPServer,), {"address_family": family})
    return server_class((host.strip("[]"), port), handler)


def crash_message(err: BaseException, paths: set[str] | None) -> str:
    """One line for the log and the overlay when a rebuild fails inside Hearth."""
    where = ""
    files = sorted(p for p in paths or () if not any(q.startswith(p + "/") for q in paths))
    if files:
        where = " after changes to " + ", ".join(files[:5]) + (" …" if len(files) > 5 else "")
    text = str(err).strip().splitlines()[0][:300] if str(err).strip() else ""
    detail = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return (f"hearth could not build{where} ({detail}). This is a bug in Hearth, please "
            f"report it; undo the last edit or fix the file to go on.")


class Server:
    """The preview: one build loop thread, one HTTP thread per connection.

    `run` blocks until Ctrl-C (or `shutdown` from another thread). Nothing a
    rebuild raises stops it: the last good build stays served and the problem
    shows in every page's overlay until an edit builds again."""

    def __init__(self, root: Path, host: str, port: int, now: datetime | None = None,
                 idle_timeout: float = IDLE_TIMEOUT):
        self.root = root
        self.host = host
        self.port = port
        self.fixed_now = now
        self.idle_timeout = idle_timeout
        settings = load_settings(root)
        self.settings = settings
        self.out_dir = (root / settings.build.output).resolve()
        self.builder = Builder(root, long_lived=True)
        self.state = ServeState()
        self.stop = threading.Event()
        self.first_done = threading.Event()
        self.ready = threading.Event()      # set once the first build is done and the port is open
        self.last: BuildResult | None = None
        self.log: list[str] = []
        self.reload_ms = 0.0    # the last rebuild: when the hub's pages were on disk and announced
        self.reload_cpu_ms = 0.0
        self.httpd: PreviewHTTPServer | None = None
        self.loop: threading.Thread | None = None
        self.observer: Observer | None = None
        self.full_next = False  # after a crash the next rebuild starts from scratch
        self.served_once = False    # a good build is on disk (a later one reloads pages)
        self.last_report: list[str] = []   # what `report` printed last, for a repeated failure
        self.good = False       # the last rebuild ended well, all of it
        self._quiet: tuple | None = None    # (the last good site, the next instant it changes at)

    def now(self) -> datetime:
        return resolve_now(self.fixed_now)

    def rebuild(self, paths: set[str] | None = None) -> BuildResult | None:
        """Rebuild after `paths` changed (None: everything). The hub's pages are
        written and announced first; the queues, review site and report follow."""
        if paths is not None and not paths and self._unchanged():
            self.log.append("nothing changed")
            return self.last
        gc.disable()    # until the edited page is announced (see `tidy_memory`)
        try:
            return self._rebuild(paths)
        finally:
            tidy_memory()
            gc.enable()

    def _rebuild(self, paths: set[str] | None) -> BuildResult | None:
        started, cpu = time.perf_counter(), time.process_time()
        self.good = False
        everything = paths is None or "hearth.toml" in paths or any(
            p.startswith("templates/") for p in paths)
        try:
            self.settings = load_settings(self.root)
            site, problems, timings = self.builder.model(
                self.settings, self.now(), changed=paths if paths is not None and not everything
                else None)
        except SettingsError as err:
            self.state.publish(err.messages, [], False)
            self.log.append("settings error: " + "; ".join(err.messages)
                            + "; serving the last good build")
            return None
        out_dir = self.builder.out_dir(self.settings)
        self.out_dir = out_dir
        base = self.settings.site.base_path
        fast = paths is not None and not everything
        # after an edit: the edited post's own page first, then the hub's lists that show
        # it (home, tags, feeds), then everything else (queues, review, report)
        own = own_pages(site, paths) if fast else set()
        result = self.builder.emit(site, problems, timings, out_dir,
                                   areas=("hub",) if fast else None, changed=paths if fast else None,
                                   only=own or None)
        errors = [d.as_text() for d in result.diagnostics if d.level == "error"]
        if not result.ok:
            self.state.publish(errors, [], False)
            self.last = result
            self.log.append(f"build failed in {(time.perf_counter() - started) * 1000:.0f} ms with "
                            f"{counted(len(errors), 'error')}; serving the last good build")
            return result
        self.state.publish([], url_paths(result.changed, base), everything)
        first = (time.perf_counter() - started) * 1000
        self.reload_ms = first
        self.reload_cpu_ms = (time.process_time() - cpu) * 1000    # the same, in this process's CPU
        gc.freeze()     # the new model too: the passes below allocate, the collector walks their part
        gc.enable()
        changed = len(result.changed)
        if own:
            lists = self.builder.emit(site, problems, timings, out_dir, areas=("hub",),
                                      changed=paths)
            if lists.ok and lists.changed:
                self.state.publish([], url_paths(lists.changed, base), everything, more=True)
            changed += len(lists.changed)
            result.changed = sorted(set(result.changed) | set(lists.changed))
        if fast:
            rest = self.builder.emit(site, problems, timings, out_dir)
            if not rest.ok:
                self.state.publish([d.as_text() for d in rest.diagnostics if d.level == "error"],
                                   [], False)
                self.last = rest
                self.log.append(f"build failed in {(time.perf_counter() - started) * 1000:.0f} ms; "
                                f"the hub's pages are new, the rest is the last good build")
                return rest
            if rest.changed:
                self.state.publish([], url_paths(rest.changed, base), everything, more=True)
            changed += len(rest.changed)
        total = (time.perf_counter() - started) * 1000
        if self.served_once:
            self.log.append(f"rebuilt in {total:.0f} ms (pages reloaded after {first:.0f} ms): "
                            f"{counted(changed, 'file')} changed")
        else:   # nothing was served yet: no page was reloaded
            self.log.append(f"built {counted(len(result.outputs), 'file')} in {total:.0f} ms")
        self.served_once = True
        self.last = result
        self.good = True
        return result

    def _unchanged(self) -> bool:
        """Nothing was seen to change since the last good rebuild and `now` has
        not reached the next instant its output would change at (a post going
        public, an event ending): the output would be the same, byte for byte."""
        last = self.last
        if not self.good or last is None or not last.ok or last.site is None or self.full_next:
            return False
        site = last.site
        if self._quiet is None or self._quiet[0] is not site:
            self._quiet = (site, next_change(site))
        return site.now <= self.now() < self._quiet[1]

    def safe_rebuild(self, paths: set[str] | None = None) -> BuildResult | None:
        """`rebuild`, but any exception is a failed build: the last good build
        stays served, the overlay and the log say what happened (one line, no
        traceback), and the builder starts afresh so the next edit builds fully."""
        started = time.perf_counter()
        if self.full_next:
            paths = None
        try:
            result = self.rebuild(paths)
        except Exception as err:  # noqa: BLE001 - serve must outlive any bug in a build
            message = crash_message(err, paths)
            self.state.publish([message], [], False)
            self.log.append(f"build crashed in {(time.perf_counter() - started) * 1000:.0f} ms; "
                            f"serving the last good build: {message}")
            self.fresh_builder()
            self.full_next = True
            return None
        self.full_next = False
        return result

    def fresh_builder(self) -> None:
        try:
            self.builder.close()
        except Exception:  # noqa: BLE001 - a broken cache must not stop serve
            pass
        self.builder = Builder(self.root, long_lived=True)

    def report(self, result: BuildResult | None, echo: Callable[[str], None]) -> None:
        """Print the last round: one line, and a failed build's errors under it. A
        failure with the very errors printed last (one save seen as two changes,
        or the same file saved again unfixed) is not printed again."""
        failed = result is None or not result.ok
        errors = ["  " + d.as_text() for d in result.diagnostics if d.level == "error"] \
            if result is not None and not result.ok else []
        lines = [self.log[-1], *errors]
        if failed and [_untimed(x) for x in lines] == [_untimed(x) for x in self.last_report]:
            return
        for line in lines:
            echo(line)
        self.last_report = lines if failed else []

    def build_loop(self, watcher: ChangeWatcher, echo: Callable[[str], None]) -> None:
        """The first build, then one rebuild per burst of changes, until `stop`.

        This thread owns the Builder (its cache is an SQLite connection, usable
        only by the thread that opened it). It never ends on an error: a failed
        round is logged and the next change is built."""
        try:
            self.report(self.safe_rebuild(None), echo)
        finally:
            self.first_done.set()
        while not self.stop.is_set():
            try:
                paths = watcher.wait_for_burst(self.stop)
                if paths is None:
                    break
                self.report(self.safe_rebuild(paths), echo)
            except Exception as err:  # noqa: BLE001 - the loop itself must not die either
                try:
                    echo(f"serve: {type(err).__name__}: {err}")
                except Exception:  # noqa: BLE001
                    pass
                self.stop.wait(0.2)
        try:
            self.builder.close()
        except Exception:  # noqa: BLE001 - stopping must not raise
            pass

    def handler(self):
        server = self
        keep_alive = max(0.05, min(KEEP_ALIVE_SECONDS, server.idle_timeout / 3))

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = server.idle_timeout       # StreamRequestHandler sets it on the socket

            def log_message(self, fmt, *args):  # quiet: the build loop reports what matters
                return

            def do_HEAD(self):
                self.do_GET(head=True)

            def do_GET(self, head: bool = False):
                path = unquote(urlsplit(self.path).path)
                if path == EVENTS_PATH:
                    return self.events()
                if path == STATUS_PATH:
                    return self.send_bytes(json.dumps(server.state.snapshot()).encode(),
                                           "application/json", head)
                target = server.resolve(path)
                if target is None:
                    return self.not_found(head)
                if target.is_dir():
                    if not path.endswith("/"):
                        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                        self.send_header("Location", quote(path + "/"))
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    target = server.resolve(path + "index.html")
                    if target is None or not target.is_file():
                        return self.not_found(head)
                try:
                    body = target.read_bytes()
                except OSError:         # gone between the check and the read (a rebuild's swap)
                    return self.not_found(head)
                kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                if kind == "text/html":
                    body = inject(body)
                    kind = "text/html; charset=utf-8"
                self.send_bytes(body, kind, head)

            def not_found(self, head: bool):
                page = server.resolve(server.settings.site.base_path + "404.html")
                try:
                    body = inject(page.read_bytes()) if page is not None else inject(b"Not found")
                except OSError:
                    body = inject(b"Not found")
                self.send_bytes(body, "text/html; charset=utf-8", head, HTTPStatus.NOT_FOUND)

            def send_bytes(self, body: bytes, kind: str, head: bool, status=HTTPStatus.OK):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def events(self):
                """Server-sent events: the state now, then on every change; a comment
                every `keep_alive` seconds, well inside the idle timeout."""
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "keep-alive")
                self.end_headers()
                self.close_connection = True
                seen = -1
                try:
                    while not server.stop.is_set():
                        with server.state.condition:
                            if server.state.epoch == seen:
                                server.state.condition.wait(keep_alive)
                            snapshot = server.state.snapshot()
                        if snapshot["epoch"] == seen:
                            self.wfile.write(b": keep-alive\n\n")
                        else:
                            seen = snapshot["epoch"]
                            self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                        self.wfile.flush()
                except OSError:         # the browser left, or stopped reading
                    return

        return Handler

    def resolve(self, url_path: str) -> Path | None:
        """A URL path → a regular file or folder inside its area of the output folder
        (dist/hub, dist/review, dist/queues), or None. Nothing outside is served:
        not `..` (however encoded), backslashes, NUL, absolute parts, or a symlink
        that leads out."""
        base = self.settings.site.base_path
        if url_path.startswith(REVIEW_PREFIX):
            folder, rest = self.out_dir / "review", url_path[len(REVIEW_PREFIX):]
        elif url_path.startswith(QUEUES_PREFIX):
            folder, rest = self.out_dir / "queues", url_path[len(QUEUES_PREFIX):]
        elif url_path.startswith(base):
            folder, rest = self.out_dir / "hub", url_path[len(base):]
        else:
            return None
        if ("\\" in rest or "\0" in rest or rest.startswith("/")
                or any(part == ".." for part in rest.split("/"))):
            return None
        try:
            target = (folder / rest).resolve()
            if not target.is_relative_to(folder) or not (target.is_file() or target.is_dir()):
                return None
        except (OSError, RuntimeError, ValueError):   # too long, a symlink loop, …
            return None
        return target

    def start(self, echo: Callable[[str], None]) -> None:
        """Open the port (OSError if it cannot), start watching, build once."""
        if self.httpd is None:
            self.listen()
        self.httpd.report = echo
        watcher = ChangeWatcher(self.root, self.out_dir)
        self.observer = Observer()
        for name in WATCHED:
            if (self.root / name).is_dir():
                self.observer.schedule(watcher, str(self.root / name), recursive=True)
        self.observer.schedule(watcher, str(self.root), recursive=False)   # hearth.toml, new folders
        self.observer.start()
        self.loop = threading.Thread(target=self.build_loop, args=(watcher, echo), daemon=True,
                                     name="hearth-build")
        self.loop.start()
        self.first_done.wait()

    def listen(self) -> None:
        """Open the port now (before the first build), so a port in use fails fast."""
        self.httpd = open_port(self.host, self.port, self.handler())

    def run(self, echo: Callable[[str], None]) -> None:
        """Serve until Ctrl-C; `echo` is how the CLI shows the log (only the CLI prints)."""
        try:
            self.start(echo)
            httpd = self.httpd
            base = self.settings.site.base_path
            host = f"[{self.host}]" if ":" in self.host else self.host
            echo(f"serving the hub at http://{host}:{httpd.server_port}{base} and the review site "
                 f"at http://{host}:{httpd.server_port}{REVIEW_PREFIX} (Ctrl-C to stop)")
            self.ready.set()
            httpd.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            echo("stopping")
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        with self.state.condition:
            self.state.condition.notify_all()
        if self.httpd is not None:
            self.httpd.server_close()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)
        if self.loop is not None:
            self.loop.join(timeout=10)      # it closes the builder

    def shutdown(self) -> None:
        """Stop `run` from another thread (once it is serving)."""
        self.stop.set()
        if self.httpd is not None and self.ready.is_set():
            self.httpd.shutdown()


def tidy_memory() -> None:
    """After a rebuild: collect its garbage, then freeze what is left (the model,
    the builder's memos: millions of objects at 5,000 posts) so that the collector
    does not walk it again and again during the next edit's rebuild, where each
    full pass cost about a third of a second. The collector is off from a
    rebuild's start until its edited page is announced (the model and one page:
    little garbage), then on for the other passes.

    A collection walks only what is not frozen. What was frozen and became
    garbage is freed by reference counting, except cycles: so once the frozen set
    has grown by a quarter since the last full pass, it is unfrozen and walked
    whole (a full pass of the whole process at every edit, as before, cost the
    test suite's long serve tests a third of their time)."""
    global _frozen_after_full
    gc.collect()
    gc.freeze()
    if gc.get_freeze_count() > _frozen_after_full * 5 // 4:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _frozen_after_full = gc.get_freeze_count()


_frozen_after_full = 0     # objects frozen after tidy_memory's last full pass


def _untimed(line: str) -> str:
    """A log line without its timings, to tell one failure from another."""
    return re.sub(r"\d+ ms", "ms", line)


def inject(html: bytes) -> bytes:
    marker = b"</body>"
    index = html.rfind(marker)
    script = CLIENT.encode()
    return html[:index] + script + html[index:] if index != -1 else html + script
