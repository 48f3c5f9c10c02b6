"""The package: the sheets' parts zipped with the fixed parts around them (content types,
relationships, the workbook with sheet names and filter ranges, the styles)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from tasks._xlsx.sheet import Sheet, autofilter_ref, quoted_name, sheet_part
from tasks._xlsx.styles import MAIN_NS, R_NS, XML_HEAD, styles_part


def write_xlsx(sheets: Sequence[Sheet], language: str) -> bytes:
    """Zip the sheets into an XLSX workbook; the same sheets give the same bytes.

    `language` picks the date formats (fi: d.m.yyyy, en: yyyy-mm-dd).
    """
    buffer = io.BytesIO()
    # Level 1: a large appendix is hundreds of MB of XML; level 6 takes three times as long.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:

        def put(name: str, part: str | bytes) -> None:
            info = zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))  # no clock: same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            data = part.encode() if isinstance(part, str) else part
            package.writestr(info, data, compresslevel=1)

        put("[Content_Types].xml", _content_types(len(sheets)))
        put("_rels/.rels", _PACKAGE_RELS)
        for i, sheet in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{i}.xml", sheet_part(sheet))
        put("xl/workbook.xml", _workbook(sheets))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        put("xl/styles.xml", styles_part(language))
    return buffer.getvalue()


_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
_PACKAGE_RELS = (
    f"{XML_HEAD}<Relationships {_RELS_NS}>"
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SML}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_SML}.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook(sheets: Sequence[Sheet]) -> str:
    """The workbook part: sheet names, each autofilter as Excel's hidden defined name, and each
    sheet's rows to repeat on printed pages."""
    names = "".join(
        f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(quoted_name(s.name))}!{_absolute(ref)}</definedName>"
        for i, s in enumerate(sheets)
        if (ref := autofilter_ref(s))
    )
    # The title and header rows printed at the top of every page.
    defined += "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{escape(quoted_name(s.name))}!$1:${s.header_row}</definedName>"
        for i, s in enumerate(sheets)
    )
    return (
        f"{XML_HEAD}<workbook {MAIN_NS} {R_NS}><sheets>{names}</sheets>"
        + (f"<definedNames>{defined}</definedNames>" if defined else "")
        + "</workbook>"
    )


def _absolute(ref: str) -> str:
    """A1:K20 -> $A$1:$K$20."""
    return ":".join(
        f"${r.rstrip('0123456789')}${r[len(r.rstrip('0123456789')) :]}" for r in ref.split(":")
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f"{XML_HEAD}<Relationships {_RELS_NS}>{rels}{styles}</Relationships>"
