"""What a file really is, from its content (never its name), and which names to skip."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import BinaryIO

import msoffcrypto

from xlperf.read.safety import ZIP_ERRORS
from xlperf.read.text import csv_delimiter, decode_text, looks_like_html

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 65_536
_SYSTEM_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_LIBREOFFICE_LOCK = re.compile(
    r"[^,\n]*,[^,\n]*,[^,\n]*,\d{2}\.\d{2}\.\d{4} \d{2}:\d{2},[^\n]*;\s*", re.ASCII
)
#: content type (in [Content_Types].xml) -> kind; macro-enabled first
_CONTENT_TYPES = (
    (b"application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xlsm"),
    (b"application/vnd.ms-excel.template.macroEnabled.main+xml", "xlsm"),
    (b"application/vnd.ms-excel.addin.macroEnabled.main+xml", "xlsm"),
    (b"spreadsheetml.sheet.main+xml", "xlsx"),
    (b"spreadsheetml.template.main+xml", "xlsx"),
    (b"application/vnd.ms-excel.sheet.binary.macroEnabled.main", "xlsb"),
)
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_XML_SPREADSHEET_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"


def is_lock_or_system_file(path: Path) -> bool:
    """True for names to skip when walking a folder: lock files and OS clutter.

    Excel owner files (``~$*``), LibreOffice locks (``.~lock.*#``), macOS ``.DS_Store``
    and ``._*`` resource forks, Windows ``Thumbs.db`` and ``desktop.ini``.
    """
    name = path.name
    return (
        name.startswith(("~$", "._"))
        or (name.startswith(".~lock.") and name.endswith("#"))
        or name.lower() in _SYSTEM_NAMES
    )


def sniff(path: Path) -> str:
    """What the file at ``path`` really is, judged from its bytes.

    One of: xlsx, xlsm, xlsb, xls, ods, csv, html, office-lock, libreoffice-lock,
    encrypted, empty, zip-other, unknown.
    """
    with path.open("rb") as f:
        return sniff_stream(f)


def sniff_stream(f: BinaryIO) -> str:
    """Like :func:`sniff`, on an open binary file (left at position 0)."""
    f.seek(0)
    head = f.read(_HEAD)
    complete = len(f.read(1)) == 0
    f.seek(0)
    try:
        return _kind(f, head, complete)
    finally:
        f.seek(0)


def _kind(f: BinaryIO, head: bytes, complete: bool) -> str:
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return zip_kind(f)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(f)
    if complete and is_office_lock(head):
        return "office-lock"
    text = decode_text(head, final=complete)
    if text is None:
        return "unknown"
    if complete and _LIBREOFFICE_LOCK.fullmatch(text.lstrip("\ufeff")):
        return "libreoffice-lock"
    if looks_like_html(text):
        return "html"
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        return "unknown"  # XML, such as an Excel 2003 XML spreadsheet saved as .xls
    if csv_delimiter(text, complete=complete) is not None:
        return "csv"
    return "unknown"


def zip_kind(f: BinaryIO) -> str:
    """xlsx, xlsm, xlsb or ods from the package's own description; else zip-other."""
    try:
        with zipfile.ZipFile(f) as zf:
            names = {name.replace("\\", "/").lower(): name for name in zf.namelist()}
            mimetype = names.get("mimetype")
            if mimetype and _read_start(zf, mimetype, 200).startswith(_ODS_MIMETYPE):
                return "ods"
            types = b""
            if "[content_types].xml" in names:
                types = _read_start(zf, names["[content_types].xml"], 1_000_000)
    except ZIP_ERRORS:
        return "zip-other"
    for marker, kind in _CONTENT_TYPES:
        if marker in types:
            return kind
    if not types and "xl/workbook.xml" in names:
        return "xlsx"
    return "zip-other"


def _read_start(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as entry:
        return entry.read(limit)


def _ole_kind(f: BinaryIO) -> str:
    """An OLE compound file: an encrypted OOXML or xls, a plain xls, or something else."""
    try:
        office = msoffcrypto.OfficeFile(f)
    except msoffcrypto.exceptions.FileFormatError:
        return "unknown"  # Word, PowerPoint or another OLE file
    except Exception:
        return "xls"  # a damaged compound file; let the workbook reader say so
    fmt = getattr(office, "format", "")
    if fmt not in ("ooxml", "xls97"):
        return "unknown"
    try:
        encrypted = bool(office.is_encrypted())
    except Exception:
        encrypted = fmt == "ooxml"
    return "encrypted" if encrypted or fmt == "ooxml" else "xls"


def describe_other(f: BinaryIO) -> str:
    """What a file that is not a spreadsheet seems to be, in plain words ('it is a PDF')."""
    f.seek(0)
    head = f.read(_HEAD)
    f.seek(0)
    if head.startswith(b"%PDF"):
        return "it is a PDF document"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "it is an image"
    if head.startswith(ZIP_MAGIC):
        return _describe_zip(f)
    if head.startswith(OLE_MAGIC):
        return _describe_ole(f)
    if _XML_SPREADSHEET_2003 in head:
        return "it is in the old Excel 2003 XML format, which xlperf cannot read"
    if decode_text(head, final=False) is not None:
        return "it is text without a table or regular columns in it"
    return "its content is in no spreadsheet format xlperf knows"


def is_damaged_workbook_zip(f: BinaryIO) -> bool:
    """A zip that cannot be opened (e.g. cut short) whose first parts are a workbook's."""
    f.seek(0)
    head = f.read(_HEAD)
    f.seek(0)
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        zipfile.ZipFile(f).close()
        return False
    except ZIP_ERRORS:
        return b"xl/" in head or _ODS_MIMETYPE in head
    finally:
        f.seek(0)


def _describe_zip(f: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(f) as zf:
            names = {name.lower(): name for name in zf.namelist()}
            types = b""
            if "[content_types].xml" in names:
                types = _read_start(zf, names["[content_types].xml"], 1_000_000)
    except ZIP_ERRORS:
        return "it is a damaged zip archive"
    finally:
        f.seek(0)
    if b"wordprocessingml" in types:
        return "it is a Word document"
    if b"presentationml" in types:
        return "it is a PowerPoint presentation"
    return "it is a zip archive with no workbook in it"


def _describe_ole(f: BinaryIO) -> str:
    try:
        fmt = str(getattr(msoffcrypto.OfficeFile(f), "format", ""))
    except Exception:
        fmt = ""
    finally:
        f.seek(0)
    if fmt == "doc97":
        return "it is an old-style Word document"
    if fmt == "ppt97":
        return "it is an old-style PowerPoint file"
    return "it is an Office file with no workbook in it"


def is_office_lock(data: bytes) -> bool:
    """An Excel/Word owner file: the user's name as a length byte and padded ANSI text,
    then the same length as a 16-bit number and the name again in UTF-16.

    Real ones are 162 or 165 bytes; the padding varies between Office versions.
    """
    if not 64 <= len(data) <= 512:
        return False
    n = data[0]
    if not 1 <= n <= 54 or any(b < 0x20 for b in data[1 : 1 + n]):
        return False
    for marker in range(1 + n, min(len(data) - 2 * n - 2, 1 + n + 64) + 1):
        if data[marker] == n and data[marker + 1] == 0 and _spaces(data[1 + n : marker]):
            return _utf16_name(data[marker + 2 : marker + 2 + 2 * n])
    return False


def _spaces(padding: bytes) -> bool:
    return padding == b" " * len(padding)


def _utf16_name(raw: bytes) -> bool:
    try:
        name = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return False
    return bool(name.strip()) and all(ch >= " " for ch in name)
