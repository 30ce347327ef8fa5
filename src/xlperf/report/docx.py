"""The report as a Word document (python-docx), made from the same Markdown template.

The kind's ``.md.j2`` template is filled (with ``chart()`` marking where pictures go)
and its blocks become Word content: ``#`` the Title, ``##`` Heading 1, ``###``
Heading 2; tables in the Table Grid style with a header row that repeats on every
page; RAG cells shaded in colour-blind-safe colours and always carrying the word;
charts as PNG pictures; the page number ("Page 2 of 5") and the as-of date in the
footer. So a partnership that changes the wording of a Markdown template changes
the Word document too.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from xlperf import __version__
from xlperf.report import views
from xlperf.report.data import ReportData, fmt_date
from xlperf.report.markdown import Block, Line, parse, plain
from xlperf.report.render import TemplateProblem, render, title
from xlperf.write.style import HEADER_FILL, RAG_COLOURS

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 21.0, 29.7, 1.8  # A4, cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHARTS = ("rag-by-strand", "rag-by-subgroup", "rag-by-agency", "indicators")


def write_docx(data: ReportData, kind: str, path: Path, templates: Path | None = None,
               produced: date | None = None) -> None:
    """Fill the kind's Markdown template and write it as a .docx at ``path``."""
    text = render(data, kind, "md", templates, produced, target="docx")
    document = build(parse(text), data, kind, produced or date.today())
    document.save(str(path))


def build(blocks: list[Block], data: ReportData, kind: str, produced: date) -> DocumentObject:
    doc = Document()
    _page_setup(doc, data, kind, produced)
    for n, block in enumerate(blocks):
        if block.kind == "heading":
            _heading(doc, block)
        elif block.kind == "paragraph":
            para = doc.add_paragraph()
            for i, line in enumerate(block.lines):
                _runs(para, line)
                if i < len(block.lines) - 1:
                    para.add_run().add_break()
            if n + 1 < len(blocks) and blocks[n + 1].kind == "table":
                para.paragraph_format.keep_with_next = True  # an introduction stays with
                # its table
        elif block.kind == "bullets":
            for item in block.lines:
                _runs(doc.add_paragraph(style="List Bullet"), item)
        elif block.kind == "table" and block.rows:
            _table(doc, block)
        elif block.kind == "chart":
            _chart(doc, block.name, data)
    return doc


def _page_setup(doc: DocumentObject, data: ReportData, kind: str, produced: date) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH), Cm(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    props = doc.core_properties
    props.title = f"{title(kind, data)}: {data.partnership}"
    props.author = f"xlperf {__version__}"
    props.created = datetime.combine(produced, datetime.min.time())
    props.subject = f"As of {fmt_date(data.as_of)}; latest period {data.period}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = f"{data.partnership} · {title(kind, data)} · as of {fmt_date(data.as_of)} · Page "
    _small(footer.add_run(label))
    _field(footer, "PAGE")
    _small(footer.add_run(" of "))
    _field(footer, "NUMPAGES")


def _small(run: object) -> None:
    run.font.size = Pt(8)  # type: ignore[attr-defined]


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's application fills in."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        _small(run)
        if kind == "text":
            run.text = text or ""
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _heading(doc: DocumentObject, block: Block) -> None:
    level = min(block.level - 1, 3)  # '#' the Title, '##' Heading 1, '###' Heading 2
    heading = doc.add_heading("", level)
    _runs(heading, block.lines[0] if block.lines else [])


def _runs(paragraph: Paragraph, line: Line, size: float | None = None,
          colour: str | None = None, bold: bool = False) -> None:
    for part in line:
        run = paragraph.add_run(part.text)
        run.bold = part.bold or bold or None
        run.italic = part.italic or None
        if size:
            run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: object, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)  # type: ignore[attr-defined]


def _widths(rows: list[list[Line]], columns: int, size: float) -> list[float]:
    """Column widths (cm): wide enough for each column's longest word, and the room left
    shared in proportion to how much longer each column's text is."""
    char = size * 0.62 * 2.54 / 72  # an average character (digits are wider), cm
    pad = 0.5  # the cell's left and right margins
    least, want = [], []
    for c in range(columns):
        texts = [plain(r[c]) for r in rows if c < len(r)]
        word = max((len(w) for t in texts[1:] for w in t.split()), default=1)
        heading = max((len(w) for w in texts[0].split()), default=1) if texts else 1
        longest = max((len(t) for t in texts[1:]), default=1)
        short = min(longest, 12)  # a short value ('Q2 2025/26') stays on one line
        least.append(max(min(max(word, short), 24) * char, heading * char * 1.2) + pad)
        want.append(max(min(longest, 36) * char + pad, least[-1]))
    if sum(want) <= TEXT_WIDTH:
        return [w * TEXT_WIDTH / sum(want) for w in want]
    spare = max(TEXT_WIDTH - sum(least), 0.0)
    extra = [w - m for w, m in zip(want, least, strict=True)]
    share = sum(extra) or 1.0
    widths = [m + spare * e / share for m, e in zip(least, extra, strict=True)]
    return [w * TEXT_WIDTH / sum(widths) for w in widths]


def _rag_column(header: str) -> bool:
    return "rag" in header.lower()


def _table(doc: DocumentObject, block: Block) -> None:
    rows = block.rows
    columns = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    size = 8.0 if columns >= 7 else 9.0
    widths = _widths(rows, columns, size)
    headers = [plain(c) for c in rows[0]] + [""] * (columns - len(rows[0]))
    for r, line_cells in enumerate(rows):
        row = table.rows[r]
        _row_flag(row, "w:cantSplit")
        if r == 0:
            _row_flag(row, "w:tblHeader")  # repeat as header row on each page
        for c in range(columns):
            cell = row.cells[c]
            cell.width = Cm(widths[c])
            line = line_cells[c] if c < len(line_cells) else []
            text = plain(line).strip()
            para = cell.paragraphs[0]
            if c < len(block.align) and block.align[c] == "right" and r > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            rag = RAG_COLOURS.get(text) if (r == 0 or _rag_column(headers[c])) else None
            if rag:
                _shade(cell, rag[0])
                _runs(para, line, size, rag[1], bold=True)
            elif r == 0:
                _shade(cell, HEADER_FILL)
                _runs(para, line, size, "#FFFFFF", bold=True)
            else:
                _runs(para, line, size)
    for c, width in enumerate(widths):
        table.columns[c].width = Cm(width)
    doc.add_paragraph()


def _chart(doc: DocumentObject, name: str, data: ReportData) -> None:
    from xlperf.report import charts

    keys = {"rag-by-strand": ("strand", "Computed RAG by 4P strand"),
            "rag-by-subgroup": ("subgroup", "Computed RAG by sub-group"),
            "rag-by-agency": ("agency", "Computed RAG by agency")}
    png: bytes | None
    if name in keys:
        key, caption = keys[name]
        rows = views.rag_counts(data, key)
        png = charts.rag_bars(rows, views.rag_words(data), caption) if rows else None
        width = 15.0
    elif name == "indicators":
        _, periods = views.year_periods(data)
        png = charts.indicator_panels(views.year_table(data), periods)
        width = TEXT_WIDTH
    else:
        raise TemplateProblem(f"Unknown chart '{name}'; charts are: {', '.join(CHARTS)}.")
    if png is not None:
        doc.add_picture(io.BytesIO(png), width=Cm(width))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
