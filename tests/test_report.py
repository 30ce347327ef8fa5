"""Word-ready reports: the 4Ps report, the board briefing and the annual report.

Golden files in tests/golden hold the Markdown and HTML of the example partnership;
after an intended change regenerate them with

    XLPERF_REGEN_GOLDEN=1 python -m pytest tests/test_report.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import EXAMPLES
from tests.libreoffice import convert, needs_libreoffice
from xlperf.batch import read_many, walk
from xlperf.consolidate import Consolidation, Row, consolidate
from xlperf.model import IndicatorValue, Partnership, Source
from xlperf.partnership import load_partnership
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.report import ReportData, UnknownAgency, from_consolidation, select, views
from xlperf.report.load import load_report_data
from xlperf.report.markdown import cell, inline, para, parse, plain
from xlperf.report.output import write_report
from xlperf.report.readback import read_partnership_workbook
from xlperf.report.render import TemplateProblem, render

GOLDEN = Path(__file__).parent / "golden"
REGEN = bool(os.environ.get("XLPERF_REGEN_GOLDEN"))
AS_OF = date(2025, 10, 14)
RETURNS = EXAMPLES / "returns"
FOUR_PS = ["Progress", "Problems", "Priorities", "Points for action"]
EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def partnership() -> Partnership:
    return load_partnership(EXAMPLES / "partnership.toml")


@pytest.fixture(scope="module")
def consolidation(partnership: Partnership) -> Consolidation:
    rules = load_rules()
    files, _ = walk([RETURNS])
    data = consolidate(list(read_many(files, rules, AS_OF, partnership)), AS_OF, rules,
                       partnership)
    data.root = str(RETURNS) + os.sep  # file names as the user sees them
    return data


@pytest.fixture(scope="module")
def report(consolidation: Consolidation) -> ReportData:
    return from_consolidation(consolidation)


def stable(text: str) -> str:
    """The report without its volatile parts (the day it was made, the version)."""
    return re.sub(r"Produced by xlperf \S+ on \d\d/\d\d/\d{4}\.",
                  "Produced by xlperf VERSION on DATE.", text)


def rows_of(markdown: str, text: str) -> list[list[str]]:
    """The cells of every Markdown table row holding ``text``, unescaped."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("|") and text in plain(inline(line)):
            out.append([plain(inline(c)).strip() for c in line.strip().strip("|").split(" | ")])
    return out


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind, fmt", [("briefing", "md"), ("briefing", "html"), ("4ps", "md"),
                                       ("4ps", "html"), ("annual", "md")])
def test_the_example_partnership_report_matches_its_golden_file(report: ReportData, kind: str,
                                                                fmt: str) -> None:
    got = stable(render(report, kind, fmt))
    golden = GOLDEN / f"{kind}.{fmt}"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), "make it: XLPERF_REGEN_GOLDEN=1 python -m pytest tests/test_report.py"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, regenerate with "
        "XLPERF_REGEN_GOLDEN=1 python -m pytest tests/test_report.py")


# --- what the board reads --------------------------------------------------------------------


def test_the_4ps_report_has_the_four_headings_in_order(report: ReportData) -> None:
    text = render(report, "4ps", "md")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings[:4] == FOUR_PS
    html = render(report, "4ps", "html")
    assert re.findall(r"<h2>([^<]*)</h2>", html)[:4] == FOUR_PS


def test_the_red_intelligence_cell_action_shows_its_owner_and_due_date(report: ReportData
                                                                       ) -> None:
    for kind in ("4ps", "briefing"):
        text = render(report, kind, "md")
        (row, *_) = rows_of(text, "Set up a modern slavery intelligence cell")
        assert row[0] == "Red" and row[1] == "1.2"
        assert "Northshire Police" in row and "30/09/2025" in row
    briefing = render(report, "briefing", "md")
    red = [r[1] for r in rows_of(briefing, "Red |") if r[0] == "Red"]
    assert red == ["3.1", "1.2"]  # the NHS training action too, due Sept 2025


def test_the_briefing_lists_the_missing_return_and_the_disagreements(report: ReportData
                                                                     ) -> None:
    text = render(report, "briefing", "md")
    assert "- HMRC: no return for Q2 2025/26" in text
    (row,) = rows_of(text, "Set up a modern slavery intelligence cell | Northshire Police | Green")
    assert row[3:5] == ["Green", "Red"]  # reported Green, computed Red


