"""Fixtures shared by the whole test suite."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The `shared` folder beside the checkout.

    Tests that need it are skipped when it is absent, except under CI=true,
    where its absence is a failure.
    """
    if not SHARED_DIR.is_dir():
        message = f"shared data folder not found at {SHARED_DIR}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DIR


@pytest.fixture(scope="session")
def extractor():
    """One real-model extractor for the whole run (loading spaCy takes about a second)."""
    from extract.pipeline import Extractor

    return Extractor()
