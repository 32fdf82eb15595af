"""A DOCX page set up as a Chinese official document (GB/T 9704-2012, 党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm); title in 2号 小标宋,
body in 3号 仿宋 with a fixed line pitch giving 22 lines per page; page numbers in 4号 半角 Arabic numerals with
dashes ("— 1 —"). WPS and Word substitute the fonts where the 方正 fonts are missing.
"""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines


def _font(run: object, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = size  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def new_document() -> Document:  # type: ignore[valid-type]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)
    return doc


def _page_number_footer(section: object) -> None:
    paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), "宋体", PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._element.append(element)
    _font(run, "宋体", PAGE_NUMBER_SIZE)
    _font(paragraph.add_run(" —"), "宋体", PAGE_NUMBER_SIZE)


def watermark(doc: Document, text: str) -> None:  # type: ignore[valid-type]
    """The exporter's name and time, in light grey in the header of every page."""
    paragraph = doc.sections[0].header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    _font(run, "宋体", Pt(9))
    run.font.color.rgb = RGBColor(0xA0, 0xA0, 0xA0)


def _body_format(paragraph: object, indent: bool = True) -> None:
    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = BODY_SIZE * 2


def title(doc: Document, text: str) -> None:  # type: ignore[valid-type]
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body_format(paragraph, indent=False)
    paragraph.paragraph_format.line_spacing = Pt(36)
    _font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)
    doc.add_paragraph()  # type: ignore[attr-defined]


def addressee(doc: Document, text: str) -> None:  # type: ignore[valid-type]
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    _body_format(paragraph, indent=False)
    _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def heading(doc: Document, text: str) -> None:  # type: ignore[valid-type]
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    _body_format(paragraph)
    _font(paragraph.add_run(text), HEADING_FONT, BODY_SIZE)


def body(doc: Document, text: str, citation: str = "") -> None:  # type: ignore[valid-type]
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    _body_format(paragraph)
    _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    if citation:
        _font(paragraph.add_run(f"（{citation}）"), BODY_FONT, Pt(12))


def signature(doc: Document, authority: str, date_text: str) -> None:  # type: ignore[valid-type]
    doc.add_paragraph()  # type: ignore[attr-defined]
    for text in (authority, date_text):
        paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _body_format(paragraph, indent=False)
        paragraph.paragraph_format.right_indent = BODY_SIZE * 4
        _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
