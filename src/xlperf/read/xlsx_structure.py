"""What calamine does not give: merged cells, formulas, uncalculated cells, workbook flags.

Read straight from the xlsx/xlsm package XML with defusedxml (no DTDs, no entities),
streaming each worksheet and dropping rows as soon as they are read.

Also the exact text of cells calamine would change: it trims the spaces at the ends
of every ``<t>`` that lacks ``xml:space="preserve"`` (so rich text written by
non-Microsoft tools, "Provider " + bold "East", loses the space between runs), and
it reads error values such as ``#REF!`` or ``#N/A`` as empty.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from xlperf.cells import col_index, parse_a1, parse_range
from xlperf.read.errors import UnreadableFile
from xlperf.read.safety import ZIP_ERRORS
from xlperf.read.sparse import value_extent

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_WHITESPACE = " \t\r\n"
#: a <t> with no attributes whose text starts or ends with white space
_UNPRESERVED_EDGE = re.compile(rb"<(?:\w+:)?t>(?:[ \t\r\n]|[^<]*[ \t\r\n]</)")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TRUE = ("1", "true")
#: errors meaning "this part is damaged"; the values can still be read
_DAMAGED = (ParseError, IndexError, *ZIP_ERRORS)


def _tags(local: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{local}" for ns in _MAIN)


_CELL, _ROW, _SHEET_DATA, _MERGE = _tags("c"), _tags("row"), _tags("sheetData"), _tags("mergeCell")
_SHARED_ITEM = _tags("si")


@dataclass
class SheetStructure:
    """0-based positions, as in :class:`xlperf.grid.Sheet`."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    #: exact text of cells calamine gets wrong: trimmed strings, error values ('#REF!')
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    #: (last row, last column) holding a value, and the package part, for huge sheets
    extent: tuple[int, int] = (-1, -1)
    part: str = ""


@dataclass
class BookStructure:
    date1904: bool = False
    needs_recalc: bool = False
    #: sheet name -> structure, for the worksheets that could be read
    sheets: dict[str, SheetStructure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_structure(zf: zipfile.ZipFile, path: Path,
                   kept: Mapping[str, bytes] | None = None) -> BookStructure:
    """The structure of every worksheet; damaged parts become notes, DTDs are refused.

    ``kept``: parts already read whole (by the safety check), by their name.
    """
    book = BookStructure()
    parts = _Parts(zf, kept)
    try:
        workbook_part = _workbook_part(parts)
        targets = _relationships(parts, workbook_part)
        sheets = _read_workbook_part(parts, workbook_part, book)
    except DefusedXmlException as exc:
        raise UnreadableFile("hostile-xml", path) from exc
    except _DAMAGED:
        book.notes.append(
            "Merged cells and formulas were not read: the workbook's list of sheets is "
            "damaged; the values were read."
        )
        return book
    try:
        shared = _trimmed_shared_strings(parts, targets)
    except DefusedXmlException as exc:
        raise UnreadableFile("hostile-xml", path) from exc
    except _DAMAGED:
        shared = {}  # calamine reads the strings or reports the damage itself
    for name, rel_id in sheets:
        kind, target = targets.get(rel_id, ("", ""))
        if not kind.endswith(_WORKSHEET):
            continue  # chart sheets and dialog sheets hold no cells
        try:
            with parts.open(target) as stream:
                data = stream.read()
            fast = None if shared else quick_scan(data)
            found = fast if fast is not None else scan_sheet(io.BytesIO(data), shared)
            found.extent, found.part = value_extent(data), target
            book.sheets[name] = found
        except DefusedXmlException as exc:
            raise UnreadableFile("hostile-xml", path) from exc
        except _DAMAGED:
            book.notes.append(
                f"Merged cells and formulas were not read for sheet '{name}': its XML is "
                "damaged; its values were read."
            )
    return book


_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_MERGE_RE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z0-9:$]+)"')
_VALUE_RE = re.compile(rb"<v(?:\s[^>]*?)?(?:/>|>([^<]*)</v>)")


def quick_scan(data: bytes) -> SheetStructure | None:
    """The same as :func:`scan_sheet` for the common case, by scanning bytes (fast).

    Safe because every part was already checked for DTDs and entities before any
    parsing (see ``safety.py``). Returns None, so the caller parses the XML properly,
    when the sheet holds what only a parser can get right: error values, inline
    strings, cells without an ``r`` reference.
    """
    if b't="e"' in data or b"inlineStr" in data:
        return None
    out = SheetStructure()
    out.merged = [parse_range(m.group(1).decode()) for m in _MERGE_RE.finditer(data)]
    if b"<f" not in data:
        return out
    for m in _CELL_RE.finditer(data):
        body = m.group(2)
        if not body or b"<f" not in body:
            continue
        ref = _REF_RE.search(m.group(1))
        if ref is None:
            return None
        cell = (int(ref.group(2)) - 1, col_index(ref.group(1).decode()))
        out.formulas.add(cell)
        value = _VALUE_RE.search(body)
        if value is None or (not value.group(1) and b't="str"' not in m.group(1)):
            out.uncalculated.add(cell)
    return out


