"""The capture writer: checksums, the fields of every layer, and tshark's reading of its output.

The unit tests parse what the writer produced with small independent readers written here.
The ``tshark`` tests write one capture per file format / preference set, each holding many
encapsulations, and check that tshark 4.0 decodes every ISUP message with the right CIC, OPC
and DPC, finds every SCTP checksum (CRC-32C) and MTP2 FCS good, and reports nothing malformed.
"""

from __future__ import annotations

import io
import ipaddress
import random
import struct
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import need_tshark
from ss7ani.isup.codes import Variant
from ss7ani.writer import (
    AF_INET,
    AF_INET6_DARWIN,
    ETHERTYPE_IPV4,
    ETHERTYPE_IPV6,
    MAC_A,
    MAC_B,
    TPID_8021AD,
    ByteOrder,
    DataFlags,
    Encapsulation,
    Encapsulator,
    LinkFrame,
    LinkType,
    Lssu,
    M2paState,
    Message,
    PcapngWriter,
    PcapWriter,
    VlanTag,
    crc16_x25,
    crc32c,
    ethernet_frame,
    internet_checksum,
    ipv4_fragments,
    ipv4_packet,
    ipv6_fragment_header,
    ipv6_fragments,
    ipv6_packet,
    m2pa_link_status,
    m2pa_user_data,
    m2ua_data,
    m3ua_aspup,
    m3ua_beat,
    m3ua_data,
    m3ua_data_draft6,
    mtp2_fisu,
    mtp2_lssu,
    mtp2_msu,
    mtp2_pseudo_header,
    mtp3_label,
    mtp3_msu,
    null_frame,
    sctp_chunk,
    sctp_data_chunk,
    sctp_data_chunks,
    sctp_heartbeat,
    sctp_idata_chunks,
    sctp_packet,
    sctp_sack,
    sigtran_parameter,
    sll2_frame,
    sll_frame,
)

ITU_IAM = bytes.fromhex("2301011160010a0002070503102143f50a08841741515515320400")
ANSI_IAM = bytes.fromhex(
    "3412010060010a03060d038090a207031012525521210a0703137952552143eb0703107952550000ea013e00"
)
#: An ITU SCCP UDT (SSN 8 to SSN 6) carrying a TCAP abort: non-ISUP traffic (SI 3).
SCCP_UDT = bytes.fromhex("0900030507024208024206086706490401020304")
T0 = 1_700_000_000_123_456_789  # ns: checks that no precision is lost on the way


def isup(variant: Variant, cic: int) -> bytes:
    """The sample IAM of ``variant`` with another CIC."""
    return cic.to_bytes(2, "little") + (ITU_IAM if variant is Variant.ITU else ANSI_IAM)[2:]


# --- independent readers ------------------------------------------------------------------------


