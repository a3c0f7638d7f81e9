"""Link layers that carry IP: Ethernet (802.1Q / QinQ), Linux SLL / SLL2, raw IP, BSD loopback.

Each function takes a frame and returns ``(ethertype, offset)``: the EtherType of what follows
(``ETHERTYPE_IPV4`` / ``ETHERTYPE_IPV6`` for IP) and where it starts.  Link-type numbers are
from the tcpdump.org LINKTYPE list (draft-ietf-opsawg-pcaplinktype).
"""

from __future__ import annotations

from ..errors import Layer, TruncatedError

ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
_VLAN_TAGS = frozenset({0x8100, 0x88A8, 0x9100})
_AF_INET6 = frozenset({24, 28, 30})

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_MTP2_WITH_PHDR = 139
LINKTYPE_MTP2 = 140
LINKTYPE_MTP3 = 141
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_LINUX_SLL2 = 276
#: Historic DLT values for raw IP in old files (12 on most systems, 14 on BSD/OS, OpenBSD).
LINKTYPES_RAW = frozenset({LINKTYPE_RAW, 12, 14, LINKTYPE_IPV4, LINKTYPE_IPV6})


def _short(data: bytes, need: int, what: str) -> TruncatedError:
    return TruncatedError(Layer.LINK, len(data), f"{what}: {len(data)} octets, {need} needed")


def ethernet(data: bytes) -> tuple[int, int]:
    """Ethernet II, skipping any stack of 802.1Q / 802.1ad tags (IEEE 802.3 / 802.1Q)."""
    if len(data) < 14:
        raise _short(data, 14, "Ethernet header")
    ethertype = (data[12] << 8) | data[13]
    offset = 14
    while ethertype in _VLAN_TAGS:
        if len(data) < offset + 4:
            raise _short(data, offset + 4, "VLAN tag")
        ethertype = (data[offset + 2] << 8) | data[offset + 3]
        offset += 4
    return ethertype, offset


def linux_sll(data: bytes) -> tuple[int, int]:
    """Linux cooked capture v1: 16-octet header, protocol in octets 14-15."""
    if len(data) < 16:
        raise _short(data, 16, "Linux SLL header")
    return (data[14] << 8) | data[15], 16


def linux_sll2(data: bytes) -> tuple[int, int]:
    """Linux cooked capture v2: 20-octet header, protocol in octets 0-1."""
    if len(data) < 20:
        raise _short(data, 20, "Linux SLL2 header")
    return (data[0] << 8) | data[1], 20


def raw_ip(data: bytes) -> tuple[int, int]:
    """Raw IP: the version nibble selects IPv4 or IPv6."""
    if not data:
        raise _short(data, 1, "raw IP packet")
    return (ETHERTYPE_IPV6 if data[0] >> 4 == 6 else ETHERTYPE_IPV4), 0


def loopback(data: bytes, *, big_endian: bool) -> tuple[int, int]:
    """BSD loopback (NULL: host byte order, which either order may be) or OpenBSD LOOP (big)."""
    if len(data) < 4:
        raise _short(data, 4, "loopback header")
    family = int.from_bytes(data[:4], "big") if big_endian else max(data[0], data[3])
    return (ETHERTYPE_IPV6 if family in _AF_INET6 else ETHERTYPE_IPV4), 4
