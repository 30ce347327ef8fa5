"""The one declaration of every xlperf template: sheets, columns, types, rules, help.

The template writer, the template reader, the checker, the foreign-header
matcher and the partnership-workbook writer all read these declarations, so a
column is described once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xlperf.model import Status, Strand
from xlperf.values import Rag

TEMPLATE_VERSION = 1
MARKER_SHEET = "_xlperf"  # hidden sheet: A1 "xlperf-template", B1 kind, B2 version
#: kinds of workbook xlperf writes as output (marked the same way, never read as returns)
OUTPUT_KINDS = ("partnership-workbook", "rag-update")


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long text"
    DATE = "date"
    PERIOD = "period"
    PERCENT = "percent"
    NUMBER = "number"
    MONEY = "money"
    RAG = "rag"
    CHOICE = "choice"
    COMPUTED_RAG = "computed rag"  # written by xlperf (a formula in templates), never read


@dataclass(frozen=True)
class Field:
    key: str
    title: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    width: int = 16
    #: header phrases other people's workbooks use for this field (lower case)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one Excel Table whose header is row 1."""

    name: str
    table: str  # the Excel Table's name
    fields: tuple[Field, ...]
    help: str = ""
    #: the field that must be filled for a row to count (its key)
    key_field: str = ""

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class FormSheet:
    """A sheet of labelled cells: the label in column A, the value in column B, from row 3."""

    name: str
    fields: tuple[Field, ...]
    help: str = ""
    first_row: int = 2  # 0-based row of the first field


@dataclass(frozen=True)
class MatrixSheet:
    """One indicator's figures as a grid with totals (the NRM referral table).

    Row labels run down column A under ``row_title``; the column headings sit on row
    ``first_row`` (0-based); the last column and the last row are totals, each of which
    must equal the sum of its parts. Every figure is read as the indicator with the
    breakdown '<row> / <column>'; the row totals are '<row> / Total', the column totals
    'Total / <column>' and the grand total 'Total'.
    """

    name: str
    indicator: str
    row_title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    help: str = ""
    first_row: int = 2
    fields: tuple[Field, ...] = ()  # no per-column fields: every cell is a count
    #: older returns may not have this sheet: its absence is not a problem
    optional: bool = True


Sheet = TableSheet | FormSheet | MatrixSheet


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    sheets: tuple[Sheet, ...]
    purpose: str
    version: int = TEMPLATE_VERSION

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


STRANDS = tuple(s.value for s in Strand)
STATUSES = tuple(s.value for s in Status)
RAGS = (Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value, Rag.COMPLETE.value)

# --- fields: each said once ---------------------------------------------------------------
REF = Field("ref", "Ref", help="Action number from the plan, e.g. 1.3.", width=8,
            aliases=("ref", "ref.", "no.", "no", "id", "action id", "action no", "action ref", "#"))
OBJECTIVE = Field("objective", "Objective", FieldType.LONG_TEXT,
                  help="The strategic objective (or outcome) this action serves.", width=30,
                  aliases=("objective", "strategic objective", "outcome", "priority", "aim"))
STRAND = Field("strand", "4P strand", FieldType.CHOICE, choices=STRANDS,
               help="Pursue, Prevent, Protect or Prepare.", width=11,
               aliases=("4p", "4p strand", "strand", "4p strand pursue prevent protect prepare"))
ACTION = Field("action", "Action", FieldType.LONG_TEXT, required=True,
               help="What will be done, in one sentence.", width=40,
               aliases=("action", "actions", "activity", "task", "project name", "project",
                        "deliverable", "milestone", "what"))
OWNER = Field("owner", "Owner", required=True,
              help="The agency or person accountable for the action.", width=16,
              aliases=("owner", "lead", "responsible", "lead agency", "lead officer",
                       "responsible officer", "who", "action owner"))