def test_figures_carry_their_source_file_cell_and_period(report: ReportData) -> None:
    text = render(report, "briefing", "md")
    (row,) = [r for r in rows_of(text, "Modern slavery crimes recorded")
              if r[1] == "Northshire Police"]
    assert row[1:6] == ["Northshire Police", "14", "12", "116.7%", "11"]
    assert row[-1] == "police_2025-26_Q2.xlsx, Indicators C2"
    (nhs,) = [r for r in rows_of(text, "Staff completing modern slavery training")
              if r[1] == "Northshire Health NHS Foundation Trust"]
    assert nhs[2] == "1,240 of 4,100 (30.2%)"


def figure(agency: str, indicator: str, value: float | None = None, breakdown: str = "",
           num: float | None = None, den: float | None = None) -> Row:
    return Row(agency, "Q1 2025/26", IndicatorValue(
        indicator=indicator, breakdown=breakdown, value=value, numerator=num, denominator=den,
        source=Source(file=f"{agency}.xlsx", sheet="Indicators", cell="C2")))


def test_totals_across_agencies_say_they_may_double_count() -> None:
    data = Consolidation(as_of=AS_OF, rules=load_rules(), period="Q1 2025/26", indicators=[
        figure("Police", "NRM referrals made", 6, "Labour exploitation"),
        figure("Police", "NRM referrals made", 17, "Total"),
        figure("Charity", "NRM referrals made", 4),
        figure("Council", "Frontline staff trained", 90)])
    report = from_consolidation(data)
    (total,) = views.totals(report)
    assert total.value == 21 and total.agencies == ("Charity", "Police")
    assert total.name == "NRM referrals made"
    text = render(report, "briefing", "md")
    assert "### Partnership totals (may double count)" in text
    assert rows_of(text, "Charity, Police")[0][2:] == ["21", "may double count"]
    assert "may double count" in render(report, "briefing", "html")


def test_a_proportion_totals_numerators_over_denominators() -> None:
    data = Consolidation(as_of=AS_OF, rules=load_rules(), period="Q1 2025/26", indicators=[
        figure("A", "Staff trained", num=1, den=10), figure("B", "Staff trained", num=90,
                                                            den=100)])
    (total,) = views.totals(from_consolidation(data))
    assert total.shown == "91 of 110 (82.7%)"  # not the mean of 10% and 90%


# --- reading back, one agency, one return ----------------------------------------------------


def test_the_workbook_read_back_gives_the_same_report_data(consolidation: Consolidation,
                                                           report: ReportData,
                                                           partnership: Partnership,
                                                           tmp_path: Path) -> None:
    from xlperf.write.partnership_workbook import write_partnership_workbook

    path = tmp_path / "partnership_workbook.xlsx"
    write_partnership_workbook(consolidation, path)
    book = read_workbook(path)
    assert read_partnership_workbook(book, partnership) == report
    alone = read_partnership_workbook(book)  # no partnership file: the Summary's counts
    assert views.rag_counts(alone, "subgroup") == views.rag_counts(report, "subgroup")
    assert render(alone, "briefing", "md") == render(report, "briefing", "md")


def test_the_agency_filter_keeps_one_agency(report: ReportData) -> None:
    police = select(report, "northshire police")
    assert police.agency == "Northshire Police"
    assert {a.agency for a in police.actions} == {"Northshire Police"}
    assert [r.name for r in views.rag_counts(police, "agency")] == ["Northshire Police"]
    text = render(police, "4ps", "md")
    assert text.startswith("# 4Ps progress report: Northshire Police")
    assert "GLAA" not in text and "Haven" not in text
    assert "1 Red, 1 Amber, 1 Green" in text
    with pytest.raises(UnknownAgency, match="agencies are: GLAA, HMRC, Haven Pathways"):
        select(report, "Northshire Ambulance")


def test_a_single_return_is_reported_on_its_own(partnership: Partnership) -> None:
    data, consolidated = load_report_data(RETURNS / "police_2025-26_Q2.xlsx", load_rules(),
                                          AS_OF, partnership)
    assert not consolidated
    assert {a.agency for a in data.actions} == {"Northshire Police"}
    assert data.period == "Q2 2025/26" and data.as_of == AS_OF
    assert [r.file for r in data.returns] == ["police_2025-26_Q2.xlsx"]


