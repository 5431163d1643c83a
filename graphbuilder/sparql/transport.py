"""HTTP for push and query --endpoint: one request at a time, with credentials, redirects and
a time limit, and messages that never show a secret.

Credentials come from the URL's userinfo, the environment (GRAPHBUILDER_TOKEN: a bearer
token; GRAPHBUILDER_USER and GRAPHBUILDER_PASSWORD: HTTP basic) or a netrc file ($NETRC,
else ~/.netrc), in that order. Redirects are followed here rather than by urllib, so that
credentials never follow the request to another host and an error names the server that
answered last. Everything uses the standard library, so no HTTP client is needed.
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EndpointError, UsageError

TOKEN_VARIABLE = "GRAPHBUILDER_TOKEN"
USER_VARIABLE = "GRAPHBUILDER_USER"
PASSWORD_VARIABLE = "GRAPHBUILDER_PASSWORD"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 5
_CHUNK = 1 << 16

# Secrets seen in this process (from URLs, netrc files), hidden wherever they might appear.
_seen_secrets: set[str] = set()


# -- what the user may see ------------------------------------------------------------------

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@]*@")
# A credential after "Bearer" or "Basic": not a plain lower-case word ("Basic authentication").
_AUTH_VALUE = re.compile(
    r"\b(Bearer|Basic|bearer|basic)\s+(?=[A-Za-z0-9._~+/=-]*[^a-z\s])[A-Za-z0-9._~+/=-]+"
)


def redact(text: str) -> str:
    """Return `text` with the userinfo of every URL, Authorization values and known secrets hidden.

    Every message and log line that may hold a URL or a server's answer goes through here.
    """
    text = _USERINFO.sub(r"\1***@", str(text))
    text = _AUTH_VALUE.sub(r"\1 ***", text)
    secrets = set(_seen_secrets)
    secrets.update(os.environ.get(name, "") for name in (TOKEN_VARIABLE, PASSWORD_VARIABLE))
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def public_url(url: str) -> str:
    """Return `url` without its userinfo (user and password), for reports and files."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def endpoint_error(message: str) -> EndpointError:
    """Return an EndpointError whose message shows no credentials."""
    return EndpointError(redact(message))


def check_url(url: str, option: str = "--endpoint") -> str:
    """Return `url` if it is an absolute http(s) URL, else raise UsageError naming `option`."""
    parts = urllib.parse.urlsplit(url)
    try:
        parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise UsageError(redact(f"{option} {url!r} has a port that is not a number")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            redact(
                f"{option} {url!r} is not an http:// or https:// URL (for example http://127.0.0.1:7878/query)"
            )
        )
    return url


# -- credentials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """An Authorization header value and where it came from (for messages: never the value)."""

    header: str = field(repr=False)
    source: str


