"""Never crash, never lose a call: the robustness invariants of docs/robustness.md.

1. Any bytes, at any layer and through the pipeline, give only records and issues.
2. Damage is local: corrupting one frame changes the output of that frame (and of the
   reassembled message it belongs to) and nothing else.
3. Memory is bounded by the capture's structure, never by a length field; every hostile-input
   limit reports an issue when it is hit.
4. A truncated file gives every complete frame before the cut, then one issue.

A short run of the mutation campaign (fuzz/campaign.py), Hypothesis mutation tests over valid
frames, one test per limit, and regression tests for what the campaign found (each written
first as a strict ``xfail``, then kept as a plain test once the bug was fixed).
"""

from __future__ import annotations

import importlib
import io
import pickle
import re
import signal
import struct
import sys
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ss7ani
from ss7ani import capture, mtp3, segmentation, strategies, writer
from ss7ani.capture import Frame
from ss7ani.decode import Decoder
from ss7ani.errors import DecodeError, Layer
from ss7ani.isup import messages
from ss7ani.isup.codes import Variant
from ss7ani.isup.params import RawParameter
from ss7ani.net import ip, sctp
from ss7ani.records import Issue, IsupRecord
from ss7ani.sigtran import m2pa, m2ua, m3ua, mtp2
from ss7ani.strategies import FieldKind, Mutation
from ss7ani.writer import Encapsulation, Encapsulator, LinkFrame, Message

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))
campaign: Any = importlib.import_module("campaign")
hostile: Any = importlib.import_module("hostile")

Output = IsupRecord | Issue


def _fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


def _frame(number: int, linktype: int, data: bytes) -> Frame:
    return Frame(number, number * 1000, 0, linktype, data, len(data))


def _decode(frames: Iterable[Frame], decoder: Decoder | None = None) -> list[Output]:
    decoder = Decoder() if decoder is None else decoder
    out: list[Output] = []
    for frame in frames:
        out += decoder.feed(frame)
    return out + decoder.finish()


def _as_frames(links: Iterable[LinkFrame]) -> list[Frame]:
    return [_frame(n, f.linktype, f.data) for n, f in enumerate(links, 1)]


def _issues(out: Iterable[Output]) -> list[Issue]:
    return [item for item in out if isinstance(item, Issue)]


class _Deadline(Exception):  # noqa: N818 - raised when a test overruns its deadline
    pass


