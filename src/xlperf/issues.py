"""Problems a user can act on: one Issue type and the catalogue of codes.

Every check in xlperf reports an :class:`Issue` with a stable kebab-case code.
The catalogue below is the single source of each code's title, severity,
description and message template; ``docs/issue-codes.md`` is generated from it
(``xlperf codes --markdown``) and a test fails if a code is used but missing.
Positions are filled by :class:`Where`, never built by hand in a rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from xlperf.cells import a1


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    severity: Severity
    description: str
    message: str  # a str.format template; every code's fields are named


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: note (info)

_CODES = [
    # --- files --------------------------------------------------------------------------
    Code("file-unreadable", "File cannot be read", E,
         "The file is not a workbook xlperf can read (a lock file, password-protected, "
         "not a spreadsheet, damaged or hostile). Nothing in it was read.", "{reason}"),
    Code("file-skipped", "File skipped", N,
         "Files that hold no return are skipped and listed: Office and LibreOffice lock "
         "files, .DS_Store and Thumbs.db, files that are not spreadsheets, and workbooks "
         "xlperf wrote itself.", "Skipped {reason}"),
    Code("file-note", "Part of the file was not read", N,
         "The values were read but something else (formatting, merged cells) could not be.",
         "{note}"),
    Code("no-tables-found", "No action or indicator table found", E,
         "No sheet has a header row xlperf recognises (e.g. Action, Owner, Due date, RAG; "
         "or Indicator, Target, Actual).",
         "No action or indicator table found. Sheets looked at: {sheets}. Use the xlperf "
         "monitoring-return template, or give the table a header row such as "
         "'Action | Owner | Due date | RAG'."),
    Code("no-data-rows", "Tables found but empty", W,
         "The workbook has tables xlperf recognises, but no rows of data in them (a blank "
         "form).",
         "Tables found ({tables}) but no data rows: is this a blank form?"),
    Code("planning-workbook", "Planning workbook checked", N,
         "An indicator framework, logframe or care pathway is checked against its template; "
         "it is not a return, so consolidate does not count it.",
         "{name} is {what}: checked against its template, not consolidated{how}."),
    Code("template-sheet-missing", "Template sheet missing", E,
         "A sheet the template declares is not in the workbook (renamed or deleted).",
         "Sheet '{expected}' not found; sheets are: {sheets}. Restore it from a fresh "
         "template."),
    Code("template-sheet-renamed", "Template sheet renamed", W,
         "A sheet the template declares was found under another name (by its headings) "
         "and read from there.",
         "Sheet '{expected}' not found; read sheet '{found}' instead, which has its "
         "headings. Keep the template's sheet names."),
    Code("template-column-missing", "Template column missing", E,
         "A column the template declares is not in the header row.",
         "Column '{expected}' not found in the header row; columns are: {columns}."),
    Code("template-column-renamed", "Template column renamed", W,
         "A template column was found under another heading that means the same thing "
         "(e.g. 'Deadline' for 'Due') and read from there.",
         "Column '{expected}' is headed '{found}'; read as {expected}. Keep the template's "
         "headings."),
    Code("template-version-unknown", "Newer template version", W,
         "The workbook was made from a template version this xlperf does not know.",
         "Template '{kind}' version {version} is newer than this xlperf knows ({known}); "
         "it was read by column names. Update xlperf."),
    # --- values -------------------------------------------------------------------------
    Code("required-missing", "Required value missing", E,
         "A required cell is empty.", "{field} is required. Fill in {cell}."),
    Code("placeholder-in-required", "Placeholder left in a required cell", E,
         "A required cell still holds the form's placeholder text.",
         "{field} still says '{value}'. Choose or type the real value."),
    Code("placeholder-left", "Placeholder counted as empty", N,
         "A cell holds placeholder text ('< Select >', 'tbc', 'n/a', '-'); it counts as empty.",
         "'{value}' in {field} counts as empty."),
    Code("value-not-allowed", "Value not in the allowed list", E,
         "The value is not one of the choices the template allows.",
         "{field} is '{value}'; allowed: {allowed}."),
    Code("date-unreadable", "Date cannot be read", W,
         "The text is not a date xlperf can read. Use dd/mm/yyyy.",
         "{field}: {detail}."),
    Code("date-as-text", "Date typed as text", W,
         "A date cell of an xlperf template holds text. xlperf reads it, but Excel cannot sort "
         "it and the template's RAG formula cannot use it.",
         "{field} '{value}' is text; read as {date}. Type a real date (dd/mm/yyyy)."),
    Code("date-impossible", "Impossible date", E,
         "The date does not exist (e.g. 31/02/2025).",
         "{field}: {detail}. Correct it (dd/mm/yyyy)."),
    Code("date-month-first", "Date valid only month-first", E,
         "The date is only valid if read month first (US order). xlperf never guesses.",
         "{field}: {detail}. xlperf never guesses."),
    Code("date-ambiguous-year", "Date with an unclear year", W,
         "The year of the date cannot be placed with confidence.",
         "{field}: {detail}."),
    Code("period-unreadable", "Reporting period cannot be read", W,
         "The reporting period is not a form xlperf knows (an error on a return's cover "
         "sheet, where the return cannot be placed in time without it).",
         "{field}: {detail}. Write the period like 'Q1 2025/26'."),
    Code("percent-out-of-range", "Percent outside 0 to 100", E,
         "Percent complete must be between 0% and 100%.",
         "{field} is {value}; it must be between 0% and 100%."),
    Code("number-unreadable", "Number cannot be read", E,
         "A numeric cell holds text that is not a number.",
         "{field} '{value}' is not a number."),
    Code("yes-no-unreadable", "Yes/No value not recognised", W,
         "A yes/no cell holds something other than Yes or No.",
         "{field} '{value}' is not Yes or No."),
    Code("number-from-text", "Number read from text", N,
         "A figure written as prose in a workbook xlperf did not make; the number it clearly "
         "states was used and the text kept beside it.",
         "{field} '{value}' read as {number}; the text is kept as written."),
    Code("rag-unknown", "RAG value not recognised", W,
         "The RAG cell holds a word that is not in the RAG vocabulary.",
         "{field} '{value}' is not a RAG rating. Use Red, Amber, Green or Complete."),
    Code("due-before-start", "Due date before start date", E,
         "The due date is earlier than the start date.",
         "Due {due} is before start {start}. Correct one of them."),
    Code("owner-missing", "Action has no owner", W,
         "Every action needs an owner (agency or person) who is accountable for it.",
         "Action '{action}' has no owner. Name the agency or person responsible."),
    Code("rag-disagrees-with-dates", "Reported RAG contradicts the dates", W,
         "The reported RAG is better than the facts allow: the action is overdue and not "
         "complete.",
         "Reported {reported} but due {due} had passed by {judged} and the action is not "
         "complete (computed {computed}). Review the rating."),
    Code("rag-not-computable", "RAG cannot be computed", N,
         "The action has no readable due date, so xlperf cannot compute its RAG.",
         "No readable due date for '{action}': computed RAG left blank."),
    Code("formula-not-calculated", "Formula with no calculated value", E,
         "The cell holds a formula that was never calculated, so its value is unknown. "
         "xlperf never reads it as blank or 0.",
         "{cell} holds a formula with no calculated value. Open the file in Excel or "
         "LibreOffice, recalculate (F9), save, and send it again."),
    Code("formula-needs-recalc", "Workbook asks to be recalculated", W,
         "The workbook is flagged to recalculate when opened, so its saved formula results "
         "(often zeros) may be stale.",
         "{cell} is a formula whose saved value ({value}) may be stale: the workbook asks "
         "to be recalculated. Open it in Excel, save, and send it again."),
    Code("duplicate-action-id", "Duplicate action reference", E,
         "Two actions in one return share a reference.",
         "Action reference '{ref}' is used again (first at {first})."),
    Code("example-row-skipped", "Example row skipped", N,
         "A row the form marks as an example was not read as data.",
         "Row {row} is an example row; it was not read."),
    Code("row-rejected", "Row rejected", E,
         "A data row could not become an action or an indicator figure; it is listed here "
         "so nothing is lost.", "Row {row} rejected: {reason}"),
    Code("breakdown-total-mismatch", "Total is not the sum of its parts", W,
         "An indicator reported with a breakdown (e.g. NRM referrals by exploitation type) "
         "has a Total that differs from the sum of its breakdown figures.",
         "{indicator}: Total {total} but the breakdown adds up to {sum} ({parts}). Correct "
         "the total or the parts."),
    Code("total-worked-out", "Total worked out from the parts", N,
         "An indicator given only in parts (a breakdown without its Total, or the NRM "
         "referral table with its grand Total blank): xlperf added up the parts so the "
         "figures still count in the summaries, and says so.",
         "{indicator}: no Total given, so xlperf added up the parts: {total}. Give the "
         "Total if it differs (some may have no breakdown)."),
    Code("figure-implausible", "Figure that cannot be right", W,
         "A figure outside what the indicator allows: a negative or fractional count, a "
         "numerator larger than its denominator, a denominator of zero.",
         "{indicator}: {value} cannot be right ({why}). Check the figure."),
    Code("optional-sheet-missing", "Optional sheet not in the return", N,
         "A sheet the template has but older returns may not (the NRM referrals table) is "
         "missing, so nothing was read from it.",
         "No sheet '{expected}' in this return, so no {what} were read from it. Returns "
         "made from an older template do not have it; if it was renamed, give it its name "
         "back."),
    Code("indicator-repeated", "Indicator reported twice", W,
         "The same indicator (and breakdown) appears more than once in one return, for "
         "the same period; the summaries count equal figures once and add different ones.",
         "'{indicator}' is reported more than once in this return ({cells}); the summaries "
         "count equal figures once and add different ones. Keep one, or tell them apart "
         "with a Breakdown."),
    Code("proportion-as-percent", "Proportion given as a plain number", W,
         "The framework says the indicator is a proportion, but the return gives a plain "
         "number above 1 and no denominator: it is read as a percentage.",
         "'{indicator}' is a proportion, but {agency} gave {what} of {value}: read as "
         "{value}%. "
         "Give a numerator and a denominator, or type it as a percentage (e.g. 35%)."),
    Code("status-progress-mismatch", "Status and progress disagree", W,
         "An action marked Not started already has progress recorded.",
         "Status is {status} but {progress}% is done. Correct the status or the progress."),
    Code("reported-complete-not-done", "Reported Complete but not done", W,
         "The reported RAG says Complete, but the status is not Complete and progress is "
         "under 100%.",
         "Reported Complete, but the action is {status} and {progress}% done. Update the "
         "status and progress, or the rating."),
    Code("target-repeated", "Target given twice", W,
         "The indicator framework gives one indicator two targets for the same period; "
         "they are never added up: the first is used.",
         "{indicator} has more than one target for {period}; the first is used. Keep one."),
    Code("framework-id-repeated", "Indicator ID used twice", W,
         "Two indicators in the framework share an ID, so targets and links cannot tell "
         "them apart; the first keeps it.",
         "ID {ref} is already used by another indicator; '{indicator}' is left out until "
         "it has its own ID."),
    Code("indicator-no-target", "Indicator without a target", W,
         "SMART: an indicator with no target cannot show progress (not measurable).",
         "'{indicator}' has no target. Add a row on the Targets sheet with its ID, a "
         "period and a value."),
    Code("indicator-no-baseline", "Indicator without a baseline", W,
         "SMART: without a baseline there is nothing to measure change against.",
         "'{indicator}' has no baseline. Give the value before the work began, and when."),
    Code("link-broken", "Broken link in the results chain", W,
         "An indicator in the framework names linked actions that no return reports.",
         "'{indicator}' is linked to action(s) {refs}, which no return reports. Correct the "
         "references or the plan."),
    Code("objective-not-measured", "Objective without an indicator", W,
         "SMART: an objective the actions serve has no indicator in the framework, so its "
         "progress cannot be measured.",
         "No indicator in the framework measures the objective '{objective}'. Add one."),
    Code("logframe-empty", "Logframe not filled in", N,
         "The workbook has a logframe's structure (levels, indicator blocks) but nothing "
         "written in it yet.",
         "This {layout} has its structure but nothing is filled in yet."),
    Code("logframe-level-missing", "Logframe level missing", W,
         "The results chain needs a Goal (impact), a Purpose (outcome) and Outputs; a "
         "logframe without one of them cannot show how the work leads to the change.",
         "The logframe has no {levels} level. Add it, so the chain runs from what is done "
         "to the change it should bring."),
    Code("logframe-level-unknown", "Logframe level not recognised", W,
         "A row of the logframe sits under a level label xlperf does not recognise (Goal, "
         "Impact, Purpose, Outcome, Output, Activity and their usual synonyms).",
         "'{level}' is not a logframe level (for '{objective}').{hint} Use Goal, Purpose, "
         "Output or Activity (or Impact, Outcome)."),
    Code("logframe-ref-duplicate", "Logframe reference used twice", W,
         "Two rows of the logframe have the same reference, so links to it are ambiguous.",
         "Ref {ref} is used by more than one row. Give each objective its own reference."),
    Code("logframe-not-measurable", "Objective without an indicator", W,
         "SMART: an objective of the logframe above the activities has no indicator of "
         "achievement, so nobody can tell whether it was reached.",
         "The {level} '{objective}' has no indicator of achievement. Add one (an ID from the "
         "indicator framework, or its name)."),
    Code("logframe-no-assumptions", "No risks or assumptions", N,
         "The logframe has a column for risks and assumptions, but this Purpose or Output "
         "row leaves it blank.",
         "The {level} '{objective}' names no risks or assumptions: what must hold true for "
         "it to lead to the level above?"),
    Code("logframe-ref-orphan", "Logframe reference without a parent", W,
         "References nest down the chain (Activity 1.2.1 under Output 1.2 under Purpose 1); "
         "this one's parent is not in the logframe.",
         "Ref {ref} has no row {parent} above it in the logframe. Correct the reference or "
         "add the missing row."),
    Code("logframe-indicator-incomplete", "Logframe indicator without baseline or target", W,
         "SMART: an indicator of achievement with no baseline or no target cannot show "
         "progress.",
         "'{indicator}' ({level}) has no {missing}."),
    Code("logframe-no-verification", "No means of verification", W,
         "The logframe has a means-of-verification column, but this indicator gives no "
         "source for its figures.",
         "'{indicator}' has no means of verification: say where its figures will come "
         "from (e.g. NRM statistics, case records)."),
    Code("logframe-link-broken", "Logframe indicator not in the framework", W,
         "Results chain: the logframe names an indicator (by ID or name) that the indicator "
         "framework does not have, so its targets and figures cannot be followed.",
         "The {level} '{objective}' names indicator '{indicator}', which is not in the "
         "indicator framework. Correct the ID or add it to the framework."),
    Code("logframe-level-mismatch", "Indicator at the wrong level", W,
         "Results chain: an indicator of one type measures a logframe level it does not fit "
         "(an output count used for the Goal, an impact measure for an Activity).",
         "'{indicator}' is an {type} indicator but measures the {level} '{objective}'. Use "
         "{fits} indicators at that level, or move it."),
    Code("logframe-target-differs", "Logframe and framework targets differ", W,
         "The logframe gives an indicator a target that is none of the indicator "
         "framework's targets for it; the summaries use the framework's.",
         "'{indicator}' has target {target} in the logframe but {framework} in the "
         "indicator framework. Make them agree (the summaries use the framework's)."),
    Code("logframe-not-reported", "Logframe indicator with no figures", N,
         "Results chain: an indicator of the logframe that no return reports a figure for.",
         "No return reports a figure for '{indicator}' ({level})."),
    Code("objective-vague", "Vague objective", N,
         "SMART: an objective that only says 'improve', 'support' or 'raise awareness', "
         "without a number or a date, is hard to measure.",
         "The objective says '{word}' but no number or date: say how much, by when."),
    Code("personal-data-suspected", "Possible personal data", W,
         "A free-text cell seems to hold personal data (a name with a title, a date of birth, "
         "a phone number, an email address, a postcode or a National Insurance number). "
         "Returns should carry aggregate figures only.",
         "{field} seems to hold {kinds}. Remove it from the return; {action}."),
    # --- returns and consolidation ------------------------------------------------------
    Code("agency-missing", "Agency not stated", W,
         "The return does not say which agency sent it; the file name is used instead.",
         "No agency stated; using '{agency}' from the file name. Fill in the agency (or, "
         "for a workbook xlperf did not make, name the file after the agency)."),
    Code("agency-not-member", "Agency not in the partnership list", W,
         "The agency is not one of the members in the partnership file.",
         "Agency '{agency}' is not in the partnership list. Check the spelling or add it."),
    Code("period-missing", "Reporting period not stated", W,
         "The return does not say which period it covers.",
         "No reporting period stated, so its rows count as current. Fill in the period "
         "(e.g. Q1 2025/26)."),
    Code("return-superseded", "Return superseded", N,
         "The same agency sent another return for the same period; the later one is used.",
         "Superseded by {by} ({reason}); its rows and problems are not in the totals."),
    Code("submitted-missing", "Return not submitted", W,
         "A member agency has no return for the period.",
         "{agency} has not submitted a return for {period}."),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


class Issue(BaseModel):
    """One problem, with where it is."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None  # 1-based sheet row

    def as_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class Where:
    """A position in a file; rules call :meth:`issue` and never format cells themselves."""

    file: str = ""
    sheet: str = ""

    @classmethod
    def of(cls, path: Path | str, sheet: str = "") -> Where:
        return cls(str(path), sheet)

    def in_sheet(self, sheet: str) -> Where:
        return Where(self.file, sheet)

    def issue(
        self, code: str, row: int | None = None, col: int | None = None,
        severity: Severity | None = None, **params: object,
    ) -> Issue:
        """Build the issue ``code`` at 0-based (row, col); the message comes from the catalogue."""
        spec = CATALOGUE[code]  # KeyError here means a code missing from the catalogue
        cell = a1(row, col) if row is not None and col is not None else ""
        params.setdefault("cell", cell or "the cell")
        params.setdefault("row", row + 1 if row is not None else "")
        return Issue(
            code=code, severity=severity or spec.severity, message=spec.message.format(**params),
            file=self.file, sheet=self.sheet, cell=cell,
            row=row + 1 if row is not None else None,
        )


def count_by_severity(issues: Iterable[Issue]) -> dict[Severity, int]:
    counts = Counter(i.severity for i in issues)
    return {s: counts.get(s, 0) for s in Severity}


def catalogue_markdown() -> str:
    """The user page of issue codes, generated from the catalogue."""
    lines = [
        "# Issue codes",
        "",
        "Every problem xlperf reports has one of these codes. Generated from "
        "`src/xlperf/issues.py` by `xlperf codes --markdown`; do not edit by hand.",
        "",
        "| code | severity | title | what it means |",
        "| --- | --- | --- | --- |",
    ]
    for c in _CODES:
        lines.append(f"| `{c.code}` | {c.severity} | {c.title} | {c.description} |")
    return "\n".join(lines) + "\n"