# --- partner text stays data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(report: ReportData) -> ReportData:
    """The examples with formula-, link- and markup-looking text typed by partners."""
    actions = tuple(replace(a, text=EVIL, comment="@SUM(1)") if a.ref == "1.2" else a
                    for a in report.actions)
    narratives = tuple(replace(n, progress="[click](http://evil.example) <script>x</script>\n"
                                           "- not a list\n# not a heading | not a cell")
                       for n in report.narratives)
    return replace(report, actions=actions, narratives=narratives)


def test_formula_looking_text_is_inert_in_markdown(hostile: ReportData) -> None:
    text = render(hostile, "4ps", "md")
    (row, *_) = rows_of(text, "HYPERLINK")
    assert row[2] == "'" + EVIL and row[-1] == "'@SUM(1)"
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<a " not in html and "<script" not in html and "<img" not in html
    assert "<h3>" in html and "<h1># not a heading" not in html
    assert "not a list</li>" not in html


def test_formula_looking_text_is_inert_in_html(hostile: ReportData) -> None:
    html = render(hostile, "4ps", "html")
    assert "<a " not in html and "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&#39;=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)</td>" in html
    assert "&#39;@SUM(1)</td>" in html


def test_formula_looking_text_is_inert_in_word(hostile: ReportData, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "4ps.docx"
    write_report(hostile, "4ps", path)
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "'" + EVIL in cells and "'@SUM(1)" in cells
    body = document.element.body.xml
    assert "w:hyperlink" not in body and "w:instrText" not in body and "fldSimple" not in body
    assert not [r for r in document.part.rels.values() if "hyperlink" in r.reltype]
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("[click](http://evil.example) <script>x</script>") for t in texts)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=60))
def test_any_text_in_a_cell_reads_back_as_itself(text: str) -> None:
    folded = " ".join(text.split())
    shown = plain(inline(cell(text)))
    assert shown == ("'" + folded if folded[:1] in "=+-@" and folded else folded)
    (block,) = parse(f"| {cell(text)} | x |") if folded else [None]
    if block is not None:
        assert block.kind == "table" and len(block.rows[0]) == 2


def test_a_paragraph_keeps_its_lines_and_starts_no_list() -> None:
    (block,) = parse(para("- first\n1. second\n# third"))
    assert block.kind == "paragraph"
    assert [plain(line) for line in block.lines] == ["- first", "1. second", "# third"]


# --- Word ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def briefing_docx(report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "briefing.docx"
    write_report(report, "briefing", path)
    return path


def test_the_docx_has_word_headings_tables_rag_words_chart_and_page_numbers(
        briefing_docx: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(briefing_docx))
    styles = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert ("Title", "Board briefing") in styles
    assert ("Heading 1", "Red and amber actions") in styles
    assert ("Heading 2", "By 4P strand") in styles
    red_amber = next(t for t in document.tables if t.rows[0].cells[0].text == "Computed RAG")
    header = red_amber.rows[0]._tr
    assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeats
    first = red_amber.rows[1].cells
    assert [first[0].text, first[1].text] == ["Red", "3.1"]
    fill = first[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == "D55E00"  # colour-blind-safe red, and the word is in the cell
    amber = red_amber.rows[3].cells[0]
    assert amber.text == "Amber" and amber._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) \
        == "F0E442"
    assert len(document.inline_shapes) == 1  # the RAG-by-strand chart
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "as of 14/10/2025" in footer


def test_a_partnership_template_changes_the_wording_of_every_format(
        report: ReportData, tmp_path: Path) -> None:
    import docx

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "briefing.md.j2").write_text(
        "# Note for the chair\n\n{{ red_amber|length }} actions need the board: "
        "{{ red_amber|map(attribute='ref')|join(', ') }}.\n")
    text = render(report, "briefing", "md", folder)
    assert text == "# Note for the chair\n\n3 actions need the board: 3.1, 1.2, 1.3.\n"
    write_report(report, "briefing", tmp_path / "b.docx", templates=folder)
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs]
    assert paragraphs == ["Note for the chair", "3 actions need the board: 3.1, 1.2, 1.3."]
    assert "## Points for action" in render(report, "4ps", "md", folder)  # others shipped
    (folder / "4ps.md.j2").write_text("{{ nonsense }}")
    with pytest.raises(TemplateProblem, match="'nonsense' is undefined"):
        render(report, "4ps", "md", folder)
    (folder / "4ps.md.j2").write_text("{{ data.__class__ }}")
    with pytest.raises(TemplateProblem):
        render(report, "4ps", "md", folder)  # sandboxed


