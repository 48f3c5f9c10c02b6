"""Find formulas without saved values in an xlsx sheet.

A workbook written by another tool (a script, an export) may hold formulas such as
`="D9-"&"017"` with no value saved beside them: Excel and LibreOffice compute and save the values
when the file is opened and saved, but calamine reads the saved values only, so such cells look
blank. The loader names them, and validation gives one blocking finding per sheet telling the
user to open and save the file, instead of a "value missing" finding per cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# a cell with content (a self-closing <c .../> is an empty cell and must not open a match)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
# a saved value: <v>text</v>, or an inline string's <t>text</t> (an empty <v></v> is none)
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t\b[^>]*>[^<]*[^<\s]")
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def unsaved_formulas(data: bytes, sheet: str) -> tuple[str, ...]:
    """The cells (A1 references) of `sheet` holding a formula with no saved value."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet)
            xml = archive.read(part) if part else b""
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return ()
    if not _FORMULA.search(xml):
        return ()
    found = []
    for attributes, body in _CELL.findall(xml):
        if _FORMULA.search(body) and not _VALUE.search(body):
            ref = _REF.search(attributes)
            found.append(ref.group(1).decode() if ref else "?")
    return tuple(found)


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive path of the sheet named `sheet` (workbook.xml and its relationships)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next((s.get(_REL) for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
    if rid is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return None
