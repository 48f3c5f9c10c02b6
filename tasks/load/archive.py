"""Look inside a spreadsheet's container before calamine opens it.

calamine inflates every part of an xlsx/ods archive in memory, so a 1 MB file can cost gigabytes:
the archive's declared sizes and compression ratios are checked first. A password-protected
Office file is an encrypted OLE container, not a workbook: it is named as such.
"""

from __future__ import annotations

import io
import zipfile

from schemas.errors import InputError
from schemas.settings import Limits

_RATIO_FLOOR = 1_000_000  # parts smaller than this may compress as well as they like
_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def check_archive(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a zip container that would inflate past the limits (an unreadable one passes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip after all: calamine says what it is
    total = sum(p.file_size for p in parts)
    if total > limits.max_uncompressed_bytes:
        raise InputError(
            f"workbook would take {_mb(total)} unpacked, over the limit of "
            f"{_mb(limits.max_uncompressed_bytes)} ([limits] max_uncompressed_bytes)",
            file=name,
        )
    _check_ratios(parts, name, limits)
    _check_declared_sizes(data, name)


def _check_ratios(parts: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise InputError(
                f"part {part.filename!r} of the workbook is compressed {ratio:.0f}:1, over the "
                f"limit of {limits.max_compression_ratio:g}:1 ([limits] max_compression_ratio)",
                file=name,
            )


def _check_declared_sizes(data: bytes, name: str) -> None:
    """Inflate every part in small chunks, so a size declared too small shows (CRC mismatch)
    before calamine, which trusts no declaration, inflates it whole."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.infolist():
                with archive.open(part) as stream:
                    while stream.read(_CHUNK):
                        pass
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise InputError(f"workbook archive is damaged ({reason})", file=name) from None


def is_encrypted_office_file(data: bytes) -> bool:
    """Tell whether the bytes are a password-protected xlsx/xlsm (an encrypted OLE package)."""
    return data[:8] == _OLE_MAGIC and _ENCRYPTED in data


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB".replace(",", " ")
