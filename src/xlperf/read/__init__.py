"""Reading partners' files: any spreadsheet-like file in, a plain Workbook out.

``read_workbook`` decides what a file is from its content, refuses hostile or
unreadable files with an :class:`UnreadableFile` whose message says what to do,
and otherwise returns values plus the structure it could read (merged cells,
formulas, uncalculated cells).
"""

from xlperf.read.errors import ReaderUnavailable, UnreadableFile
from xlperf.read.sniff import is_lock_or_system_file, sniff
from xlperf.read.workbook import read_workbook

__all__ = ["ReaderUnavailable", "UnreadableFile", "is_lock_or_system_file", "read_workbook",
           "sniff"]
