"""`python -m zzdata review --serve` (make review-serve): the review pages served on 127.0.0.1 with
a form to correct each figure from its page.

Only this machine can reach it (the loopback address), and only with the random token printed at
start (in the URL, as JupyterLab does; then a cookie for this port): a request without it, or
whose Host or Origin is another site's, gets 403. Pages are read with GET; a correction is a POST
with the token in a header (a form on another site can send neither). A save is checked and
appended by :func:`zzdata.correct.record`, the same function as `python -m zzdata correct`; then
the build runs as `make data` runs it (the per-document cache: no text is extracted again, only the
stages after the extraction), `make validate`'s findings are written again, and the pages that
changed are written again. Nothing else is written: data/raw/corrections.csv and the build's
outputs. Ctrl-C stops the server once a save under way has finished.
"""

from __future__ import annotations

import hmac
import json
import secrets
import signal
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..core import catalog, links, paths, vocab
from ..core.errors import BuildError, InputError
from ..correct import CorrectionError, record
from ..correct.checks import ACTIONS, FIELDS
from . import model
from .pages import write_pages
from .render import SERVE_SLOT, asset

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Zzdata-Token"
MAX_BODY = 64 * 1024
#: Headers of every answer: the page may run only its own inline code and talk only to this server.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                               "img-src data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
}


@dataclass
class Project:
    """What the server reads and writes: the raw folder (only corrections.csv is written there),
    the built tables, the pages, the validation report."""

    raw: Path
    processed: Path
    out: Path
    report: Path
    jobs: int


def serve_config(token: str) -> dict:
    """What a served page's script needs to offer the fields of a correction."""
    inds = [[i.id, i.name_zh, i.name_en] for i in sorted(catalog.indicators().values(), key=lambda i: i.id)]
    return {"token": token, "header": TOKEN_HEADER, "fields": list(FIELDS), "indicators": inds,
            "regions": sorted(catalog.regions()), "lists": {n: list(vocab.values(n)) for n in ("status", "measure", "qualifier")}}


def save(project: Project, request: dict) -> dict:
    """Check and append one correction (zzdata.correct.record), rebuild, validate, write the pages
    again; the answer says what was written and how long each step took. Raises CorrectionError
    (refused: nothing written) or InputError/BuildError (the build failed)."""
    from ..tables.build import build
    from ..validate.report import in_build

    action = str(request.get("action", ""))
    fields = request.get("fields") or {}
    if action not in ACTIONS or not isinstance(fields, dict):
        raise CorrectionError([f"action must be one of {', '.join(ACTIONS)}, not {action!r}; fields an object"])
    add = None
    fact_id = None
    if action == "add":
        try:
            add = (str(request["file"]), int(request["start"]), int(request["end"]))
        except (KeyError, TypeError, ValueError):
            raise CorrectionError(["an added figure needs its file and the start and end of its characters"]) from None
    else:
        fact_id = str(request.get("fact_id", ""))
    t0 = time.perf_counter()
    row = record(fact_id, drop=action == "drop", unfile=action == "unfile", add=add, fields={str(k): v for k, v in fields.items()},
                 note=str(request.get("note", "")), raw_dir=project.raw, processed_dir=project.processed)
    t1 = time.perf_counter()
    # The checks run inside the build, on its tables in memory, beside the workbook.
    checked: dict[str, float] = {}
    kept: dict = {}

    def then(staging: Path, tables: dict, beside):
        c0 = time.perf_counter()
        # In this process, not `beside`: it keeps the findings for the pages.
        finish = in_build(project.raw, project.report, keep=kept)(staging, tables, beside)
        checked["validate"] = time.perf_counter() - c0
        return finish

    build(project.raw, project.processed, jobs=project.jobs, quiet=True, then=then)
    t3 = time.perf_counter()
    t2 = t3 - checked.get("validate", 0.0)
    # One process: a save changes few pages (the others are skipped by their hash without being
    # made), and a pool forked from this threaded server is better avoided.
    # The pages from the tables the build just made (nothing read back), when it made any.
    coll = (model.join(kept["facts"], kept["documents"], kept["claims"], model.findings_as_read(kept["findings"]),
                       kept["corrections"], cands=kept["candidates"]) if kept else None)
    pages = write_pages(project.processed, project.raw, project.out, jobs=1, quiet=True, coll=coll)
    t4 = time.perf_counter()
    fact = _fact_of(project.processed, row) if action != "drop" else ""
    return {"ok": True, "line": row["line"], "where": row["where"], "action": action, "file": row["file"],
            "fact_id": fact, "pages": pages.written,
            "message": f"{row['where']} line {row['line']}: {action} {row['file']}:{row['start']} ({row['value_text']})",
            "seconds": {"check": round(t1 - t0, 3), "build": round(t2 - t1, 3), "validate": round(t3 - t2, 3),
                        "pages": round(t4 - t3, 3), "total": round(t4 - t0, 3)}}


def _fact_of(processed: Path, row: dict) -> str:
    """The fact the new row applied to, from the build's corrections table (empty if none)."""
    from ..tables.load import load_corrections

    table = load_corrections(processed)
    hit = table.loc[table["line"] == int(row["line"]), "fact_id"]
    return str(hit.iloc[0]) if len(hit) else ""