def crc32c_bitwise(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def sigtran(message: bytes) -> tuple[tuple[int, int, int, int], list[tuple[int, bytes]]]:
    """Common header (version, reserved, class, type) and the (tag, value) parameters."""
    version, reserved, cls, kind, length = struct.unpack_from("!BBBBI", message)
    assert length == len(message)
    assert length % 4 == 0
    params = []
    pos = 8
    while pos < length:
        tag, plen = struct.unpack_from("!HH", message, pos)
        params.append((tag, message[pos + 4 : pos + plen]))
        assert message[pos + plen : pos + plen + (-plen % 4)] == b"\0" * (-plen % 4)
        pos += plen + (-plen % 4)
    assert pos == length
    return (version, reserved, cls, kind), params


def chunks_of(packet: bytes) -> list[tuple[int, int, bytes]]:
    """(type, flags, value) of each chunk of an SCTP packet; checks lengths and padding."""
    out = []
    pos = 12
    while pos < len(packet):
        kind, flags, length = struct.unpack_from("!BBH", packet, pos)
        out.append((kind, flags, packet[pos + 4 : pos + length]))
        pos += length + (-length % 4)
    assert pos == len(packet)
    return out


def checksum_ok(packet: bytes) -> bool:
    stored = int.from_bytes(packet[8:12], "little")
    return crc32c_bitwise(packet[:8] + bytes(4) + packet[12:]) == stored


def data_chunks(packet: bytes) -> list[tuple[int, int, int, int, int, bytes]]:
    """(flags, TSN, stream, SSN, PPID, user data) of the DATA chunks of an SCTP packet."""
    out = []
    for kind, flags, value in chunks_of(packet):
        if kind == 0:
            tsn, stream, ssn, ppid = struct.unpack_from("!IHHI", value)
            out.append((flags, tsn, stream, ssn, ppid, value[12:]))
    return out


def pcap_file(data: bytes) -> tuple[str, tuple[int, ...], list[tuple[int, int, int, int, bytes]]]:
    order = "<" if data[:4] in {b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"} else ">"
    header = struct.unpack_from(order + "IHHiIII", data)
    records = []
    pos = 24
    while pos < len(data):
        seconds, fraction, captured, original = struct.unpack_from(order + "IIII", data, pos)
        records.append(
            (seconds, fraction, captured, original, data[pos + 16 : pos + 16 + captured])
        )
        pos += 16 + captured
    return order, header, records


def pcapng_blocks(data: bytes) -> list[tuple[str, int, bytes]]:
    """(byte order, block type, body) of every block; checks both length fields."""
    blocks = []
    order = "<"
    pos = 0
    while pos < len(data):
        if data[pos : pos + 4] == b"\x0a\x0d\x0d\x0a":
            order = "<" if data[pos + 8 : pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        kind, length = struct.unpack_from(order + "II", data, pos)
        assert length % 4 == 0
        assert struct.unpack_from(order + "I", data, pos + length - 4)[0] == length
        blocks.append((order, kind, data[pos + 8 : pos + length - 4]))
        pos += length
    return blocks


def options(order: str, body: bytes) -> list[tuple[int, bytes]]:
    out = []
    pos = 0
    while pos < len(body):
        code, length = struct.unpack_from(order + "HH", body, pos)
        out.append((code, body[pos + 4 : pos + 4 + length]))
        pos += 4 + length + (-length % 4)
        if code == 0:
            break
    assert pos == len(body)
    return out


# --- checksums ------------------------------------------------------------------------------------


def test_crc32c_check_values() -> None:
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720 B.4
    assert crc32c(b"\xff" * 32) == 0x62A8AB43
    assert crc32c(bytes(range(32))) == 0x46DD794E
    assert crc32c(b"") == 0


def test_crc32c_matches_bitwise_reference_and_continues() -> None:
    rng = random.Random(4960)
    for length in range(70):
        data = rng.randbytes(length)
        assert crc32c(data) == crc32c_bitwise(data), length
        cut = rng.randrange(length + 1)
        assert crc32c(data[cut:], crc32c(data[:cut])) == crc32c(data)


def test_crc16_x25() -> None:
    assert crc16_x25(b"123456789") == 0x906E
    unit = mtp2_msu(b"\x85" + bytes(10), fcs=True)
    assert crc16_x25(unit) == 0x0F47  # the good-FCS residue (0xF0B8 before the final complement)


def test_internet_checksum() -> None:
    header = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    assert internet_checksum(header) == 0xB861
    assert internet_checksum(b"\x01") == 0xFEFF


# --- MTP3 / MTP2 ----------------------------------------------------------------------------------


def test_mtp3_itu_label() -> None:
    label = mtp3_label(variant=Variant.ITU, opc=1000, dpc=2000, sls=9)
    (word,) = struct.unpack("<I", label)
    assert (word & 0x3FFF, word >> 14 & 0x3FFF, word >> 28) == (2000, 1000, 9)
    assert mtp3_label(variant=Variant.ITU, opc=0x3FFF, dpc=0, sls=15) == b"\x00\xc0\xff\xff"


def test_mtp3_ansi_label() -> None:
    label = mtp3_label(variant=Variant.ANSI, opc=0x010203, dpc=0x040506, sls=0x1F)
    assert label == bytes.fromhex("0605040302011f")


@pytest.mark.parametrize(
    ("variant", "opc", "dpc", "sls"),
    [
        (Variant.ITU, 0x4000, 1, 0),
        (Variant.ITU, 1, 0x4000, 0),
        (Variant.ITU, 1, 2, 16),
        (Variant.ITU, -1, 2, 0),
        (Variant.ANSI, 0x1000000, 1, 0),
        (Variant.ANSI, 1, 0x1000000, 0),
        (Variant.ANSI, 1, 2, 256),
    ],
)
def test_mtp3_label_ranges(variant: Variant, opc: int, dpc: int, sls: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        mtp3_label(variant=variant, opc=opc, dpc=dpc, sls=sls)


def test_mtp3_msu_sio() -> None:
    msu = mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3)
    assert msu[0] == 0x85
    assert msu[5:] == ITU_IAM
    ansi = mtp3_msu(ANSI_IAM, variant=Variant.ANSI, opc=1, dpc=2, sls=3, ni=3, priority=1, si=13)
    assert ansi[0] == 0xDD
    assert ansi[8:] == ANSI_IAM
    with pytest.raises(ValueError, match="priority"):
        mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3, priority=1)
    with pytest.raises(ValueError, match="network indicator"):
        mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3, ni=4)
    with pytest.raises(ValueError, match="service indicator"):
        mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3, si=16)


def test_mtp2_signal_units() -> None:
    msu = mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3)
    unit = mtp2_msu(msu, bsn=5, fsn=9, bib=0, fib=1)
    assert unit == bytes((0x05, 0x89, len(msu))) + msu
    with_fcs = mtp2_msu(msu, bsn=127, fsn=0, fcs=True)
    assert with_fcs[:-2] == bytes((0xFF, 0x80, len(msu))) + msu
    assert with_fcs[-2:] == crc16_x25(with_fcs[:-2]).to_bytes(2, "little")
    assert mtp2_msu(bytes(70))[2] == 63
    assert mtp2_fisu(bsn=1, fsn=2) == b"\x81\x82\x00"
    assert mtp2_lssu(Lssu.SIPO, bib=0, fib=0) == b"\x00\x00\x01\x04"
    assert len(mtp2_fisu(fcs=True)) == 5
    assert mtp2_pseudo_header(sent=False, annex_a_used=2, link=0x0102) == b"\x00\x02\x01\x02"
    with pytest.raises(ValueError, match="FSN"):
        mtp2_msu(msu, fsn=128)
    with pytest.raises(ValueError, match="at least 3"):
        mtp2_msu(b"\x85\x00")


# --- SIGTRAN --------------------------------------------------------------------------------------


def test_sigtran_parameter_padding() -> None:
    assert sigtran_parameter(0x0210, b"\x01") == b"\x02\x10\x00\x05\x01\x00\x00\x00"
    assert sigtran_parameter(0x0006, b"\x00\x00\x00\x01") == b"\x00\x06\x00\x08\x00\x00\x00\x01"


def test_m2pa() -> None:
    msu = mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3)
    message = m2pa_user_data(msu, bsn=0xABCDEF, fsn=0x000102, priority=2)
    assert message[:8] == b"\x01\x00\x0b\x01" + struct.pack("!I", 17 + len(msu))
    assert message[8:16] == bytes.fromhex("00abcdef00000102")
    assert message[16] == 0x80
    assert message[17:] == msu
    status = m2pa_link_status(M2paState.READY, bsn=1, fsn=2)
    assert status == bytes.fromhex("01000b0200000014000000010000000200000004")
    with pytest.raises(ValueError, match="BSN"):
        m2pa_user_data(msu, bsn=1 << 24)


