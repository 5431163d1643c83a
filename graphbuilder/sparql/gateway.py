"""The HTTP listener of `graphbuilder serve`: checks every request, then asks Oxigraph.

It speaks the SPARQL 1.1 Protocol (GET `?query=`, POST of a form or of
`application/sparql-query`, results in the type the Accept header asks for) and the
read side of the Graph Store Protocol, and serves its own query page. Before anything
reaches the Oxigraph process (sparql/backend.py) it refuses:

- a Host header that is not a name of this server (a web page whose host name was
  re-pointed at 127.0.0.1 must not read the graph): 403;
- a body over MAX_BODY, before reading it: 413;
- a query that calls SERVICE, unless the server allows it: 403 (Oxigraph would send a
  request to any address the query names). A query that mentions the word is parsed
  with rdflib to tell; any other goes straight to Oxigraph, which reports syntax errors
  and refuses updates within the time limit;
- writes of any kind: 403.

Each query gets `timeout` seconds; past them the Oxigraph process is killed, which stops
the work, and the client gets 503 saying the query ran out of time.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
import sys
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pyparsing import ParseResults

from ..errors import EndpointError, QueryError, QueryTimeoutError
from ..resources import read_data
from .backend import Answer, Oxigraph

#: Request bodies larger than this are refused (HTTP 413) before they are read.
MAX_BODY = 20 * 1024 * 1024
#: The host names a loopback server answers to (with or without a port).
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Queries that mention SERVICE are parsed to tell whether they call it: at most this long
#: (rdflib parses about half a megabyte a second).
MAX_CHECKED_QUERY = 1_000_000
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The page may load its own script and stylesheet and talk to this server, nothing else.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_PAGE_FILES = {
    "/": ("query_page.html", "text/html; charset=utf-8"),
    "/query-page.js": ("query_page.js", "text/javascript; charset=utf-8"),
    "/query-page.css": ("query_page.css", "text/css; charset=utf-8"),
}


class Gateway(ThreadingHTTPServer):
    """The user-facing listener: one thread per request, each checked, then forwarded."""

    daemon_threads = True

    def __init__(
        self, host: str, port: int, oxigraph: Oxigraph, *, timeout: float, allow_service: bool = False
    ) -> None:
        self.address_family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
        self.oxigraph = oxigraph
        self.query_timeout = timeout
        self.allow_service = allow_service
        self.host_names = allowed_host_names(host)
        # A server listening on every address is reached by whatever address the client
        # used; an address (unlike a name) cannot be re-pointed, so any address is fine.
        self.any_address = host in _WILDCARDS
        super().__init__((host, port), _Handler)

    def handle_error(self, request: object, client_address: tuple) -> None:
        # One line on stderr instead of socketserver's traceback; a client leaving is no error.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            print(
                f"graphbuilder serve: a request from {client_address[0]} failed: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )

    def host_allowed(self, header: str | None) -> bool:
        """Tell whether a request's Host header names this server."""
        name = host_name(header)
        if name is None:
            return False
        if name in self.host_names:
            return True
        if self.any_address:
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False


def allowed_host_names(host: str) -> frozenset[str]:
    """Return the host names a server listening on `host` answers to: loopback, and `host`."""
    return LOOPBACK_NAMES | ({host.strip("[]").lower()} if host not in _WILDCARDS else set())


