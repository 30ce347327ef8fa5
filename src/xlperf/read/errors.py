"""What readers raise: a file that cannot be read at all (:class:`UnreadableFile`), or
no spreadsheet reader on this Python (:class:`ReaderUnavailable`).

Each code has one message template, written for a partnership coordinator:
what the file is, why it cannot be read, and what to do about it.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: code -> message template; ``{name}`` is the file's name, other fields are per code
MESSAGES: dict[str, str] = {
    "file-not-found": "'{name}' was not found; check the path and that the file was not moved.",
    "cannot-open": (
        "'{name}' could not be opened ({reason}); close it in Excel if it is open there, "
        "check you are allowed to read it, and try again."
    ),
    "lock-file": (
        "'{name}' is {app} lock file ({maker} makes it while someone has {target} open); "
        "it holds no data. Delete it or ignore it."
    ),
    "encrypted": (
        "'{name}' is protected with a password to open. "
        "Give the password with --password, or ask the sender for an unprotected copy."
    ),
    "wrong-password": (
        "'{name}' is protected with a password to open and the password given is not right; "
        "check it (passwords are case-sensitive) or ask the sender for an unprotected copy."
    ),
    "not-a-spreadsheet": (
        "'{name}' is not a spreadsheet ({what}); save it from Excel as .xlsx and send that instead."
    ),
    "empty-file": (
        "'{name}' is empty (0 bytes), probably because it did not finish saving or copying; "
        "ask the sender to send it again."
    ),
    "hostile-xml": (
        "'{name}' contains an XML entity declaration (a known attack); xlperf refuses to read it. "
        "Ask the sender to re-save it from Excel."
    ),
    "zip-bomb": (
        "'{name}' unpacks to far more data than any real workbook ({why}), a known attack; "
        "xlperf refuses to read it. Ask the sender to re-save it from Excel."
    ),
    "corrupt-workbook": (
        "'{name}' looks like {what} but is damaged and cannot be read; "
        "ask the sender to open it in Excel, save it again and resend it."
    ),
}


class UnreadableFile(Exception):
    """The file cannot be read at all; ``str(exc)`` is a message a coordinator can act on."""

    code: str
    path: Path

    def __init__(self, code: str, path: Path, message: str | None = None, **fields: str) -> None:
        if message is None:
            message = MESSAGES[code].format(name=path.name, **fields)
        super().__init__(message)
        self.code = code
        self.path = path

    @property
    def message(self) -> str:
        return str(self.args[0])


class ReaderUnavailable(Exception):
    """python-calamine, which reads spreadsheet files, is not installed: this stops the
    run (every file would fail alike). In xlwings Lite it cannot be installed at all."""

    def __init__(self, message: str | None = None) -> None:  # given when unpickled
        super().__init__(message or _no_reader_message())


def _no_reader_message() -> str:
    if sys.platform == "emscripten":  # Pyodide: xlwings Lite
        return ("xlperf cannot read workbook files in xlwings Lite: the file reader it uses "
                "(python-calamine) has no build for Python in the browser. In Lite, use Check "
                "and Update RAG on the open workbook; to read a folder of returns, use xlperf "
                "on a PC or the desktop buttons.")
    return ("xlperf needs python-calamine to read workbook files, and it is not installed "
            "here. Install it with: python -m pip install python-calamine")
