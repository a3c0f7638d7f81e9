"""The capture reader: pcap and pcapng variants, timestamps, odd blocks (capture.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

import pytest

import ss7ani
from conftest import ROOT, SHARED
from ss7ani.api import read_span as api_read_span
from ss7ani.capture import Frame, read_frames, read_span, spans
from ss7ani.isup.codes import Variant
from ss7ani.records import Issue
from ss7ani.writer import Encapsulation, Encapsulator, Message, PcapngWriter, PcapWriter

_TS = 1_700_000_000_123_456_789


def _frames(data: bytes) -> list[Frame | Issue]:
    return list(read_frames(io.BytesIO(data)))


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize("nanosecond", [False, True])
def test_pcap_both_orders_and_resolutions(order: Literal["<", ">"], nanosecond: bool) -> None:
    out = io.BytesIO()
    writer = PcapWriter(out, 141, nanosecond=nanosecond, byte_order=order)
    writer.write(_TS, b"\x85abc")
    writer.write(_TS + 1000, b"\x85def")
    first, second = _frames(out.getvalue())
    assert isinstance(first, Frame)
    assert isinstance(second, Frame)
    expected = _TS if nanosecond else _TS // 1000 * 1000
    assert (first.number, first.ts_ns, first.linktype, first.data) == (1, expected, 141, b"\x85abc")
    assert second.number == 2


@pytest.mark.parametrize("order", ["<", ">"])
def test_pcapng_interfaces_resolutions_and_odd_blocks(order: Literal["<", ">"]) -> None:
    out = io.BytesIO()
    writer = PcapngWriter(out, byte_order=order)
    micro = writer.add_interface(140, tsresol=6)
    nano = writer.add_interface(141, tsresol=9)
    writer.write(micro, _TS, b"\x00\x01\x00")
    writer.write_block(0x0000_0BAD, b"\x00\x00\x7f\xfeunknown custom")
    writer.write_block(0x4000_0001, b"local use block")
    writer.write(nano, _TS, b"\x85")
    writer.write_simple(b"simple")
    frames = _frames(out.getvalue())
    assert [
        (f.number, f.interface, f.linktype, f.ts_ns) for f in frames if isinstance(f, Frame)
    ] == [
        (1, 0, 140, _TS // 1000 * 1000),
        (2, 1, 141, _TS),
        (3, 0, 140, 0),
    ]
    assert frames[2] == Frame(3, 0, 0, 140, b"simple", 6)


def test_pcapng_second_section_resets_interfaces() -> None:
    out = io.BytesIO()
    writer = PcapngWriter(out)
    writer.write(writer.add_interface(141), _TS, b"one")
    writer.start_section(">")
    writer.write(writer.add_interface(1, tsresol=9), _TS, b"two")
    frames = _frames(out.getvalue())
    assert [(f.linktype, f.data) for f in frames if isinstance(f, Frame)] == [
        (141, b"one"),
        (1, b"two"),
    ]


def test_pcapng_absurd_block_length_ends_with_one_issue() -> None:
    out = io.BytesIO()
    writer = PcapngWriter(out)
    writer.write(writer.add_interface(141), _TS, b"one")
    data = out.getvalue() + b"\x06\x00\x00\x00\xff\xff\xff\xff" + bytes(64)
    frames = _frames(data)
    assert isinstance(frames[0], Frame)
    assert isinstance(frames[1], Issue)
    assert "block length" in frames[1].reason


def test_pcapng_packet_for_unknown_interface_is_an_issue() -> None:
    out = io.BytesIO()
    writer = PcapngWriter(out)
    writer.add_interface(141)
    writer.write(0, _TS, b"one")
    data = bytearray(out.getvalue())
    data[-36 + 8 : -36 + 12] = (5).to_bytes(4, "little")  # interface id of the 36-octet EPB
    frames = _frames(bytes(data))
    assert len(frames) == 1
    assert isinstance(frames[0], Issue)
    assert "unknown interface" in frames[0].reason


def _shared_or_samples() -> list[Path]:
    paths = sorted((ROOT / "captures").glob("*.pcap*"))
    if SHARED.exists():
        paths += sorted(SHARED.glob("*.pcap")) + sorted(SHARED.glob("*.cap"))
    return [p for p in paths if not p.name.endswith(".gz")]


@pytest.mark.parametrize("path", _shared_or_samples(), ids=lambda p: p.name)
def test_spans_cover_every_frame_once(path: Path) -> None:
    whole = list(read_frames(io.BytesIO(path.read_bytes())))
    seen: list[Frame | Issue] = []
    parts = list(spans(path, size=700, warmup=5))
    assert parts[-1].stop == -1
    for span in parts:
        frames = [f for f in read_span(path, span) if isinstance(f, (Frame, Issue))]
        if frames and isinstance(frames[0], Frame):
            assert frames[0].number == span.number + 1
        seen += [f for f in frames if (f.number if isinstance(f, Frame) else f.frame) >= span.own]
    assert seen == whole


@pytest.mark.parametrize("path", _shared_or_samples(), ids=lambda p: p.name)
def test_decoding_span_by_span_gives_the_same_records(path: Path) -> None:
    whole = list(ss7ani.read(path))
    pieces = [
        item for span in spans(path, size=2000, warmup=512) for item in api_read_span(path, span)
    ]
    # The variant basis may read "layout" instead of "link" for the first message of a link in
    # a span whose warm-up holds no earlier message of that link; everything else is equal.
    assert [_without_basis(i) for i in pieces] == [_without_basis(i) for i in whole]


def test_spans_of_a_pcapng_with_sections_and_interfaces_mid_file(tmp_path: Path) -> None:
    """Span finding walks blocks in the buffer; sections and interfaces change mid-file."""
    iam = bytes.fromhex(
        "0100 01 11 6001 0a 00 02 07 05 03 10 21 43 f5 0a 08 84 17 41 51 55 15 32 04 00"
    )
    frames = [
        frame.data
        for index in range(60)
        for frame in Encapsulator(Encapsulation()).frames(
            [Message(index, bytes((index, 0)) + iam[2:], Variant.ITU, 1, 2, 3)]
        )
    ]
    path = tmp_path / "sections.pcapng"
    with path.open("wb") as stream:
        writer = PcapngWriter(stream)
        first = writer.add_interface(1)
        for index, data in enumerate(frames[:20]):
            writer.write(first, _TS + index, data)
        second = writer.add_interface(1, tsresol=9, tsoffset=60)
        writer.write_simple(frames[20])
        writer.write_block(0x0000_0BAD, b"\x00\x00\x7f\xfecustom")
        for index, data in enumerate(frames[21:40], 21):
            writer.write(second if index % 2 else first, _TS + index, data)
        writer.start_section(">")
        again = writer.add_interface(1, tsresol=9)
        for index, data in enumerate(frames[40:], 40):
            writer.write(again, _TS + index, data)
    assert len(list(spans(path, size=700, warmup=5))) > 10
    test_spans_cover_every_frame_once(path)
    test_decoding_span_by_span_gives_the_same_records(path)


def _without_basis(item: object) -> object:
    if isinstance(item, ss7ani.IsupRecord):
        return item._replace(variant_basis=ss7ani.VariantBasis.LINK)
    return item


def _enhanced_packet_blocks(data: bytes) -> list[int]:
    """Offsets of the EPBs of a little-endian pcapng file."""
    found, offset = [], 0
    while offset + 8 <= len(data):
        kind, length = (
            int.from_bytes(data[offset : offset + 4], "little"),
            int.from_bytes(data[offset + 4 : offset + 8], "little"),
        )
        if kind == 6:
            found.append(offset)
        offset += length
    return found


def test_spans_keep_their_output_when_a_spans_first_frame_is_damaged(tmp_path: Path) -> None:
    """Regression (fuzz campaign, bit flips): a damaged first own frame dropped the whole span."""
    original = (ROOT / "captures" / "sample.pcapng").read_bytes()
    path = tmp_path / "damaged.pcapng"
    for block in _enhanced_packet_blocks(original):
        damaged = bytearray(original)
        damaged[block + 8 : block + 12] = (99).to_bytes(4, "little")  # an unknown interface
        path.write_bytes(damaged)
        whole = list(ss7ani.read(path))
        pieces = [
            item for span in spans(path, size=300, warmup=512) for item in api_read_span(path, span)
        ]
        assert [_without_basis(i) for i in pieces] == [_without_basis(i) for i in whole], block