def host_name(header: str | None) -> str | None:
    """Return the host name of a Host header, lowercased, without brackets or port (None if malformed)."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = header.partition(":")
    if colon and not port.isdigit():
        return None
    return name.rstrip(".") or None


def mentions_service(sparql: str) -> bool:
    """Tell whether the word SERVICE could be in `sparql` anywhere, in any case or escape.

    SPARQL decodes \\u and \\U escapes before parsing, so they are decoded here too. A
    query without the word cannot call SERVICE; one with it (in a string, say) is parsed.
    """
    decoded = _ESCAPE.sub(_unescape, sparql)
    return re.search("service", decoded, flags=re.IGNORECASE) is not None


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def calls_service(parsed: object) -> bool:
    """Tell whether a parsed query (rdflib's parse tree) holds a SERVICE pattern anywhere."""
    stack = [parsed]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return False


class _Refusal(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Handler(BaseHTTPRequestHandler):
    server: Gateway
    server_version = "graphbuilder"
    sys_version = ""
    protocol_version = "HTTP/1.1"  # for Expect: 100-continue; every answer closes the connection
    timeout = 60  # seconds a client may take to send its request

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    def handle_expect_100(self) -> bool:
        # A client that asks first learns the body is too big before sending it.
        try:
            self._check_host()
            self._body_length()
        except _Refusal as refusal:
            self.close_connection = True
            self._send_text(refusal.status, refusal.message)
            return False
        return super().handle_expect_100()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the CLI prints what the user needs; requests are not logged

    # -- routing ------------------------------------------------------------------------------

    def _handle(self) -> None:
        self.close_connection = True
        try:
            self._check_host()
            path = urllib.parse.urlsplit(self.path).path
            if path == "/query":
                self._query()
            elif path == "/store":
                self._store()
            elif path == "/update":
                self._read_body()
                raise _Refusal(HTTPStatus.FORBIDDEN, "this server is read-only: updates are refused")
            elif path in _PAGE_FILES:
                self._only(("GET", "HEAD"))
                name, content_type = _PAGE_FILES[path]
                self._send(HTTPStatus.OK, content_type, read_data(name).encode("utf-8"), page=True)
            else:
                raise _Refusal(HTTPStatus.NOT_FOUND, f"nothing at {path}: the SPARQL endpoint is /query")
        except _Refusal as refusal:
            self._send_text(refusal.status, refusal.message)
        except QueryTimeoutError as exc:
            self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except EndpointError as exc:
            self._send_text(HTTPStatus.BAD_GATEWAY, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client left
        except Exception as exc:  # a bug: the client hears of it, the listener goes on
            self._send_text(
                HTTPStatus.INTERNAL_SERVER_ERROR, f"the server failed: {type(exc).__name__}: {exc}"
            )

    def _check_host(self) -> None:
        header = self.headers.get("Host")
        if not self.server.host_allowed(header):
            names = ", ".join(f"[{n}]" if ":" in n else n for n in sorted(self.server.host_names))
            raise _Refusal(
                HTTPStatus.FORBIDDEN,
                f"this server answers to the host names {names} only, not {header!r} "
                "(`graphbuilder serve --host NAME` listens on another name)",
            )

    def _only(self, methods: tuple[str, ...]) -> None:
        if self.command not in methods:
            raise _Refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not allowed here")

    def _body_length(self) -> int:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refusal(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "the Content-Length is not a number") from None
        if length > MAX_BODY:
            raise _Refusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body is {length} bytes; this server reads at most {MAX_BODY} bytes",
            )
        return max(length, 0)

    def _read_body(self) -> bytes:
        return self.rfile.read(self._body_length())

    # -- SPARQL ------------------------------------------------------------------------------

    def _query(self) -> None:
        self._only(("GET", "HEAD", "POST"))
        url_fields = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if self.command == "POST":
            body = self._read_body()
            content_type = self.headers.get_content_type()
            if content_type == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                texts = form.get("query", [])
                fields = {k: url_fields.get(k, []) + form.get(k, []) for k in set(url_fields) | set(form)}
            elif content_type == "application/sparql-query":
                texts, fields = [body.decode("utf-8", "replace")], url_fields
            else:
                raise _Refusal(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST a query as application/sparql-query or as a form field `query`",
                )
        else:
            texts, fields = url_fields.get("query", []), url_fields
        if len(texts) != 1:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "give exactly one query (the `query` parameter)")
        sparql = texts[0]
        self._check_query(sparql)
        # Oxigraph runs exactly the text checked above, whatever form it came in.
        graphs = [(k, v) for k in ("default-graph-uri", "named-graph-uri") for v in fields.get(k, [])]
        target = "/query" + ("?" + urllib.parse.urlencode(graphs) if graphs else "")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8"}
        if self.headers.get("Accept"):
            headers["Accept"] = self.headers["Accept"]
        answer = self.server.oxigraph.forward(
            "POST", target, body=sparql.encode("utf-8"), headers=headers, timeout=self.server.query_timeout
        )
        self._send_answer(answer)

    def _check_query(self, sparql: str) -> None:
        from .query import parse_query

        if self.server.allow_service or not mentions_service(sparql):
            return  # Oxigraph checks the syntax, within the time limit
        if len(sparql) > MAX_CHECKED_QUERY:
            raise _Refusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the query mentions SERVICE and is longer than {MAX_CHECKED_QUERY} characters, "
                "the most this server checks for SERVICE calls",
            )
        try:
            parsed = parse_query(sparql, "query")
        except QueryError as exc:
            raise _Refusal(HTTPStatus.BAD_REQUEST, str(exc)) from None
        if calls_service(parsed):
            raise _Refusal(
                HTTPStatus.FORBIDDEN,
                "SERVICE is refused: this server answers from its own graph only "
                "(`graphbuilder serve --allow-service` lets queries call other endpoints)",
            )

    def _store(self) -> None:
        if self.command not in ("GET", "HEAD"):
            self._read_body()
            raise _Refusal(HTTPStatus.FORBIDDEN, "this server is read-only: the graph store can only be read")
        headers = {"Accept": self.headers["Accept"]} if self.headers.get("Accept") else {}
        answer = self.server.oxigraph.forward(
            self.command, self.path, headers=headers, timeout=self.server.query_timeout
        )
        self._send_answer(answer)

    # -- answers ------------------------------------------------------------------------------

    def _send_answer(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status)
            if answer.content_type:
                self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(answer.length))
            self.send_header("Vary", "Accept")
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(answer.body, self.wfile)
        finally:
            answer.close()

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, *, page: bool = False) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if page:
                self.send_header("Content-Security-Policy", _PAGE_POLICY)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
