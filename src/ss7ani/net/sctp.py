"""SCTP (RFC 9260): DATA / I-DATA chunks, retransmissions and fragment reassembly.

``data_chunks`` lists the user-data chunks of one packet (bundling); padding or junk after the
last chunk is tolerated.  ``SctpState`` owns what must persist between packets: the recently
seen TSNs of each association direction (a DATA chunk with a TSN and payload seen before is a
retransmission and is delivered once) and the fragments (B/E flags, RFC 9260 §6.9; I-DATA per
RFC 8260) of messages not yet complete.  Both are bounded.
"""

from __future__ import annotations

import struct
from collections import OrderedDict, deque
from typing import NamedTuple

from ..errors import BadLengthError, Layer, LimitExceededError, TruncatedError

_COMMON = struct.Struct(">HHI")
_DATA = struct.Struct(">BBHIHHI")
_IDATA = struct.Struct(">BBHIHHII")
_DATA_CHUNK = 0
_IDATA_CHUNK = 64
_FLAG_E, _FLAG_B, _FLAG_U = 0x01, 0x02, 0x04

#: Recently seen TSNs remembered per association direction (for retransmission detection).
TSN_WINDOW = 256
#: Association directions remembered at once (least recently used dropped first).
MAX_ASSOCIATIONS = 1024
#: Messages waiting for more fragments at once (oldest dropped first, with an issue).
MAX_PENDING_MESSAGES = 256
#: Largest reassembled user message.
MAX_MESSAGE = 65536


class Chunk(NamedTuple):
    """One DATA or I-DATA chunk: flags, TSN, stream, SSN (or MID), PPID, payload, offset.

    ``fragment_sequence`` is the I-DATA FSN (0 for the first fragment); -1 for DATA chunks.
    """

    flags: int
    tsn: int
    stream: int
    sequence: int
    ppid: int
    payload: bytes
    offset: int
    fragment_sequence: int = -1


#: One direction of an association, as one key: source address, destination address, then the
#: first 8 octets of the SCTP common header (source port, destination port, verification tag).
Association = bytes


def data_chunks(data: bytes, start: int, end: int) -> tuple[int, int, int, list[Chunk], bool]:
    """Parse the SCTP common header and collect the DATA / I-DATA chunks.

    Returns source port, destination port, verification tag, the chunks and whether non-zero
    junk followed the last valid chunk.
    """
    if end - start < 12:
        raise TruncatedError(Layer.SCTP, end, "SCTP common header cut short")
    source, destination, vtag = _COMMON.unpack_from(data, start)
    chunks: list[Chunk] = []
    index = start + 12
    while index + 4 <= end:
        kind = data[index]
        length = (data[index + 2] << 8) | data[index + 3]
        if length < 4 or index + length > end:
            rest = data[index:end]
            if index + length > end and length >= 4 and any(rest):
                msg = f"chunk of {length} octets at {index} overruns the packet"
                raise TruncatedError(Layer.SCTP, end, msg)
            return source, destination, vtag, chunks, any(rest)
        if kind == _DATA_CHUNK:
            if length < 17:
                msg = f"DATA chunk length {length} < 17"
                raise BadLengthError(Layer.SCTP, index + 2, msg)
            _, flags, _, tsn, stream, ssn, ppid = _DATA.unpack_from(data, index)
            chunks.append(
                Chunk(flags, tsn, stream, ssn, ppid, data[index + 16 : index + length], index + 16)
            )
        elif kind == _IDATA_CHUNK:
            if length < 21:
                msg = f"I-DATA chunk length {length} < 21"
                raise BadLengthError(Layer.SCTP, index + 2, msg)
            _, flags, _, tsn, stream, _, mid, ppid_or_fsn = _IDATA.unpack_from(data, index)
            first = bool(flags & _FLAG_B)
            chunks.append(
                Chunk(
                    flags,
                    tsn,
                    stream,
                    mid,
                    ppid_or_fsn if first else 0,
                    data[index + 20 : index + length],
                    index + 20,
                    0 if first else ppid_or_fsn,
                )
            )
        index += (length + 3) & ~3
    return source, destination, vtag, chunks, index < end and any(data[index:end])


