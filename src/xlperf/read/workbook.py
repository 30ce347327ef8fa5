"""Read any file a partner sends into a :class:`~xlperf.grid.Workbook`, or refuse it clearly."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import msoffcrypto

from xlperf.cells import safe_sheet_name
from xlperf.grid import CellValue, Sheet, Workbook
from xlperf.read.errors import UnreadableFile
from xlperf.read.extent import trim
from xlperf.read.safety import ZIP_ERRORS, check_xml_prologs, check_zip
from xlperf.read.sniff import describe_other, is_damaged_workbook_zip, sniff_stream
from xlperf.read.sparse import read_sparse, shared_strings, too_large
from xlperf.read.text import decode_text, read_csv, read_html_tables
from xlperf.read.values import CalamineFailed, RawSheet, date_cells, read_values
from xlperf.read.xlsx_structure import BookStructure, SheetStructure, read_structure

#: kind -> what it is, for messages and notes
DESCRIPTIONS = {
    "xlsx": "an Excel workbook (.xlsx)",
    "xlsm": "a macro-enabled Excel workbook (.xlsm)",
    "xlsb": "a binary Excel workbook (.xlsb)",
    "xls": "an old-style Excel workbook (.xls)",
    "ods": "an OpenDocument spreadsheet (.ods)",
    "csv": "CSV text",
    "html": "an HTML table (a web page)",
}
#: file extension -> the kind such a file should be
_EXPECTED = {
    ".xlsx": "xlsx",
    ".xltx": "xlsx",
    ".xlsm": "xlsm",
    ".xltm": "xlsm",
    ".xlsb": "xlsb",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".htm": "html",
    ".html": "html",
}
_PACKAGES = ("xlsx", "xlsm", "xlsb", "ods")


def read_workbook(path: Path, *, password: str | None = None) -> Workbook:
    """Read a spreadsheet (xlsx, xlsm, xlsb, xls, ods, CSV, or an HTML table) by its content.

    ``password`` opens a file protected with a password to open. Raises
    :class:`UnreadableFile` for anything that cannot be read; never modifies the file.
    """
    data = _load(path)
    book = _read(path, data, password)
    book.sha256 = hashlib.sha256(data).hexdigest()
    misnamed = _misnamed_note(path, book.kind)
    if misnamed:
        book.notes.insert(0, misnamed)
    return book


def _load(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read()
    except FileNotFoundError as exc:
        raise UnreadableFile("file-not-found", path) from exc
    except IsADirectoryError as exc:
        raise UnreadableFile("not-a-spreadsheet", path, what="it is a folder") from exc
    except OSError as exc:
        reason = (exc.strerror or "the system refused").lower()
        raise UnreadableFile("cannot-open", path, reason=reason) from exc


def _read(path: Path, data: bytes, password: str | None, decrypted: bool = False) -> Workbook:
    stream = io.BytesIO(data)
    kind = sniff_stream(stream)
    if kind == "encrypted" and not decrypted:
        return _read(path, _decrypt(path, stream, password), None, decrypted=True)
    if kind in _PACKAGES:
        return _read_package(path, stream, kind)
    if kind == "xls":
        return _workbook(path, kind, stream, BookStructure())
    if kind == "csv":
        return _read_csv(path, data)
    if kind == "html":
        return _read_html(path, data)
    raise _refusal(path, kind, stream)


def _refusal(path: Path, kind: str, stream: io.BytesIO) -> UnreadableFile:
    if kind == "empty":
        return UnreadableFile("empty-file", path)
    if kind == "office-lock":
        target = _locked_name(path.name, "~$", "")
        return UnreadableFile("lock-file", path, app="an Excel", maker="Excel", target=target)
    if kind == "libreoffice-lock":
        target = _locked_name(path.name, ".~lock.", "#")
        maker = "LibreOffice"
        return UnreadableFile("lock-file", path, app="a LibreOffice", maker=maker, target=target)
    if kind == "encrypted":  # still encrypted after decrypting
        return UnreadableFile("corrupt-workbook", path, what="a password-protected workbook")
    if kind == "zip-other" and is_damaged_workbook_zip(stream):
        return UnreadableFile("corrupt-workbook", path, what="an Excel or OpenDocument workbook")
    return UnreadableFile("not-a-spreadsheet", path, what=describe_other(stream))


def _locked_name(name: str, prefix: str, suffix: str) -> str:
    if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix + suffix):
        return f"'{name[len(prefix) : len(name) - len(suffix)]}'"
    return "a workbook"


def _decrypt(path: Path, stream: io.BytesIO, password: str | None) -> bytes:
    """The decrypted file, in memory only."""
    if password is None:
        raise UnreadableFile("encrypted", path)
    out = io.BytesIO()
    try:
        office = msoffcrypto.OfficeFile(stream)
        if getattr(office, "format", "") == "ooxml":
            office.load_key(password=password, verify_password=True)
        else:
            office.load_key(password=password)
        office.decrypt(out)
    except msoffcrypto.exceptions.InvalidKeyError as exc:
        raise UnreadableFile("wrong-password", path) from exc
    except Exception as exc:
        message = (
            f"'{path.name}' is protected with a kind of password encryption xlperf cannot "
            "undo; ask the sender for an unprotected copy."
        )
        raise UnreadableFile("encrypted", path, message) from exc
    return out.getvalue()


def _read_package(path: Path, stream: io.BytesIO, kind: str) -> Workbook:
    """A zip package: refuse bombs and DTDs first, then structure, then values."""
    structure = BookStructure()
    try:
        with zipfile.ZipFile(stream) as zf:
            check_zip(zf, path)
            kept = check_xml_prologs(zf, path)
            if kind in ("xlsx", "xlsm"):
                structure = read_structure(zf, path, kept)
    except ZIP_ERRORS as exc:
        raise UnreadableFile("corrupt-workbook", path, what=DESCRIPTIONS[kind]) from exc
    return _workbook(path, kind, stream, structure)


def _workbook(path: Path, kind: str, stream: io.BytesIO, structure: BookStructure) -> Workbook:
    huge = {name: s for name, s in structure.sheets.items() if too_large(s.extent)}
    stream.seek(0)
    try:
        raw_sheets = read_values(stream, frozenset(huge))
    except CalamineFailed as exc:
        if exc.password:
            raise UnreadableFile("encrypted", path) from exc
        raise UnreadableFile("corrupt-workbook", path, what=DESCRIPTIONS[kind]) from exc
    notes = list(structure.notes)
    if huge:
        _read_huge(stream, raw_sheets, huge, notes)
    sheets = []
    for raw in raw_sheets:
        found = structure.sheets.get(raw.name)
        if found:
            _restore_texts(raw.rows, found.texts)
        rows = trim(raw.rows, keep=found.uncalculated if found else ())
        sheet = Sheet(name=raw.name, rows=rows, visible=raw.visible, date_cells=date_cells(rows))
        if found:
            sheet.merged, sheet.formulas = found.merged, found.formulas
            sheet.uncalculated = found.uncalculated
        elif raw.merged:
            sheet.merged = raw.merged
        sheets.append(sheet)
    return Workbook(
        path=path,
        kind=kind,
        sheets=sheets,
        notes=notes,
        date1904=structure.date1904,
        needs_recalc=structure.needs_recalc,
    )


def _read_huge(stream: io.BytesIO, raw_sheets: list[RawSheet],
               huge: dict[str, SheetStructure], notes: list[str]) -> None:
    """Read sheets with values absurdly far apart cell by cell, keeping those near A1."""
    stream.seek(0)
    with zipfile.ZipFile(stream) as zf:
        strings = shared_strings(zf, "xl/sharedStrings.xml")
        for raw in raw_sheets:
            if raw.name not in huge:
                continue
            raw.rows, outside, first = read_sparse(zf.read(huge[raw.name].part), strings)
            if outside:
                notes.append(
                    f"Sheet '{raw.name}' has {outside} value(s) far outside its data (the "
                    f"first at {first}); they were not read. Check and delete them.")


def _restore_texts(rows: list[list[CellValue]], texts: dict[tuple[int, int], str]) -> None:
    """Put back the exact text calamine lost: 'Provider East' not 'ProviderEast',
    '#REF!' not an empty cell."""
    for (r, c), text in texts.items():
        if r < len(rows) and c < len(rows[r]) and text.strip():
            rows[r][c] = text


def _read_csv(path: Path, data: bytes) -> Workbook:
    text = decode_text(data) or data.decode("cp1252", errors="replace")
    try:
        sheet = read_csv(text, safe_sheet_name(path.stem))
    except Exception as exc:  # csv.Error: a field too long, a NUL byte
        raise UnreadableFile("corrupt-workbook", path, what=DESCRIPTIONS["csv"]) from exc
    return Workbook(path=path, kind="csv", sheets=[sheet])


def _read_html(path: Path, data: bytes) -> Workbook:
    text = decode_text(data) or data.decode("cp1252", errors="replace")
    sheets = read_html_tables(text)
    if not sheets:
        what = "it is a web page with no table in it"
        raise UnreadableFile("not-a-spreadsheet", path, what=what)
    return Workbook(path=path, kind="html", sheets=sheets)


def _misnamed_note(path: Path, kind: str) -> str | None:
    suffix = path.suffix.lower()
    expected = _EXPECTED.get(suffix)
    if expected is None or expected == kind:
        return None
    return (
        f"'{path.name}' is named {suffix} but is really {DESCRIPTIONS[kind]}; its values were read."
    )
