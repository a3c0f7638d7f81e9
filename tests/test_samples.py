"""The repository's sample captures: reproducible, and decoding to what they were made from."""

from __future__ import annotations

from pathlib import Path

import make_samples
import pytest

import ss7ani
from conftest import ROOT
from ss7ani.isup import InitialAddress
from ss7ani.isup.codes import AddressPresentation, OriginatingLineInformation, Variant

CAPTURES = ROOT / "captures"


def test_samples_are_reproducible(tmp_path: Path) -> None:
    for path in make_samples.write_samples(tmp_path):
        assert path.read_bytes() == (CAPTURES / path.name).read_bytes(), path.name


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("sample.pcapng", 9),
        ("sample.pcapng.gz", 9),
        ("ansi_m3ua.pcap", 6),
        ("ansi_mtp3.pcap", 6),
        ("itu_mtp2_fcs.pcap", 3),
        ("itu_m2ua_sll.pcap", 3),
        ("sctp_bundled_fragmented.pcapng", 9),
    ],
)
def test_every_sample_decodes_to_its_calls(name: str, count: int) -> None:
    made = {
        (c.iam.variant, c.iam.cic): c.iam
        for c in make_samples.ansi_calls() + make_samples.itu_calls()
    }
    records = list(ss7ani.read(CAPTURES / name))
    assert not [r for r in records if isinstance(r, ss7ani.Issue)]
    iams = [
        r
        for r in records
        if isinstance(r, ss7ani.IsupRecord) and isinstance(r.message, InitialAddress)
    ]
    assert len(iams) == count
    for record in iams:
        assert record.message == made[(record.variant, record.cic)]
    assert len(records) == count * 5 - sum(
        not c.answered
        for c in make_samples.ansi_calls() + make_samples.itu_calls()
        if (c.iam.variant, c.iam.cic) in {(r.variant, r.cic) for r in iams}
    )


def test_star_67_caller_keeps_a_visible_charge_number() -> None:
    (record,) = [r for r in ss7ani.iams(CAPTURES / "sample.pcapng") if r.cic == 102]
    message = record.message
    assert isinstance(message, InitialAddress)
    assert record.variant is Variant.ANSI
    assert message.calling is not None
    assert message.calling.presentation is AddressPresentation.RESTRICTED
    assert message.ani == "9725550123"
    assert message.oli is OriginatingLineInformation.IDENTIFIED_LINE


def test_truncated_sample_ends_with_one_issue() -> None:
    items = list(ss7ani.read(CAPTURES / "truncated.pcap"))
    issues = [i for i in items if isinstance(i, ss7ani.Issue)]
    assert len(issues) == 1
    assert issues[0].layer == "capture"
    assert items[-1] == issues[0]