class _Message:
    """The fragments of one user message so far, with what completing it needs (O(1) a step)."""

    __slots__ = ("begin", "finish", "parts", "size")

    def __init__(self) -> None:
        self.parts: dict[int, Chunk] = {}
        self.size = 0
        self.begin = -1  # number of the B fragment, once seen
        self.finish = -1  # number of the E fragment, once seen


class SctpState:
    """Per-capture SCTP state: retransmission memory and fragment reassembly (bounded)."""

    def __init__(self) -> None:
        """Start with no associations."""
        self._seen: OrderedDict[Association, tuple[dict[int, int], deque[int]]] = OrderedDict()
        self._pending: OrderedDict[tuple[Association, int, int, int], _Message] = OrderedDict()
        #: Retransmitted DATA chunks skipped so far.
        self.retransmissions = 0

    def is_retransmission(self, association: Association, tsn: int, payload: bytes) -> bool:
        """Whether this TSN was seen with the same payload on this association direction."""
        entry = self._seen.get(association)
        if entry is None:
            if len(self._seen) >= MAX_ASSOCIATIONS:
                self._seen.popitem(last=False)
            entry = ({}, deque())
            self._seen[association] = entry
        recent, order = entry
        digest = hash(payload)
        previous = recent.get(tsn)
        if previous == digest:
            self.retransmissions += 1
            return True
        if previous is None:
            order.append(tsn)
            if len(order) > TSN_WINDOW:
                recent.pop(order.popleft(), None)
        recent[tsn] = digest
        return False

    def reassemble(self, association: Association, chunk: Chunk) -> tuple[bytes, int] | None:
        """Add a fragment (B/E not both set); return (user message, PPID) once complete.

        DATA fragments of one message have consecutive TSNs (RFC 9260 §6.9); I-DATA ones are
        numbered by their fragment sequence number and carry the PPID in the first one only
        (RFC 8260 §2.1).  Raises ``LimitExceededError`` when a bound forces a message out (the
        current fragment is kept).
        """
        key = (association, chunk.stream, chunk.sequence, chunk.flags & _FLAG_U)
        message = self._pending.get(key)
        evicted = False
        if message is None:
            if len(self._pending) >= MAX_PENDING_MESSAGES:
                self._pending.popitem(last=False)
                evicted = True
            message = self._pending[key] = _Message()
        number = chunk.tsn if chunk.fragment_sequence < 0 else chunk.fragment_sequence
        if number not in message.parts:
            message.size += len(chunk.payload)
        if message.size > MAX_MESSAGE:
            del self._pending[key]
            msg = f"fragmented message exceeds {MAX_MESSAGE} octets; dropped"
            raise LimitExceededError(Layer.SCTP, chunk.offset, msg)
        message.parts[number] = chunk
        # The first B and E seen count; a fragment repeated with other flags does not move them.
        if chunk.flags & _FLAG_B and message.begin < 0:
            message.begin = number
        if chunk.flags & _FLAG_E and message.finish < 0:
            message.finish = number
        if evicted:
            msg = f"more than {MAX_PENDING_MESSAGES} fragmented messages pending; oldest dropped"
            raise LimitExceededError(Layer.SCTP, chunk.offset, msg)
        begin, finish = message.begin, message.finish
        if begin < 0 or finish < 0:
            return None
        count = ((finish - begin) & 0xFFFFFFFF) + 1  # serial numbers wrap (RFC 9260 §1.6)
        parts = message.parts
        if len(parts) < count:
            return None
        numbers = [(begin + i) & 0xFFFFFFFF for i in range(count)]
        if any(k not in parts for k in numbers):
            return None
        del self._pending[key]
        return b"".join(parts[k].payload for k in numbers), parts[begin].ppid