class ReviewServer(ThreadingHTTPServer):
    """The server: its project, its token, and one save at a time."""

    daemon_threads = True

    def __init__(self, project: Project, port: int = 0, token: str | None = None):
        self.project = project
        self.token = token or secrets.token_urlsafe(24)
        self.saving = threading.Lock()
        super().__init__((HOST, port), Handler)
        self.port = self.server_address[1]
        self.cookie = f"zzdata-review-{self.port}"  # cookies are shared by the ports of a host
        self.origins = {f"http://{HOST}:{self.port}", f"http://localhost:{self.port}"}
        self.config = json.dumps(serve_config(self.token), ensure_ascii=False)
        self.config = self.config.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{links.INDEX}?token={self.token}"


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "zzdata-review"
    sys_version = ""

    def log_message(self, fmt: str, *args) -> None:  # one short line per request, never the token
        print(f"  {self.command} {urlsplit(self.path).path} {args[1] if len(args) > 1 else ''}", file=sys.stderr)

    # --- answers -------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(status)
        for k, v in {**SECURITY_HEADERS, "Content-Type": ctype, "Content-Length": str(len(body)), **(extra or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    # --- who may ask ---------------------------------------------------------------------------
    def _refused(self, write: bool) -> str | None:
        """Why the request is refused (403), or None: another Host or Origin, or no token."""
        host = self.headers.get("Host", "")
        if host not in {f"{HOST}:{self.server.port}", f"localhost:{self.server.port}"}:
            return f"Host {host!r} is not this server"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            return f"Origin {origin!r} is not this server"
        if write and origin is None:
            return "a correction must come from a page of this server (no Origin)"
        token = self.headers.get(TOKEN_HEADER, "") if write else self._given_token()
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            return "no valid token: open the URL the server printed when it started"
        return None

    def _given_token(self) -> str:
        query = parse_qs(urlsplit(self.path).query).get("token", [""])[0]
        if query:
            return query
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        return cookie[self.server.cookie].value if self.server.cookie in cookie else ""

    # --- methods -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        why = self._refused(write=False)
        if why:
            return self._text(HTTPStatus.FORBIDDEN, f"403 Forbidden: {why}")
        name = unquote(urlsplit(self.path).path).lstrip("/") or links.INDEX
        path = self.server.project.out / name
        if "/" in name or not name.endswith(".html") or not path.is_file():
            return self._text(HTTPStatus.NOT_FOUND, f"404 Not Found: no page {name!r}; the index is /{links.INDEX}")
        body = path.read_text(encoding="utf-8")
        if SERVE_SLOT in body:
            body = body.replace(SERVE_SLOT, f'<script id="zz-serve" type="application/json">{self.server.config}</script>'
                                            f'<script>{asset("serve.js")}</script>', 1)
        cookie = f"{self.server.cookie}={self.server.token}; Path=/; HttpOnly; SameSite=Strict"
        self._send(HTTPStatus.OK, body.encode("utf-8"), "text/html; charset=utf-8", {"Set-Cookie": cookie})

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        why = self._refused(write=True)
        if why:
            return self._json(HTTPStatus.FORBIDDEN, {"ok": False, "problems": [f"403 Forbidden: {why}"]})
        if urlsplit(self.path).path != "/api/correct":
            return self._json(HTTPStatus.NOT_FOUND, {"ok": False, "problems": ["POST only to /api/correct"]})
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY or "application/json" not in self.headers.get("Content-Type", ""):
            return self._json(HTTPStatus.BAD_REQUEST, {"ok": False, "problems": ["a correction is a JSON object"]})
        try:
            request = json.loads(self.rfile.read(length))
            if not isinstance(request, dict):
                raise ValueError
        except ValueError:
            return self._json(HTTPStatus.BAD_REQUEST, {"ok": False, "problems": ["a correction is a JSON object"]})
        with self.server.saving:
            try:
                answer = save(self.server.project, request)
            except CorrectionError as err:
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"ok": False, "problems": list(err.problems)})
            except (InputError, BuildError) as err:
                return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"ok": False, "problems": str(err).splitlines()})
        print(f"  saved {answer['message']} in {answer['seconds']['total']:.2f} s ({answer['seconds']})", file=sys.stderr)
        self._json(HTTPStatus.OK, answer)

    def _not_allowed(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"405 Method Not Allowed: GET pages, POST corrections\n",
                   "text/plain; charset=utf-8", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(processed: Path, raw: Path, out: Path, port: int = 0, jobs: int = 1, token: str | None = None,
          ready=None) -> int:
    """Serve until Ctrl-C (SIGINT); a save under way is finished first. `ready(server)` is called
    once it listens (tests)."""
    project = Project(Path(raw), Path(processed), Path(out), paths.project_root() / "reports" / "validation.md", jobs)
    server = ReviewServer(project, port, token)
    print(f"Review pages with corrections at\n\n    {server.url}\n\n(only from this machine; the token is the key: "
          "do not share the URL). Ctrl-C stops.", file=sys.stderr, flush=True)
    if ready is not None:
        ready(server)
    # Ctrl-C (and a polite kill) stop the loop below, even when the shell that started this
    # process ignored SIGINT (a background job): the handler is set, not inherited.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nStopping: ", end="", file=sys.stderr, flush=True)
    finally:
        with server.saving:  # a save under way finishes; no new one starts
            server.server_close()
    print("stopped.", file=sys.stderr)
    return 0
