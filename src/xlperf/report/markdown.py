"""Partner text made safe for Markdown, and the small Markdown the .docx is built from.

Partner text is data: escaped so it can never become a heading, list, table, link,
image or HTML, and a cell that starts like a formula (= + - @) gets a leading
apostrophe so a spreadsheet it is pasted into keeps it as text.

:func:`parse` reads back the subset of Markdown the report templates use (headings,
paragraphs with hard breaks, bullet lists, pipe tables, **bold** and *italic*, and
``[[chart: name]]`` lines) as plain blocks for the Word writer. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlperf.cells import looks_like_formula

_INLINE = re.compile(r"([\\`*_\[\]<>|~#&$])")
_LINE_START = re.compile(r"^([-+=!:])|^(\d+)([.)])")
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
CHART = re.compile(r"^\[\[chart: ([a-z0-9-]+)\]\]$")


def neutralise(text: str) -> str:
    """A leading apostrophe for text a spreadsheet would take for a formula."""
    return "'" + text if looks_like_formula(text) else text


def escape_inline(text: str) -> str:
    """Backslash-escape Markdown punctuation, and break up bare web and email addresses
    so no renderer turns them into links."""
    out = _INLINE.sub(r"\\\1", text)
    out = out.replace("://", "\\://")
    out = re.sub(r"(?i)\b(www)\.", r"\1\\.", out)
    return re.sub(r"(?<=\w)@(?=\w)", r"\\@", out)


def _escape_line(line: str) -> str:
    """Escaped, and a line that would start a list or heading made plain text."""
    line = escape_inline(line.strip())
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1)
                           else m.group(2) + "\\" + m.group(3), line)


def cell(value: object) -> str:
    """Partner text for one table cell or inside a line: whitespace folded, a formula
    neutralised (so it cannot start a list either), escaped."""
    text = neutralise(" ".join(str(value).split()))
    out = escape_inline(text)
    return "\\" + out if out[:1] in ("!", ":") else out


def para(value: object) -> str:
    """Partner text as a paragraph: its lines kept (as hard breaks), each escaped."""
    lines = [line for line in str(value).splitlines() if line.strip()]
    return "\\\n".join(_escape_line(line) for line in lines)


# --- reading the subset back -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


Line = list[Run]


@dataclass
class Block:
    """heading (level 1-4), paragraph (lines), bullets (items), table (rows), chart (name)."""

    kind: str
    level: int = 0
    lines: list[Line] = field(default_factory=list)  # paragraph lines, list items, or cells
    rows: list[list[Line]] = field(default_factory=list)  # table rows of cells; row 0 header
    align: list[str] = field(default_factory=list)  # table columns: "left" or "right"
    name: str = ""

    @property
    def text(self) -> str:
        return "\n".join(plain(line) for line in self.lines)


def plain(line: Line) -> str:
    return "".join(r.text for r in line)


def inline(text: str) -> Line:
    """Runs of a line: backslash escapes resolved, **bold** and *italic* applied."""
    runs: Line = []
    buf: list[str] = []
    bold = italic = False

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCT:
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
            continue
        if ch == "*":
            flush()
            italic = not italic
            i += 1
            continue
        buf.append(ch)
        i += 1
    flush()
    return runs


def split_row(line: str) -> list[str]:
    """The cells of a pipe-table row (escaped pipes stay in their cell)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    cells, buf, i = [], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            buf.append(body[i:i + 2])
            i += 2
            continue
        if body[i] == "|":
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(body[i])
        i += 1
    if "".join(buf).strip():
        cells.append("".join(buf).strip())
    return cells


def _is_rule(cells: list[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r":?-{3,}:?", c) for c in cells)


def _hard_break(line: str) -> tuple[str, bool]:
    """A line ending in an unescaped backslash is a hard line break."""
    stripped = line.rstrip()
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    if trailing % 2 == 1:
        return stripped[:-1], True
    return stripped, False


def _starts_block(line: str) -> bool:
    s = line.strip()
    return (s.startswith(("#", "|", "- ", "* ")) or bool(CHART.match(s))) and \
        not s.startswith("\\")


def parse(markdown: str) -> list[Block]:
    """Blocks of the Markdown subset the report templates write."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        heading = re.match(r"^(#{1,4}) +(.*)$", s)
        chart = CHART.match(s)
        if heading:
            blocks.append(Block("heading", len(heading.group(1)),
                                [inline(heading.group(2).rstrip("#").strip())]))
            i += 1
        elif chart:
            blocks.append(Block("chart", name=chart.group(1)))
            i += 1
        elif s.startswith("|"):
            rows, align = [], []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = split_row(lines[i])
                if _is_rule(cells):
                    align = ["right" if c.endswith(":") and not c.startswith(":") else "left"
                             for c in cells]
                else:
                    rows.append([inline(c) for c in cells])
                i += 1
            blocks.append(Block("table", rows=rows, align=align))
        elif s.startswith(("- ", "* ")):
            items: list[Line] = []
            while i < len(lines) and lines[i].strip():
                t = lines[i].strip()
                if t.startswith(("- ", "* ")):
                    items.append(inline(t[2:]))
                elif items:
                    items[-1] = items[-1] + [Run(" ")] + inline(t)
                i += 1
            blocks.append(Block("bullets", lines=items))
        else:
            para_lines: list[Line] = []
            joined = ""
            while i < len(lines) and lines[i].strip() and \
                    ((not para_lines and not joined) or not _starts_block(lines[i])):
                text, hard = _hard_break(lines[i].strip())
                joined = f"{joined} {text}" if joined else text
                if hard:
                    para_lines.append(inline(joined))
                    joined = ""
                i += 1
            if joined:
                para_lines.append(inline(joined))
            blocks.append(Block("paragraph", lines=para_lines))
    return blocks