START = Field("start", "Start", FieldType.DATE, help="Start date, dd/mm/yyyy.", width=12,
              aliases=("start", "start date"))
DUE = Field("due", "Due", FieldType.DATE, required=True,
            help="Due date, dd/mm/yyyy. A month or quarter (e.g. 'Q3 2025/26') is read as its "
                 "last day, but a real date is better.", width=12,
            aliases=("due", "due date", "deadline", "timescale", "timescales", "target date",
                     "completion date", "end date", "by when", "date due"))
STATUS = Field("status", "Status", FieldType.CHOICE, choices=STATUSES,
               help="Not started, In progress, On hold, Complete or Cancelled.", width=13,
               aliases=("status", "delivery status", "project delivery status",
                        "current status"))
PROGRESS = Field("progress", "% complete", FieldType.PERCENT,
                 help="How much is done, 0% to 100%.", width=11,
                 aliases=("% complete", "percent complete", "progress", "% progress",
                          "% done", "percentage complete"))
REPORTED_RAG = Field("reported_rag", "Reported RAG", FieldType.RAG, choices=RAGS,
                     help="Your rating: Red (behind), Amber (at risk), Green (on track), "
                          "Complete.", width=13,
                     aliases=("rag", "rag status", "rag rating", "reported rag", "rating",
                              "on track", "delivery (rag)", "dca", "delivery confidence"))
COMPUTED_RAG = Field("computed_rag", "Computed RAG", FieldType.COMPUTED_RAG,
                     help="Worked out from the dates and progress; do not type here.",
                     width=13)
OUTPUTS = Field("outputs", "Expected outputs", FieldType.LONG_TEXT,
                help="What the action will produce (e.g. 200 staff trained).", width=24,
                aliases=("outputs", "expected outputs", "output"))
OUTCOMES = Field("outcomes", "Expected outcomes", FieldType.LONG_TEXT,
                 help="The change it should bring about.", width=24,
                 aliases=("outcomes", "expected outcomes", "intended outcome"))
COMMENT = Field("comment", "Comment", FieldType.LONG_TEXT,
                help="Progress this period, problems, next steps. Aggregate facts only: "
                     "no names of victims.", width=36,
                aliases=("comment", "comments", "commentary", "update", "progress update",
                         "notes", "narrative"))

ACTION_FIELDS = (REF, OBJECTIVE, STRAND, ACTION, OWNER, START, DUE, STATUS, PROGRESS,
                 REPORTED_RAG, COMPUTED_RAG, OUTPUTS, OUTCOMES, COMMENT)

INDICATOR_FIELDS = (
    Field("indicator", "Indicator", required=True,
          help="The indicator's name as in the partnership's framework.", width=36,
          aliases=("indicator", "indicators", "kpi", "kpis", "measure", "indicator name",
                   "performance indicator", "performance indicators", "output", "metric",
                   "indicators of achievement", "objectively verifiable indicators",
                   "objectively verifiable indicators of achievement")),
    Field("breakdown", "Breakdown", help="Optional: e.g. 'Labour exploitation / Male / Adult'.",
          width=28, aliases=("breakdown", "disaggregation", "category")),
    Field("value", "Value", FieldType.NUMBER, help="The figure for this period.", width=10,
          aliases=("value", "actual", "achieved", "total to date",
                   "achieved up to now", "this period")),
    Field("numerator", "Numerator", FieldType.NUMBER,
          help="For a proportion: how many met the measure.", width=11),
    Field("denominator", "Denominator", FieldType.NUMBER,
          help="For a proportion: out of how many.", width=12),
    Field("target", "Target", FieldType.NUMBER, help="The target for this period, if any.",
          width=10, aliases=("target", "annual target", "target value")),
    Field("baseline", "Baseline", FieldType.NUMBER, width=10, aliases=("baseline",),
          help="The starting value, if known."),
    Field("indicator_rag", "RAG", FieldType.RAG, choices=RAGS, width=10,
          help="Your rating against the target, if you give one.",
          aliases=("rag", "rag status", "on track", "rating")),
    Field("indicator_comment", "Comment", FieldType.LONG_TEXT, width=36,
          help="What lies behind the figure. Aggregate facts only.",
          aliases=("comment", "comments", "notes", "means of verification")),
)

