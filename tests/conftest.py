"""Shared test helpers: where the shared capture pool is, and attribute-path look-ups."""

from __future__ import annotations

import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The capture pool beside the repository (never copied into it: it holds real numbers).
SHARED = ROOT.parent / "shared" / "captures"
VECTORS = ROOT / "tests" / "vectors"
sys.path.insert(0, str(ROOT / "scripts"))  # the sample and tshark scripts are tested too


def shared_capture(name: str) -> Path:
    """Path of a capture of the shared pool; skips the test where the pool is absent."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"shared capture pool not present: {path}")
    return path


def need_tshark() -> str:
    """Path of tshark; skips the test where it is not installed."""
    found = shutil.which("tshark")
    if found is None:
        pytest.skip("tshark is not installed (Debian package tshark); .ci/run installs it")
    return found


def lookup(obj: object, path: str) -> Any:
    """Follow a dotted path of attribute names and tuple indexes."""
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)  # type: ignore[index]
    return obj


def same(actual: object, expected: object) -> bool:
    """Compare a decoded value with a JSON expectation (enum names, hex for bytes)."""
    if expected is None or actual is None:
        return actual is expected
    if isinstance(actual, Enum) and isinstance(expected, str):
        return actual.name == expected
    if isinstance(actual, bytes) and isinstance(expected, str):
        return actual.hex() == expected
    if isinstance(actual, tuple) and isinstance(expected, list):
        return list(actual) == expected
    return actual == expected