def test_m2ua() -> None:
    msu = mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3)
    header, params = sigtran(m2ua_data(msu, interface_id=7))
    assert header == (1, 0, 6, 1)
    assert params == [(0x0001, b"\x00\x00\x00\x07"), (0x0300, msu)]
    _, params = sigtran(m2ua_data(msu, li=0x3F, correlation_id=99))
    assert params[1:] == [(0x0301, b"\x3f" + msu), (0x0013, b"\x00\x00\x00\x63")]


def test_m3ua_data() -> None:
    message = m3ua_data(
        ANSI_IAM,
        opc=0x010203,
        dpc=0x040506,
        si=5,
        ni=2,
        mp=1,
        sls=200,
        network_appearance=8,
        routing_contexts=(1, 2),
        correlation_id=5,
    )
    header, params = sigtran(message)
    assert header == (1, 0, 1, 1)
    assert [tag for tag, _ in params] == [0x0200, 0x0006, 0x0210, 0x0013]
    assert params[1][1] == b"\x00\x00\x00\x01\x00\x00\x00\x02"
    data = params[2][1]
    assert struct.unpack_from("!IIBBBB", data) == (0x010203, 0x040506, 5, 2, 1, 200)
    assert data[12:] == ANSI_IAM
    _, only = sigtran(m3ua_data(ITU_IAM, opc=1, dpc=2))
    assert [tag for tag, _ in only] == [0x0210]


def test_m3ua_draft6_and_management() -> None:
    msu = mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=3)
    _, params = sigtran(m3ua_data_draft6(msu, network_appearance=3))
    assert params == [(0x0001, b"\x00\x00\x00\x03"), (0x0002, msu)]
    _, params = sigtran(m3ua_data_draft6(msu, li=len(msu)))
    assert params == [(0x0003, bytes((len(msu),)) + msu)]
    assert sigtran(m3ua_aspup()) == ((1, 0, 3, 1), [])
    assert sigtran(m3ua_aspup(17))[1] == [(0x0011, b"\x00\x00\x00\x11")]
    assert sigtran(m3ua_beat(b"abc")) == ((1, 0, 3, 3), [(0x0009, b"abc")])


# --- SCTP -----------------------------------------------------------------------------------------


def test_sctp_data_chunk_layout() -> None:
    chunk = sctp_data_chunk(b"abcde", tsn=7, stream=1, ssn=2, ppid=3)
    assert chunk[:4] == b"\x00\x03\x00\x15"  # length 21: header 16 + 5, padding excluded
    assert len(chunk) == 24
    assert chunk[4:16] == struct.pack("!IHHI", 7, 1, 2, 3)
    assert chunk[16:] == b"abcde\0\0\0"
    assert sctp_chunk(0xC0, 0, b"") == b"\xc0\x00\x00\x04"


def test_sctp_fragmentation() -> None:
    data = bytes(range(50))
    chunks = sctp_data_chunks(data, tsn=0xFFFFFFFE, stream=1, ssn=9, ppid=3, max_size=16)
    packet = sctp_packet(1, 2, 3, chunks)
    parsed = data_chunks(packet)
    assert [c[0] for c in parsed] == [0b10, 0b00, 0b00, 0b01]
    assert [c[1] for c in parsed] == [0xFFFFFFFE, 0xFFFFFFFF, 0, 1]
    assert {(c[2], c[3], c[4]) for c in parsed} == {(1, 9, 3)}
    assert b"".join(c[5] for c in parsed) == data
    unordered = sctp_data_chunks(data, tsn=1, max_size=25, unordered=True)
    assert [chunk[1] for chunk in unordered] == [0x06, 0x05]
    assert [chunk[1] for chunk in sctp_data_chunks(data, tsn=1)] == [
        DataFlags.BEGIN | DataFlags.END
    ]
    with pytest.raises(ValueError, match="below 1"):
        sctp_data_chunks(data, tsn=1, max_size=0)


def test_sctp_idata_fragmentation() -> None:
    chunks = sctp_idata_chunks(bytes(30), tsn=10, stream=2, mid=77, ppid=3, max_size=12)
    parsed = [struct.unpack_from("!BBHIHHII", chunk) for chunk in chunks]
    assert [p[0] for p in parsed] == [64, 64, 64]
    assert [p[1] for p in parsed] == [2, 0, 1]
    assert [p[3] for p in parsed] == [10, 11, 12]
    assert [p[6] for p in parsed] == [77, 77, 77]
    assert [p[7] for p in parsed] == [3, 1, 2]  # PPID first, then fragment sequence numbers


def test_sctp_control_chunks() -> None:
    sack = sctp_sack(100, a_rwnd=5000, gaps=((2, 3),), duplicates=(98,))
    assert sack == bytes.fromhex("030000180000006400001388000100010002000300000062")
    heartbeat = sctp_heartbeat(b"12345")
    assert heartbeat[:8] == b"\x04\x00\x00\x0d\x00\x01\x00\x09"  # last parameter's padding
    assert len(heartbeat) == 16  # is chunk padding, outside the chunk length


def test_sctp_packet_checksum() -> None:
    packet = sctp_packet(2905, 2906, 0xDEADBEEF, [sctp_data_chunk(b"x", tsn=1)])
    assert packet[:8] == struct.pack("!HHI", 2905, 2906, 0xDEADBEEF)
    assert checksum_ok(packet)
    junk = sctp_packet(1, 2, 3, [sctp_data_chunk(b"x", tsn=1)], trailer=b"\x01\x02\x03")
    assert junk.endswith(b"\x01\x02\x03")
    assert checksum_ok(junk)
    forced = sctp_packet(1, 2, 3, [], checksum=0x12345678)
    assert forced[8:12] == b"\x78\x56\x34\x12"


