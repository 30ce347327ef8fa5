"""Refuse hostile packages before any parser sees them: zip bombs and XML entity tricks.

Both checks are cheap: the zip check reads only the central directory, the XML
check only the prolog of each part (a DTD must come before the root element).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from xlperf.read.errors import UnreadableFile

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # small parts may compress extremely well and harmlessly
_PROLOG_LIMIT = 65_536
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[^?!]")
#: what zipfile raises for a damaged archive or part (RuntimeError: a zip password;
#: NotImplementedError: an unknown compression method)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    KeyError,
    ValueError,
)


def check_zip(zf: zipfile.ZipFile, path: Path) -> None:
    """Raise UnreadableFile('zip-bomb') for too many entries, too much data, or
    an entry that expands more than any real workbook part does."""
    entries = zf.infolist()
    if len(entries) > MAX_ENTRIES:
        raise UnreadableFile("zip-bomb", path, why=f"{len(entries):,} parts")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_TOTAL_BYTES:
        raise UnreadableFile("zip-bomb", path, why=f"{total // 1024 // 1024:,} MB unpacked")
    for entry in entries:
        size, packed = entry.file_size, max(entry.compress_size, 1)
        if size > RATIO_CHECKED_FROM and size / packed > MAX_RATIO:
            why = f"part {entry.filename} expands {size // packed:,} times"
            raise UnreadableFile("zip-bomb", path, why=why)


#: XML parts up to this size are read whole once and kept for the structure scan
KEEP_BELOW = 2 * 1024 * 1024


def check_xml_prologs(zf: zipfile.ZipFile, path: Path) -> dict[str, bytes]:
    """Raise UnreadableFile('hostile-xml') if any XML part declares a DTD or entities.

    Excel never writes a DTD, so any is refused, before calamine (which would fail
    with an unhelpful message) or our own parser reads the part. Small parts are read
    whole (one decompression) and returned by name, so the structure scan need not
    read them again; large ones are read only up to their root element.
    """
    kept: dict[str, bytes] = {}
    for entry in zf.infolist():
        if not entry.filename.lower().endswith(_XML_SUFFIXES):
            continue
        if entry.file_size <= KEEP_BELOW:
            try:
                data = zf.read(entry)
            except ZIP_ERRORS:
                continue  # a damaged part: whoever reads it next will say so
            kept[entry.filename] = data
            if _DTD.search(data[:_PROLOG_LIMIT].replace(b"\x00", b"")):
                raise UnreadableFile("hostile-xml", path)
        elif _declares_dtd(zf, entry):
            raise UnreadableFile("hostile-xml", path)
    return kept


def _declares_dtd(zf: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Read until the root element starts (at most 64 KB) and look for a DTD.

    ``<!DOCTYPE`` and ``<!ENTITY`` cannot appear raw in element content, so the
    whole buffer read is searched, not only the part before the root.
    """
    head = b""
    try:
        with zf.open(entry) as part:
            while len(head) < _PROLOG_LIMIT:
                chunk = part.read(4096)
                if not chunk:
                    break
                head += chunk.replace(b"\x00", b"")  # UTF-16 parts: keep the ASCII bytes
                if _ROOT_START.search(head):
                    break
    except ZIP_ERRORS:
        pass  # a damaged part: whoever reads it next will say so
    return _DTD.search(head) is not None
