"""Sources hand back a file's bytes or fail with one clear, secret-free line.

Contract under test (tasks.sources): local paths, file objects and URLs (https, or loopback
http in tests) are read through one function; missing or unreadable files, HTTP errors,
timeouts and downloads over the size limit raise InputError naming the file or URL and the
reason, never the bearer token, URL credentials or query string; the token is sent as a
bearer header; a workbook's format is told from its bytes and its sheets are read as text
with the sheet's own row numbers and column letters.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from pydantic import SecretStr

from schemas.errors import InputError
from schemas.settings import Http, Sources, load_settings
from schemas.tables import column_letter
from tasks.load import load_inputs
from tasks.load.sources import display_name, read_source
from tasks.load.workbook import Book, detect_kind
from tests.support.design import REQUIRED_REGISTER_HEADERS
from tests.support.workbooks import Cell, write_book

BODY = b"0123456789" * 10  # 100 bytes
TOKEN = "s3cr3t-t0ken"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    seen_auth: list[str | None] = []
    files: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        _Handler.seen_auth.append(self.headers.get("Authorization"))
        path = self.path.split("?")[0]
        if path in ("/redirect", "/loop"):  # /redirect?to=URL answers 302 to that URL
            self.send_response(302)
            to = "/loop" if path == "/loop" else unquote(self.path.split("?to=", 1)[1])
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/drip":  # the headers a byte at a time, each well within a read timeout
            for byte in b"HTTP/1.0 200 OK\r\nContent-Length: 100\r\nX-Slow: " + b"x" * 40:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
            return
        if path == "/slow":
            time.sleep(2)
        if path in ("/body", "/slow"):
            self._send(200, BODY)
        elif path == "/stream":  # no content-length: the size is only known while reading
            self.send_response(200)
            self.end_headers()
            for _ in range(10):
                self.wfile.write(BODY)
        elif path in self.files:
            self._send(200, self.files[path])
        else:
            self._send(404, b"missing")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- Local files and file objects ----------------------------------------------------------------


def test_reads_a_local_file_and_a_file_object(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"x;y\n")
    assert read_source(path) == b"x;y\n"
    assert read_source(str(path)) == b"x;y\n"
    assert read_source(io.BytesIO(b"abc")) == b"abc"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(tmp_path / "puuttuu.xlsx")
    assert str(err.value) == f"{tmp_path / 'puuttuu.xlsx'}: file not found"
    assert err.value.exit_code == 3


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_source(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "lukittu.xlsx"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(InputError, match=r"lukittu.xlsx: file is not readable \(permission"):
        read_source(path)


def test_unreadable_file_without_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lukittu.xlsx"
    path.write_bytes(b"x")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError) as err:
        read_source(path)
    assert str(err.value) == f"{path}: file is not readable (permission denied)"


def test_local_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "iso.csv"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match="larger than the limit of 10 bytes"):
        read_source(path, Http(max_bytes=10))


def test_closed_stream() -> None:
    stream = io.BytesIO(b"abc")
    stream.close()
    with pytest.raises(InputError, match="cannot read stream"):
        read_source(stream)


# --- URLs --------------------------------------------------------------------------------------


def test_downloads_with_bearer_token(server: str) -> None:
    _Handler.seen_auth.clear()
    assert read_source(f"{server}/body", Http(), SecretStr(TOKEN)) == BODY
    assert _Handler.seen_auth == [f"Bearer {TOKEN}"]


def test_no_token_no_header(server: str) -> None:
    _Handler.seen_auth.clear()
    read_source(f"{server}/body")
    assert _Handler.seen_auth == [None]


def test_http_error_names_url_without_secrets(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    url = f"http://user:pw@127.0.0.1:{port}/puuttuu.xlsx?sig=abc123"
    with pytest.raises(InputError) as err:
        read_source(url, Http(), SecretStr(TOKEN))
    text = str(err.value)
    assert text == f"http://127.0.0.1:{port}/puuttuu.xlsx: HTTP 404 Not Found"
    assert TOKEN not in text and "pw" not in text and "abc123" not in text


def test_timeout(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"/slow: timed out after 0.3 s"):
        read_source(f"{server}/slow", Http(timeout_seconds=0.3))
    assert time.monotonic() - started < 1.5


def test_a_server_dripping_its_headers_ends_within_the_timeout(server: str) -> None:
    # Each byte comes within httpx's read timeout: only one deadline for the whole request
    # (connect, headers and body) ends it. The defect hung for the whole drip (about 8 s).
    started = time.monotonic()
    with pytest.raises(InputError, match=r"/drip: timed out after 1 s"):
        read_source(f"{server}/drip", Http(timeout_seconds=1))
    assert time.monotonic() - started < 2


def test_too_large_by_declared_length(server: str) -> None:
    with pytest.raises(InputError, match=r"/body: download is larger than the limit of 99 bytes"):
        read_source(f"{server}/body", Http(max_bytes=99))


def test_too_large_while_streaming(server: str) -> None:
    assert len(read_source(f"{server}/stream", Http(max_bytes=1000))) == 1000
    with pytest.raises(InputError, match=r"/stream: download is larger than the limit of 999 b"):
        read_source(f"{server}/stream", Http(max_bytes=999))


def test_connection_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_source("http://127.0.0.1:9/x.xlsx", Http(timeout_seconds=2))
    assert str(caught.value) == (
        "http://127.0.0.1:9/x.xlsx: download failed: cannot connect (connection refused)"
    )


def test_https_to_a_plain_http_port_says_the_tls_handshake_failed(server: str) -> None:
    url = server.replace("http://", "https://") + "/body"
    with pytest.raises(InputError) as caught:
        read_source(url, Http(timeout_seconds=5))
    assert str(caught.value) == (
        f"{url}: download failed: TLS handshake failed: not an https server, "
        "or it does not speak TLS on that port"
    )


def test_a_redirect_to_plain_http_is_refused(server: str) -> None:
    url = f"{server}/redirect?to={quote('http://example.org/open.xlsx', safe='')}"
    with pytest.raises(InputError) as caught:
        read_source(url, Http(timeout_seconds=5))
    assert str(caught.value) == (
        f"{server}/redirect: redirected to http://example.org/open.xlsx: "
        "only https URLs are allowed"
    )


def test_redirects_are_followed_but_the_token_stays_with_the_first_port(server: str) -> None:
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # same host, another port
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{other.server_address[1]}/body"
        hop = f"{server}/redirect?to={quote(target, safe='')}"
        _Handler.seen_auth.clear()
        data = read_source(f"{server}/redirect?to={quote(hop, safe='')}", token=SecretStr(TOKEN))
    finally:
        other.shutdown()
        other.server_close()
    assert data == BODY
    assert _Handler.seen_auth == [f"Bearer {TOKEN}", f"Bearer {TOKEN}", None]


def test_endless_redirects_stop(server: str) -> None:
    _Handler.seen_auth.clear()
    with pytest.raises(InputError) as caught:
        read_source(f"{server}/loop")
    assert str(caught.value) == f"{server}/loop: more than 5 redirects"
    assert len(_Handler.seen_auth) == 6


def test_plain_http_only_on_loopback() -> None:
    with pytest.raises(InputError, match=r"^http://example.org/a.xlsx: only https URLs are allow"):
        read_source("http://example.org/a.xlsx?token=x")


def test_display_name_drops_credentials_query_and_fragment() -> None:
    assert (
        display_name("https://u:p@share.example.org:8443/d9/seuranta.xlsx?sig=1#x")
        == "https://share.example.org:8443/d9/seuranta.xlsx"
    )
    assert display_name("data/seuranta.xlsx") == "data/seuranta.xlsx"


def test_load_inputs_downloads_a_shared_workbook_once(server: str, tmp_path: Path) -> None:
    headers = REQUIRED_REGISTER_HEADERS
    book = write_book(
        tmp_path / "s.xlsx",
        {
            "Toimeksiannot": [
                headers,
                ["E1", "T", "V", "VM", "Kokeilu", None, "käynnissä", "1.2.2017", None],
            ],
            "Palaute": [["Vastaus", "Tunnus", "Vastauspäivä"]],
            "Asiakastyytyväisyys": [["Vastaus", "Kierros", "Vastauspäivä"]],
            "Digiperiaatteet": [["Kausi", "Kärkihanke", "Periaate", "Arvio"]],
        },
    )
    _Handler.files["/d9/s.xlsx"] = book.read_bytes()
    _Handler.seen_auth.clear()
    url = f"{server}/d9/s.xlsx"
    sources = {n: {"path": url} for n in ("engagements", "feedback", "agency_survey", "principles")}
    config = tmp_path / "d9.toml"
    config.write_text("", encoding="utf-8")
    settings = load_settings(config, {"D9_HTTP_TOKEN": TOKEN}).model_copy(
        update={"sources": Sources.model_validate(sources)}
    )
    inputs = load_inputs(settings)
    assert _Handler.seen_auth == [f"Bearer {TOKEN}"]
    assert inputs.engagements.frame["engagement_id"].to_list() == ["E1"]
    assert inputs.engagements.source == url
    assert inputs.feedback.frame.height == 0


# --- Format and sheets ---------------------------------------------------------------------------


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_detect_kind_from_bytes(tmp_path: Path) -> None:
    xlsx = write_book(tmp_path / "a.xlsx", {"S": [["x"]]}).read_bytes()
    ods = write_book(tmp_path / "a.ods", {"S": [["x"]]}).read_bytes()
    assert detect_kind(xlsx, "tiedosto") == "xlsx"
    assert detect_kind(ods, "seuranta.xlsx") == "ods"  # the bytes win over the name
    assert detect_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.bin") == "xls"
    assert detect_kind(b"a;b\n", "https://x.org/a.csv?x=.xlsx") == "csv"


def test_book_reads_each_sheet_once_with_sheet_coordinates(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [[], [None, None, " x ", 4.0], [None, None, "", 12]]
    path = write_book(tmp_path / "a.ods", {"S": rows})
    book = Book(path.read_bytes(), "a.ods")
    sheet = book.sheet("S")
    assert book.sheet("S") is sheet
    assert sheet.frame.columns == ["_row", "C", "D"]
    assert sheet.frame.rows() == [(1, None, None), (2, "x", "4"), (3, None, "12")]
