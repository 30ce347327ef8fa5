"""The personal data guard: spot likely personal data in free text, and mask it.

Returns should carry aggregate figures. A victim's name, date of birth, phone number,
email address, postcode or National Insurance number in a comment is personal data
that must not travel into a consolidated workbook or a report. The patterns are
deliberately simple and UK-shaped; a warning asks a person to look, ``--redact``
masks every match in every output. Pure: no file formats here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pydantic import BaseModel

T = TypeVar("T")

MASK = "[redacted]"


@dataclass(frozen=True)
class Kind:
    name: str
    pattern: re.Pattern[str]


_KINDS = (
    Kind("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    Kind("a National Insurance number", re.compile(
        r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")),
    Kind("a date of birth", re.compile(
        r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)(?:\s+(?:is|was|of))?\s*[:\-]?\s*"
        r"\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{2,4}", re.IGNORECASE)),
    Kind("a phone number", re.compile(
        r"(?<![\w/])(?:\+44\s?\(?0?\)?\s?\d|\b0)(?:\s?\d){9,10}\b")),
    Kind("a postcode", re.compile(
        r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b")),
    Kind("a name with a title", re.compile(
        r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master)\.?\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z'-]+)?")),
)


def find_personal_data(text: str) -> list[str]:
    """The kinds of personal data ``text`` seems to hold, in a stable order."""
    return [k.name for k in _KINDS if k.pattern.search(text)]


def redact(text: str) -> str:
    """``text`` with every likely piece of personal data replaced by [redacted]."""
    for kind in _KINDS:
        text = kind.pattern.sub(MASK, text)
    return text


def redact_all(value: T) -> T:
    """A copy of ``value`` (dataclasses, pydantic models, lists, dicts, text) with personal
    data masked in every string it holds; nothing is changed in place."""
    return cast(T, _map_text(value, lambda t: redact(t) if find_personal_data(t) else t))


def count_personal_data(value: Any) -> int:
    """How many strings inside ``value`` look like they hold personal data."""
    found: list[str] = []

    def note(text: str) -> str:
        if find_personal_data(text):
            found.append(text)
        return text

    _map_text(value, note)
    return len(found)


def _map_text(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` rebuilt with ``fn`` applied to every string inside it."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _map_text(getattr(value, k), fn)
                                        for k in type(value).model_fields})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _map_text(getattr(value, f.name), fn)
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list | tuple):
        return type(value)(_map_text(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _map_text(v, fn) for k, v in value.items()}
    return value
