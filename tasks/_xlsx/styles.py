"""The cell styles: their ids (what `Cell.style` and `Sheet.header_style` hold) and the styles
part of the package that defines them, kept side by side so an id and its definition cannot
drift apart. Also the XML declaration and namespaces the parts start with."""

from __future__ import annotations

from xml.sax.saxutils import escape

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

# Cell styles: indexes into the cellXfs of styles.xml, in the order of `_XFS` below.
TEXT, HEADER, DATE, PERCENT, DECIMAL, INTEGER, WRAP, TITLE, DATETIME, HEADER_WRAP, LINK = range(11)
_XFS = (
    "<xf/>",  # TEXT
    '<xf fontId="1" fillId="2" applyFont="1" applyFill="1"/>',  # HEADER: bold on grey
    '<xf numFmtId="164" applyNumberFormat="1"/>',  # DATE: d.m.yyyy (fi)
    '<xf numFmtId="165" applyNumberFormat="1"/>',  # PERCENT: 0.0%
    '<xf numFmtId="4" applyNumberFormat="1"/>',  # DECIMAL: #,##0.00
    '<xf numFmtId="1" applyNumberFormat="1"/>',  # INTEGER: 0
    '<xf applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>',  # WRAP
    '<xf fontId="2" applyFont="1"/>',  # TITLE: bold, 14 pt
    '<xf numFmtId="166" applyNumberFormat="1"/>',  # DATETIME: d.m.yyyy h.mm (fi)
    '<xf fontId="1" fillId="2" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment wrapText="1"/></xf>',  # HEADER_WRAP: a header that wraps in a narrow column
    '<xf fontId="3" applyFont="1"/>',  # LINK: blue, underlined (a link to another sheet)
)
DATE_FORMATS = {"fi": "d.m.yyyy", "en": "yyyy-mm-dd"}
TIME_FORMATS = {"fi": "d.m.yyyy h.mm", "en": "yyyy-mm-dd hh:mm"}


def styles_part(language: str) -> str:
    """The styles part: number formats, fonts and fills the `_XFS` cell styles refer to."""
    date_format, time_format = escape(DATE_FORMATS[language]), escape(TIME_FORMATS[language])
    return (
        f"{XML_HEAD}<styleSheet {MAIN_NS}>"
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{date_format}"/>'
        '<numFmt numFmtId="165" formatCode="0.0%"/>'
        f'<numFmt numFmtId="166" formatCode="{time_format}"/></numFmts>'
        '<fonts count="4"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="14"/><name val="Calibri"/></font>'
        '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFE0E0E0"/></patternFill></fill>'
        '</fills><borders count="1"><border/></borders>'
        # The Normal style names its font: without it LibreOffice takes Arial 10 as the base,
        # showing every column about a quarter wider than its width.
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(_XFS)}">'
        + "".join(_XFS)
        + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    )
