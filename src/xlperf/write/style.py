"""Shared look: RAG colours (colour-blind-safe, always with the word), formats, print setup."""

from __future__ import annotations

from typing import Any

# Okabe-Ito colours: told apart by people with the common colour-vision deficiencies, and
# by lightness in greyscale print. The word is always in the cell too.
RAG_COLOURS: dict[str, tuple[str, str]] = {  # word -> (fill, font)
    "Red": ("#D55E00", "#FFFFFF"),
    "Amber/Red": ("#E69F00", "#000000"),
    "Amber": ("#F0E442", "#000000"),
    "Amber/Green": ("#B8E186", "#000000"),
    "Green": ("#009E73", "#FFFFFF"),
    "Complete": ("#0072B2", "#FFFFFF"),
}
HEADER_FILL = "#1F3864"
DATE_FORMAT = "dd/mm/yyyy"

WORKBOOK_OPTIONS: dict[str, Any] = {
    # partner text is data: never turn strings into formulas, numbers or links
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": DATE_FORMAT,
}


class Formats:
    """The formats one workbook uses, made once."""

    def __init__(self, book: Any) -> None:
        self.header = book.add_format({"bold": True, "font_color": "#FFFFFF",
                                       "bg_color": HEADER_FILL, "text_wrap": True,
                                       "valign": "top", "border": 1})
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.subtitle = book.add_format({"bold": True, "font_size": 12})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.text = book.add_format({"valign": "top"})
        self.date = book.add_format({"num_format": DATE_FORMAT, "valign": "top",
                                     "align": "left"})
        self.percent = book.add_format({"num_format": "0%", "valign": "top"})
        self.number = book.add_format({"num_format": "#,##0.##", "valign": "top"})
        self.money = book.add_format({"num_format": "£#,##0.00", "valign": "top"})
        self.bold = book.add_format({"bold": True, "valign": "top"})
        self.input = book.add_format({"bg_color": "#FFF8DC", "border": 1, "text_wrap": True,
                                      "valign": "top"})
        self.input_number = book.add_format({"bg_color": "#FFF8DC", "border": 1,
                                             "num_format": "#,##0", "valign": "top"})
        self.input_total = book.add_format({"bg_color": "#FFF8DC", "border": 1, "bold": True,
                                            "num_format": "#,##0", "valign": "top"})
        self.input_date = book.add_format({"bg_color": "#FFF8DC", "border": 1,
                                           "num_format": DATE_FORMAT, "align": "left"})
        self.rag = {word: book.add_format({"bg_color": fill, "font_color": font, "bold": True})
                    for word, (fill, font) in RAG_COLOURS.items()}


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` needs when wrapped at ``per_line`` characters. Excel and LibreOffice
    do not grow rows a library writes, so writers set heights from this."""
    if not text:
        return 1
    return sum(max(1, -(-len(part) // max(1, per_line))) for part in text.split("\n"))


def add_rag_colours(sheet: Any, formats: Formats, first_row: int, col: int,
                    last_row: int) -> None:
    """Conditional formats that colour a RAG column by its word (the word stays visible)."""
    for word, fmt in formats.rag.items():
        sheet.conditional_format(first_row, col, last_row, col, {
            "type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})


def print_setup(sheet: Any, header_rows: int = 1) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.set_footer("&L&A&RPage &P of &N")
