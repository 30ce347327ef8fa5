from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
EXAMPLES = ROOT / "src" / "xlperf" / "examples"


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real inputs not found at {REALDATA} (they live beside the checkout)")
    return REALDATA


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
