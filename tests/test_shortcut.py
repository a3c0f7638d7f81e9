"""The shortcut (the fused fast path for M3UA over IPv4) gives exactly the general path's output.

``Decoder(fast=False)`` sends every frame down the general path, layer by layer; the default
decoder first offers each frame to the shortcut of its link type.  Whatever the frames (valid,
mutated, control chunks, several links, both variants, decided per message), both give the
same records and issues in the same order; and ``ss7ani.read``, which lets the capture reader
offer frames in place, gives the same as feeding whole frames.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ss7ani
from ss7ani import capture, strategies, writer
from ss7ani.capture import Frame
from ss7ani.decode import Decoder
from ss7ani.errors import CaptureError
from ss7ani.isup import InitialAddress, messages
from ss7ani.isup.codes import MessageType, Variant
from ss7ani.records import Issue, IsupRecord, VariantBasis
from ss7ani.segmentation import announces_segmentation
from ss7ani.variant import FIRM, VariantMemory
from ss7ani.writer import Encapsulation, Encapsulator, Message, VlanTag

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "captures"
Output = IsupRecord | Issue
_ITU_IAM = bytes.fromhex(
    "0100 01 11 6001 0a 00 02 07 05 03 10 21 43 f5 0a 08 84 17 41 51 55 15 32 04 00"
)

#: Encapsulations the shortcut takes (and some it must decline).
_LINKS = st.sampled_from(
    [
        Encapsulation(),
        Encapsulation(link="sll"),
        Encapsulation(link="sll2"),
        Encapsulation(link="raw"),
        Encapsulation(vlans=(VlanTag(100),)),
        Encapsulation(vlans=(VlanTag(10, tpid=0x88A8), VlanTag(20))),
        Encapsulation(routing_context=9),
        Encapsulation(network_appearance=7, routing_context=9),
        Encapsulation(network_appearance=7),
        Encapsulation(bundle=2),
        Encapsulation(fragment_size=24),
        Encapsulation(ip=6),
        Encapsulation(transport="m2pa", link="sll"),
    ]
)


def _frames(links: list[writer.LinkFrame]) -> list[Frame]:
    return [Frame(n, n * 1000, 0, f.linktype, f.data, len(f.data)) for n, f in enumerate(links, 1)]


def _decode(frames: list[Frame], **options: object) -> list[Output]:
    decoder = Decoder(**options)  # type: ignore[arg-type]
    out: list[Output] = []
    for frame in frames:
        out += decoder.feed(frame)
    return out + decoder.finish()


@st.composite
def _traffic(draw: st.DrawFn) -> list[Frame]:
    """Calls of both variants on two links, with noise, retransmissions and mutated frames."""
    frames: list[writer.LinkFrame] = []
    for side in range(2):
        variant = draw(strategies.variants())
        encapsulation = draw(_LINKS)._replace(ports=(2905 + side, 2905))
        encapsulator = Encapsulator(encapsulation)
        sent = [
            Message(i, messages.encode(message), variant, 1 + i, 100, i % 16)
            for i, message in enumerate(
                draw(st.lists(strategies.isup_messages(variant), min_size=1, max_size=6))
            )
        ]
        frames += encapsulator.frames(sent)
        frames += encapsulator.noise(99, side=side)
    if draw(st.booleans()):
        frames.append(frames[draw(st.integers(0, len(frames) - 1))])  # a retransmission
    if draw(st.booleans()):
        position = draw(st.integers(0, len(frames) - 1))
        victim = frames[position]

        def integers(low: int, high: int) -> int:
            return draw(st.integers(low, high))

        broken, _ = strategies.mutate_frame(victim.linktype, victim.data, integers)
        frames[position] = victim._replace(data=broken)
    return _frames(frames)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=_traffic(), only=st.sampled_from([None, (MessageType.IAM,)]))
def test_shortcut_gives_the_general_paths_output(
    frames: list[Frame], only: tuple[MessageType, ...] | None
) -> None:
    assert _decode(frames, only=only) == _decode(frames, only=only, fast=False)


@pytest.mark.parametrize("variant", [Variant.ITU, Variant.ANSI])
def test_shortcut_takes_the_m3ua_frames_it_is_for(variant: Variant) -> None:
    iam = messages.decode(_ITU_IAM, Variant.ITU)
    assert isinstance(iam, InitialAddress)
    if variant is Variant.ANSI:
        iam = iam._replace(
            variant=variant,
            transmission_medium_requirement=None,
            user_service_information=b"\x80\x90",
        )
    payload = messages.encode(iam)
    for encapsulation in (
        Encapsulation(),
        Encapsulation(link="sll"),
        Encapsulation(link="sll2"),
        Encapsulation(link="raw"),
        Encapsulation(vlans=(VlanTag(100),)),
        Encapsulation(network_appearance=7, routing_context=9),
    ):
        links = Encapsulator(encapsulation).frames([Message(0, payload, variant, 1, 2, 3)])
        decoder = Decoder(variant=variant)
        (frame,) = _frames(list(links))
        shortcut = decoder.shortcuts[frame.linktype]
        assert shortcut(frame.data, 0, len(frame.data), 1, 0, 0), encapsulation
        (record,) = decoder.pending
        assert isinstance(record, IsupRecord)
        assert record.message == iam


def _captures() -> list[Path]:
    paths = sorted((ROOT / "captures").glob("*.pcap*"))
    if SHARED.exists():
        paths += sorted(p for p in SHARED.iterdir() if p.suffix in {".pcap", ".pcapng", ".cap"})
    return paths


def _general(frames: list[Frame | Issue], only: tuple[MessageType, ...] | None) -> list[Output]:
    decoder = Decoder(fast=False, only=only)
    out: list[Output] = []
    for item in frames:
        out += [item] if isinstance(item, Issue) else decoder.feed(item)
    return out + decoder.finish()


@pytest.mark.parametrize("path", _captures(), ids=lambda p: p.name)
def test_reading_in_place_gives_what_feeding_frames_gives(path: Path) -> None:
    with capture.open_source(path) as stream:
        frames = list(capture.read_frames(stream))
    assert list(ss7ani.read(path)) == _general(frames, None)
    assert list(ss7ani.iams(path)) == [
        r for r in _general(frames, (MessageType.IAM,)) if isinstance(r, IsupRecord)
    ]


def test_pcapng_read_in_place_gives_the_same_records_as_pcap() -> None:
    frames = [
        frame
        for index in range(3000)
        for frame in Encapsulator(Encapsulation()).frames(
            [
                Message(
                    index,
                    bytes((index & 0xFF, index >> 8 & 0x0F)) + _ITU_IAM[2:],
                    Variant.ITU,
                    1,
                    2,
                    3,
                )
            ]
        )
    ]
    pcap, pcapng = io.BytesIO(), io.BytesIO()
    writer.PcapWriter(pcap, frames[0].linktype, nanosecond=True).write_frames(frames)
    writer.PcapngWriter(pcapng).write_frames(frames)
    from_pcap = list(ss7ani.read(io.BytesIO(pcap.getvalue())))
    assert len(from_pcap) == 3000
    assert all(isinstance(r, IsupRecord) for r in from_pcap)
    assert list(ss7ani.read(io.BytesIO(pcapng.getvalue()))) == from_pcap


def test_the_shortcut_trusts_only_a_firm_link_memory() -> None:
    """A young memory still weighs each message both ways (``decide``): no shortcut past it."""
    memory = VariantMemory()
    key = (b"link", 1, 2)
    assert memory.lookup(key) == (None, VariantBasis.LINK)
    memory.decide(key, _ITU_IAM, labelled=False)  # ITU only: remembered, young
    for _ in range(FIRM - 2):
        assert memory.lookup(key) == (None, VariantBasis.LINK)
        memory.decide(key, _ITU_IAM, labelled=False)
    assert memory.lookup(key) == (Variant.ITU, VariantBasis.LINK)


@settings(max_examples=300, deadline=None)
@given(iam=strategies.initial_address_messages())
def test_decoding_keeps_the_segmentation_announcement(iam: InitialAddress) -> None:
    decoded = messages.decode(messages.encode(iam), iam.variant)
    assert isinstance(decoded, InitialAddress)
    assert announces_segmentation(decoded) == announces_segmentation(iam)


_BLOCKS = st.lists(
    st.one_of(
        st.tuples(st.just("packet"), st.integers(0, 3), st.integers(0, 400)),
        st.tuples(st.just("simple"), st.integers(0, 400)),
        st.tuples(st.just("custom"), st.binary(max_size=9)),
        st.tuples(st.just("section"), st.sampled_from(["<", ">"])),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    order=st.sampled_from(["<", ">"]),
    blocks=_BLOCKS,
    damage=st.one_of(
        st.none(),
        st.tuples(st.just("flip"), st.integers(0, 1 << 16), st.integers(1, 255)),
        st.tuples(st.just("cut"), st.integers(0, 1 << 16)),
    ),
)
def test_pcapng_read_in_place_gives_what_feeding_frames_gives(
    order: writer.ByteOrder,
    blocks: list[tuple[object, ...]],
    damage: tuple[str, int, int] | tuple[str, int] | None,
) -> None:
    """The reader's in-place loop over enhanced packet blocks (any byte order, section,
    interface, resolution, block kind and damage) agrees with reading whole frames."""
    frames = [
        frame.data
        for index in range(401)
        for frame in Encapsulator(Encapsulation()).frames(
            [Message(index, bytes((index & 0xFF, 0)) + _ITU_IAM[2:], Variant.ITU, 1, 2, 3)]
        )
    ]
    out = io.BytesIO()
    pcapng = writer.PcapngWriter(out, byte_order=order)
    interfaces = [pcapng.add_interface(1, tsresol=6), pcapng.add_interface(141, tsresol=9)]
    interfaces.append(pcapng.add_interface(1, tsresol=3, tsoffset=-3600))
    unknown: list[tuple[int, bytes]] = []  # interface ids to set to the first id not described
    section_order = order
    for block in blocks:
        kind = block[0]
        if kind == "packet":
            interface, index = block[1], block[2]
            assert isinstance(interface, int)
            assert isinstance(index, int)
            if interface >= len(interfaces):
                packed = len(interfaces).to_bytes(4, "little" if section_order == "<" else "big")
                unknown.append((out.tell() + 8, packed))
                interface = 0
            pcapng.write(interface, 1_700_000_000_000_000_000 + index, frames[index])
        elif kind == "simple":
            assert isinstance(block[1], int)
            pcapng.write_simple(frames[block[1]])
        elif kind == "custom":
            assert isinstance(block[1], bytes)
            pcapng.write_block(0x0000_0BAD, b"\x00\x00\x7f\xfe" + block[1])
        else:
            section_order = block[1]  # type: ignore[assignment]
            pcapng.start_section(section_order)
            interfaces = [pcapng.add_interface(1, tsresol=9)]
    data = bytearray(out.getvalue())
    for offset, interface_id in unknown:
        data[offset : offset + 4] = interface_id
    if damage is not None and data:
        where = damage[1] % len(data)
        if damage[0] == "flip":
            data[where] ^= damage[2]  # type: ignore[misc]
        else:
            del data[where:]
    try:
        frames_read = list(capture.read_frames(io.BytesIO(bytes(data))))
    except CaptureError as error:  # the section header itself damaged: not a capture
        with pytest.raises(CaptureError, match=re.escape(str(error))):
            list(ss7ani.read(io.BytesIO(bytes(data))))
        return
    assert list(ss7ani.read(io.BytesIO(bytes(data)))) == _general(frames_read, None)
