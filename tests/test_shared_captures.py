"""Every IAM of every capture in ../shared/captures against tshark's decode (the oracle files).

The oracle was made with per-file tshark preferences (MANIFEST.md); ss7ani gets no options.
Where the two must differ the difference is pinned here with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import ss7ani
from conftest import SHARED, shared_capture
from ss7ani.isup import InitialAddress
from ss7ani.records import IsupRecord

_ORACLES = sorted(p.name.removesuffix(".iam.jsonl") for p in (SHARED / "oracle").glob("*.jsonl"))
# Number parameters as the oracle names them -> the IAM property and the oracle's field names.
_NUMBERS = {
    "called": (
        "called",
        {
            "digits": "digits",
            "nai": "nature_of_address",
            "npi": "numbering_plan",
            "inn": "internal_network_number",
        },
    ),
    "calling": (
        "calling",
        {
            "digits": "digits",
            "nai": "nature_of_address",
            "npi": "numbering_plan",
            "apri": "presentation",
            "si": "screening",
            "ni": "incomplete",
        },
    ),
    "location_number": (
        "location",
        {
            "digits": "digits",
            "nai": "nature_of_address",
            "npi": "numbering_plan",
            "apri": "presentation",
            "si": "screening",
            "inn": "internal_network_number",
        },
    ),
    "redirecting": (
        "redirecting",
        {
            "digits": "digits",
            "nai": "nature_of_address",
            "npi": "numbering_plan",
            "apri": "presentation",
        },
    ),
    "original_called": (
        "original_called",
        {
            "digits": "digits",
            "nai": "nature_of_address",
            "npi": "numbering_plan",
            "apri": "presentation",
        },
    ),
}


def _oracle(name: str) -> list[dict[str, Any]]:
    path = SHARED / "oracle" / f"{name}.iam.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _as_oracle(value: object) -> str:
    if isinstance(value, bool):
        return str(int(value))
    return str(int(value)) if isinstance(value, int) else str(value)


def _differences(record: IsupRecord, expected: dict[str, Any]) -> list[str]:
    iam = record.message
    assert isinstance(iam, InitialAddress)
    found: list[str] = []
    for field, actual in (("cic", record.cic), ("opc", record.opc), ("dpc", record.dpc)):
        if expected.get(field) is not None and str(actual) != expected[field]:
            found.append(f"{field}: {actual} != {expected[field]}")
    if "ni" in expected and int(expected["ni"], 16) != record.ni:
        found.append(f"ni: {record.ni} != {expected['ni']}")
    for oracle_name, (prop, fields) in _NUMBERS.items():
        number = getattr(iam, prop)
        if oracle_name not in expected:
            if number is not None:
                found.append(f"{prop}: present, not in tshark")
            continue
        if number is None:
            found.append(f"{prop}: missing")
            continue
        for oracle_field, ours in fields.items():
            if oracle_field in expected[oracle_name]:
                text = _as_oracle(getattr(number, ours))
                if text != expected[oracle_name][oracle_field]:
                    found.append(f"{prop}.{ours}: {text} != {expected[oracle_name][oracle_field]}")
    return found


def _decode(path: Path) -> tuple[list[IsupRecord], list[ss7ani.Issue]]:
    records: list[IsupRecord] = []
    issues: list[ss7ani.Issue] = []
    for item in ss7ani.read(path):
        if isinstance(item, ss7ani.Issue):
            issues.append(item)
        elif isinstance(item.message, InitialAddress):
            records.append(item)
    return records, issues


@pytest.mark.parametrize("name", _ORACLES)
def test_every_iam_agrees_with_tshark(name: str) -> None:
    path = shared_capture(name)
    records, issues = _decode(path)
    assert issues == []
    oracle = _oracle(name)
    by_frame = {(line["frame"], line["isup_index_in_frame"]): line for line in oracle}
    for record in records:
        line = by_frame.get((record.frame, 0))
        assert line is not None, f"frame {record.frame}: tshark saw no IAM"
        assert _differences(record, line) == [], f"frame {record.frame}"
        assert record.message.issues == ()
    reported = {r.frame for r in records}
    repeats = [line for line in oracle if line["frame"] not in reported]
    # The only IAMs ss7ani does not report are MTP2 retransmissions (Q.703 §5-6): same FSN and
    # the same octets as an IAM reported earlier on the link (sng_ss7mon__pcr1: 267 -> 2).
    for line in repeats:
        assert "mtp2_fsn" in line
        original = next(
            r for r in records if r.frame < line["frame"] and _differences(r, line) == []
        )
        assert original is not None


def test_pcr_retransmissions_are_reported_once() -> None:
    records, _ = _decode(shared_capture("sng_ss7mon__pcr1.pcap"))
    assert [(r.frame, r.cic) for r in records] == [(1, 90), (2602, 34)]


def test_bicc_is_recognised_not_decoded_as_isup() -> None:
    path = shared_capture("sample-captures__bicc.pcap")
    assert list(ss7ani.read(path)) == []


def test_unknown_national_message_type_is_kept() -> None:
    records = [
        r
        for r in ss7ani.read(shared_capture("sng_ss7mon__test1.pcap"))
        if isinstance(r, IsupRecord)
    ]
    assert [r.message.message_type for r in records] == [6, 0x2C, 9, 0xE1, 12]