FINANCE_FIELDS = (
    Field("line", "Budget line", required=True, width=30, help="e.g. Staff, Training.",
          aliases=("budget line", "line", "item", "cost heading")),
    Field("budget", "Budget", FieldType.MONEY, width=12, help="Budget for the year, £."),
    Field("income", "Income", FieldType.MONEY, width=12, help="Grant income received, £."),
    Field("expenditure", "Expenditure", FieldType.MONEY, width=12, help="Spent to date, £."),
    Field("finance_comment", "Comment", FieldType.LONG_TEXT, width=36,
          help="Explain any variance."),
)

COVER_FIELDS = (
    Field("agency", "Agency", required=True, width=30,
          help="Your agency's name, as in the partnership list."),
    Field("period", "Period", FieldType.PERIOD, required=True,
          help="The quarter this return covers, e.g. Q1 2025/26 (April to June 2025)."),
    Field("submitted_by", "Submitted by", required=True,
          help="Your role (e.g. Agency SPOC). No personal email or phone needed."),
    Field("submitted_on", "Submitted on", FieldType.DATE, required=True,
          help="Today's date, dd/mm/yyyy."),
)

NARRATIVE_FIELDS = (
    Field("progress", "Progress", FieldType.LONG_TEXT, help="What went well this period."),
    Field("problems", "Problems", FieldType.LONG_TEXT,
          help="What got in the way, and what you did about it."),
    Field("priorities", "Priorities", FieldType.LONG_TEXT, help="What comes next period."),
    Field("points_for_action", "Points for action", FieldType.LONG_TEXT,
          help="What you need from the partnership or the board."),
)

ACTIONS_SHEET = TableSheet("Actions", "Actions", ACTION_FIELDS, key_field="action",
                           help="One row per action your agency owns or contributes to.")
INDICATORS_SHEET = TableSheet("Indicators", "Indicators", INDICATOR_FIELDS,
                              key_field="indicator",
                              help="One row per figure. Use Breakdown for parts of a total.")
FINANCE_SHEET = TableSheet("Finance", "Finance", FINANCE_FIELDS, key_field="line",
                           help="Funded providers only: income and spend against budget.")

EXPLOITATION_TYPES = ("Labour exploitation", "Sexual exploitation", "Criminal exploitation",
                      "Domestic servitude", "Organ harvesting", "Not specified or unknown")
SEX_AGE = ("Male adult", "Female adult", "Male minor", "Female minor", "Not recorded")
NRM_INDICATOR = "NRM referrals made"
NRM_SHEET = MatrixSheet(
    "NRM referrals", NRM_INDICATOR, "Exploitation type", EXPLOITATION_TYPES, SEX_AGE,
    help="The referrals to the National Referral Mechanism your agency made this quarter, by "
         "exploitation type, sex and age (adult or minor). Counts only: no names or case "
         "details. Leave a cell blank when there were none. Each Total must equal the sum "
         "of its row or column; a Total that does not turns red.")

