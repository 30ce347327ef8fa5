"""The logic behind xlperf's cell functions, on plain cell values (no xlwings here).

``XLPERF_RAG`` builds an :class:`~xlperf.model.Action` from three cells and asks the
core (:func:`xlperf.rag.compute_rag`) for its RAG, so a cell gives the same answer as
``xlperf check`` and the template's formula. ``XLPERF_INDICATOR_STATUS`` asks the core's
indicator rule (:func:`xlperf.indicators.indicator_rag`) about a figure and its target.
The decorated functions live in :mod:`xlperf.excel.udfs` (desktop Excel) and
``lite/main.py`` (xlwings Lite).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from xlperf.check import parse_status
from xlperf.indicators import Direction, IndicatorSpec, RagBands, indicator_rag
from xlperf.model import Action, Status
from xlperf.rag import RagRules, compute_rag, load_rules
from xlperf.values import parse_date, parse_number, parse_percent

_HIGHER = {"higher", "higher is better", "up", "increase", "more", "max", ">", ">="}
_LOWER = {"lower", "lower is better", "down", "decrease", "less", "min", "<", "<="}


class CellInputError(ValueError):
    """A cell function was given something it cannot use; the message says what to give."""


@lru_cache(maxsize=1)
def rules() -> RagRules:
    return load_rules()


def rag(status: object, due: object, progress: object = None, as_of: object = None) -> str:
    """The computed RAG word for one action, or "" when it has no readable due date.

    ``progress`` is a %-formatted cell (0.5 shows as 50%) or a number 0 to 100; 1 counts
    as 100%. ``as_of`` defaults to today.
    """
    action = Action(text="(cell function)", status=_status(status), due=parse_date(due).value,
                    progress=_progress(progress))
    result = compute_rag(action, _as_of(as_of), rules())
    return result.value if result is not None else ""


def indicator_status(value: object, target: object, direction: object = None) -> str:
    """The figure's RAG against its target, by the core's indicator rule
    (:func:`xlperf.indicators.indicator_rag`): Green (on track) within 15% of the target
    or better, Amber within 30%, else Red; "" when the value or the target is missing
    (or the target is 0). ``direction``: "higher" (default, more is better) or "lower".
    """
    figure, goal = _figure(value, "value"), _figure(target, "target")
    if figure is None or goal is None:
        return ""
    spec = IndicatorSpec(name="(cell function)", direction=_direction(direction))
    result = indicator_rag(spec, figure, goal, RagBands())
    return result.value if result is not None else ""


def _figure(value: object, what: str) -> float | None:
    """A number, or a percentage typed as text ('50%' is 0.5); None for a blank cell;
    anything else is a :class:`CellInputError` (shown as '#xlperf: ...')."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellInputError(f"{what}: TRUE/FALSE is not a figure")
    if isinstance(value, str) and value.strip().endswith("%"):
        parsed = parse_percent(value)
        if parsed.problem or parsed.value is None:
            raise CellInputError(f"{what}: {parsed.detail or value!r} is not a percentage")
        return parsed.value / 100
    number = parse_number(value)
    if number.value is None:
        raise CellInputError(f"{what}: {number.detail or repr(value)}")
    return number.value


def _status(value: object) -> Status | None:
    text = "" if value is None else str(value).strip()
    return parse_status(text) if text else None


def _progress(value: object) -> float | None:
    number = parse_number(value).value if not isinstance(value, str) else None
    if number is not None:  # a %-formatted cell gives a fraction: 1 is 100%
        parsed = parse_percent(number, fraction=number <= 1)
    else:
        parsed = parse_percent(value)
    if parsed.problem:
        raise CellInputError(f"progress: {parsed.detail}")
    return parsed.value


def _as_of(value: object) -> date:
    if value is None or value == "":
        return date.today()
    parsed = parse_date(value)
    if parsed.value is None or parsed.value.precision != "day":
        raise CellInputError(f"as_of {value!r} is not a date; give a date such as 14/10/2025")
    return parsed.value.start


def _direction(value: object) -> Direction:
    text = "" if value is None else " ".join(str(value).lower().split())
    if not text or text in _HIGHER:
        return Direction.HIGHER
    if text in _LOWER:
        return Direction.LOWER
    raise CellInputError(f"direction {value!r}: give \"higher\" (more is better) or "
                         "\"lower\" (less is better)")
