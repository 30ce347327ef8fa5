"""Word-ready reports: the 4Ps progress report, the board briefing, the annual report.

``data`` and ``views`` are the pure core (what a report says); ``readback`` reads a
partnership workbook back into it; ``render`` fills the jinja2 templates (Markdown,
HTML); ``docx`` turns the Markdown into a Word document; ``output`` writes atomically.
"""

from xlperf.report.data import ReportData, UnknownAgency, from_consolidation, select

KINDS = {"4ps": "4Ps progress report", "briefing": "Board briefing", "annual": "Annual report"}
FORMATS = ("docx", "md", "html")

__all__ = ["FORMATS", "KINDS", "ReportData", "UnknownAgency", "from_consolidation", "select"]
