"""Load the partnership's own description (name, members, sub-groups) from a TOML file.

Example::

    name = "Northshire Anti-Slavery Partnership"
    vision = "..."
    [[agency]]
    name = "Northshire Police"
    kind = "police"
    aliases = ["NP"]
    [[subgroup]]
    name = "Pursue and Prevent"
    strands = ["Pursue", "Prevent"]
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from xlperf.model import Agency, Partnership, SubGroup


class PartnershipError(ValueError):
    """The partnership file is wrong; the message says where."""


def load_partnership(path: Path) -> Partnership:
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except UnicodeDecodeError as exc:
        raise PartnershipError(f"Partnership file {path} is not a text file; it must be a "
                               "small TOML file (see the README's example).") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PartnershipError(f"Partnership file {path} cannot be read: {exc}") from exc
    try:
        return Partnership(
            name=str(data.get("name", "")), vision=str(data.get("vision", "")),
            agencies=[Agency(**a) for a in data.get("agency", [])],
            subgroups=[SubGroup(**g) for g in data.get("subgroup", [])],
        )
    except (TypeError, ValidationError) as exc:
        raise PartnershipError(f"Partnership file {path}: {exc}") from exc