# --- IP and link layers ---------------------------------------------------------------------------


def test_ipv4_packet_header() -> None:
    packet = ipv4_packet(
        bytes(0x73 - 20),
        src="192.168.0.1",
        dst=ipaddress.IPv4Address("192.168.0.199"),
        protocol=17,
        dont_fragment=True,
    )
    assert packet[:20] == bytes.fromhex("45000073000040004011b861c0a80001c0a800c7")
    with_options = ipv4_packet(b"", src="1.2.3.4", dst="5.6.7.8", options=b"\x01\x01\x01\x00\x07")
    assert with_options[0] == 0x47
    assert internet_checksum(with_options[:28]) == 0
    with pytest.raises(ValueError, match="multiple of 8"):
        ipv4_packet(b"", src="1.2.3.4", dst="5.6.7.8", offset=12)


def test_ipv4_fragments_reassemble() -> None:
    payload = random.Random(791).randbytes(1001)
    packet = ipv4_packet(
        payload, src="10.0.0.1", dst="10.0.0.2", identification=77, dont_fragment=True
    )
    fragments = ipv4_fragments(packet, 300)
    assert len(fragments) == 4
    pieces = {}
    for index, fragment in enumerate(fragments):
        assert internet_checksum(fragment[:20]) == 0
        total, ident, flags_offset = struct.unpack_from("!HHH", fragment, 2)
        assert total == len(fragment)
        assert ident == 77
        assert bool(flags_offset & 0x2000) == (index < 3)
        assert not flags_offset & 0x4000
        pieces[(flags_offset & 0x1FFF) * 8] = fragment[20:]
    assert [len(p) for p in pieces.values()] == [296, 296, 296, 113]
    assert b"".join(pieces[offset] for offset in sorted(pieces)) == payload
    again = ipv4_fragments(fragments[1], 100)  # a middle fragment cut again keeps MF throughout
    offsets = [struct.unpack_from("!H", f, 6)[0] for f in again]
    assert [o & 0x1FFF for o in offsets] == [37, 49, 61, 73]
    assert all(o & 0x2000 for o in offsets)
    with pytest.raises(ValueError, match="no room"):
        ipv4_fragments(packet, 7)


def test_ipv6_extension_headers() -> None:
    packet = ipv6_packet(
        b"payload",
        src="fd00::1",
        dst="fd00::2",
        extensions=[(0, b""), (60, b"\x01\x02\x00\x00")],
        traffic_class=0x12,
        flow_label=0x34567,
    )
    assert struct.unpack_from("!IHBB", packet) == (0x61234567, 16 + 7, 0, 64)
    assert packet[8:24] == ipaddress.IPv6Address("fd00::1").packed
    assert packet[40:48] == bytes((60, 0)) + bytes(6)
    assert packet[48:56] == bytes((132, 0)) + b"\x01\x02\x00\x00\x00\x00"
    assert packet[56:] == b"payload"


def test_ipv6_fragments_reassemble() -> None:
    payload = random.Random(8200).randbytes(333)
    packet = ipv6_packet(payload, src="fd00::1", dst="fd00::2", extensions=[(0, b""), (60, b"")])
    fragments = ipv6_fragments(packet, 100, identification=0xCAFE)
    rest = b""
    for index, fragment in enumerate(fragments):
        assert struct.unpack_from("!H", fragment, 4)[0] == len(fragment) - 40
        assert fragment[6] == 0  # the hop-by-hop header stays unfragmentable ...
        assert fragment[40] == 44  # ... and now leads to the fragment header
        next_header, _, offset_flags, ident = struct.unpack_from("!BBHI", fragment, 48)
        assert (next_header, ident) == (60, 0xCAFE)
        assert bool(offset_flags & 1) == (index < len(fragments) - 1)
        assert offset_flags & 0xFFF8 == len(rest)
        rest += fragment[56:]
    assert rest == packet[48:]
    assert ipv6_fragment_header(16, more=True, identification=5) == (
        44,
        b"\x00\x11\x00\x00\x00\x05",
    )


def test_link_layers() -> None:
    frame = ethernet_frame(
        b"IP",
        ethertype=ETHERTYPE_IPV6,
        vlans=(VlanTag(100, tpid=TPID_8021AD), VlanTag(200, pcp=1, dei=True)),
    )
    assert frame == MAC_B + MAC_A + bytes.fromhex("88a80064810030c886dd") + b"IP"
    assert ethernet_frame(b"", ethertype=ETHERTYPE_IPV4, src="02-00-00-00-00-09")[6:12] == (
        b"\x02\x00\x00\x00\x00\x09"
    )
    sll = sll_frame(b"IP", ethertype=ETHERTYPE_IPV4, packet_type=4)
    assert sll == bytes.fromhex("000400010006") + MAC_A + b"\0\0" + b"\x08\x00IP"
    sll2 = sll2_frame(b"IP", ethertype=ETHERTYPE_IPV4, ifindex=3, address="02:00:00:00:00:02")
    assert sll2 == bytes.fromhex("080000000000000300010006") + MAC_B + b"\0\0IP"
    assert null_frame(b"IP", AF_INET) == b"\x02\x00\x00\x00IP"
    assert null_frame(b"", AF_INET6_DARWIN, byte_order=">") == b"\x00\x00\x00\x1e"
    with pytest.raises(ValueError, match="6 octets"):
        ethernet_frame(b"", ethertype=1, src=b"\x01")