ACTION_PLAN = Template(
    kind="action-plan",
    title="Partnership action plan",
    purpose="The partnership's actions against its strategic objectives, with owners, dates "
            "and RAG ratings.",
    sheets=(ACTIONS_SHEET,),
)
MONITORING_RETURN = Template(
    kind="monitoring-return",
    title="Agency monitoring return",
    purpose="One agency's quarterly return to the partnership: updates to its actions, its "
            "figures, and the 4Ps narrative (Progress, Problems, Priorities, Points for action).",
    sheets=(
        FormSheet("Return", COVER_FIELDS, help="Who is sending this return, and for when."),
        ACTIONS_SHEET,
        INDICATORS_SHEET,
        NRM_SHEET,
        FormSheet("Narrative", NARRATIVE_FIELDS,
                  help="The 4Ps: Progress, Problems, Priorities, Points for action."),
        FINANCE_SHEET,
    ),
)
INDICATOR_TYPES = ("input", "process", "output", "outcome", "impact")
UNITS = ("count", "proportion", "money", "yes/no", "rating", "text")
DIRECTIONS = ("higher is better", "lower is better", "within a band")
FREQUENCIES = ("monthly", "quarterly", "six-monthly", "annual")

FRAMEWORK_FIELDS = (
    Field("indicator_id", "ID", required=True, width=8,
          help="A short unique reference, e.g. PI-01. Targets and returns refer to it."),
    Field("indicator", "Indicator", FieldType.LONG_TEXT, required=True, width=36,
          help="The indicator's name, exactly as agencies report it in their returns."),
    Field("type", "Type", FieldType.CHOICE, choices=INDICATOR_TYPES, width=10,
          help="Where it sits in the results chain: input, process, output, outcome, impact."),
    Field("unit", "Unit", FieldType.CHOICE, required=True, choices=UNITS, width=11,
          help="count; proportion (report a numerator and a denominator); money; yes/no; "
               "rating; text."),
    Field("direction", "Direction", FieldType.CHOICE, choices=DIRECTIONS, width=15,
          help="Is a higher figure better, a lower one, or one within a band?"),
    Field("band_low", "Band low", FieldType.NUMBER, width=9,
          help="For 'within a band': the lowest good value."),
    Field("band_high", "Band high", FieldType.NUMBER, width=9,
          help="For 'within a band': the highest good value."),
    Field("baseline", "Baseline", FieldType.NUMBER, width=10,
          help="The value before the work began (for a proportion, as 0.35 or 35%)."),
    Field("baseline_period", "Baseline period", FieldType.PERIOD, width=12,
          help="When the baseline was measured, e.g. 2024/25."),
    Field("frequency", "Frequency", FieldType.CHOICE, choices=FREQUENCIES, width=12,
          help="How often it is reported."),
    Field("verification", "Means of verification", FieldType.LONG_TEXT, width=28,
          help="Where the figure comes from (e.g. NRM statistics, case records)."),
    Field("framework_owner", "Owner", width=18, help="Who reports it."),
    Field("framework_objective", "Objective", FieldType.LONG_TEXT, width=28,
          help="The strategic objective it measures."),
    Field("linked_actions", "Linked actions", width=14,
          help="Action references it tracks, e.g. 1.1, 1.2."),
    Field("disaggregation", "Disaggregation", width=24,
          help="Breakdowns reported, e.g. exploitation type; sex; adult/minor."),
)
TARGET_FIELDS = (
    Field("target_indicator_id", "Indicator ID", required=True, width=12,
          help="The ID from the Framework sheet."),
    Field("target_period", "Period", FieldType.PERIOD, required=True, width=14,
          help="The span the target covers: a quarter (Q1 2025/26), a year (2025/26) or "
               "longer. A longer target is taken pro rata by months."),
    Field("target_value", "Target", FieldType.NUMBER, required=True, width=10,
          help="The target for that span (for a proportion, as 0.6 or 60%)."),
)
INDICATOR_FRAMEWORK = Template(
    kind="indicator-framework",
    title="Indicator framework",
    purpose="The partnership's performance indicators: what each measures, its unit and "
            "direction, its baseline, and its targets by period.",
    sheets=(
        TableSheet("Framework", "Framework", FRAMEWORK_FIELDS, key_field="indicator",
                   help="One row per indicator."),
        TableSheet("Targets", "Targets", TARGET_FIELDS, key_field="target_indicator_id",
                   help="One row per target: an indicator, a period, a value."),
    ),
)
LOGFRAME_LEVELS = ("Goal", "Purpose", "Output", "Activity")
LOGFRAME_FIELDS = (
    Field("lf_ref", "Ref", width=7, help="e.g. 1, 1.1, 1.1.2."),
    Field("level", "Level", FieldType.CHOICE, required=True, choices=LOGFRAME_LEVELS,
          width=10, help="Goal (the impact), Purpose (the outcome), Output or Activity."),
    Field("summary", "Narrative summary", FieldType.LONG_TEXT, required=True, width=40,
          help="The objective at this level, in one sentence."),
    Field("achievement", "Indicators of achievement", FieldType.LONG_TEXT, width=34,
          help="How success will be measured; use the IDs of the indicator framework."),
    Field("lf_verification", "Means of verification", FieldType.LONG_TEXT, width=28,
          help="The data sources for those indicators."),
    Field("assumptions", "Risks and assumptions", FieldType.LONG_TEXT, width=34,
          help="What must hold true for this level to lead to the next one up."),
)
PATHWAY_STAGES = ("Prevention", "Discovery", "Respite", "Recovery", "Sustainable freedom")
PATHWAY_FIELDS = (
    Field("stage", "Stage", FieldType.CHOICE, required=True, choices=PATHWAY_STAGES, width=16,
          help="Where on the victim care pathway: Prevention, Discovery, Respite, Recovery, "
               "Sustainable freedom."),
    Field("stage_objective", "Objective", FieldType.LONG_TEXT, required=True, width=34,
          help="What the partnership aims for at this stage."),
    Field("targeted_actions", "Targeted actions", FieldType.LONG_TEXT, width=36,
          help="The actions (with their plan references) that serve it."),
    Field("kpis", "KPIs", FieldType.LONG_TEXT, width=30,
          help="The indicators (framework IDs) that show progress."),
    Field("stage_outcomes", "Outcomes", FieldType.LONG_TEXT, width=34,
          help="The change for survivors if it works."),
)
LOGFRAME = Template(
    kind="logframe",
    title="Logical framework (logframe)",
    purpose="The partnership's results chain on one page: Goal, Purpose, Outputs and "
            "Activities, each with its indicators, means of verification, and risks and "
            "assumptions.",
    sheets=(TableSheet("Logframe", "Logframe", LOGFRAME_FIELDS, key_field="summary",
                       help="One row per objective, from the Goal down to Activities."),),
)
CARE_PATHWAY = Template(
    kind="care-pathway",
    title="Victim care pathway",
    purpose="Objectives, targeted actions, KPIs and outcomes for each stage of the victim "
            "care pathway.",
    sheets=(TableSheet("Pathway", "Pathway", PATHWAY_FIELDS, key_field="stage_objective",
                       help="One or more rows per stage."),),
)
#: templates read to be checked, not consolidated as returns
PLANNING_KINDS = ("indicator-framework", "logframe", "care-pathway")
TEMPLATES = {t.kind: t for t in (ACTION_PLAN, MONITORING_RETURN, INDICATOR_FRAMEWORK, LOGFRAME,
                                 CARE_PATHWAY)}

#: a table of figures with one row per partner (e.g. 'Partner | Referrals | Quarter'):
#: every other column holding only numbers is an indicator
FIGURES_FIELDS = (
    Field("agency", "Agency", required=True,
          aliases=("partner", "agency", "organisation", "organization", "provider",
                   "partner agency", "lead partner", "partner organisation")),
    Field("period", "Period", FieldType.PERIOD,
          aliases=("quarter", "period", "reporting period", "month", "financial year")),
)

#: header vocabularies for other people's workbooks, built from the fields' aliases
FOREIGN_ACTION_FIELDS = tuple(f for f in ACTION_FIELDS if f.aliases)
FOREIGN_INDICATOR_FIELDS = tuple(f for f in INDICATOR_FIELDS if f.aliases)
