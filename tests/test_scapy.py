"""The scapy layers (ss7ani.scapy, optional extra): dissecting captures and crafting frames.

Skipped where scapy 2.8 or newer is not installed (``pip install ss7ani[scapy]``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

pytest.importorskip("scapy", minversion="2.8")

from scapy.config import conf
from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.layers.sctp import SCTP, SCTPChunkData
from scapy.packet import Packet
from scapy.utils import rdpcap, wrpcap

import ss7ani
from ss7ani import strategies
from ss7ani.capture import Frame
from ss7ani.decode import Decoder
from ss7ani.isup import InitialAddress, decode, encode
from ss7ani.isup.codes import Variant
from ss7ani.records import IsupRecord, VariantBasis
from ss7ani.scapy import (
    ISUP,
    ISUPIAM,
    M2PA,
    M2UA,
    M3UA,
    MTP2,
    MTP3,
    MTP3ANSI,
    M2UAProtocolData,
    M3UAProtocolData,
    SigtranParameter,
)
from ss7ani.writer import Encapsulation, Encapsulator, Message, PcapngWriter

ROOT = Path(__file__).resolve().parents[1]
_ITU_IAM = bytes.fromhex("0100010020010a00020604031021430801000000")
_ANSI_IAM = bytes.fromhex(
    "341201006001 0a 03 06 0d 03 80 90 a2 07 03 10 12 52 55 21 21 0a 07 03 13 79 52 55 21 43"
    " eb 07 03 10 79 52 55 00 00 ea 01 3e c4 03 79 52 55 00".replace(" ", "")
)


def _iams(packets: Iterable[Packet]) -> list[ISUPIAM]:
    return [p[ISUPIAM] for p in packets if ISUPIAM in p]


def _labels(packet: Packet) -> list[MTP3]:
    """The MTP3 layer of a packet, ITU or ANSI (nested in M2UA's parameters too)."""
    found = [packet.getlayer(kind) for kind in (MTP3, MTP3ANSI)]
    return [layer for layer in found if isinstance(layer, MTP3)]


def test_rdpcap_of_the_sample_capture_shows_every_iam_decoded() -> None:
    packets = rdpcap(str(ROOT / "captures" / "sample.pcapng"))
    shown = _iams(packets)
    expected = list(ss7ani.iams(ROOT / "captures" / "sample.pcapng"))
    assert len(shown) == len(expected) == 9
    for layer, record in zip(shown, expected, strict=True):
        iam = record.message
        assert isinstance(iam, InitialAddress)
        assert layer.variant == record.variant.value
        assert layer.called == iam.called.digits
        assert layer.calling == (iam.calling.digits if iam.calling else None)
        assert layer.charge == (iam.charge.digits if iam.charge else None)
        assert layer.oli == (iam.oli.name if iam.oli is not None else None)
        isup = layer.underlayer
        assert isinstance(isup, ISUP)
        assert isup.cic == record.cic
        assert isup.message() == iam


@pytest.mark.parametrize(
    ("name", "label"),
    [("ansi_mtp3.pcap", MTP3ANSI), ("itu_mtp2_fcs.pcap", MTP3), ("itu_m2ua_sll.pcap", MTP3)],
)
def test_rdpcap_picks_the_routing_label_per_message(name: str, label: type[Packet]) -> None:
    packets = rdpcap(str(ROOT / "captures" / name))
    records = [r for r in ss7ani.read(ROOT / "captures" / name) if isinstance(r, IsupRecord)]
    labelled = [label for p in packets for label in _labels(p)]
    assert len(labelled) == len(records)
    for layer, record in zip(labelled, records, strict=True):
        assert type(layer) is label
        assert (layer.opc, layer.dpc, layer.sls) == (record.opc, record.dpc, record.sls)


def test_m3ua_protocol_data_fields() -> None:
    packets = rdpcap(str(ROOT / "captures" / "ansi_m3ua.pcap"))
    data = [p[M3UAProtocolData] for p in packets if M3UAProtocolData in p]
    records = [
        r for r in ss7ani.read(ROOT / "captures" / "ansi_m3ua.pcap") if isinstance(r, IsupRecord)
    ]
    assert [(d.opc, d.dpc, d.si, d.sls) for d in data] == [
        (r.opc, r.dpc, 5, r.sls) for r in records
    ]


def _ip(sport: int) -> Packet:
    return Ether() / IP(src="10.0.0.1", dst="10.0.0.2") / SCTP(sport=sport, dport=sport, tag=7)


def _chunk(ppid: int, tsn: int, data: Packet) -> Packet:
    return SCTPChunkData(
        proto_id=ppid, beginning=1, ending=1, tsn=tsn, stream_id=1, stream_seq=tsn, data=data
    )


def _read(path: Path) -> list[IsupRecord]:
    items = list(ss7ani.read(path))
    assert all(isinstance(i, IsupRecord) for i in items), items
    return [i for i in items if isinstance(i, IsupRecord)]


def test_packets_built_with_scapy_decode_with_ss7ani(tmp_path: Path) -> None:
    iam = decode(_ITU_IAM, "itu")
    msu = MTP3(opc=100, dpc=200, sls=4) / ISUP.from_message(iam)
    packets = [
        _ip(2905)
        / _chunk(3, 1, M3UA(params=[M3UAProtocolData(opc=1, dpc=2, sls=3, data=ISUP(_ITU_IAM))])),
        _ip(3565) / _chunk(5, 2, M2PA(bsn=1, fsn=2) / msu),
        _ip(2904)
        / _chunk(
            2,
            3,
            M2UA(params=[SigtranParameter(tag=1, value=b"\0\0\0\7"), M2UAProtocolData(data=msu)]),
        ),
    ]
    path = tmp_path / "crafted.pcap"
    wrpcap(str(path), packets)
    records = _read(path)
    assert [(r.transport.value, r.opc, r.dpc, r.sls) for r in records] == [
        ("m3ua", 1, 2, 3),
        ("m2pa", 100, 200, 4),
        ("m2ua", 100, 200, 4),
    ]
    assert all(r.message == iam for r in records)


def test_mtp_link_types_round_trip(tmp_path: Path) -> None:
    ansi = MTP3ANSI(opc=0x010203, dpc=0x040506, sls=9) / ISUP(_ANSI_IAM)
    wrpcap(str(tmp_path / "mtp3.pcap"), [ansi], linktype=141)
    (record,) = _read(tmp_path / "mtp3.pcap")
    assert (record.variant, record.opc, record.dpc, record.sls) == (
        Variant.ANSI,
        0x010203,
        0x040506,
        9,
    )
    assert isinstance(record.message, InitialAddress)
    assert record.message.charge is not None
    itu = MTP2(fsn=3) / MTP3(opc=5, dpc=6) / ISUP(_ITU_IAM)
    wrpcap(str(tmp_path / "mtp2.pcap"), [itu], linktype=140)
    (record,) = _read(tmp_path / "mtp2.pcap")
    assert (record.transport.value, record.opc, record.dpc) == ("mtp2", 5, 6)
    back = rdpcap(str(tmp_path / "mtp2.pcap"))[0]
    assert back[MTP2].li == len(bytes(back[MTP3]))
    assert back[ISUPIAM].called == "1234"


def test_an_unreadable_iam_is_shown_with_its_problem() -> None:
    layer = (MTP3() / ISUP(_ITU_IAM[:9]))[ISUPIAM]
    parsed = MTP3(bytes(MTP3() / ISUP(_ITU_IAM[:9])))[ISUPIAM]
    assert layer.body == _ITU_IAM[3:9]
    assert parsed.called is None
    assert "isup" in parsed.issues


@settings(max_examples=60, deadline=None)
@given(strategies.framed_iams(encapsulation=None))
def test_writer_frames_dissect_to_the_same_iam(framed: strategies.FramedIam) -> None:
    if framed.encapsulation.fragment_size or framed.encapsulation.ip_fragment_size:
        return  # scapy does not reassemble
    if framed.encapsulation.transport == "m3ua-draft6" or framed.encapsulation.idata:
        return  # draft M3UA and I-DATA are not bound
    if framed.encapsulation.link == "null" and framed.encapsulation.ip == 6:
        return  # scapy's Loopback takes AF 28 / 30 for IPv6, not the BSD 24 the writer uses
    if _ambiguous(framed):
        return  # ss7ani itself cannot tell ITU from ANSI here (it says so): neither can the layer
    packet = _dissect(framed)
    if packet is None:
        return  # a link type scapy does not know (raw IP 101, SLL2)
    assert ISUPIAM in packet
    assert packet[ISUP].message(framed.iam.variant) == framed.iam


def _ambiguous(framed: strategies.FramedIam) -> bool:
    """Whether ss7ani's own pipeline finds the frame's variant ambiguous (both readings of
    the first message of an MTP3 link clean and canonical: it says so and reads ITU)."""
    decoder = Decoder()
    out = [
        item for f in framed.frames for item in decoder.feed(Frame(1, 0, 0, f.linktype, f.data, 0))
    ]
    return any(
        isinstance(item, IsupRecord) and item.variant_basis is VariantBasis.AMBIGUOUS
        for item in out
    )


def test_an_ansi_iam_that_reads_as_an_itu_sdn_is_ansi() -> None:
    """The frame Hypothesis found (SLS 67 is the ITU SDN code, a type kept whole): once called
    ambiguous, now ANSI by layout (docs/variant.md), as the layer dissects it."""
    frame = bytes.fromhex("05000000000000430000010000000003060003 8090a2 020000".replace(" ", ""))
    (record,) = Decoder().feed(Frame(1, 0, 0, 141, frame, len(frame)))
    assert isinstance(record, IsupRecord)
    assert (record.variant, record.variant_basis) == (Variant.ANSI, VariantBasis.LAYOUT)
    assert isinstance(record.message, InitialAddress)
    assert record.message.issues == ()
    assert MTP3ANSI(frame)[ISUPIAM].called == ""


def _dissect(framed: strategies.FramedIam) -> Packet | None:
    frame = framed.frames[0]
    layer = conf.l2types.num2layer.get(frame.linktype)
    return None if layer is None else layer(frame.data)


def test_pcapng_written_by_ss7ani_reads_in_scapy(tmp_path: Path) -> None:
    iam = decode(_ANSI_IAM, "ansi")
    frames = Encapsulator(Encapsulation(ip=6)).frames(
        [Message(0, encode(iam), Variant.ANSI, 0x010203, 0x040506, 1)]
    )
    path = tmp_path / "ipv6.pcapng"
    with path.open("wb") as stream:
        PcapngWriter(stream).write_frames(frames)
    (packet,) = rdpcap(str(path))
    assert IPv6 in packet
    assert packet[ISUPIAM].charge == "9725550000"
    assert packet[ISUPIAM].oli == "WIRELESS_TYPE_2"


def test_the_fuzzing_guide_scapy_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    guide: Any = importlib.import_module("test_fuzz")
    monkeypatch.chdir(ROOT)
    guide.run_guide(guide.guide_blocks(scapy=True))
