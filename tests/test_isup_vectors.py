"""Golden vectors: hand-checked spec examples, decoded and (where canonical) re-encoded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import VECTORS, lookup, same
from ss7ani.isup import decode, encode

_DATA = json.loads((VECTORS / "isup_messages.json").read_text())["vectors"]


@pytest.mark.parametrize("vector", _DATA, ids=[v["name"] for v in _DATA])
def test_vector(vector: dict[str, Any]) -> None:
    octets = bytes.fromhex(vector["hex"].replace(" ", ""))
    message = decode(octets, vector["variant"])
    for path, expected in vector["expect"].items():
        actual = lookup(message, path)
        assert same(actual, expected), f"{path}: {actual!r} != {expected!r}"
    expected_issues = vector.get("issues", [])
    assert len(message.issues) == len(expected_issues)
    for issue, (offset, words) in zip(message.issues, expected_issues, strict=True):
        assert issue.offset == offset
        assert words in issue.reason
    rebuilt = encode(message)
    assert (rebuilt == octets) is vector["canonical"]
    again = decode(rebuilt, vector["variant"])
    assert again._replace(issues=()) == message._replace(issues=())