def _expire(_signum: int, _frame: FrameType | None) -> None:
    raise _Deadline


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Fail a hang fast: raise ``_Deadline`` once ``seconds`` have passed."""
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _growth(run: Callable[[int], object], count: int) -> int:
    """How many more octets ``run(count)`` needed at its peak than ``run(count // 2)``.

    A bounded pipeline levels off: the second half of a flood adds (almost) nothing.
    """
    tracemalloc.start()
    try:
        run(count // 2)
        first = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        run(count)
        second = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return second - first


def _feed(frames: Iterable[tuple[int, bytes]]) -> list[Output]:
    """What a fresh decoder makes of (link type, octets) frames, up to ``finish``."""
    return _decode(_frame(n, linktype, data) for n, (linktype, data) in enumerate(frames, 1))


def _fed(frames: Iterable[tuple[int, bytes]]) -> Decoder:
    """A decoder that has decoded ``frames`` (their output dropped as it comes)."""
    decoder = Decoder()
    for number, (linktype, data) in enumerate(frames, 1):
        decoder.feed(_frame(number, linktype, data))
    return decoder


# --- the short campaign (CI) -------------------------------------------------------------------


def _ci_sources() -> list[Any]:
    """The repository's captures (uncompressed) and the writer-made ones: no shared pool."""
    paths = [p for p in campaign.default_paths() if p.parent == ROOT / "captures"]
    files = [s for s in campaign.file_sources(paths) if not s.name.endswith(".gz")]
    return [*files, *campaign.generated_sources()]


_CI = {"mutations": 120, "truncations": 30, "tamperings": 15, "file_flips": 30}


@pytest.mark.parametrize("variant", [Variant.ITU, Variant.ANSI])
def test_short_campaign_with_a_fixed_variant(variant: Variant) -> None:
    options = campaign.Options(**_CI, variant=variant)
    tally, _ = campaign.campaign(options, _ci_sources(), [])
    assert sum(tally.mutations.values()) >= 3000
    assert tally.exceptions == []
    assert tally.hangs == []
    assert tally.failures == []
    assert tally.violations.total() == 0
    assert tally.truncations_ok == tally.truncations > 0
    assert tally.tamperings_ok == tally.tamperings > 0


def test_short_campaign_with_the_variant_decided_per_message() -> None:
    options = campaign.Options(**{**_CI, "mutations": 60})
    tally, _ = campaign.campaign(options, _ci_sources(), [])
    assert tally.exceptions == []
    assert tally.failures == []
    assert tally.violations.total() == 0


def test_the_invariant_2_check_sees_a_change_elsewhere() -> None:
    frames = _as_frames(Encapsulator(Encapsulation(transport="mtp3")).frames(_itu_messages(3)))
    assert campaign.check_mutation(frames, 0, frames[0]) == []
    window = campaign._window(pickle.dumps(Decoder()), frames[0], frames[1:])
    out = _decode(frames)
    record = out[2]
    assert isinstance(record, IsupRecord)
    out[2] = record._replace(cic=999)
    assert campaign.compare(window, frames[0], out, campaign.Tally()) == [
        "frame 3: IsupRecord fields changed: cic"
    ]


# --- Hypothesis: mutated valid frames, invariants 1 and 2 --------------------------------------


@_fuzz(300)
@given(strategies.malformed_frames())
def test_malformed_frames_give_only_records_and_issues(broken: strategies.MalformedFrame) -> None:
    frame = _frame(1, broken.frame.linktype, broken.frame.data)
    for item in _decode([frame]):
        assert isinstance(item, IsupRecord | Issue)
        if isinstance(item, Issue):
            assert item.frame == 1


@_fuzz(150)
@given(strategies.framed_iams())
def test_valid_frames_decode_to_the_iam_they_carry(framed: strategies.FramedIam) -> None:
    out = _decode(_as_frames(framed.frames), Decoder(variant=framed.iam.variant))
    (record,) = out
    assert isinstance(record, IsupRecord)
    assert record.message == framed.iam
    assert (record.opc, record.dpc, record.cic) == (
        framed.message.opc,
        framed.message.dpc,
        framed.iam.cic,
    )


_KINDS = {
    "bit flips": (Mutation.BIT_FLIP,),
    "truncation": (Mutation.TRUNCATE,),
    "length and pointer tampering": (Mutation.FIELD_VALUE, Mutation.RESIZE),
    "chunk reordering": (Mutation.CHUNK_REORDER, Mutation.CHUNK_DUPLICATE, Mutation.CHUNK_DROP),
    "splices and junk": (Mutation.SPLICE, Mutation.JUNK),
}


@st.composite
def _calls(draw: st.DrawFn) -> tuple[Variant, list[Frame]]:
    """Three IAMs of one variant over one encapsulation (bundled or fragmented at times)."""
    variant = draw(strategies.variants())
    encapsulation = draw(strategies.encapsulations())
    iams = draw(st.lists(strategies.initial_address_messages(variant), min_size=3, max_size=3))
    sent = [
        Message(i, messages.encode(strategies._plain(iam)), variant, 1 + i, 100, i % 16)
        for i, iam in enumerate(iams)
    ]
    return variant, _as_frames(Encapsulator(encapsulation).frames(sent))


@_fuzz(60)
@pytest.mark.parametrize("kinds", list(_KINDS.values()), ids=list(_KINDS))
@given(calls=_calls(), data=st.data())
def test_damage_to_one_frame_stays_in_that_frame(
    kinds: tuple[Mutation, ...], calls: tuple[Variant, list[Frame]], data: st.DataObject
) -> None:
    variant, frames = calls
    position = data.draw(st.integers(0, len(frames) - 1))
    frame = frames[position]
    donor = frames[data.draw(st.integers(0, position))].data

    def integers(low: int, high: int) -> int:
        return data.draw(st.integers(low, high))

    broken, _ = strategies.mutate_frame(
        frame.linktype, frame.data, integers, donor=donor, kinds=kinds
    )
    mutated = frame._replace(data=broken)
    assert campaign.check_mutation(frames, position, mutated, Decoder(variant=variant)) == []


# --- Hypothesis: mutated valid units into each layer's entry point -----------------------------


def _sigtran(
    function: Callable[[bytes, int, int], object],
) -> Callable[[bytes, int], object]:
    return lambda data, start: function(data, start, len(data))


_ENTRY_POINTS: dict[tuple[Layer, str], Callable[[bytes, int], object]] = {
    (Layer.IP, "ipv4-ihl"): ip.ipv4,
    (Layer.IP, "ipv6-payload-length"): lambda data, start: ip.ipv6(data, start - 4),
    (Layer.SCTP, "source-port"): _sigtran(sctp.data_chunks),
    (Layer.M3UA, "version"): _sigtran(m3ua.data_message),
    (Layer.M2PA, "version"): _sigtran(m2pa.user_data),
    (Layer.M2UA, "version"): _sigtran(m2ua.data_message),
    (Layer.MTP2, "bsn"): lambda data, start: mtp2.signal_unit(data, start, None),
    (Layer.MTP3, "sio"): lambda data, start: mtp3.label(data, start, Variant.ANSI),
    (Layer.ISUP, "cic"): lambda data, start: [
        messages.decode(data[start:], variant, strict=strict)
        for variant in Variant
        for strict in (False, True)
    ],
}


@_fuzz(400)
@given(frame=strategies.frames(), data=st.data())
def test_every_layer_raises_only_decode_errors_on_mutated_units(
    frame: LinkFrame, data: st.DataObject
) -> None:
    fields = strategies.frame_fields(frame.linktype, frame.data)
    starts = [(f.layer, f.name, f.offset) for f in fields if (f.layer, f.name) in _ENTRY_POINTS]
    layer, name, start = data.draw(st.sampled_from(starts))

    def integers(low: int, high: int) -> int:
        return data.draw(st.integers(low, high))

    broken, _ = strategies.mutate_frame(frame.linktype, frame.data, integers, fields=fields)
    try:
        _ENTRY_POINTS[layer, name](broken, start)
    except DecodeError as error:
        assert 0 <= error.offset <= len(broken)


@_fuzz(100)
@given(strategies.frames())
def test_frame_fields_point_inside_the_frame(frame: LinkFrame) -> None:
    fields = strategies.frame_fields(frame.linktype, frame.data)
    assert any(f.layer is Layer.ISUP for f in fields)
    for field in fields:
        assert field.offset >= 0
        assert field.offset + field.size <= len(frame.data)
        if field.kind is FieldKind.LENGTH and field.span is not None:
            value = int.from_bytes(frame.data[field.offset : field.offset + field.size], "big")
            mask = field.mask or (1 << (8 * field.size)) - 1
            span = field.span[1] - field.span[0]
            assert value & mask == (span if field.cap is None else min(span, field.cap))


def test_strategy_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="one frame"):
        strategies.frames(encapsulation=Encapsulation(fragment_size=8))
    with pytest.raises(ValueError, match="at least one"):
        strategies.malformed_frames(kinds=())


