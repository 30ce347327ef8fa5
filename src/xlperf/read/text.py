"""Text files that stand in for spreadsheets: CSV, and HTML tables saved as .xls."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser

from xlperf.grid import CellValue, Sheet
from xlperf.read.extent import trim

_DELIMITERS = ",\t;|"
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MAX_DIGITS = 15  # Excel keeps 15 significant digits; longer digit strings are identifiers
_HTML_STARTS = ("<html", "<!doctype html", "<table")
_HTML_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")
_MAX_COLSPAN, _MAX_ROWSPAN = 100, 1000


def decode_text(data: bytes, final: bool = True) -> str | None:
    """Bytes -> text (UTF-16 with a BOM, else UTF-8, else cp1252), or None if not text.

    ``final=False`` for a sample cut from a longer file (a split character at the
    end is then not an error).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        return text if _looks_textual(text) else None
    return None


def _looks_textual(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" not in sample and controls * 100 <= len(sample)


def looks_like_html(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").lower().startswith(_HTML_STARTS)


def csv_delimiter(text: str, complete: bool = True) -> str | None:
    """The delimiter the text uses consistently, or None if it is not delimited text.

    ``complete=False`` when ``text`` is a sample cut from a longer file.
    """
    sample_size = 65_536
    lines = text[:sample_size].splitlines()
    if not complete or len(text) > sample_size:
        lines = lines[:-1]  # the last line may be cut short
    sample = "\n".join(line for line in lines[:50] if line.strip())
    if not sample:
        return None
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    candidates = ([sniffed] if sniffed else []) + [d for d in _DELIMITERS if d != sniffed]
    for delimiter in candidates:
        if _consistent(sample, delimiter):
            return delimiter
    return None


def _consistent(sample: str, delimiter: str) -> bool:
    """Most lines split into the same number (> 1) of fields."""
    try:
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return False
    widths = [len(row) for row in rows if any(field.strip() for field in row)]
    split = [w for w in widths if w > 1]
    if not split or len(split) * 2 < len(widths):
        return False
    most = Counter(split).most_common(1)[0][1]
    return most * 10 >= len(split) * 8


def as_cell(text: str) -> CellValue:
    """Text from a text file -> a cell: '' is empty, plain numbers become numbers.

    '007', '1,234', '1e5' and digit strings longer than Excel can hold stay text.
    """
    if text == "":
        return None
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped) and sum(ch.isdigit() for ch in stripped) <= _MAX_DIGITS:
        return float(stripped) if "." in stripped else int(stripped)
    return text


def read_csv(text: str, sheet_name: str) -> Sheet:
    """CSV text -> one sheet. Raises csv.Error on text the csv module cannot split."""
    delimiter = csv_delimiter(text) or ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [[as_cell(field) for field in row] for row in reader]
    return Sheet(name=sheet_name, rows=trim(rows))


def read_html_tables(text: str) -> list[Sheet]:
    """Each non-empty ``<table>`` -> a sheet 'Table 1', 'Table 2', ...

    colspan/rowspan keep later cells at their true column and are kept as merged ranges.
    """
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    sheets: list[Sheet] = []
    for table in parser.tables:
        table.end_cell()
        rows = trim(table.rows)
        if rows:
            name = f"Table {len(sheets) + 1}"
            sheets.append(Sheet(name=name, rows=rows, merged=table.merged))
    return sheets


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[CellValue]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self._covered_to: dict[int, int] = {}  # column -> last row a rowspan above covers
        self._pieces: list[str] | None = None
        self._spans = (1, 1)

    def start_row(self) -> None:
        self.end_cell()
        self.rows.append([])

    def start_cell(self, colspan: int, rowspan: int) -> None:
        self.end_cell()
        if not self.rows:
            self.rows.append([])
        self._pieces, self._spans = [], (colspan, rowspan)

    def add_text(self, text: str, raw: bool = False) -> None:
        if self._pieces is not None:
            self._pieces.append(text if raw else _HTML_SPACE.sub(" ", text))

    def end_cell(self) -> None:
        if self._pieces is None:
            return
        lines = "".join(self._pieces).split("\n")
        text = "\n".join(line.strip() for line in lines).strip()
        self._pieces = None
        self._place(as_cell(text))

    def _place(self, value: CellValue) -> None:
        colspan, rowspan = self._spans
        r = len(self.rows) - 1
        row = self.rows[r]
        while self._covered_to.get(len(row), -1) >= r:
            row.append(None)
        c = len(row)
        row.append(value)
        row.extend([None] * (colspan - 1))
        if rowspan > 1:
            self._covered_to.update((col, r + rowspan - 1) for col in range(c, c + colspan))
        if colspan > 1 or rowspan > 1:
            self.merged.append((r, c, r + rowspan - 1, c + colspan - 1))


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._open: list[_Table] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "table":
            self.tables.append(_Table())
            self._open.append(self.tables[-1])
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1].start_row()
        elif tag in ("td", "th"):
            spans = dict(attrs)
            colspan = _span(spans.get("colspan"), _MAX_COLSPAN)
            self._open[-1].start_cell(colspan, _span(spans.get("rowspan"), _MAX_ROWSPAN))
        elif tag == "br":
            self._open[-1].add_text("\n", raw=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "table" and self._open:
            self._open.pop().end_cell()
        elif tag in ("td", "th") and self._open:
            self._open[-1].end_cell()

    def handle_data(self, data: str) -> None:
        if self._open and not self._hidden:
            self._open[-1].add_text(data)


def _span(value: str | None, most: int) -> int:
    try:
        return min(max(int(value or 1), 1), most)
    except ValueError:
        return 1
