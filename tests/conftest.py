from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The real public workbooks live beside the checkout (../shared/realdata), never in the
# repository; XLPERF_REALDATA points elsewhere. Without them those tests skip, saying why.
REALDATA = Path(os.environ.get("XLPERF_REALDATA", ROOT.parent / "shared" / "realdata"))
EXAMPLES = ROOT / "src" / "xlperf" / "examples"


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real inputs not found at {REALDATA} (they live beside the checkout)")
    return REALDATA


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