@needs_libreoffice
def test_libreoffice_converts_the_briefing_to_pdf(briefing_docx: Path, tmp_path: Path) -> None:
    (pdf,) = [p for p in convert(briefing_docx, "pdf", tmp_path) if p.suffix == ".pdf"]
    assert pdf.stat().st_size > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Board briefing" in text and "Red and amber actions" in text
        assert "Page 1 of" in text and "as of 14/10/2025" in text


# --- the command -----------------------------------------------------------------------------


def xlperf(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_demo_writes_the_briefing_and_report_reads_the_workbook(tmp_path: Path) -> None:
    result = xlperf("demo", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"Board briefing: {tmp_path / 'briefing.docx'}" in result.stdout
    assert (tmp_path / "briefing.md").read_text().startswith("# Board briefing")
    workbook = tmp_path / "partnership_workbook.xlsx"
    out = tmp_path / "police.html"
    result = xlperf("report", str(workbook), "--kind", "4ps", "--agency", "Northshire Police",
                    "-o", str(out))
    # the police's returns have no errors (the 3 errors are Fire's and Haven's)
    assert result.returncode == 0, result.stderr
    assert f"Report: {out}" in result.stdout and "errors" not in result.stdout
    fire = tmp_path / "fire.md"
    result = xlperf("report", str(workbook), "--kind", "4ps", "--agency",
                    "Northshire Fire and Rescue Service", "-o", str(fire))
    assert result.returncode == 1 and "The data has 2 errors" in result.stdout
    assert "<h1" in out.read_text() and "Northshire Police" in out.read_text()
    result = xlperf("report", str(workbook), "--agency", "Nobody", "-o", str(out))
    assert result.returncode == 2 and "agencies are: GLAA" in result.stderr
    result = xlperf("report", str(workbook), "-o", str(tmp_path / "b.pdf"))
    assert result.returncode == 2 and "name the output like b.docx" in result.stderr
    result = xlperf("report", str(workbook), "--as-of", "01/01/2026", "-o", str(out))
    assert result.returncode == 2 and "made as of 14/10/2025" in result.stderr
    result = xlperf("report", str(workbook), "-o", str(workbook.with_suffix(".md")),
                    "--format", "html")
    assert result.returncode == 2 and ".html" in result.stderr


def test_report_has_help_with_an_example() -> None:
    result = xlperf("report", "--help")
    assert result.returncode == 0
    assert "Example: xlperf report" in " ".join(result.stdout.split())


def test_the_report_core_imports_without_document_libraries() -> None:
    code = ("import sys\n"
            "for name in ('docx', 'matplotlib', 'openpyxl', 'python_calamine', 'xlsxwriter'):\n"
            "    sys.modules[name] = None\n"
            "import xlperf.report.data, xlperf.report.views, xlperf.report.readback\n"
            "import xlperf.report.markdown\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr


def test_the_annual_report_counts_actions_completed_in_an_earlier_quarter(
        tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xlperf.cli import app
    from xlperf.rag import load_rules
    from xlperf.schema import TEMPLATES
    from xlperf.write.templates import Fill, write_template

    folder = tmp_path / "returns"
    folder.mkdir()
    for name, agency, period, action in (
            ("a.xlsx", "Northshire Police", "Q2 2025/26",
             {"ref": "1.1", "action": "Run days of action", "owner": "Police",
              "due": date(2026, 3, 31), "status": "In progress", "progress": 50}),
            ("b.xlsx", "Northshire Fire and Rescue Service", "Q1 2025/26",
             {"ref": "3.2", "action": "Brief every crew on exploitation", "owner": "Fire",
              "due": date(2025, 6, 30), "status": "Complete", "progress": 100})):
        write_template(TEMPLATES["monitoring-return"], folder / name, load_rules(), Fill(
            forms={"agency": agency, "period": period, "submitted_by": "SPOC",
                   "submitted_on": date(2025, 10, 3)}, tables={"Actions": [action]}))
    runner = CliRunner()
    book = tmp_path / "p.xlsx"
    assert runner.invoke(app, ["consolidate", str(folder), "-o", str(book), "--as-of",
                               "14/10/2025"]).exit_code == 0
    out = tmp_path / "annual.md"
    result = runner.invoke(app, ["report", str(book), "--kind", "annual", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Brief every crew on exploitation" in text
    assert "No action was complete" not in text


def test_the_briefing_shows_the_partnership_against_its_targets(tmp_path: Path) -> None:
    """With the framework (as the demo runs): NRM referrals Q1 21 + Q2 27 = 48 against
    100 a year pro rata to September (50): 96%, Green; staff training pooled for Q2
    (420 + 1,240) / (1,200 + 4,100) = 31.3% against 50%: 62.6%, Red."""
    from xlperf.partnership import load_partnership
    from xlperf.pipeline import run_consolidation
    from xlperf.report.readback import read_partnership_workbook

    out = tmp_path / "p.xlsx"
    data = run_consolidation([EXAMPLES / "returns"], out, AS_OF, load_rules(),
                             load_partnership(EXAMPLES / "partnership.toml"),
                             framework=EXAMPLES / "indicator_framework.xlsx")
    report = from_consolidation(data)
    lines = {t.name: t for t in report.targets}
    nrm = lines["NRM referrals made"]
    assert (nrm.achieved, nrm.target_to_date, nrm.percent, nrm.rag) == (48, 50, 96.0, "Green")
    training = lines["Staff completing modern slavery training"]
    assert (training.achieved_shown, training.target_shown, training.percent,
            training.rag) == ("31.3%", "50%", 62.6, "Red")
    from xlperf.read import read_workbook

    back = read_partnership_workbook(read_workbook(out),
                                     load_partnership(EXAMPLES / "partnership.toml"))
    assert back.targets == report.targets
    text = render(report, "briefing", "md")
    (row,) = [r for r in rows_of(text, "Staff completing modern slavery training")
              if r[1] == "31.3%"]
    assert row[1:5] == ["31.3%", "50%", "62.6%", "Red"]


def test_reports_count_a_return_as_the_workbook_does() -> None:
    """Equal figures typed twice in one return count once; different ones add up; a rate
    given alone (the framework says it is a proportion) is never added."""
    from xlperf.indicators import IndicatorSpec, Unit

    def fig(agency: str, indicator: str, value: float, cell: str) -> Row:
        return Row(agency, "Q1 2025/26", IndicatorValue(
            indicator=indicator, value=value,
            source=Source(file=f"{agency}.xlsx", sheet="Indicators", cell=cell)))

    spec = IndicatorSpec("Staff trained (share)", Unit.PROPORTION)
    data = Consolidation(as_of=AS_OF, rules=load_rules(), period="Q1 2025/26",
                         framework={"staff trained (share)": spec}, indicators=[
        fig("Police", "Crimes recorded", 14, "C2"), fig("Police", "Crimes recorded", 14, "C3"),
        fig("Council", "Crimes recorded", 10, "C2"), fig("Council", "Crimes recorded", 4, "C3"),
        fig("Police", "Staff trained (share)", 0.3, "C4"),
        fig("Council", "Staff trained (share)", 0.5, "C4")])
    report = from_consolidation(data)
    found = {t.indicator: t for t in views.totals(report)}
    assert found["Crimes recorded"].value == 28  # police 14 once, council 10 + 4
    assert "Staff trained (share)" not in found  # 0.3 + 0.5 is not a rate
    year = {(r.agency, r.indicator): r for r in views.year_table(report)}
    assert year[("Council", "Crimes recorded")].values["Q1 2025/26"] == "14"


def test_a_report_for_one_agency_by_its_alias(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xlperf.cli import app

    book, out = tmp_path / "p.xlsx", tmp_path / "police.md"
    runner = CliRunner()
    assert runner.invoke(app, ["consolidate", str(EXAMPLES / "returns"), "-o", str(book),
                               "--as-of", "14/10/2025"]).exit_code in (0, 1)
    result = runner.invoke(app, ["report", str(book), "--kind", "4ps", "--agency", "NP",
                                 "--partnership", str(EXAMPLES / "partnership.toml"),
                                 "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "Northshire Police" in out.read_text()