# --- pcap / pcapng --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nanosecond", "byte_order", "start", "fraction"),
    [
        (False, "<", b"\xd4\xc3\xb2\xa1", 123456),
        (False, ">", b"\xa1\xb2\xc3\xd4", 123456),
        (True, "<", b"\x4d\x3c\xb2\xa1", 123456789),
        (True, ">", b"\xa1\xb2\x3c\x4d", 123456789),
    ],
)
def test_pcap_writer(nanosecond: bool, byte_order: ByteOrder, start: bytes, fraction: int) -> None:
    out = io.BytesIO()
    writer = PcapWriter(out, LinkType.MTP3, nanosecond=nanosecond, byte_order=byte_order, snaplen=8)
    writer.write(T0, b"0123456789")
    writer.write(T0 + 10**9, b"abc", orig_len=99)
    data = out.getvalue()
    assert data.startswith(start)
    _, header, records = pcap_file(data)
    assert header[1:] == (2, 4, 0, 0, 8, 141)
    assert records == [
        (1_700_000_000, fraction, 8, 10, b"01234567"),
        (1_700_000_001, fraction, 3, 99, b"abc"),
    ]
    with pytest.raises(ValueError, match="link type"):
        writer.write_frames([LinkFrame(T0, LinkType.ETHERNET, b"")])


def test_pcap_byte_order_checked() -> None:
    with pytest.raises(ValueError, match="byte order"):
        PcapWriter(io.BytesIO(), 1, byte_order="=")  # type: ignore[arg-type]