# --- invariant 3: every limit, reported and bounded --------------------------------------------


def test_pcap_record_of_4_gib_ends_the_read_with_one_issue() -> None:
    data = hostile.pcap_file([struct.pack("<IIII", 0, 0, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(64)])
    items = list(ss7ani.read(io.BytesIO(data)))
    assert len(items) == 1
    assert isinstance(items[0], Issue)
    assert "exceeds the limit" in items[0].reason


def test_pcapng_block_length_0xffffffff_ends_the_read_with_one_issue() -> None:
    items = list(ss7ani.read(io.BytesIO(hostile._file_block_ffffffff(1))))
    assert [i.reason.split(":")[0] for i in _issues(items)] == [
        "block length 4294967295 is invalid"
    ]


def test_ip_datagram_beyond_65535_octets_is_an_issue() -> None:
    out = _feed(hostile.ip_oversized(3))
    assert [i.layer for i in _issues(out)] == [Layer.IP] * 3
    assert all(f"beyond {ip.MAX_DATAGRAM}" in i.reason for i in _issues(out))


def test_sctp_message_beyond_max_message_is_dropped_with_an_issue() -> None:
    pieces = range(sctp.MAX_MESSAGE // 1400 + 2)
    chunks = (
        writer.sctp_data_chunk(bytes(1400), tsn=n, ssn=1, flags=0x02 if n == 0 else 0)
        for n in pieces
    )
    out = _feed(hostile._sctp_frames(chunks, 40))
    assert any(f"exceeds {sctp.MAX_MESSAGE} octets" in i.reason for i in _issues(out))


def test_sctp_pending_messages_are_bounded_and_reported() -> None:
    count = sctp.MAX_PENDING_MESSAGES + 5
    out = _feed(hostile.half_open_messages(count))
    reasons = [i.reason for i in _issues(out)]
    assert len(reasons) == 5
    assert all(f"more than {sctp.MAX_PENDING_MESSAGES}" in r for r in reasons)
    assert _growth(lambda n: _fed(hostile.half_open_messages(n)), 6000) < 512 * 1024


def test_variant_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ss7ani.variant.MAX_LINKS", 64)
    assert _growth(lambda n: _fed(hostile.point_code_flood(n)), 4000) < 256 * 1024


def test_segmented_iams_held_are_bounded_and_emitted_with_an_issue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(segmentation, "MAX_PENDING", 8)
    decoder = Decoder()
    out = decoder.feed(_frame(1, 1, next(hostile.segmented_iam_flood(10))[1]))
    assert len(out) == 2  # the two oldest, emitted at once, each with its issue
    for record in out:
        assert isinstance(record, IsupRecord)
        assert "no SGM followed" in record.message.issues[-1].reason
    assert len(decoder.finish()) == 8


def test_ip_pending_datagrams_limit_is_reported() -> None:
    out = _feed(hostile.ip_fragment_flood(ip.MAX_PENDING_DATAGRAMS + 3))
    assert len(_issues(out)) == 3
    assert all(f"more than {ip.MAX_PENDING_DATAGRAMS}" in i.reason for i in _issues(out))
    assert _growth(lambda n: _fed(hostile.ip_fragment_flood(n)), 8000) < 512 * 1024


def test_never_ending_sctp_message_is_dropped_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sctp, "MAX_MESSAGE", 24576)  # quadratic: 15 s; linear: well under 1 s
    with _deadline(5):
        out = _feed(hostile.endless_fragments(24576 + 3000))
    assert any("exceeds 24576 octets" in i.reason for i in _issues(out))


def test_mtp2_link_memory_is_bounded() -> None:
    assert _growth(lambda n: _fed(hostile.mtp2_link_flood(n)), 40_000) < 1024 * 1024


def test_ip_reassembly_of_many_small_fragments_is_fast() -> None:
    with _deadline(4):
        _fed(hostile.ip_tiny_fragments(3 * 8190))


def test_mtp2_retransmission_memory_does_not_hold_msus() -> None:
    def run(count: int) -> Decoder:
        return _fed(hostile.mtp2_long_msus(count, size=512))

    assert _growth(run, 8192) < 1024 * 1024


def test_overlapping_ip_fragments_do_not_accumulate() -> None:
    assert _growth(lambda n: _fed(hostile.ip_overlapping_fragments(n)), 6000) < 1024 * 1024


def test_pcapng_interfaces_are_bounded(tmp_path: Path) -> None:
    for count in (30_000, 60_000):  # written before measuring: only reading is measured
        (tmp_path / f"{count}.pcapng").write_bytes(b"".join(hostile._file_interface_flood(count)))

    def read(count: int) -> list[object]:
        with (tmp_path / f"{count}.pcapng").open("rb") as stream:
            return list(capture.read_frames(capture.open_source(stream)))

    assert _growth(read, 60_000) < 1024 * 1024
    assert len(read(60_000)) == 1  # one issue: the limit was hit


# --- invariant 4 and file damage ---------------------------------------------------------------


def test_every_cut_of_a_sample_capture_keeps_the_frames_before_it() -> None:
    for name in ("ansi_m3ua.pcap", "sample.pcapng", "sctp_bundled_fragmented.pcapng"):
        source = campaign.file_sources([ROOT / "captures" / name])[0]
        original = campaign._original(source)
        first = 24 if name.endswith(".pcap") else 4
        for cut in range(first, len(original.raw), 7):
            items = campaign._read_all(original.raw[:cut])
            assert campaign.expect_cut(items, original, cut) == "", (name, cut)


def test_a_cut_gzip_capture_keeps_the_frames_before_the_cut() -> None:
    data = (ROOT / "captures" / "sample.pcapng.gz").read_bytes()
    items = list(ss7ani.read(io.BytesIO(data[: len(data) - 100])))
    assert sum(isinstance(i, IsupRecord) for i in items) > 30
    assert isinstance(items[-1], Issue)


def test_a_corrupt_gzip_capture_is_an_issue_not_a_crash() -> None:
    data = bytearray((ROOT / "captures" / "sample.pcapng.gz").read_bytes())
    data[40] ^= 0x10  # inside the deflate stream: "invalid distance too far back"
    try:
        for item in ss7ani.read(io.BytesIO(bytes(data))):
            assert isinstance(item, IsupRecord | Issue)
    except ss7ani.CaptureError:
        pass


def _pcapng(*blocks: tuple[int, bytes]) -> bytes:
    out = io.BytesIO()
    pcapng = writer.PcapngWriter(out)
    for kind, body in blocks:
        pcapng.write_block(kind, body)
    return out.getvalue()


_IDB = (1, struct.pack("<HHI", 1, 0, 0))


@pytest.mark.parametrize(
    "blocks",
    [
        [(1, b"")],
        [_IDB, (6, b"")],
        [_IDB, (6, bytes(8))],
        [_IDB, (3, b"")],
        [_IDB, (2, bytes(4))],
    ],
    ids=["idb-empty", "epb-empty", "epb-8", "spb-empty", "pb-4"],
)
def test_short_pcapng_blocks_are_issues(blocks: list[tuple[int, bytes]]) -> None:
    items = list(ss7ani.read(io.BytesIO(_pcapng(*blocks))))
    assert [i.layer for i in _issues(items)] == [Layer.CAPTURE]


# --- invariant 2: regressions ------------------------------------------------------------------


def _itu_messages(count: int) -> list[Message]:
    return [Message(n, hostile.itu_iam(n + 1), Variant.ITU, 10, 20, n % 16) for n in range(count)]


def test_one_corrupt_message_does_not_decide_the_variant_of_a_link() -> None:
    source = campaign.file_sources([ROOT / "captures" / "ansi_mtp3.pcap"])[0]
    frames = campaign.frames_of(source)
    # found by the campaign: seed 1, captures/ansi_mtp3.pcap:1:2, three bit flips
    corrupt = bytes.fromhex(
        "85020c0a010b0a056500010020010a13060d038090a207031013505510990a0703131252d5102"
        "4eb0703101212551024ea0100c40312525500"
    )
    assert campaign.check_mutation(frames, 0, frames[0]._replace(data=corrupt)) == []


def test_variant_memory_is_not_in_the_way_when_the_variant_is_fixed() -> None:
    source = campaign.file_sources([ROOT / "captures" / "ansi_mtp3.pcap"])[0]
    frames = campaign.frames_of(source)
    corrupt = frames[0]._replace(data=frames[0].data[:20])
    assert campaign.check_mutation(frames, 0, corrupt, Decoder(variant=Variant.ANSI)) == []


def test_a_corrupt_retransmission_does_not_repeat_the_message() -> None:
    msu = writer.mtp3_msu(hostile.itu_iam(7), variant=Variant.ITU, opc=1, dpc=2, sls=0)
    unit = writer.mtp2_msu(msu, fsn=5)
    corrupt = unit[:-1] + bytes([unit[-1] ^ 0x01])
    frames = [_frame(n, 140, data) for n, data in enumerate([unit, unit, corrupt, unit], 1)]
    records = [i for i in _decode(frames) if isinstance(i, IsupRecord)]
    assert [r.frame for r in records] == [1, 3]


# --- the fuzzing guide's example runs ----------------------------------------------------------


def guide_blocks(*, scapy: bool) -> list[str]:
    """The Python blocks of docs/fuzzing.md: those that use scapy, or the others."""
    text = (ROOT / "docs" / "fuzzing.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    return [b for b in blocks if ("scapy" in b) is scapy]


def run_guide(blocks: list[str]) -> dict[str, Any]:
    """Run blocks in one namespace (as a reader would, in order), then every test they define."""
    namespace: dict[str, Any] = {"__name__": "fuzzing_guide"}
    for block in blocks:
        exec(compile(block, "docs/fuzzing.md", "exec"), namespace)
    for name, function in list(namespace.items()):
        if name.startswith("test_") and callable(function):
            function()
    return namespace


def test_the_fuzzing_guide_examples_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    namespace = run_guide(guide_blocks(scapy=False))
    assert {"test_handler_reads_every_message_type", "test_called_number_agrees_with_ss7ani"} <= (
        namespace.keys()
    )
    assert "isup  parameter-length" in capsys.readouterr().out


def test_hostile_inputs_run_in_a_separate_process() -> None:
    result = hostile.run_hostile("pcap record of 4 GiB", 10, 60.0)
    assert result.status == "ok"
    assert result.issues == 1


def test_raw_parameter_memory_is_bounded() -> None:
    iam = bytes.fromhex(
        "0100 01 11 6001 0a 00 02 07 05 03 10 21 43 f5 0a 08 84 17 41 51 55 15 32 04 00"
    )
    for value in range(2 * messages._MAX_RAW):
        decoded = messages.decode(
            iam[:-1] + b"\x7f\x02" + value.to_bytes(2, "big") + b"\x00", "itu"
        )
        assert isinstance(decoded, messages.InitialAddress)
        assert decoded.optional[-1] == RawParameter(0x7F, value.to_bytes(2, "big"))
        assert len(messages._RAW) <= messages._MAX_RAW
