"""Regenerate the example partnership's returns in src/xlperf/examples/returns/.

    python tools/make_examples.py

Fictitious agencies and figures; the mistakes real returns have are put in on purpose
(see MISTAKES below). Every return is made from the monitoring-return template.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from xlperf.rag import load_rules
from xlperf.schema import INDICATOR_FRAMEWORK, MONITORING_RETURN
from xlperf.schema import LOGFRAME as LOGFRAME_TEMPLATE
from xlperf.write.templates import Fill, write_template

OUT = Path(__file__).resolve().parents[1] / "src" / "xlperf" / "examples" / "returns"

MISTAKES = """
police Q2: action 1.2 overdue (due 30/09/2025, 60%) but reported Green
council Q2: action 2.3 has no owner
nhs Q2: due dates typed as text ('Sept 2025', 'Q4 2025/26')
haven Q2: owner left as the placeholder 'tbc'; status left as '< Select >'
glaa Q2: sent twice; the second copy (submitted later) corrects a figure
fire Q1: an impossible due date '31/09/2025' and 120% complete
police Q1: NRM referrals total 13, but the breakdown adds up to 12
logframe: the Goal is measured by recorded crimes, an output count (a classic slip)
"""

O1 = "Offenders are identified, disrupted and brought to justice"
O2 = "Frontline staff in every agency can spot and report exploitation"
O3 = "Victims are safe and supported from first contact to recovery"
O4 = "The partnership is ready to respond to new and emerging threats"


def act(ref, objective, strand, text, owner, start, due, status, progress, rag, comment=""):
    return {"ref": ref, "objective": objective, "strand": strand, "action": text,
            "owner": owner, "start": start, "due": due, "status": status,
            "progress": progress, "reported_rag": rag, "comment": comment}


def fig(name, value, breakdown="", target=None, numerator=None, denominator=None):
    return {"indicator": name, "breakdown": breakdown, "value": value, "target": target,
            "numerator": numerator, "denominator": denominator}


#: the NRM referrals sheet: (exploitation type, sex and age) -> count; 'Total' for totals.
#: The police give every breakdown with row totals, the council totals by type only (its
#: case system does not record sex and age), Haven Pathways a few cells and the total.
LAB, SEX, CRIM, DOM, UNK = ("Labour exploitation", "Sexual exploitation",
                            "Criminal exploitation", "Domestic servitude",
                            "Not specified or unknown")
MA, FA, MM, FM, T = "Male adult", "Female adult", "Male minor", "Female minor", "Total"
NRM = {
    ("police", 1): {(LAB, MA): 3, (LAB, FA): 1, (LAB, MM): 1, (LAB, T): 5, (SEX, FA): 3,
                    (SEX, FM): 1, (SEX, T): 4, (CRIM, MM): 2, (CRIM, MA): 1, (CRIM, T): 3,
                    (T, T): 13},  # the parts add up to 12
    ("police", 2): {(LAB, MA): 6, (LAB, FA): 2, (LAB, MM): 1, (LAB, T): 9, (SEX, FA): 4,
                    (SEX, FM): 1, (SEX, T): 5, (CRIM, MM): 2, (CRIM, MA): 1, (CRIM, T): 3,
                    (T, T): 17},
    ("council", 1): {(LAB, T): 2, (DOM, T): 1, (T, T): 3},
    ("council", 2): {(LAB, T): 2, (DOM, T): 1, (UNK, T): 1, (T, T): 4},
    ("haven", 1): {(SEX, FA): 2, (LAB, MA): 2, (DOM, FA): 1, (T, FA): 3, (T, MA): 2, (T, T): 5},
    ("haven", 2): {(SEX, FA): 3, (LAB, MA): 2, (DOM, FA): 1, (T, FA): 4, (T, MA): 2, (T, T): 6},
}


def d(day, month, year):
    return date(year, month, day)


NARR = {
    "progress": "Joint visits with partners went ahead as planned; referrals are up on "
                "last quarter.",
    "problems": "Staff turnover slowed the training programme; cover arranged from October.",
    "priorities": "Finish the training roll-out and agree the data-sharing protocol.",
    "points_for_action": "Board to confirm funding for the second year of the hub.",
}


def police(q):
    q2 = q == 2
    return [
        act("1.1", O1, "Pursue", "Run two multi-agency days of action at car washes and nail bars",
            "Northshire Police", d(1, 4, 2025), d(31, 3, 2026), "In progress",
            50 if q2 else 25, "Green", "First day of action held in September."),
        act("1.2", O1, "Pursue", "Set up a modern slavery intelligence cell",
            "Northshire Police", d(1, 4, 2025), d(30, 9, 2025), "In progress",
            60 if q2 else 40, "Green", "Analyst post advertised."),
        act("1.3", O4, "Prepare", "Write the partnership's operational response plan",
            "Northshire Police", d(1, 5, 2025), d(31, 10, 2025), "In progress",
            50 if q2 else 10, "Amber"),
    ], [fig("Modern slavery crimes recorded", 14 if q2 else 11, target=12)]


def council(q):
    q2 = q == 2
    return [
        act("2.1", O2, "Prevent", "Train 300 frontline council staff to spot exploitation",
            "Northshire County Council", d(1, 4, 2025), d(31, 3, 2026), "In progress",
            55 if q2 else 30, "Green"),
        act("2.2", O3, "Protect", "Publish the adult safeguarding referral pathway",
            "Northshire County Council", d(1, 4, 2025), d(30, 6, 2025), "Complete", 100,
            "Complete", "Published on the council website."),
        act("2.3", O2, "Prevent", "Add modern slavery clauses to council contracts",
            "" if q2 else "Procurement team", d(1, 6, 2025), d(31, 1, 2026), "In progress",
            20 if q2 else 5, "Amber"),
    ], [fig("Frontline staff trained", 165 if q2 else 90, target=150),
        fig("Contracts with modern slavery clauses", 4 if q2 else 1),
        fig("Staff completing modern slavery training", None, numerator=420 if q2 else 260,
            denominator=1200)]


def nhs(q):
    q2 = q == 2
    return [
        act("3.1", O2, "Prevent", "Add modern slavery to mandatory safeguarding training",
            "Northshire Health NHS Foundation Trust", d(1, 4, 2025),
            "Sept 2025" if q2 else d(30, 9, 2025), "In progress", 80 if q2 else 40, "Green"),
        act("3.2", O3, "Protect", "Agree a pathway for patients disclosing exploitation in A&E",
            "Northshire Health NHS Foundation Trust", d(1, 6, 2025),
            "Q4 2025/26" if q2 else d(31, 3, 2026), "Not started", 0, "Amber"),
    ], [fig("Staff completing modern slavery training", None, numerator=1240 if q2 else 610,
            denominator=4100),
        fig("Safeguarding referrals mentioning exploitation", 7 if q2 else 5)]


def haven(q):
    q2 = q == 2
    return [
        act("4.1", O3, "Protect", "Offer pre-NRM support within 48 hours of referral",
            "tbc" if q2 else "Haven Pathways", d(1, 4, 2025), d(31, 3, 2026),
            "< Select >" if q2 else "In progress", 50 if q2 else 25, "Green"),
        act("4.2", O3, "Protect", "Open two emergency bed spaces for survivors",
            "Haven Pathways", d(1, 4, 2025), d(31, 12, 2025), "In progress",
            50, "Amber", "One bed space open; second delayed by repairs."),
    ], [fig("Survivors supported before NRM decision", 11 if q2 else 8, target=10),
        fig("Survivors supported before NRM decision", 7 if q2 else 5, "Adult"),
        fig("Survivors supported before NRM decision", 4 if q2 else 3, "Minor")]


def glaa(q, corrected=False):
    q2 = q == 2
    return [
        act("5.1", O1, "Pursue", "Joint inspections of labour providers in agriculture",
            "GLAA", d(1, 4, 2025), d(31, 3, 2026), "In progress", 50 if q2 else 25, "Green"),
        act("5.2", O2, "Prevent", "Brief growers on labour exploitation before the harvest",
            "GLAA", d(1, 4, 2025), d(31, 7, 2025), "Complete", 100, "Complete"),
    ], [fig("Labour provider inspections", (8 if corrected else 6) if q2 else 4, target=6)]


def fire(q):
    q2 = q == 2
    return [
        act("6.1", O2, "Prevent", "Add exploitation indicators to safe and well visits",
            "Northshire Fire and Rescue Service", d(1, 4, 2025),
            "31/09/2025" if not q2 else d(30, 11, 2025), "In progress",
            120 if not q2 else 70, "Green"),
        act("6.2", O4, "Prepare", "Joint exercise on a large-scale rescue of victims",
            "Northshire Fire and Rescue Service", d(1, 7, 2025), d(28, 2, 2026), "Not started",
            0, "Green"),
    ], [fig("Safe and well visits with exploitation screening", 240 if q2 else 130)]


AGENCIES = {
    "police": ("Northshire Police", police),
    "council": ("Northshire County Council", council),
    "nhs": ("Northshire Health NHS Foundation Trust", nhs),
    "haven": ("Haven Pathways", haven),
    "glaa": ("GLAA", glaa),
    "fire": ("Northshire Fire and Rescue Service", fire),
}
PERIODS = {1: ("Q1 2025/26", d(11, 7, 2025)), 2: ("Q2 2025/26", d(10, 10, 2025))}


def write_return(name: str, agency: str, period: str, submitted: date, actions, figures,
                 finance=None, nrm=None) -> Path:
    fill = Fill(forms={"agency": agency, "period": period, "submitted_by": "Agency SPOC",
                       "submitted_on": submitted, **NARR},
                tables={"Actions": actions, "Indicators": figures,
                        "Finance": finance or []},
                grids={"NRM referrals": nrm or {}})
    path = OUT / name
    write_template(MONITORING_RETURN, path, load_rules(), fill)
    return path


FRAMEWORK = [
    ("PI-01", "NRM referrals made", "output", "count", "higher is better", 40, "2024/25",
     "quarterly", "NRM statistics; agency case records", "Northshire Police", O1,
     "Referrals by police, council and Haven Pathways"),
    ("PI-02", "Staff completing modern slavery training", "output", "proportion",
     "higher is better", 0.1, "2024/25", "quarterly", "Training records", "Training leads",
     O2, "By agency"),
    ("PI-03", "Survivors supported before NRM decision", "outcome", "count",
     "higher is better", 30, "2024/25", "quarterly", "Haven Pathways case records",
     "Haven Pathways", O3, "Adult / minor"),
    ("PI-04", "Modern slavery crimes recorded", "output", "count", "higher is better", 38,
     "2024/25", "quarterly", "Police crime records", "Northshire Police", O1, ""),
]
TARGETS = [("PI-01", "2025/26", 100), ("PI-02", "2025/26", 0.5), ("PI-03", "2025/26", 40),
           ("PI-04", "2025/26", 48)]


def write_framework() -> Path:
    keys = ("indicator_id", "indicator", "type", "unit", "direction", "baseline",
            "baseline_period", "frequency", "verification", "framework_owner",
            "framework_objective", "disaggregation")
    links = {"PI-01": "1.1, 1.2", "PI-02": "2.1, 3.1", "PI-03": "4.1, 4.2", "PI-04": "1.1"}
    fill = Fill(tables={
        "Framework": [dict(zip(keys, row, strict=True)) | {"linked_actions": links[row[0]]}
                      for row in FRAMEWORK],
        "Targets": [{"target_indicator_id": i, "target_period": p, "target_value": v}
                    for i, p, v in TARGETS]})
    path = OUT.parent / "indicator_framework.xlsx"
    write_template(INDICATOR_FRAMEWORK, path, load_rules(), fill)
    return path


LOGFRAME = [
    ("1", "Goal", "Fewer people in Northshire are exploited, and survivors rebuild their lives",
     "PI-04", "Police crime records", ""),
    ("1.1", "Purpose", "Victims are found sooner and supported from first contact to recovery",
     "PI-03", "Haven Pathways case records",
     "Partners keep sharing case data; the NRM decides cases within its target time"),
    ("1.1.1", "Output", O2, "PI-02", "Agency training records",
     "Agencies release staff for the training"),
    ("1.1.2", "Output", O1, "PI-01", "NRM statistics; agency case records",
     "Police capacity for modern slavery work is kept"),
    ("1.1.1.1", "Activity", "Mandatory safeguarding training with modern slavery content "
     "(actions 2.1, 3.1)", "", "", ""),
    ("1.1.2.1", "Activity", "Days of action and an intelligence cell (actions 1.1, 1.2)",
     "", "", ""),
]


def write_logframe() -> Path:
    keys = ("lf_ref", "level", "summary", "achievement", "lf_verification", "assumptions")
    fill = Fill(tables={"Logframe": [dict(zip(keys, row, strict=True)) for row in LOGFRAME]})
    path = OUT.parent / "logframe.xlsx"
    write_template(LOGFRAME_TEMPLATE, path, load_rules(), fill)
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.xlsx"):
        old.unlink()
    for key, (agency, make) in AGENCIES.items():
        for q, (period, submitted) in PERIODS.items():
            actions, figures = make(q)
            finance = None
            if key == "haven":
                finance = [{"line": "Support workers", "budget": 48000, "income": 24000,
                            "expenditure": 22150 if q == 2 else 11020},
                           {"line": "Emergency accommodation", "budget": 20000,
                            "income": 10000, "expenditure": 6400 if q == 2 else 2100}]
            write_return(f"{key}_2025-26_Q{q}.xlsx", agency, period, submitted, actions,
                         figures, finance, NRM.get((key, q)))
    actions, figures = glaa(2, corrected=True)
    path = write_return("glaa_2025-26_Q2_resent.xlsx", "GLAA", PERIODS[2][0], d(13, 10, 2025),
                        actions, figures)
    os.utime(path, (1760400000, 1760400000))
    print(f"Wrote {len(list(OUT.glob('*.xlsx')))} returns to {OUT}, {write_framework()} "
          f"and {write_logframe()}")


if __name__ == "__main__":
    main()