def scan_sheet(stream: IO[bytes], shared: dict[int, str] | None = None) -> SheetStructure:
    """Stream one worksheet part: merged ranges, formula cells, formulas with no value.

    A formula with no cached value (no ``<v>``, or an empty one that is not a text
    result) was never calculated. An empty ``<v>`` on a ``t="str"`` cell is a formula
    that calculated to "" and is not counted. ``shared`` maps shared-string indexes
    to their exact text where calamine would trim it.
    """
    shared = shared or {}
    out = SheetStructure()
    row, last_ref, offset = -1, "", -1  # cells since the last one with an r="B3" attribute
    sheet_data: Any = None
    for event, el in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        tag = el.tag
        if event == "start":
            if tag in _ROW:
                ref = el.get("r")
                row, last_ref, offset = (int(ref) - 1 if ref else row + 1), "", -1
            elif tag in _SHEET_DATA:
                sheet_data = el
        elif tag in _CELL:
            ref = el.get("r")
            last_ref, offset = (ref, 0) if ref else (last_ref, offset + 1)
            ns = tag[:-1]  # '{namespace}'
            if el.find(ns + "f") is not None:
                cell = _position(row, last_ref, offset)
                out.formulas.add(cell)
                value = el.find(ns + "v")
                if value is None or (not value.text and el.get("t") != "str"):
                    out.uncalculated.add(cell)
            text = _exact_text(el, ns, shared)
            if text is not None:
                out.texts[_position(row, last_ref, offset)] = text
        elif tag in _ROW and sheet_data is not None:
            sheet_data.clear()  # rows already read are not kept in memory
        elif tag in _MERGE and el.get("ref"):
            out.merged.append(parse_range(el.get("ref")))
    return out


def _exact_text(cell: Any, ns: str, shared: dict[int, str]) -> str | None:
    """The cell's exact text when calamine would trim or drop it, else None."""
    kind = cell.get("t")
    if kind == "e":
        error = cell.find(ns + "v")
        return error.text if error is not None and error.text else None
    if kind == "s" and shared:
        index = cell.find(ns + "v")
        if index is not None and index.text and index.text.strip().isdigit():
            return shared.get(int(index.text))
    elif kind == "inlineStr":
        inline = cell.find(ns + "is")
        if inline is not None:
            text, trimmed = _rich_text(inline, ns)
            return text if trimmed else None
    return None


def _rich_text(item: Any, ns: str) -> tuple[str, bool]:
    """The text of an ``<si>`` or ``<is>`` (runs joined, phonetic runs left out), and
    whether calamine would trim any piece of it."""
    pieces = [item.find(ns + "t")] + [run.find(ns + "t") for run in item.findall(ns + "r")]
    texts = [t for t in pieces if t is not None]
    trimmed = any(
        t.get(_XML_SPACE) != "preserve" and (t.text or "") != (t.text or "").strip(_XML_WHITESPACE)
        for t in texts
    )
    joined = "".join(t.text or "" for t in texts)
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), joined), trimmed


def _trimmed_shared_strings(parts: _Parts, targets: dict[str, tuple[str, str]]) -> dict[int, str]:
    """Shared-string index -> exact text, for the strings calamine would trim."""
    name = next((t for kind, t in targets.values() if kind.endswith(_SHARED_STRINGS)), "")
    if not name or not parts.exists(name):
        return {}
    with parts.open(name) as stream:
        data = stream.read()
    if not _UNPRESERVED_EDGE.search(data):
        return {}  # the usual case: nothing to fix, no need to parse
    found: dict[int, str] = {}
    index = 0
    with parts.open(name) as stream:
        for _, el in iterparse(stream, events=("end",), forbid_dtd=True):
            if el.tag in _SHARED_ITEM:
                text, trimmed = _rich_text(el, el.tag[:-2])
                if trimmed:
                    found[index] = text
                index += 1
                el.clear()
    return found


def _position(row: int, last_ref: str, offset: int) -> tuple[int, int]:
    """A cell's (row, col): from the last r="B3" in its row plus the cells since it."""
    if not last_ref:
        return row, offset
    ref_row, ref_col = parse_a1(last_ref)
    return ref_row, ref_col + offset


class _Parts:
    """Part names looked up the way Excel does: case-insensitive, '/' or '\\'."""

    def __init__(self, zf: zipfile.ZipFile, kept: Mapping[str, bytes] | None = None) -> None:
        self.zf = zf
        self._names = {_normal(name): name for name in zf.namelist()}
        self._kept = kept or {}

    def open(self, name: str) -> IO[bytes]:
        real = self._names[_normal(name)]
        data = self._kept.get(real)
        return io.BytesIO(data) if data is not None else self.zf.open(real)

    def exists(self, name: str) -> bool:
        return _normal(name) in self._names


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def _elements(parts: _Parts, name: str) -> Iterator[Any]:
    with parts.open(name) as stream:
        for _, el in iterparse(stream, events=("end",), forbid_dtd=True):
            yield el


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _workbook_part(parts: _Parts) -> str:
    if parts.exists("_rels/.rels"):
        for kind, target in _relationships(parts, "").values():
            if kind.endswith(_OFFICE_DOCUMENT):
                return target
    return "xl/workbook.xml"


def _relationships(parts: _Parts, source: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part name) for the part ``source`` ('' = package)."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if not parts.exists(rels_name):
        return {}
    found: dict[str, tuple[str, str]] = {}
    for el in _elements(parts, rels_name):
        if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
            target = el.get("Target", "").replace("\\", "/")
            if not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(folder, target))
            found[el.get("Id", "")] = (el.get("Type", ""), target.lstrip("/"))
    return found


def _read_workbook_part(
    parts: _Parts, workbook_part: str, book: BookStructure
) -> list[tuple[str, str]]:
    """Fill the workbook flags; return (sheet name, relationship id) in tab order."""
    sheets: list[tuple[str, str]] = []
    for el in _elements(parts, workbook_part):
        local = _local(el.tag)
        if local == "sheet":
            rel_id = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            sheets.append((el.get("name", ""), rel_id))
        elif local == "workbookPr":
            book.date1904 = el.get("date1904", "").lower() in _TRUE
        elif local == "calcPr":
            book.needs_recalc = el.get("fullCalcOnLoad", "").lower() in _TRUE
    return sheets
