"""IPv4 (RFC 791) and IPv6 (RFC 8200) headers, and bounded fragment reassembly.

``ipv4`` / ``ipv6`` return ``(protocol, start, end, source, destination, fragment)`` where
``fragment`` is ``None`` for a whole datagram or ``(identification, offset, more)`` for a
fragment; the payload is ``data[start:end]``.  IPv4 trusts the total length over the frame
length (Ethernet pads short frames); a frame cut before the total length is truncated.
"""

from __future__ import annotations

from collections import OrderedDict

from ..errors import BadLengthError, Layer, LimitExceededError, TruncatedError

Fragment = tuple[int, int, bool]
Datagram = tuple[int, int, int, bytes, bytes, Fragment | None]

_EXTENSIONS = frozenset({0, 43, 60, 135, 139, 140})
_FRAGMENT = 44
_AH = 51
_NO_NEXT = 59

#: At most this many datagrams can be waiting for fragments at once (oldest dropped first).
MAX_PENDING_DATAGRAMS = 256
#: Largest reassembled datagram payload.
MAX_DATAGRAM = 65535


def ipv4(data: bytes, offset: int) -> Datagram:
    """Parse an IPv4 header at ``offset`` (RFC 791 §3.1)."""
    if len(data) < offset + 20:
        raise TruncatedError(Layer.IP, len(data), "IPv4 header cut short")
    first = data[offset]
    header = (first & 0x0F) * 4
    if first >> 4 != 4 or header < 20:
        raise BadLengthError(Layer.IP, offset, f"not an IPv4 header (octet 0x{first:02X})")
    total = (data[offset + 2] << 8) | data[offset + 3]
    end = offset + total
    if total < header:
        raise BadLengthError(Layer.IP, offset + 2, f"IPv4 total length {total} < header {header}")
    if end > len(data):
        raise TruncatedError(Layer.IP, len(data), f"IPv4 datagram of {total} octets cut short")
    flags = (data[offset + 6] << 8) | data[offset + 7]
    fragment = None
    if flags & 0x3FFF:
        ident = (data[offset + 4] << 8) | data[offset + 5]
        fragment = (ident, (flags & 0x1FFF) * 8, bool(flags & 0x2000))
    return (
        data[offset + 9],
        offset + header,
        end,
        data[offset + 12 : offset + 16],
        data[offset + 16 : offset + 20],
        fragment,
    )


def ipv6(data: bytes, offset: int) -> Datagram:
    """Parse an IPv6 header and its extension header chain (RFC 8200 §3-4)."""
    if len(data) < offset + 40:
        raise TruncatedError(Layer.IP, len(data), "IPv6 header cut short")
    if data[offset] >> 4 != 6:
        raise BadLengthError(Layer.IP, offset, "not an IPv6 header")
    end = offset + 40 + ((data[offset + 4] << 8) | data[offset + 5])
    if end > len(data):
        raise TruncatedError(Layer.IP, len(data), "IPv6 packet cut short")
    source, destination = data[offset + 8 : offset + 24], data[offset + 24 : offset + 40]
    next_header = data[offset + 6]
    index = offset + 40
    fragment = None
    while next_header in _EXTENSIONS or next_header in (_FRAGMENT, _AH):
        if index + 8 > end:
            raise TruncatedError(Layer.IP, end, f"IPv6 extension header {next_header} cut short")
        if next_header == _FRAGMENT:
            word = (data[index + 2] << 8) | data[index + 3]
            ident = int.from_bytes(data[index + 4 : index + 8], "big")
            fragment = (ident, word & 0xFFF8, bool(word & 1))
            length = 8
        elif next_header == _AH:
            length = (data[index + 1] + 2) * 4
        else:
            length = (data[index + 1] + 1) * 8
        next_header = data[index]
        index += length
    if index > end:
        raise BadLengthError(Layer.IP, offset + 4, "IPv6 extension headers overrun the packet")
    if fragment is not None and fragment[1] == 0 and not fragment[2]:
        fragment = None  # an atomic fragment (RFC 6946): a whole datagram
    return next_header if next_header != _NO_NEXT else -1, index, end, source, destination, fragment


class _Pending:
    """One datagram being rebuilt: its octets so far and which 8-octet blocks have come.

    Fragment offsets count in units of 8 octets (RFC 791 §3.2; RFC 8200 §4.5), so a bitmap of
    blocks tells completeness in linear time; a later fragment overwrites an overlap.
    """

    __slots__ = ("covered", "data", "seen", "total")

    def __init__(self) -> None:
        self.data = bytearray()
        self.seen = bytearray()
        self.covered = 0
        self.total = -1


class Reassembler:
    """Bounded IP fragment reassembly, keyed by source, destination and identification."""

    def __init__(self) -> None:
        """Start with nothing pending."""
        self._pending: OrderedDict[tuple[bytes, bytes, int, int], _Pending] = OrderedDict()
        #: Datagrams given up because ``MAX_PENDING_DATAGRAMS`` was reached.
        self.evicted = 0

    def add(
        self, source: bytes, destination: bytes, protocol: int, fragment: Fragment, payload: bytes
    ) -> bytes | None:
        """Store one fragment; return the whole payload once every octet has arrived.

        Raises ``LimitExceededError`` (after storing the fragment) when the oldest waiting
        datagram had to be dropped to make room.  Memory per datagram is at most
        ``MAX_DATAGRAM`` octets however many (overlapping) fragments come.
        """
        ident, offset, more = fragment
        key = (source, destination, ident, protocol)
        entry = self._pending.get(key)
        evicted = False
        if entry is None:
            if len(self._pending) >= MAX_PENDING_DATAGRAMS:
                self._pending.popitem(last=False)
                self.evicted += 1
                evicted = True
            entry = self._pending[key] = _Pending()
        end = offset + len(payload)
        if end > MAX_DATAGRAM:
            del self._pending[key]
            msg = f"IP fragment ends at octet {end}, beyond {MAX_DATAGRAM}"
            raise LimitExceededError(Layer.IP, 0, msg)
        data, seen = entry.data, entry.seen
        if len(data) < end:
            data.extend(bytes(end - len(data)))
        data[offset:end] = payload
        first, last = offset >> 3, (end + 7) >> 3
        if len(seen) < last:
            seen.extend(bytes(last - len(seen)))
        entry.covered += (last - first) - seen.count(1, first, last)
        seen[first:last] = b"\x01" * (last - first)
        if not more:
            entry.total = end
        if evicted:  # a first fragment never completes a datagram: nothing is lost by raising
            msg = f"more than {MAX_PENDING_DATAGRAMS} IP datagrams await fragments; oldest dropped"
            raise LimitExceededError(Layer.IP, 0, msg)
        total = entry.total
        need = (total + 7) >> 3
        if total < 0 or entry.covered < need or seen.count(1, 0, need) < need:
            return None
        del self._pending[key]
        return bytes(data[:total])
