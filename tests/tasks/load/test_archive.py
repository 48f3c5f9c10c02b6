"""What a workbook's container may cost before calamine opens it, and what it is called.

Contract: an xlsx whose parts declare more than `[limits] max_uncompressed_bytes` unpacked, or a
part above 1 MB compressed more than `max_compression_ratio`:1, is refused as unreadable input
(exit 3) naming the file, before anything is inflated; peak memory stays far below the bomb's
size. A password-protected workbook says so; csv findings name the file without a sheet.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from schemas.errors import InputError
from schemas.findings import Finding, Severity
from schemas.settings import Limits
from tasks.load.workbook import Book
from tasks.validate.quality import format_finding, format_findings_text
from tests.support.project import SAMPLE, sample_project

MB = 1_000_000


def bomb(path: Path, inflated: int, base: Path = SAMPLE) -> Path:
    """The sample workbook with its shared strings padded to `inflated` bytes of one letter."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                out.writestr(item, source.read(item))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/')
            part.write(b'spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * MB
            for _ in range(inflated // MB):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


def test_declared_size_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.xlsx", 30 * MB)
    with pytest.raises(InputError) as caught:
        Book(path.read_bytes(), str(path), limits=Limits(max_uncompressed_bytes=20 * MB))
    assert str(caught.value) == (
        f"{path}: workbook would take 30 MB unpacked, over the limit of 20 MB "
        "([limits] max_uncompressed_bytes)"
    )
    assert caught.value.exit_code == 3


def test_a_part_compressed_beyond_the_ratio_is_refused(tmp_path: Path) -> None:
    path = bomb(tmp_path / "dense.xlsx", 5 * MB)
    part = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml")
    ratio = part.file_size / part.compress_size
    assert ratio > 200  # one letter repeated compresses about 1000:1
    with pytest.raises(InputError, match=rf"compressed {ratio:.0f}:1, over the limit of 200:1"):
        Book(path.read_bytes(), str(path))
    Book(SAMPLE.read_bytes(), "seuranta.xlsx")  # the real workbook is well within both


def test_password_protected_workbook_says_so(tmp_path: Path) -> None:
    locked = io.BytesIO()
    with SAMPLE.open("rb") as plain:
        OOXMLFile(plain).encrypt("salasana", locked)
    with pytest.raises(InputError) as caught:
        Book(locked.getvalue(), "seuranta.xlsx")
    assert str(caught.value) == (
        "seuranta.xlsx: workbook is password-protected: save a copy without a password "
        "for d9 to read"
    )


def test_csv_findings_name_the_file_without_a_sheet() -> None:
    finding = Finding(
        dataset="feedback",
        source="palaute.csv",
        sheet="",
        row=4,
        column="Vastauspäivä",
        value="",
        rule="required",
        severity=Severity.BLOCKING,
        message="missing",
    )
    assert finding.location == "palaute.csv, row 4, column 'Vastauspäivä'"
    assert format_finding(finding) == "row 4, column 'Vastauspäivä': missing (blocking)"
    assert format_findings_text([finding]).splitlines()[0] == "palaute.csv — 1 blocking, 0 warnings"


@pytest.mark.slow
def test_d9_check_on_a_300_mb_bomb_exits_3_in_little_memory(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    bomb(tmp_path / "seuranta.xlsx", 300 * MB)
    assert (tmp_path / "seuranta.xlsx").stat().st_size < 2 * MB
    d9 = str(Path(sys.executable).parent / "d9")
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, d9, "check", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, peak_kb = map(int, measured.stdout.split())
    assert code == 3, measured.stderr
    assert measured.stderr == (
        f"d9: error: {tmp_path / 'seuranta.xlsx'}: workbook would take 300 MB unpacked, over "
        "the limit of 200 MB ([limits] max_uncompressed_bytes)\n"
    )
    assert peak_kb < 600_000, peak_kb


# Runs the command as the only child of a fresh interpreter, so ru_maxrss is its own peak.
_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_a_part_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                out.writestr(item, source.read(item))
        out.writestr("xl/sharedStrings.xml", b"A" * 5 * MB)
    data = bytearray(path.read_bytes())
    # Declare 1,000 bytes instead of 5 MB in the central directory, as a bomb would.
    at = _central_entry(data, b"xl/sharedStrings.xml")
    data[at + 24 : at + 28] = (1000).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml").file_size == 1000
    with pytest.raises(InputError) as caught:
        Book(bytes(data), str(path))
    assert str(caught.value) == (
        f"{path}: workbook archive is damaged (BadZipFile: Bad CRC-32 for file "
        "'xl/sharedStrings.xml')"
    )


def _central_entry(data: bytearray, name: bytes) -> int:
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name!r} not in the central directory")
