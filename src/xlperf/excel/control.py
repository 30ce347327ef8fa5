"""The Control sheet of the macro-enabled templates, declared once.

The workbook builder (:mod:`xlperf.excel.xlsm`) writes the sheet and its buttons from
these declarations, the button functions (:mod:`xlperf.excel.buttons`) read and write
its cells by their labels, and the VBA module (``vba/xlperf.bas``) calls one macro per
button. Pure: no spreadsheet library.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET = "Control"
#: the VBA module that holds the button macros (``vba/xlperf.bas``)
VBA_MODULE = "xlperf"
#: 0-based row of the first labelled cell (label in column A, value in column B)
FIRST_ROW = 5


@dataclass(frozen=True)
class Field:
    """One labelled cell: typed by the user (``typed``) or written by xlperf."""

    key: str
    label: str
    help: str
    typed: bool = True


@dataclass(frozen=True)
class Button:
    """A button on the Control sheet: its VBA macro runs one xlperf.excel function."""

    function: str  # the xlperf.excel function, and the xlperf server's script name
    macro: str  # the VBA Sub the button calls
    caption: str
    help: str

    @property
    def command(self) -> str:
        """The Python the macro hands to xlwings' RunPython."""
        return f"import xlperf.excel; xlperf.excel.{self.function}()"


FOLDER = Field("folder", "Returns folder",
               "The folder holding the agency returns to consolidate: its full path, e.g. "
               r"C:\Partnership\Returns\2025-26 Q2. Sub-folders are read too.")
PARTNERSHIP = Field("partnership", "Partnership file",
                    "Optional: the partnership's TOML file (members and sub-groups), so the "
                    "members that have not sent a return are listed.")
OUTPUT_FOLDER = Field("output_folder", "Save outputs in",
                      "Optional: the folder for the partnership workbook and the report. "
                      "Blank: the folder that holds the returns folder.")
SERVER = Field("server", "xlperf server",
               "Optional: the address of an xlperf server (e.g. http://127.0.0.1:8000). "
               "Blank: the buttons run Python on this PC.")
STATUS = Field("status", "Last run", "What the last button did (written by xlperf).",
               typed=False)
OUTPUT = Field("output", "Last output", "The file the last button wrote (written by xlperf).",
               typed=False)

CHECK = Button("check", "XlperfCheck", "Check this workbook",
               "Lists every problem on a sheet called Issues and colours the cells to fix.")
UPDATE_RAG = Button("update_rag", "XlperfUpdateRag", "Update computed RAG",
                    "Writes xlperf's RAG for each action into the Computed RAG column, as at "
                    "the date on the Instructions sheet.")
CONSOLIDATE = Button("consolidate", "XlperfConsolidate", "Consolidate returns",
                     "Reads every return in the returns folder and writes the partnership "
                     "workbook.")
REPORT = Button("report", "XlperfReport", "Write 4Ps report",
                "Writes the 4Ps report (Progress, Problems, Priorities, Points for action) "
                "from the returns folder.")
BUTTONS = (CHECK, UPDATE_RAG, CONSOLIDATE, REPORT)


@dataclass(frozen=True)
class Control:
    """The Control sheet of one template: its labelled cells and its buttons."""

    fields: tuple[Field, ...]
    buttons: tuple[Button, ...]
    intro: str

    @property
    def needs(self) -> str:
        """What the buttons need, and the RAG date where there is an Update RAG button."""
        return f"{NEEDS} {RAG_AS_OF}" if UPDATE_RAG in self.buttons else NEEDS


CONTROLS: dict[str, Control] = {
    "action-plan": Control(
        fields=(FOLDER, PARTNERSHIP, OUTPUT_FOLDER, SERVER, STATUS, OUTPUT),
        buttons=BUTTONS,
        intro="The coordinator's buttons: check this plan, update its computed RAG, "
              "consolidate a folder of agency returns, and write the 4Ps report.",
    ),
    "monitoring-return": Control(
        fields=(SERVER, STATUS, OUTPUT),
        buttons=(CHECK, UPDATE_RAG),
        intro="Check your return before you send it: every problem is listed with its "
              "cell, and the cells to fix are coloured.",
    ),
    "indicator-framework": Control(
        fields=(SERVER, STATUS, OUTPUT),
        buttons=(CHECK,),
        intro="Check the framework before you share it: each indicator needs a target, a "
              "baseline and a specific objective; every problem is listed with its cell, "
              "and the cells to fix are coloured.",
    ),
    "logframe": Control(
        fields=(SERVER, STATUS, OUTPUT),
        buttons=(CHECK,),
        intro="Check the logframe before you share it: every problem is listed with its "
              "cell, and the cells to fix are coloured.",
    ),
}

#: what the buttons need, said on every Control sheet
NEEDS = ("The buttons need, on this PC: Python with xlperf and its excel extra (in the "
         "xlperf folder: python -m pip install \".[excel]\") and the xlwings add-in "
         "(xlwings addin install), or an xlperf server named below.")
#: added where there is an Update RAG button
RAG_AS_OF = "RAG is worked out as at the date on the Instructions sheet."