def find_credentials(url: str) -> Credentials | None:
    """Return the credentials to send to `url`'s host, or None.

    The URL's own user:password first, then GRAPHBUILDER_TOKEN (bearer), then
    GRAPHBUILDER_USER / GRAPHBUILDER_PASSWORD (basic), then the netrc file's entry for
    the host ($NETRC, else ~/.netrc). Raises UsageError for a netrc file that cannot be read.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None:
        return _basic(
            urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""), "the URL"
        )
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return Credentials(f"Bearer {token}", TOKEN_VARIABLE)
    user = os.environ.get(USER_VARIABLE)
    if user:
        return _basic(user, os.environ.get(PASSWORD_VARIABLE, ""), f"{USER_VARIABLE}/{PASSWORD_VARIABLE}")
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc").expanduser()
    if not path.is_file() or not parts.hostname:
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(parts.hostname)
    except netrc.NetrcParseError as exc:
        # The parser's message quotes the token it stumbled on, which may be a password.
        raise UsageError(f"cannot read the netrc file {path} (line {exc.lineno}): fix or remove it") from None
    except OSError as exc:
        raise UsageError(f"cannot read the netrc file {path}: {exc.strerror or exc}") from None
    if entry is None:
        return None
    login, _, password = entry
    return _basic(login or "", password or "", f"the netrc file {path}")


def _basic(user: str, password: str, source: str) -> Credentials:
    value = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    _seen_secrets.update(s for s in (password, value) if s)
    return Credentials(f"Basic {value}", source)


def _same_origin(old: str, new: str) -> bool:
    """Tell whether credentials meant for `old` may go to `new`: same host and port, no downgrade."""
    a, b = urllib.parse.urlsplit(old), urllib.parse.urlsplit(new)
    if a.hostname != b.hostname or (a.scheme == "https" and b.scheme != "https"):
        return False
    default = {"http": 80, "https": 443}
    try:
        same_port = (a.port or default[a.scheme]) == (b.port or default.get(b.scheme, 0))
        return same_port or (a.scheme == "http" and b.scheme == "https" and b.port is None)
    except ValueError:  # a port that is not a number
        return False


# -- requests -------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx becomes an HTTPError, handled by request()


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = 60.0,
    allow: tuple[int, ...] = (),
) -> tuple[int, bytes, str]:
    """Return (status, body, content type) of one HTTP request; raise EndpointError on failure.

    Statuses in `allow` are returned even though they are errors (a 404 for a graph that
    does not exist yet, say). `timeout` bounds the whole exchange, redirects included
    (None: no limit). Redirects are followed with the same method and body (303: GET);
    credentials go along only to the same host and port, never from https to http.
    Error messages name the server that answered last and show no credentials.
    """
    deadline = None if not timeout else time.monotonic() + timeout
    credentials = find_credentials(url)
    for _ in range(_MAX_REDIRECTS + 1):
        where = urllib.parse.urlsplit(url)
        host = where.netloc.rpartition("@")[2]
        sent_headers = dict(headers or {})
        if credentials is not None:
            sent_headers["Authorization"] = credentials.header
        outgoing = urllib.request.Request(public_url(url), data=body, method=method, headers=sent_headers)
        # Loopback traffic never goes through a proxy set in the environment.
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
        if where.hostname in _LOOPBACK:
            handlers.append(urllib.request.ProxyHandler({}))
        try:
            with urllib.request.build_opener(*handlers).open(outgoing, timeout=_left(deadline)) as response:
                return response.status, _read(response, deadline), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.code in _REDIRECTS else None
            if location:
                target = urllib.parse.urljoin(url, location)
                if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                    raise endpoint_error(
                        f"{method} {public_url(url)} was redirected to {public_url(target)}, "
                        "which is not an http:// or https:// URL"
                    ) from None
                if exc.code == 303:  # "see other": read the answer there
                    method, body = ("HEAD" if method == "HEAD" else "GET"), None
                # 301 and 302 keep the method and body, as 307 and 308 do: a query or a
                # graph sent to a store that moved (http to https, say) still arrives.
                if credentials is not None and not _same_origin(url, target):
                    credentials = None
                url = target
                continue
            if exc.code in allow:
                return exc.code, exc.read(), exc.headers.get_content_type()
            message = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
            raise endpoint_error(
                f"{method} {public_url(url)} failed: HTTP {exc.code} {exc.reason}"
                + (f": {message}" if message else "")
                + _auth_hint(exc.code, credentials)
            ) from None
        except urllib.error.URLError as exc:
            raise _unreachable(host, exc.reason, timeout) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _unreachable(host, exc, timeout) from None
    raise endpoint_error(
        f"{method} {public_url(url)} was redirected more than {_MAX_REDIRECTS} times: give the final URL"
    )


def _left(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("timed out")
    return left


def _read(response, deadline: float | None) -> bytes:
    """Return the response body, read in chunks so that a slow trickle still ends near the deadline."""
    chunks: list[bytes] = []
    while True:
        _left(deadline)
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _unreachable(netloc: str, reason: object, timeout: float | None) -> EndpointError:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return endpoint_error(
            f"{netloc} did not answer within {timeout or 0:g} s (raise --timeout if the server is just slow)"
        )
    return endpoint_error(f"cannot reach {netloc}: {failure_reason(reason, timeout)}")


def _auth_hint(status: int, credentials: Credentials | None) -> str:
    if status not in (401, 403):
        return ""
    if credentials is not None:
        return f" (sent the credentials from {credentials.source})"
    if status == 401:
        return (
            f" (the server wants credentials: set {TOKEN_VARIABLE}, or {USER_VARIABLE} and "
            f"{PASSWORD_VARIABLE}, or add the host to your netrc file)"
        )
    return ""


def failure_reason(reason: object, timeout: float | None) -> str:
    """Return why a connection failed, in words the user can act on."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, and are the host and port right?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout or 0:g} s (raise --timeout if the server is just slow)"
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    return str(getattr(reason, "strerror", None) or reason)
