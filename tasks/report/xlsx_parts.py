"""The fixed parts of an XLSX package around its sheets: content types, relationships, the
workbook (sheet names, autofilter ranges) and the cell styles `tasks.report.xlsx` refers to."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DATE_FORMATS = {"fi": "d.m.yyyy", "en": "yyyy-mm-dd"}
TIME_FORMATS = {"fi": "d.m.yyyy h.mm", "en": "yyyy-mm-dd hh:mm"}


def styles(language: str) -> str:
    date_format = escape(DATE_FORMATS[language])
    time_format = escape(TIME_FORMATS[language])
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {NS}>'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{date_format}"/>'
        '<numFmt numFmtId="165" formatCode="0.0%"/>'
        f'<numFmt numFmtId="166" formatCode="{time_format}"/></numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFE0E0E0"/></patternFill></fill>'
        "</fills>"
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="9">'
        "<xf/>"
        '<xf fontId="1" fillId="2" applyFont="1" applyFill="1"/>'
        '<xf numFmtId="164" applyNumberFormat="1"/>'
        '<xf numFmtId="165" applyNumberFormat="1"/>'
        '<xf numFmtId="4" applyNumberFormat="1"/>'
        '<xf numFmtId="1" applyNumberFormat="1"/>'
        '<xf applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
        '<xf fontId="2" applyFont="1"/>'
        '<xf numFmtId="166" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def workbook(names: Sequence[str], filters: Sequence[str | None]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(names[i]))}!{ref}</definedName>"
        for i, ref in enumerate(filters)
        if ref
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {R_NS}>'
        f"<sheets>{sheets}</sheets>"
        + (f"<definedNames>{defined}</definedNames>" if defined else "")
        + "</workbook>"
    )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def absolute(ref: str) -> str:
    first, last = ref.split(":")
    split = lambda r: (r.rstrip("0123456789"), r[len(r.rstrip("0123456789")) :])  # noqa: E731
    (a, b), (c, d) = split(first), split(last)
    return f"${a}${b}:${c}${d}"


_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_SML}.styles+xml"/>'
    "{{sheets}}</Types>"
)
SHEET_TYPE = f"{_SML}.worksheet+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}{styles}</Relationships>"
    )
