"""xlperf.read on every real input, plus hostile and odd files built here."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REALDATA
from xlperf.cells import parse_a1, parse_range
from xlperf.grid import CellValue, Sheet, Workbook
from xlperf.read import UnreadableFile, is_lock_or_system_file, read_workbook, safety, sniff
from xlperf.read.extent import trim
from xlperf.read.text import as_cell
from xlperf.read.xlsx_structure import read_structure, scan_sheet

needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(), reason=f"real inputs not found at {REALDATA} (shared/ beside the repo)"
)
LOCK_DIR = "cases/10_folder_with_office_lock_files"
TOWNS = "files/mhclg_towns_fund_round7_monitoring_return.xlsx"

# Every real file -> (kind, sheets, hidden sheets) when readable, else the refusal code.
EXPECTED: dict[str, tuple[str, int, int] | str] = {
    "cases/01a_formulas_no_cached_values_openpyxl.xlsx": ("xlsx", 1, 0),
    "cases/02a_encrypted_password_to_open.xlsx": "encrypted",
    "cases/03_x14_dropdown_and_databar_lost_on_save.xlsx": ("xlsx", 2, 0),
    "cases/05_four_rows_but_used_range_to_row_1048576.xlsx": ("xlsx", 1, 0),
    "cases/06_logframe_merged_labels_and_two_row_header.xlsx": ("xlsx", 1, 0),
    "cases/08_due_dates_mixed_real_text_serial.xlsx": ("xlsx", 1, 0),
    "cases/09a_html_table_named_as.xls": ("html", 1, 0),
    "cases/09c_csv_text_named_as.xlsx": ("csv", 1, 0),
    f"{LOCK_DIR}/.~lock.partner_a_return.xlsx#": "lock-file",
    f"{LOCK_DIR}/partner_a_return.xlsx": ("xlsx", 1, 0),
    f"{LOCK_DIR}/~$partner_a_return.xlsx": "lock-file",
    "cases/11_styles_empty_fill_element.xlsx": ("xlsx", 1, 0),
    "cases/12_sharedstrings_with_entity_expansion_dtd.xlsx": "hostile-xml",
    "cases/13_partner_free_text_that_looks_like_formulas.xlsx": ("xlsx", 1, 0),
    "cases/15_inline_strings_no_sharedstrings_no_styles.xlsx": ("xlsx", 1, 0),
    "files/360giving_grants_data_prep_template_manual_coding.xlsx": ("xlsx", 6, 0),
    "files/dft_portfolio_dashboard_master_rag.xlsx": ("xlsx", 4, 0),
    "files/hxl_broken_styles_excelize.xlsx": ("xlsx", 1, 0),
    "files/logframelab_dfid_results_framework_template.xlsx": ("xlsx", 2, 0),
    "files/mercycorps_LOCKFILE_tilde-dollar_program_upload_data.xlsx": "lock-file",
    "files/mercycorps_tola_bulk_indicator_import_template.xlsx": ("xlsx", 2, 1),
    "files/mhclg_risks_validation_example.xlsx": ("xlsx", 1, 0),
    TOWNS: ("xlsx", 20, 12),  # 'Hidden sheets>>>' divider + 11 data sheets
    "files/rtof_outcomes_fund_sample_inlinestr.xlsx": ("xlsx", 9, 0),
    "files/rtof_parser_sample_legacy.xls": ("xls", 2, 0),
    "files/scotgov_reconvictions_2017_18_stat_tables.xlsx": ("xlsx", 26, 0),
    "files/unicef_prp_partner_progress_report_template.xlsx": ("xlsx", 2, 0),
    "files/wur_issd_africa_logframe_progress.xlsx": ("xlsx", 7, 0),
}
SNIFFED_AS = {
    "cases/02a_encrypted_password_to_open.xlsx": "encrypted",
    f"{LOCK_DIR}/.~lock.partner_a_return.xlsx#": "libreoffice-lock",
    f"{LOCK_DIR}/~$partner_a_return.xlsx": "office-lock",
    "cases/12_sharedstrings_with_entity_expansion_dtd.xlsx": "xlsx",
    "files/mercycorps_LOCKFILE_tilde-dollar_program_upload_data.xlsx": "office-lock",
}

# (file, sheet, A1 cell, value) checked by hand against the package XML or openpyxl.
VALUES: list[tuple[str, str, str, CellValue]] = [
    ("cases/01a_formulas_no_cached_values_openpyxl.xlsx", "Q2 return", "B2", 120),
    ("cases/01a_formulas_no_cached_values_openpyxl.xlsx", "Q2 return", "G2", None),
    ("cases/03_x14_dropdown_and_databar_lost_on_save.xlsx", "Action plan", "D3", 0.35),
    ("cases/03_x14_dropdown_and_databar_lost_on_save.xlsx", "Lists", "A3", "Green"),
    ("cases/05_four_rows_but_used_range_to_row_1048576.xlsx", "KPIs", "E4", "Red"),
    ("cases/06_logframe_merged_labels_and_two_row_header.xlsx", "Logframe", "A3", "Outcome"),
    ("cases/06_logframe_merged_labels_and_two_row_header.xlsx", "Logframe", "E1", "Target 2024/25"),
    ("cases/06_logframe_merged_labels_and_two_row_header.xlsx", "Logframe", "F2", "Q2"),
    ("cases/06_logframe_merged_labels_and_two_row_header.xlsx", "Logframe", "D4", None),
    ("cases/08_due_dates_mixed_real_text_serial.xlsx", "Actions", "B2", date(2025, 4, 3)),
    ("cases/08_due_dates_mixed_real_text_serial.xlsx", "Actions", "B3", "03/04/2025"),
    ("cases/08_due_dates_mixed_real_text_serial.xlsx", "Actions", "B9", 45383),
    ("cases/08_due_dates_mixed_real_text_serial.xlsx", "Actions", "B12", " 01/05/2025 "),
    ("cases/09a_html_table_named_as.xls", "Table 1", "B2", 12),
    ("cases/09a_html_table_named_as.xls", "Table 1", "C3", "2024/25 Q2"),
    ("cases/09c_csv_text_named_as.xlsx", "09c_csv_text_named_as", "A3", "Agency B"),
    ("cases/09c_csv_text_named_as.xlsx", "09c_csv_text_named_as", "B3", 7),
    (f"{LOCK_DIR}/partner_a_return.xlsx", "Sheet", "B2", 12),
    ("cases/11_styles_empty_fill_element.xlsx", "Sheet", "B2", 12),
    ("cases/13_partner_free_text_that_looks_like_formulas.xlsx", "Return", "A4", "Agency C"),
    ("cases/13_partner_free_text_that_looks_like_formulas.xlsx", "Return", "B4", "=1+1"),
    ("cases/13_partner_free_text_that_looks_like_formulas.xlsx", "Return", "C2", "-15% vs target"),
    ("cases/15_inline_strings_no_sharedstrings_no_styles.xlsx", "person", "B3", "tbc"),
    ("cases/15_inline_strings_no_sharedstrings_no_styles.xlsx", "person", "C3", "Provider South"),
    # a rich-text run without xml:space="preserve": calamine alone gives 'ProviderEast'
    ("cases/15_inline_strings_no_sharedstrings_no_styles.xlsx", "person", "D3", "Provider East"),
    ("cases/15_inline_strings_no_sharedstrings_no_styles.xlsx", "person", "C4", "  padded  "),
    (
        "files/360giving_grants_data_prep_template_manual_coding.xlsx",
        "360_data",
        "A2",
        "360G-ExampleFunder-0001_2022-09",
    ),
    ("files/dft_portfolio_dashboard_master_rag.xlsx", "Finance", "O9", "A/R"),
    ("files/dft_portfolio_dashboard_master_rag.xlsx", "Finance", "C2", "Project Name "),
    ("files/hxl_broken_styles_excelize.xlsx", "Sheet1", "B2", "#country+name"),
    ("files/hxl_broken_styles_excelize.xlsx", "Sheet1", "A3", "AB9"),
    ("files/logframelab_dfid_results_framework_template.xlsx", "RESULTS FRAMEWORK", "A2", "IMPACT"),
    (
        "files/mercycorps_tola_bulk_indicator_import_template.xlsx",
        "Import indicators",
        "D6",
        "Indicator*",
    ),
    ("files/mhclg_risks_validation_example.xlsx", "Risks", "E6", "3 - medium"),
    (TOWNS, "1 - Start Here", "B6", "1 October 2024 to 31 March 2025"),
    (TOWNS, "7 - Risk Register", "H11", "5 - Major impact "),
    # an error value: calamine alone reads it as an empty cell
    (TOWNS, "Backend Data", "AL2", "#REF!"),
    (
        TOWNS,
        "4a - Funding Profiles",
        "C5",
        "You are reporting for the period: 1 October 2024 to 31 March 2025",
    ),
    ("files/rtof_outcomes_fund_sample_inlinestr.xlsx", "date_last_seen", "C2", date(2021, 11, 9)),
    ("files/rtof_parser_sample_legacy.xls", "Sheet1", "D2", "Bolton Council"),
    ("files/rtof_parser_sample_legacy.xls", "Sheet1", "B2", 1989),
    ("files/scotgov_reconvictions_2017_18_stat_tables.xlsx", "Table 1", "B5", 53460),
    ("files/scotgov_reconvictions_2017_18_stat_tables.xlsx", "Table 17 ", "A4", "Gender"),
    (
        "files/unicef_prp_partner_progress_report_template.xlsx",
        "PR Template",
        "A4",
        "#partner+name",
    ),
    (
        "files/wur_issd_africa_logframe_progress.xlsx",
        "Logical framework - WP1",
        "B3",
        "Results chain",
    ),
]

_cache: dict[str, Workbook] = {}


def real(name: str) -> Path:
    return REALDATA / name


def read_real(name: str) -> Workbook:
    """read_workbook once per real file (several tests look at the same file)."""
    if name not in _cache:
        _cache[name] = read_workbook(real(name))
    return _cache[name]


def sheet_of(book: Workbook, name: str) -> Sheet:
    found = book.sheet(name)
    assert found is not None, f"no sheet {name!r}; sheets are {[s.name for s in book.sheets]}"
    return found


def cell(book: Workbook, sheet: str, ref: str) -> CellValue:
    return sheet_of(book, sheet).value(*parse_a1(ref))


# ---------------------------------------------------------------- every real file


@needs_realdata
def test_every_real_file_is_listed() -> None:
    on_disk = {
        p.relative_to(REALDATA).as_posix()
        for folder in ("cases", "files")
        for p in (REALDATA / folder).rglob("*")
        if p.is_file()
    }
    assert on_disk == set(EXPECTED)


@needs_realdata
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_file_reads_or_is_refused_with_its_name(name: str) -> None:
    expected = EXPECTED[name]
    if isinstance(expected, str):
        with pytest.raises(UnreadableFile) as refused:
            read_workbook(real(name))
        assert refused.value.code == expected
        assert refused.value.path == real(name)
        assert f"'{real(name).name}'" in str(refused.value)
        assert "Traceback" not in str(refused.value)
        return
    kind, n_sheets, n_hidden = expected
    book = read_real(name)
    assert book.kind == kind
    assert len(book.sheets) == n_sheets
    assert sum(not s.visible for s in book.sheets) == n_hidden
    assert book.sha256 == hashlib.sha256(real(name).read_bytes()).hexdigest()
    for sheet in book.sheets:  # trimmed: the last row and column hold something
        if sheet.rows:
            assert any(v is not None for v in sheet.rows[-1]) or sheet.uncalculated
            assert any(row[-1] is not None for row in sheet.rows) or sheet.uncalculated


@needs_realdata
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sniff_judges_real_files_by_content(name: str) -> None:
    expected = EXPECTED[name]
    assert sniff(real(name)) == SNIFFED_AS.get(name, expected[0])


@needs_realdata
@pytest.mark.parametrize(("name", "sheet", "ref", "value"), VALUES)
def test_real_values(name: str, sheet: str, ref: str, value: CellValue) -> None:
    got = cell(read_real(name), sheet, ref)
    assert got == value
    assert type(got) is type(value) or isinstance(value, int | float)


# ---------------------------------------------------------------- the quirks, one by one


@needs_realdata
def test_uncalculated_formulas_are_listed_by_cell() -> None:
    book = read_real("cases/01a_formulas_no_cached_values_openpyxl.xlsx")
    sheet = book.sheets[0]
    cells = {parse_a1(f"{col}{row}") for col in "GHI" for row in (2, 3, 4)}  # G2:I4
    assert sheet.uncalculated == cells
    assert sheet.formulas == cells
    assert book.needs_recalc  # fullCalcOnLoad="1"


@needs_realdata
def test_formulas_that_calculated_to_empty_text_are_not_uncalculated() -> None:
    book = read_real("files/360giving_grants_data_prep_template_manual_coding.xlsx")
    assert sum(len(s.formulas) for s in book.sheets) == 3501
    assert all(not s.uncalculated for s in book.sheets)


@needs_realdata
def test_towns_fund_structure() -> None:
    book = read_real(TOWNS)
    assert sum(len(s.formulas) for s in book.sheets) == 34100
    assert all(not s.uncalculated for s in book.sheets)
    assert not book.needs_recalc and not book.date1904 and not book.notes
    assert (1, 1, 2, 3) in sheet_of(book, "1 - Start Here").merged
    assert parse_a1("C5") in sheet_of(book, "4a - Funding Profiles").formulas
    assert next(s.name for s in book.sheets if not s.visible) == "4b - PSI"


@needs_realdata
def test_used_range_to_last_row_is_trimmed_to_the_data() -> None:
    sheet = read_real("cases/05_four_rows_but_used_range_to_row_1048576.xlsx").sheets[0]
    assert sheet.n_rows == 4
    assert sheet.n_cols == 5


@needs_realdata
def test_logframe_merged_labels() -> None:
    sheet = read_real("cases/06_logframe_merged_labels_and_two_row_header.xlsx").sheets[0]
    refs = ["J6:J7", "A3:A5", "C1:C2", "B1:B2", "D1:D2", "B3:B5", "E1:H1", "I1:I2", "J3:J5",
            "B6:B7", "J1:J2", "A6:A7", "A1:A2"]  # fmt: skip
    assert sorted(sheet.merged) == sorted(parse_range(r) for r in refs)


@needs_realdata
def test_real_date_cells_are_marked() -> None:
    sheet = read_real("cases/08_due_dates_mixed_real_text_serial.xlsx").sheets[0]
    assert sheet.date_cells == {parse_a1("B2")}


@needs_realdata
def test_misnamed_files_say_what_they_really_are() -> None:
    html = read_real("cases/09a_html_table_named_as.xls")
    assert "is named .xls but is really an HTML table" in html.notes[0]
    text = read_real("cases/09c_csv_text_named_as.xlsx")
    assert "named .xlsx but is really CSV text" in text.notes[0]
    assert not read_real(TOWNS).notes


@needs_realdata
def test_lock_file_messages_name_the_locked_workbook() -> None:
    for lock in ("~$partner_a_return.xlsx", ".~lock.partner_a_return.xlsx#"):
        with pytest.raises(UnreadableFile) as refused:
            read_workbook(real(f"{LOCK_DIR}/{lock}"))
        assert "while someone has 'partner_a_return.xlsx' open" in str(refused.value)
        assert str(refused.value).endswith("Delete it or ignore it.")
    with pytest.raises(UnreadableFile, match="is an Excel lock file"):
        read_workbook(real("files/mercycorps_LOCKFILE_tilde-dollar_program_upload_data.xlsx"))


@needs_realdata
def test_encrypted_file_asks_for_the_password() -> None:
    path = real("cases/02a_encrypted_password_to_open.xlsx")
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(path)
    assert str(refused.value) == (
        "'02a_encrypted_password_to_open.xlsx' is protected with a password to open. "
        "Give the password with --password, or ask the sender for an unprotected copy."
    )
    with pytest.raises(UnreadableFile) as wrong:
        read_workbook(path, password="certainly not the password")
    assert wrong.value.code == "wrong-password"


@needs_realdata
def test_entity_expansion_is_refused_before_calamine() -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(real("cases/12_sharedstrings_with_entity_expansion_dtd.xlsx"))
    assert "contains an XML entity declaration (a known attack)" in str(refused.value)


@needs_realdata
def test_folder_walk_skips_lock_files_by_name() -> None:
    names = sorted(p.name for p in (REALDATA / LOCK_DIR).iterdir() if not is_lock_or_system_file(p))
    assert names == ["partner_a_return.xlsx"]


@needs_realdata
def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    copy = tmp_path / "return.xlsx"
    copy.write_bytes(real("cases/06_logframe_merged_labels_and_two_row_header.xlsx").read_bytes())
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    read_workbook(copy)
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


@needs_realdata
def test_password_opens_an_encrypted_copy(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    if not hasattr(ooxml.OOXMLFile, "encrypt"):
        pytest.skip("this msoffcrypto-tool cannot encrypt (needs 5.x or later)")
    locked = tmp_path / "locked.xlsx"
    with real("cases/05_four_rows_but_used_range_to_row_1048576.xlsx").open("rb") as plain:
        out = io.BytesIO()
        ooxml.OOXMLFile(plain).encrypt("s3cret!", out)
    locked.write_bytes(out.getvalue())
    assert sniff(locked) == "encrypted"
    book = read_workbook(locked, password="s3cret!")
    assert (book.kind, book.sheets[0].n_rows, cell(book, "KPIs", "A2")) == (
        "xlsx",
        4,
        "Referrals to NRM",
    )
    assert book.sha256 == hashlib.sha256(locked.read_bytes()).hexdigest()
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(locked, password="S3CRET!")
    assert refused.value.code == "wrong-password"
    assert "'locked.xlsx'" in str(refused.value)
    with pytest.raises(UnreadableFile, match="--password"):
        read_workbook(locked)


# ---------------------------------------------------------------- built workbooks

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx_parts(sheet_data: str, extra: str = "", prolog: str = "") -> dict[str, str]:
    """A minimal package with one worksheet 'Data'."""
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Data" sheetId="1"'
            ' r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet"'
            ' Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'{prolog}<worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}</sheetData>{extra}'
            "</worksheet>"
        ),
    }


def write_zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Partner</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Referrals</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Agency A</t></is></c><c r="B2"><v>12</v></c></row>'
)


def test_built_workbook_reads(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "built.xlsx", dict(xlsx_parts(ROWS)))
    book = read_workbook(path)
    assert book.kind == "xlsx"
    assert book.sheets[0].rows == [["Partner", "Referrals"], ["Agency A", 12]]


def test_zip_bomb_part_is_refused(tmp_path: Path) -> None:
    parts: dict[str, str | bytes] = dict(xlsx_parts(ROWS))
    parts["xl/media/padding.bin"] = b"\0" * (3 * 1024 * 1024)  # ~1000:1
    path = write_zip(tmp_path / "bomb.xlsx", parts)
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(path)
    assert refused.value.code == "zip-bomb"
    assert "'bomb.xlsx'" in str(refused.value) and "xl/media/padding.bin" in str(refused.value)


def test_too_many_parts_or_too_much_data_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts: dict[str, str | bytes] = dict(xlsx_parts(ROWS))
    parts.update({f"xl/junk/{i}.xml": "<a/>" for i in range(30)})
    path = write_zip(tmp_path / "many.xlsx", parts)
    assert read_workbook(path).kind == "xlsx"
    monkeypatch.setattr(safety, "MAX_ENTRIES", 20)
    with pytest.raises(UnreadableFile, match="35 parts") as refused:
        read_workbook(path)
    assert refused.value.code == "zip-bomb"
    monkeypatch.setattr(safety, "MAX_ENTRIES", 10_000)
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(UnreadableFile, match="unpacked"):
        read_workbook(path)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_dtd_in_any_part_is_refused(tmp_path: Path, part: str) -> None:
    parts: dict[str, str | bytes] = dict(xlsx_parts(ROWS))
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY boom "boom">]>'
    parts[part] = dtd + str(parts[part])
    path = write_zip(tmp_path / "dtd.xlsx", parts)
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(path)
    assert refused.value.code == "hostile-xml"
    assert str(refused.value).startswith("'dtd.xlsx' contains an XML entity declaration")


def test_structure_reader_refuses_dtds_on_its_own(tmp_path: Path) -> None:
    """Defence in depth: the structure parser forbids DTDs even past the prolog check."""
    prolog = "<!-- " + "x" * 70_000 + " --><!DOCTYPE worksheet>"
    parts: dict[str, str | bytes] = dict(xlsx_parts(ROWS, prolog=prolog))
    path = write_zip(tmp_path / "late.xlsx", parts)
    with zipfile.ZipFile(path) as zf, pytest.raises(UnreadableFile) as refused:
        read_structure(zf, path)
    assert refused.value.code == "hostile-xml"


def test_damaged_structure_keeps_the_values(tmp_path: Path) -> None:
    """An undeclared prefix breaks a strict XML parser but not calamine."""
    extra = "<extLst><x14:thing/></extLst>"
    path = write_zip(tmp_path / "odd.xlsx", dict(xlsx_parts(ROWS, extra=extra)))
    book = read_workbook(path)
    assert book.sheets[0].value(1, 1) == 12
    assert book.notes == [
        "Merged cells and formulas were not read for sheet 'Data': its XML is damaged; "
        "its values were read."
    ]


def test_truncated_workbook_is_corrupt(tmp_path: Path) -> None:
    whole = write_zip(tmp_path / "whole.xlsx", dict(xlsx_parts(ROWS))).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(cut)
    assert refused.value.code == "corrupt-workbook"
    assert str(refused.value).startswith("'cut.xlsx' looks like")


def test_cells_without_r_attributes_and_text_formulas() -> None:
    sheet = (
        f'<worksheet xmlns="{_MAIN}"><sheetData>'
        "<row><c><v>1</v></c><c><f>A1*2</f></c></row>"  # B1: no cached value
        '<row><c r="B2" t="str"><f>""</f><v></v></c><c><f>B2</f><v>0</v></c></row>'
        '</sheetData><mergeCells><mergeCell ref="A5:C6"/></mergeCells></worksheet>'
    )
    found = scan_sheet(io.BytesIO(sheet.encode()))
    assert found.formulas == {(0, 1), (1, 1), (1, 2)}
    assert found.uncalculated == {(0, 1)}
    assert found.merged == [(4, 0, 5, 2)]


def test_uncalculated_cells_past_the_values_stay_in_the_grid(tmp_path: Path) -> None:
    rows = ROWS + '<row r="3"><c r="D3"><f>B2*2</f></c></row>'
    book = read_workbook(write_zip(tmp_path / "u.xlsx", dict(xlsx_parts(rows))))
    sheet = book.sheets[0]
    assert sheet.uncalculated == {(2, 3)}
    assert (sheet.n_rows, sheet.n_cols) == (3, 4)


def test_ods_reads(tmp_path: Path) -> None:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Returns"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Partner</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Referrals</text:p>'
        "</table:table-cell></table:table-row><table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>Agency A</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    path = tmp_path / "return.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", (
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:'
            '1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
        ))  # fmt: skip
    assert sniff(path) == "ods"
    book = read_workbook(path)
    assert (book.kind, book.sheets[0].name, cell(book, "Returns", "B2")) == ("ods", "Returns", 12)


# ---------------------------------------------------------------- text files


def test_csv_delimiter_encoding_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "return.csv"
    text = 'Partner;Ref;Amount;Note\r\nAgency £;007;-3.5;"has; semicolon"\r\nB;12;1,5;\r\n'
    path.write_bytes(text.encode("cp1252"))
    book = read_workbook(path)
    assert (book.kind, book.sheets[0].name, book.notes) == ("csv", "return", [])
    assert book.sheets[0].rows == [
        ["Partner", "Ref", "Amount", "Note"],
        ["Agency £", "007", -3.5, "has; semicolon"],
        ["B", 12, "1,5", None],
    ]


def test_csv_with_bom_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("\ufeffa\tb\n1\t2\n".encode())
    assert read_workbook(path).sheets[0].rows == [["a", "b"], [1, 2]]


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("-0.25", -0.25), ("0", 0), ("007", "007"), ("1e5", "1e5"), ("1,234", "1,234"),
     (" 42 ", 42), ("", None), ("1234567890123456", "1234567890123456"), ("+5", "+5")],
)  # fmt: skip
def test_text_cells_become_numbers_only_when_plain(text: str, value: CellValue) -> None:
    assert as_cell(text) == value and type(as_cell(text)) is type(value)


def test_html_tables_with_spans(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><body><p>Intro</p>"
        "<table><tr><th colspan=2>Partner</th><th>Q1</th></tr>"
        "<tr><td rowspan=2>North</td><td>A</td><td>3</td></tr>"
        "<tr><td>B</td><td>4&nbsp;</td></tr></table>"
        "<table><tr><td>Line one<br>line   two</td></tr></table></body></html>"
    )
    path = tmp_path / "export.htm"
    path.write_text(page, encoding="utf-8")
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["Table 1", "Table 2"]
    first = book.sheets[0]
    assert first.rows == [["Partner", None, "Q1"], ["North", "A", 3], [None, "B", 4]]
    assert first.merged == [(0, 0, 0, 1), (1, 0, 2, 0)]
    assert book.sheets[1].rows == [["Line one\nline two"]]
    assert not book.notes


def test_web_page_without_table_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "page.xls"
    path.write_text("<html><body>Sorry, the download failed.</body></html>")
    with pytest.raises(UnreadableFile, match="web page with no table") as refused:
        read_workbook(path)
    assert refused.value.code == "not-a-spreadsheet"


# ---------------------------------------------------------------- sniffing and refusals


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "unknown"),
        (b"just a sentence with no columns at all\n", "unknown"),
        (b"name,count\nA,1\n", "csv"),
        (b"  <TABLE><tr><td>1</td></tr></TABLE>", "html"),
        (b",Jo Bloggs,LAPTOP-1,03.12.2025 12:00,file:///C:/Users/jo/AppData/Roaming/LibreOffice/4;",
         "libreoffice-lock"),
    ],
)  # fmt: skip
def test_sniff_by_content(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "anything.xlsx"
    path.write_bytes(content)
    assert sniff(path) == kind


def test_refusals_say_what_the_file_is(tmp_path: Path) -> None:
    cases = {
        "empty.xlsx": (b"", "empty-file", "is empty (0 bytes)"),
        "scan.xlsx": (b"%PDF-1.4\n" + bytes(range(256)), "not-a-spreadsheet", "PDF document"),
    }
    for name, (content, code, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(UnreadableFile) as refused:
            read_workbook(path)
        assert (refused.value.code, refused.value.path) == (code, path)
        assert str(refused.value).startswith(f"'{name}' ") and words in str(refused.value)


def test_excel_2003_xml_is_named_not_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
        '"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="A,B,C"/></Workbook>'
    )
    assert sniff(path) == "unknown"
    with pytest.raises(UnreadableFile, match="old Excel 2003 XML format"):
        read_workbook(path)


def test_word_document_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "letter.xlsx", {
        "[Content_Types].xml": '<Types><Override ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": "<w/>",
    })  # fmt: skip
    assert sniff(path) == "zip-other"
    with pytest.raises(UnreadableFile, match=r"\(it is a Word document\)"):
        read_workbook(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as missing:
        read_workbook(tmp_path / "gone.xlsx")
    assert missing.value.code == "file-not-found" and "'gone.xlsx'" in str(missing.value)
    with pytest.raises(UnreadableFile, match="it is a folder"):
        read_workbook(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX non-root")
def test_unreadable_permissions(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "private.xlsx", dict(xlsx_parts(ROWS)))
    path.chmod(0)
    with pytest.raises(UnreadableFile) as refused:
        read_workbook(path)
    assert refused.value.code == "cannot-open" and "permission denied" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "skip"),
    [("~$return.xlsx", True), (".~lock.return.xlsx#", True), (".DS_Store", True),
     ("Thumbs.db", True), ("desktop.ini", True), ("._return.xlsx", True),
     ("return.xlsx", False), ("~return.xlsx", False), (".~lock.return.xlsx", False)],
)  # fmt: skip
def test_lock_and_system_names(name: str, skip: bool) -> None:
    assert is_lock_or_system_file(Path("folder") / name) is skip


# ---------------------------------------------------------------- extent


def test_trim_keeps_leading_blanks_and_drops_trailing_ones() -> None:
    rows: list[list[CellValue]] = [[None, None, None], [None, "x", "  "], [None, None, None]]
    assert trim(rows) == [[None, None], [None, "x"]]
    assert trim(rows, keep={(2, 2)}) == [[None, None, None], [None, "x", "  "], [None] * 3]
    assert trim([[None]], keep={(1_048_575, 16_383)}) == []  # never a million-row grid


def test_quick_byte_scan_agrees_with_the_xml_parser_on_every_real_sheet() -> None:
    """The fast path (bytes) and the parser (defusedxml) find the same structure."""
    import glob
    import io
    import zipfile

    from xlperf.read.xlsx_structure import quick_scan, scan_sheet

    if not REALDATA.is_dir():
        pytest.skip(f"real inputs not found at {REALDATA}")
    root = Path(__file__).resolve().parents[1]
    files = glob.glob(str(REALDATA / "**" / "*.xlsx"), recursive=True)
    files += glob.glob(str(root / "src" / "xlperf" / "examples" / "returns" / "*.xlsx"))
    compared = 0
    for name in files:
        try:
            package = zipfile.ZipFile(name)
        except zipfile.BadZipFile:
            continue
        for part in package.namelist():
            if not (part.startswith("xl/worksheets/sheet") and part.endswith(".xml")):
                continue
            data = package.read(part)
            fast = quick_scan(data)
            if fast is None or b"<!DOCTYPE" in data[:4096]:
                continue
            slow = scan_sheet(io.BytesIO(data), {})
            assert (sorted(fast.merged), fast.formulas, fast.uncalculated) == (
                sorted(slow.merged), slow.formulas, slow.uncalculated), f"{name} {part}"
            compared += 1
    assert compared > 100
