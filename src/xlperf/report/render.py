"""Fill the report templates (jinja2) as Markdown or HTML.

The shipped templates are in ``templates/``; a folder given with ``--templates DIR``
overrides any of them by file name. Templates run sandboxed and every value is made
safe on the way out: in Markdown it is escaped and a cell that starts like a formula
gets a leading apostrophe; in HTML it is autoescaped (and neutralised the same way).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from xlperf import __version__
from xlperf.report import KINDS, views
from xlperf.report import markdown as md
from xlperf.report.data import ReportData, fmt_date, fmt_number
from xlperf.write.style import HEADER_FILL, RAG_COLOURS

SUFFIX = {"md": ".md.j2", "html": ".html.j2"}


class TemplateProblem(ValueError):
    """A report template that cannot be found or filled (the message says which and where)."""


def _md_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(md.cell(value))
    return value


def _html_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return md.neutralise(" ".join(value.split()))
    return value


def _html_para(value: object) -> Markup:
    lines = [escape(line.strip()) for line in str(value or "").splitlines() if line.strip()]
    return Markup("<br>\n").join(lines)


def _rag_style(word: object) -> Markup:
    fill, ink = RAG_COLOURS.get(str(word), ("", ""))
    if not fill:
        return Markup("")
    return Markup(f"background-color:{fill};color:{ink};font-weight:bold;")


_CELL = "border:1px solid #808080;padding:3px 6px;vertical-align:top;text-align:left;"
CSS = {
    "table": Markup("border-collapse:collapse;width:100%;margin:6px 0 12px 0;font-size:10pt;"),
    "th": Markup(f"{_CELL}background-color:{HEADER_FILL};color:#FFFFFF;font-weight:bold;"),
    "td": Markup(_CELL),
    "num": Markup(_CELL.replace("text-align:left", "text-align:right")),
    "note": Markup("color:#404040;font-size:9pt;"),
}


def _loader(templates: Path | None) -> jinja2.BaseLoader:
    shipped = jinja2.PackageLoader("xlperf.report", "templates")
    if templates is None:
        return shipped
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates)), shipped])


def environment(fmt: str, templates: Path | None = None, target: str = "") -> jinja2.Environment:
    """The sandboxed environment for 'md' or 'html'; target 'docx' makes chart() mark places."""
    html = fmt == "html"
    env = ImmutableSandboxedEnvironment(
        loader=_loader(templates), autoescape=html, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=_html_finalize if html else _md_finalize)
    env.filters["date"] = lambda d: Markup(fmt_date(d))
    env.filters["num"] = lambda n: Markup(fmt_number(n))
    env.filters["pct"] = lambda n: Markup(f"{n:.1f}%" if n is not None else "")
    env.filters["para"] = _html_para if html else (lambda v: Markup(md.para(v or "")))
    env.globals["chart"] = (lambda name: Markup(f"[[chart: {name}]]")) if target == "docx" \
        else (lambda name: Markup(""))
    env.globals["rag_style"] = _rag_style
    env.globals["css"] = CSS
    return env


def title(kind: str, data: ReportData) -> str:
    year = views.year_periods(data)[0]
    name = KINDS[kind] + (f" {year}" if kind == "annual" and year else "")
    return f"{name}: {data.agency}" if data.agency else name


def context(data: ReportData, kind: str, produced: date | None = None) -> dict[str, Any]:
    """Every variable a template can use (docs/reports.md lists them)."""
    year, year_periods = views.year_periods(data)
    current = views.current_actions(data)
    return {
        "kind": kind, "title": title(kind, data), "partnership": data.partnership,
        "agency": data.agency, "as_of": data.as_of, "period": data.period, "rule": data.rule,
        "version": __version__, "produced": produced or date.today(), "data": data,
        "rag_words": views.rag_words(data), "rag_summary": views.rag_summary(data),
        "rag_by_strand": views.rag_counts(data, "strand"),
        "rag_by_subgroup": views.rag_counts(data, "subgroup"),
        "rag_by_agency": views.rag_counts(data, "agency"),
        "actions": current, "red_amber": views.red_amber(data),
        "disagreements": views.disagreements(data), "completed": views.completed(data),
        "due_soon": views.due_soon(data), "priority_days": views.PRIORITY_DAYS,
        "open_actions": views.open_actions(data),
        "figures": views.latest_figures(data), "targets": data.targets,
        "all_figures": views.latest_figures(data, headline_only=False),
        "totals": views.totals(data),
        "narratives": views.narratives_for(data, data.period),
        "year": year, "year_periods": year_periods, "year_table": views.year_table(data),
        "year_narratives": views.latest_narratives(data, year_periods),
        "year_returns": views.returns_in(data, year_periods),
        "returns": views.returns_in(data, [data.period]),
        "missing": list(data.missing), "errors": data.errors, "warnings": data.warnings,
    }


def render(data: ReportData, kind: str, fmt: str, templates: Path | None = None,
           produced: date | None = None, target: str = "") -> str:
    """The report as Markdown ('md') or HTML ('html') text."""
    name = f"{kind}{SUFFIX[fmt]}"
    env = environment(fmt, templates, target)
    try:
        text = env.get_template(name).render(context(data, kind, produced))
        return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"Template '{exc.name}' not found"
                              + (f" in {templates} or" if templates else " in") +
                              " the shipped templates.") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"Template {exc.filename or exc.name}, line {exc.lineno}: "
                              f"{exc.message}") from exc
    except jinja2.TemplateError as exc:  # an undefined variable, a forbidden attribute
        raise TemplateProblem(f"Template {name}: {exc}. The variables are listed in "
                              "docs/reports.md.") from exc
