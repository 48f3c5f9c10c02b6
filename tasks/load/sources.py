"""Read a source's bytes: a local path, an https URL or a file-like object.

Every failure is an `InputError` with one line naming the file or URL and the reason.
URLs are shown without credentials, query string or fragment, and the bearer token
never appears in a message.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import SecretStr

from schemas.errors import InputError, SourceUnavailable
from schemas.settings import Http

if TYPE_CHECKING:
    import httpx

Location = str | Path | IO[bytes]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_REDIRECTS = 5
_BUSY = (408, 425, 429)  # request timeout, too early, too many requests


def is_url(location: str) -> bool:
    """Tell whether `location` is an http(s) URL rather than a path."""
    return location.lower().startswith(("https://", "http://"))


def display_name(location: Location) -> str:
    """Name a source for messages: a path as given, a URL without credentials or query."""
    if not isinstance(location, str | Path):
        return str(getattr(location, "name", "") or "<stream>")
    text = str(location)
    if not is_url(text):
        return text
    parts = urlsplit(text)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def read_source(
    location: Location,
    http: Http | None = None,
    token: SecretStr | None = None,
    *,
    client: httpx.Client | None = None,
) -> bytes:
    """Return the bytes of a path, URL or readable binary object, or raise `InputError`."""
    http = http or Http()
    if not isinstance(location, str | Path):
        return _read_stream(location)
    if isinstance(location, str) and is_url(location):
        return _read_url(location, http, token, client)
    return _read_path(Path(location).expanduser(), http.max_bytes)


def _read_stream(stream: IO[bytes]) -> bytes:
    try:
        data = stream.read()
    except (OSError, ValueError) as exc:
        reason = f"cannot read stream ({type(exc).__name__})"
        raise InputError(reason, file=display_name(stream)) from None
    if not isinstance(data, bytes):
        raise InputError("stream is not binary", file=display_name(stream))
    return data


def _read_path(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", file=name)
        if path.stat().st_size > max_bytes:
            raise InputError(f"file is larger than the limit of {max_bytes} bytes", file=name)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except PermissionError:
        raise InputError("file is not readable (permission denied)", file=name) from None
    except OSError as exc:  # e.g. a network share that did not answer: try again later
        reason = exc.strerror or type(exc).__name__
        raise SourceUnavailable(f"file is not readable ({reason})", file=name) from None


def _check_url(url: str, name: str | None = None) -> str:
    """Refuse plain http (except on this machine) and host-less URLs; `name` is the first hop's."""
    name = name or display_name(url)
    via = "" if name == display_name(url) else f"redirected to {display_name(url)}: "
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("https", "http"):
        raise InputError(f"{via}only https URLs are allowed", file=name)
    if parts.scheme.lower() == "http" and parts.hostname not in _LOOPBACK:
        raise InputError(f"{via}only https URLs are allowed", file=name)
    if not parts.hostname:
        raise InputError(f"{via}URL has no host", file=name)
    return name


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS handshake failed: the server's certificate is not trusted"
    if "SSL" in text or "TLS" in text:
        return "TLS handshake failed: not an https server, or it does not speak TLS on that port"
    if "refused" in text.lower():
        return "cannot connect (connection refused)"
    if "name" in text.lower() and ("resol" in text.lower() or "known" in text.lower()):
        return "cannot connect (unknown host name)"
    return "cannot connect (ConnectError)"


class _Deadline:
    """One deadline for a whole download — connect, headers and body, every redirect hop.

    httpx's timeouts bound each read, so a server dripping its headers a byte at a time never
    trips them. The sockets are noted as httpcore opens them (its `trace` extension), and a
    timer shuts them down at the deadline: the blocked read returns, and the download ends.
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, object]) -> None:
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            stream = info.get("return_value")
            sock = getattr(stream, "get_extra_info", lambda _name: None)("socket")
            if isinstance(sock, socket.socket):
                self._sockets.append(sock)

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _cut(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _read_url(url: str, http: Http, token: SecretStr | None, client: httpx.Client | None) -> bytes:
    import httpx  # for import cost: 0.7 s (it brings rich), paid only when a URL is read

    name = _check_url(url)
    headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
    own = client is None
    client = client or httpx.Client(timeout=http.timeout_seconds)
    timed_out = SourceUnavailable(f"timed out after {http.timeout_seconds:g} s", file=name)
    try:
        with _Deadline(http.timeout_seconds) as deadline:
            try:
                return _download(client, url, headers, http, name, deadline)
            except httpx.HTTPError:
                if deadline.passed:  # the timer cut the connection
                    raise timed_out from None
                raise
    except (httpx.TimeoutException, TimeoutError):
        raise timed_out from None
    except httpx.ConnectError as exc:
        reason = _connect_reason(exc)
        error = InputError if reason.startswith("TLS") else SourceUnavailable
        raise error(f"download failed: {reason}", file=name) from None
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"download failed ({type(exc).__name__})", file=name) from None
    finally:
        if own:
            client.close()


def _download(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    http: Http,
    name: str,
    deadline: _Deadline,
) -> bytes:
    """Follow redirects by hand: every hop's scheme is checked, and the token stays with the
    first host and port."""
    request = client.build_request(
        "GET", url, headers=headers, extensions={"trace": deadline.trace}
    )
    for _hop in range(MAX_REDIRECTS + 1):
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            if not response.is_redirect:
                return _body(response, http, name, deadline.at)
            request = _next_hop(response, url, name)
        finally:
            response.close()
    raise InputError(f"more than {MAX_REDIRECTS} redirects", file=name)


def _next_hop(response: httpx.Response, first: str, name: str) -> httpx.Request:
    following = response.next_request
    if following is None:
        raise InputError(f"HTTP {response.status_code} without a valid Location", file=name)
    _check_url(str(following.url), name)
    if _origin(str(following.url)) != _origin(first):
        following.headers.pop("Authorization", None)
    return following


def _origin(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    default = 443 if parts.scheme.lower() == "https" else 80
    return (parts.hostname or "").lower(), parts.port or default


def _body(response: httpx.Response, http: Http, name: str, deadline: float) -> bytes:
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        # a server busy or down may answer next time; 404 or 403 will not
        busy = response.status_code in _BUSY or response.status_code >= 500
        error = SourceUnavailable if busy else InputError
        raise error(f"HTTP {response.status_code} {reason}", file=name)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > http.max_bytes:
        raise _too_large(http.max_bytes, name)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > http.max_bytes:
            raise _too_large(http.max_bytes, name)
        if time.monotonic() > deadline:
            raise TimeoutError("total time exceeded")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int, name: str) -> InputError:
    return InputError(f"download is larger than the limit of {limit} bytes", file=name)