def test_pcapng_writer_blocks() -> None:
    out = io.BytesIO()
    writer = PcapngWriter(out)
    assert writer.add_interface(LinkType.MTP2, name="link-7") == 0
    assert writer.add_interface(LinkType.ETHERNET, tsresol=9, snaplen=1500) == 1
    writer.write(0, T0, b"abcde")
    writer.write(1, T0, b"abcd", orig_len=60)
    writer.write_simple(b"xyz")
    writer.write_block(0x00000BAD, struct.pack("<I", 32473) + b"custom")
    writer.start_section(">")
    assert writer.write_frames([LinkFrame(T0, 141, b"m"), LinkFrame(T0, 141, b"n")]) == 2
    blocks = pcapng_blocks(out.getvalue())
    assert [(order, kind) for order, kind, _ in blocks] == [
        ("<", 0x0A0D0D0A),
        ("<", 1),
        ("<", 1),
        ("<", 6),
        ("<", 6),
        ("<", 3),
        ("<", 0xBAD),
        (">", 0x0A0D0D0A),
        (">", 1),
        (">", 6),
        (">", 6),
    ]
    assert struct.unpack("<IHHq", blocks[0][2]) == (0x1A2B3C4D, 1, 0, -1)
    assert struct.unpack_from("<HHI", blocks[1][2]) == (140, 0, 0)
    assert options("<", blocks[1][2][8:]) == [(2, b"link-7"), (9, b"\x06"), (0, b"")]
    assert options("<", blocks[2][2][8:]) == [(9, b"\x09"), (0, b"")]
    interface, high, low, captured, original = struct.unpack_from("<IIIII", blocks[3][2])
    assert (interface, (high << 32 | low), captured, original) == (0, T0 // 1000, 5, 5)
    assert blocks[3][2][20:] == b"abcde\0\0\0"
    interface, high, low, captured, original = struct.unpack_from("<IIIII", blocks[4][2])
    assert (interface, (high << 32 | low), captured, original) == (1, T0, 4, 60)
    assert blocks[5][2] == b"\x03\x00\x00\x00xyz\0"
    assert blocks[6][2] == struct.pack("<I", 32473) + b"custom\0\0"
    assert blocks[7][2][:4] == b"\x1a\x2b\x3c\x4d"
    assert struct.unpack_from(">IIIII", blocks[10][2])[0] == 0
    with pytest.raises(ValueError, match="if_tsresol"):
        writer.add_interface(1, tsresol=20)


# --- the encapsulator -----------------------------------------------------------------------------


def sctp_of(frame: LinkFrame) -> bytes:
    """The SCTP packet of an Ethernet / IPv4 frame."""
    return frame.data[14 + 20 :]


def test_encapsulator_sides_tsns_and_ssns() -> None:
    encapsulator = Encapsulator()
    assert encapsulator.linktype == LinkType.ETHERNET
    forward = [Message(T0 + i, isup(Variant.ITU, i), opc=10, dpc=20) for i in range(3)]
    frames = list(
        encapsulator.frames([*forward[:2], Message(T0 + 5, ITU_IAM, opc=20, dpc=10), forward[2]])
    )
    assert len(frames) == 4
    packets = [sctp_of(frame) for frame in frames]
    assert all(checksum_ok(packet) for packet in packets)
    chunks = [data_chunks(packet)[0] for packet in packets]
    a, b = chunks[0][1], chunks[2][1]
    assert [(c[1], c[2], c[3], c[4]) for c in chunks] == [
        (a, 1, 0, 3),
        (a + 1, 1, 1, 3),
        (b, 1, 0, 3),
        (a + 2, 1, 2, 3),
    ]
    vtags = [struct.unpack_from("!I", packet, 4)[0] for packet in packets]
    assert vtags[0] == vtags[1] == vtags[3] != vtags[2]
    other = Encapsulator(Encapsulation(addresses=("10.0.1.1", "10.0.1.2")))
    other_packet = sctp_of(next(other.frames(forward)))
    assert struct.unpack_from("!I", other_packet, 4)[0] != vtags[0]  # another association
    assert data_chunks(other_packet)[0][1] != a
    assert frames[0].data[:12] == MAC_B + MAC_A
    assert frames[2].data[:12] == MAC_A + MAC_B
    assert frames[0].data[26:34] == bytes((10, 0, 0, 1, 10, 0, 0, 2))
    assert frames[2].data[26:34] == bytes((10, 0, 0, 2, 10, 0, 0, 1))
    ip_ids = [struct.unpack_from("!H", frame.data, 18)[0] for frame in frames]
    assert ip_ids == [0, 1, 0, 2]
    _, params = sigtran(chunks[2][5])
    assert struct.unpack_from("!IIBBBB", params[0][1]) == (20, 10, 5, 2, 0, 0)
    assert [frame.ts_ns for frame in frames] == [T0, T0 + 1, T0 + 5, T0 + 2]


def test_encapsulator_bundling() -> None:
    encapsulator = Encapsulator(Encapsulation(transport="m2ua", bundle=3))
    messages = [Message(T0 + i, isup(Variant.ITU, i)) for i in range(7)]
    messages.insert(5, Message(T0, ITU_IAM, opc=2, dpc=1))
    frames = list(encapsulator.frames(messages))
    assert [len(data_chunks(sctp_of(frame))) for frame in frames] == [3, 2, 1, 2]
    assert [frame.ts_ns for frame in frames] == [T0, T0 + 3, T0, T0 + 5]
    assert all(c[4] == 2 for frame in frames for c in data_chunks(sctp_of(frame)))
    assert struct.unpack_from("!HH", sctp_of(frames[0])) == (2904, 2904)


def test_encapsulator_sctp_and_ip_fragments() -> None:
    encapsulator = Encapsulator(
        Encapsulation(transport="m2pa", link="raw", ip=6, fragment_size=20, ip_fragment_size=40)
    )
    frames = list(encapsulator.frames([Message(T0, ITU_IAM), Message(T0 + 1, ITU_IAM)]))
    user_data = m2pa_user_data(
        mtp3_msu(ITU_IAM, variant=Variant.ITU, opc=1, dpc=2, sls=0), bsn=0xFFFFFF, fsn=0
    )
    per_message = -(-len(user_data) // 20)
    packets: dict[int, bytes] = {}
    for frame in frames:
        assert frame.data[6] == 44
        ident = struct.unpack_from("!I", frame.data, 44)[0]
        packets[ident] = packets.get(ident, b"") + frame.data[48:]
    assert len(packets) == 2 * per_message
    chunks = [data_chunks(packet)[0] for packet in packets.values()]
    first = chunks[0][1]
    assert [c[1] for c in chunks] == [(first + i) & 0xFFFFFFFF for i in range(2 * per_message)]
    assert b"".join(c[5] for c in chunks[:per_message]) == user_data
    assert {c[3] for c in chunks[per_message:]} == {1}


def test_encapsulator_m2pa_sequence_numbers() -> None:
    encapsulator = Encapsulator(Encapsulation(transport="m2pa", link="null"))
    messages = [
        Message(T0, ITU_IAM, opc=1, dpc=2),
        Message(T0, ITU_IAM, opc=2, dpc=1),
        Message(T0, ITU_IAM, opc=1, dpc=2),
    ]
    frames = list(encapsulator.frames(messages))
    numbers = []
    for frame in frames:
        assert frame.data[:4] == b"\x02\x00\x00\x00"
        user = data_chunks(frame.data[4 + 20 :])[0][5]
        numbers.append(struct.unpack_from("!II", user, 8))
    assert numbers == [(0xFFFFFF, 0), (0, 0), (0, 1)]
    noise = encapsulator.noise(T0, side=1)
    status = data_chunks(noise[1].data[4 + 20 :])[0]
    assert status[2] == 0
    assert status[5] == m2pa_link_status(M2paState.READY, bsn=1, fsn=0)


def test_encapsulator_mtp2() -> None:
    encapsulator = Encapsulator(Encapsulation(transport="mtp2", fcs=True))
    assert encapsulator.linktype == LinkType.MTP2
    frames = list(encapsulator.frames(Message(T0 + i, ITU_IAM, sls=i % 16) for i in range(130)))
    assert [frame.data[1] & 0x7F for frame in frames[126:130]] == [126, 127, 0, 1]
    assert {frame.data[0] for frame in frames} == {0xFF}  # BSN 127 + BIB: side B never sent
    assert all(crc16_x25(frame.data) == 0x0F47 for frame in frames)
    fisu, lssu = encapsulator.noise(T0)
    assert fisu.data[:3] == b"\xff\x81\x00"
    assert lssu.data[2:4] == b"\x01\x01"
    reverse = next(encapsulator.frames([Message(T0, ITU_IAM, opc=2, dpc=1)]))
    assert reverse.data[:2] == b"\x81\x80"


def test_encapsulator_mtp2_pseudo_header_and_mtp3() -> None:
    phdr = Encapsulator(Encapsulation(transport="mtp2-phdr"))
    frames = list(phdr.frames([Message(T0, ITU_IAM), Message(T0, ITU_IAM, opc=2, dpc=1)]))
    assert [frame.data[:4] for frame in frames] == [b"\x01\x00\x00\x00", b"\x00\x00\x00\x00"]
    assert phdr.linktype == LinkType.MTP2_WITH_PHDR
    mtp3 = Encapsulator(Encapsulation(transport="mtp3"))
    (frame,) = mtp3.frames([Message(T0, SCCP_UDT, si=3, ni=0, sls=7)])
    assert frame == LinkFrame(
        T0, LinkType.MTP3, b"\x03" + mtp3_label(variant=Variant.ITU, opc=1, dpc=2, sls=7) + SCCP_UDT
    )
    assert mtp3.noise(T0) == []


def test_encapsulator_noise_over_sctp() -> None:
    encapsulator = Encapsulator(Encapsulation(link="sll2", idata=True))
    sent = encapsulator.frames([Message(T0, ITU_IAM), Message(T0, ITU_IAM, opc=2, dpc=1)])
    tsn_a, tsn_b = (struct.unpack_from("!I", frame.data, 20 + 20 + 16)[0] for frame in sent)
    control, beat = encapsulator.noise(T0, side=0)
    chunks = chunks_of(control.data[20 + 20 :])
    assert [kind for kind, _, _ in chunks] == [3, 4]
    assert struct.unpack_from("!I", chunks[0][2])[0] == tsn_b  # the last TSN side B sent
    kind, flags, value = chunks_of(beat.data[20 + 20 :])[0]
    assert (kind, flags) == (64, 3)
    assert struct.unpack_from("!IHHII", value) == ((tsn_a + 1) & 0xFFFFFFFF, 0, 0, 0, 3)
    assert sigtran(value[16:])[0] == (1, 0, 3, 3)


def test_encapsulator_checks() -> None:
    with pytest.raises(ValueError, match="bundle"):
        Encapsulator(Encapsulation(bundle=0))
    with pytest.raises(ValueError, match="FCS"):
        Encapsulator(Encapsulation(transport="m2pa", fcs=True))
    with pytest.raises(ValueError, match="ITU OPC"):
        list(Encapsulator().frames([Message(T0, ITU_IAM, opc=0x4000)]))
    with pytest.raises(ValueError, match="side"):
        Encapsulator().noise(T0, side=2)


# --- tshark ---------------------------------------------------------------------------------------

_ERROR_SEVERITY = 0x00800000  # PI_ERROR in tshark's _ws.expert.severity
_FIELDS = (
    "frame.protocols",
    "frame.time_epoch",
    "sctp.checksum.status",
    "mtp2.fcs_16.status",
    "isup.cic",
    "isup.message_type",
    "mtp3.opc",
    "mtp3.dpc",
    "_ws.malformed",
    "_ws.expert.severity",
)
_ITU_PCS = (1000, 2001)
_ANSI_PCS = (0x010203, 0xFEDCBA)


class Case(NamedTuple):
    """One encapsulation in a tshark capture and the directions of its messages (A / B)."""

    encapsulation: Encapsulation
    directions: str = "ABAB"
    noise: bool = True
    sccp: bool = False


class Scenario(NamedTuple):
    """One capture file: container, variant, tshark options and its cases."""

    name: str
    container: str  # "pcapng" or "pcap-<us|ns>-<le|be>"
    variant: Variant
    options: tuple[str, ...]
    cases: tuple[Case, ...]


def _addresses(index: int, ip: int) -> tuple[str, str]:
    if ip == 4:
        return f"10.0.{index}.1", f"10.0.{index}.2"
    return f"fd00:{index}::1", f"fd00:{index}::2"


def _messages(scenario: Scenario, index: int, case: Case, ts: int) -> list[Message]:
    a, b = _ITU_PCS if scenario.variant is Variant.ITU else _ANSI_PCS
    messages = []
    for i, direction in enumerate(case.directions):
        opc, dpc = (a, b) if direction == "A" else (b, a)
        payload = isup(scenario.variant, 100 * (index + 1) + i)
        messages.append(Message(ts + i * 1000, payload, scenario.variant, opc, dpc, sls=i % 16))
    if case.sccp:
        messages.append(Message(ts + 10_000, SCCP_UDT, scenario.variant, a, b, sls=1, si=3))
    return messages


def _build(scenario: Scenario, path: Path) -> tuple[list[tuple[int, int] | None], list[Message]]:
    """Write the capture; return the messages and each frame's (timestamp, resolution in ns).

    A frame without a timestamp (a pcapng custom block or simple packet) has None.
    """
    stamps: list[tuple[int, int] | None] = []
    every: list[Message] = []
    resolution = 1 if "-ns-" in scenario.container else 1000
    with path.open("wb") as stream:
        pcapng = PcapngWriter(stream) if scenario.container == "pcapng" else None
        for index, case in enumerate(scenario.cases):
            enc = case.encapsulation
            if enc.transport not in {"mtp2", "mtp2-phdr", "mtp3"}:
                enc = enc._replace(addresses=_addresses(index, enc.ip))
            encapsulator = Encapsulator(enc)
            ts = T0 + index * 10**9
            messages = _messages(scenario, index, case, ts)
            frames = list(encapsulator.frames(messages))
            noise = encapsulator.noise(ts + 20_000, side=1) if case.noise else []
            frames += noise
            every += messages
            if pcapng is None:
                assert len(scenario.cases) == 1
                PcapWriter(
                    stream,
                    encapsulator.linktype,
                    nanosecond=resolution == 1,
                    byte_order="<" if scenario.container.endswith("-le") else ">",
                ).write_frames(frames)
                stamps += [(frame.ts_ns, resolution) for frame in frames]
                continue
            tsresol = 9 if index % 2 else 6  # one interface per case, alternating resolutions
            interface = pcapng.add_interface(
                encapsulator.linktype, tsresol=tsresol, name=str(index)
            )
            for frame in frames:
                pcapng.write(interface, frame.ts_ns, frame.data)
                stamps.append((frame.ts_ns, 10 ** (9 - tsresol)))
            if index == 0:
                simple = noise[0].data
        if pcapng is not None:  # blocks that tshark skips (unknown) or shows without timestamp
            pcapng.write_block(0x0000_0042, b"unknown block type")
            pcapng.write_block(0x0000_0BAD, struct.pack("<I", 32473) + b"custom data")
            pcapng.write_simple(simple)  # interface 0: an Ethernet frame without ISUP
            stamps += [None, None]
    return stamps, every


def _tshark(path: Path, scenario: Scenario) -> list[dict[str, str]]:
    command = [need_tshark(), "-n", "-r", str(path), "-o", "sctp.checksum:CRC-32C"]
    command += ["-o", "sctp.reassembly:TRUE", *scenario.options, "-T", "fields"]
    for field in _FIELDS:
        command += ["-e", field]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return [
        dict(zip(_FIELDS, line.split("\t"), strict=True)) for line in result.stdout.splitlines()
    ]


def _values(rows: list[dict[str, str]], field: str) -> list[int]:
    return [int(value) for row in rows if row[field] for value in row[field].split(",")]


_ITU = Variant.ITU
_ANSI = Variant.ANSI
_ANSI_OPTION = ("-o", "mtp3.standard:ANSI")
_DRAFT6 = ("-o", "m3ua.version:Internet Draft version 6")
_FCS = ("-o", "mtp2.capture_contains_frame_check_sequence:TRUE")

SCENARIOS = (
    Scenario(
        "itu-pcapng",
        "pcapng",
        _ITU,
        (*_FCS, "-d", "sctp.port==40000,m3ua"),
        (
            Case(Encapsulation(network_appearance=1, routing_context=2), sccp=True),
            Case(Encapsulation(ip=6, vlans=(VlanTag(100, tpid=TPID_8021AD), VlanTag(200)))),
            Case(Encapsulation(link="sll", bundle=3), "AAAAAABBB"),
            Case(Encapsulation(link="sll2", ip=6, fragment_size=20)),
            Case(Encapsulation(link="raw", idata=True, fragment_size=24), "AABB"),
            Case(Encapsulation(link="null", ip=6, ip_fragment_size=48)),
            Case(Encapsulation(ports=(40000, 40001), ppid=0)),
            Case(Encapsulation(transport="m2pa", bundle=2), "AAABBA", sccp=True),
            Case(Encapsulation(transport="m2ua", link="sll", li=0)),
            Case(Encapsulation(transport="m2ua", ip_fragment_size=40)),
            Case(Encapsulation(transport="mtp2", fcs=True), sccp=True),
            Case(Encapsulation(transport="mtp2-phdr")),
            Case(Encapsulation(transport="mtp3"), sccp=True),
        ),
    ),
    Scenario(
        "ansi-pcapng",
        "pcapng",
        _ANSI,
        _ANSI_OPTION,
        (
            Case(Encapsulation(routing_context=7)),
            Case(Encapsulation(link="sll2", ip=6, bundle=2, vlans=(VlanTag(5),)), "AABBA"),
            Case(Encapsulation(transport="m2pa", link="raw", fragment_size=16)),
            Case(Encapsulation(transport="m2ua", link="null", ip=6, idata=True)),
            Case(Encapsulation(transport="mtp2")),
            Case(Encapsulation(transport="mtp2-phdr")),
            Case(Encapsulation(transport="mtp3")),
        ),
    ),
    Scenario(
        "itu-draft6-pcap-us-le",
        "pcap-us-le",
        _ITU,
        _DRAFT6,
        (Case(Encapsulation(transport="m3ua-draft6", network_appearance=3, bundle=2), "AABA"),),
    ),
    Scenario(
        "ansi-draft6-pcap-ns-be",
        "pcap-ns-be",
        _ANSI,
        (*_ANSI_OPTION, *_DRAFT6),
        (Case(Encapsulation(transport="m3ua-draft6", li=0, link="sll")),),
    ),
    Scenario(
        "itu-m2pa-pcap-us-be",
        "pcap-us-be",
        _ITU,
        (),
        (Case(Encapsulation(transport="m2pa", ip=6, fragment_size=12), sccp=True),),
    ),
    Scenario(
        "ansi-mtp2-fcs-pcap-ns-le",
        "pcap-ns-le",
        _ANSI,
        (*_ANSI_OPTION, *_FCS),
        (Case(Encapsulation(transport="mtp2", fcs=True), "ABBBA"),),
    ),
)


@pytest.mark.tshark
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_tshark_decodes(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / f"{scenario.name}.{'pcapng' if scenario.container == 'pcapng' else 'pcap'}"
    stamps, messages = _build(scenario, path)
    rows = _tshark(path, scenario)
    assert len(rows) == len(stamps)
    for number, (row, ts) in enumerate(zip(rows, stamps, strict=True), start=1):
        where = f"frame {number}: {row}"
        assert not row["_ws.malformed"], where
        assert all(int(s) < _ERROR_SEVERITY for s in row["_ws.expert.severity"].split(",") if s), (
            where
        )
        if ":sctp" in row["frame.protocols"]:
            assert row["sctp.checksum.status"] == "1", where
        if row["mtp2.fcs_16.status"]:
            assert row["mtp2.fcs_16.status"] == "1", where
        if ts is not None:
            stamp, resolution = ts
            assert (
                Decimal(row["frame.time_epoch"]) == Decimal(stamp - stamp % resolution) / 10**9
            ), where
    isup_messages = [m for m in messages if m.si == 5]
    assert _values(rows, "isup.cic") == [
        int.from_bytes(m.payload[:2], "little") for m in isup_messages
    ]
    assert set(_values(rows, "isup.message_type")) == {1}
    assert _values(rows, "mtp3.opc") == [m.opc for m in messages]
    assert _values(rows, "mtp3.dpc") == [m.dpc for m in messages]
    sccp_frames = sum(":sccp" in row["frame.protocols"] for row in rows)
    assert sccp_frames == len(messages) - len(isup_messages)


@pytest.mark.parametrize("order", ["<", ">"])
def test_pcapng_interface_time_offset_round_trips(order: ByteOrder) -> None:
    """if_tsoffset (pcapng §4.2, option 14): seconds added to every timestamp of the interface."""
    from ss7ani.capture import Frame, read_frames  # noqa: PLC0415

    out = io.BytesIO()
    writer = PcapngWriter(out, byte_order=order)
    shifted = writer.add_interface(141, tsresol=3, tsoffset=-3600)
    writer.write(shifted, 1_700_000_000_123_000_000, b"\x85")
    idb = out.getvalue()[28:]
    assert struct.pack(order + "HHq", 14, 8, -3600) in idb
    (frame,) = read_frames(io.BytesIO(out.getvalue()))
    assert isinstance(frame, Frame)
    assert frame.ts_ns == 1_700_000_000_123_000_000
