"""MTP2 signal units as captured on LINKTYPE 140 / 139 (Q.703 §2.2-2.3; Annex A for 139).

Basic format: BSN + BIB, FSN + FIB, LI (6 bits), then SIO + SIF for an MSU (LI >= 3), a status
field for an LSSU (LI 1-2), nothing for a FISU (LI 0); then maybe a 2-octet FCS.  Files do not
say whether the FCS was captured, so it is told from the length indicator: LI counts the
octets after it when that is below 63, so the frame is exactly 3 + LI octets (no FCS) or
5 + LI (FCS).  LI = 63 (long MSU) cannot tell; then the interface's earlier answer is used, or
else the CRC-16 itself is checked.
"""

from __future__ import annotations

from collections import OrderedDict

from ..errors import BadLengthError, Layer, TruncatedError

_LAYER = Layer.MTP2
_CRC_TABLE: list[int] = []
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0x8408 if _crc & 1 else _crc >> 1
    _CRC_TABLE.append(_crc)


def crc16_x25(data: bytes) -> int:
    """CRC-16/X.25 (Q.703 §4.2: generator x^16 + x^12 + x^5 + 1, reflected, inverted)."""
    crc = 0xFFFF
    for octet in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ octet) & 0xFF]
    return crc ^ 0xFFFF


def has_fcs(data: bytes, start: int, header: int, li: int) -> bool | None:
    """Whether the frame ends with an FCS, from the LI (``None``: LI 63 and CRC inconclusive)."""
    size = len(data) - start
    if li < 63:
        if size == header + li:
            return False
        if size == header + li + 2:
            return True
        msg = f"frame of {size} octets does not match LI {li} with or without FCS"
        raise BadLengthError(_LAYER, start + header - 1, msg)
    if size >= header + 2:
        fcs = data[-2] | (data[-1] << 8)
        if crc16_x25(data[start:-2]) == fcs:
            return True
    return None


def signal_unit(
    data: bytes, start: int, fcs: bool | None, *, extended: bool = False
) -> tuple[int, int, int, bool | None]:
    """Split a signal unit; return (FSN, MSU start, MSU end, FCS decision).

    MSU start == end for a FISU or an LSSU.  ``fcs`` is the interface's known answer or
    ``None``; the answer used is returned so the caller can remember it.
    """
    header = 6 if extended else 3
    if len(data) - start < header:
        raise TruncatedError(_LAYER, len(data), "MTP2 header cut short")
    if extended:
        fsn = (data[start + 2] | (data[start + 3] << 8)) & 0x0FFF
        li = (data[start + 4] | (data[start + 5] << 8)) & 0x01FF
    else:
        fsn = data[start + 1] & 0x7F
        li = data[start + 2] & 0x3F
    if li < 3:
        return fsn, start, start, fcs
    decided = has_fcs(data, start, header, li) if fcs is None or li < 63 else fcs
    end = len(data) - (2 if decided else 0)
    return fsn, start + header, end, fcs if decided is None else decided


#: MTP2 links whose FCS answer is remembered at once (the oldest link forgotten first).
MAX_LINKS = 1024
#: FSNs remembered per link: a retransmission follows its original within 127 MSUs (7-bit
#: FSNs); Annex A links (12-bit FSNs) keep the same window.
FSN_WINDOW = 128


class RetransmissionFilter:
    """Recognises MSUs that MTP2 sent again (basic error correction or PCR, Q.703 §5-6).

    A retransmitted MSU keeps its FSN.  An MSU is a repeat when the same link carried an
    identical MSU (SIO + SIF, compared by digest) with the same FSN fewer than 128 new MSUs ago
    (after 128 the 7-bit FSN has wrapped, so the same FSN is a new message; the last
    ``FSN_WINDOW`` FSNs of at most ``MAX_LINKS`` links are remembered), unless its FSN is the
    one expected next (last accepted FSN + 1), which always starts a new MSU (Q.703 §5.2.2).
    Different octets under a remembered FSN that is not the next one are decoded but remembered
    beside the first (a corrupted copy must not hide the good copies that follow).  Both
    directions of a link may share one capture interface; the octets keep them apart.
    """

    def __init__(self, modulus: int = 128) -> None:
        """Start with no links; ``modulus`` is 128 (7-bit FSN) or 4096 (Annex A)."""
        self._links: OrderedDict[
            object, tuple[OrderedDict[int, tuple[tuple[int, ...], int]], list[int]]
        ] = OrderedDict()
        self._modulus = modulus
        #: Repeats recognised so far.
        self.repeats = 0

    def is_repeat(self, link: object, fsn: int, msu: bytes) -> bool:
        """Whether ``msu`` repeats one already seen on ``link``; remembers it otherwise."""
        entry = self._links.get(link)
        if entry is None:
            if len(self._links) >= MAX_LINKS:
                self._links.popitem(last=False)
            entry = self._links[link] = (OrderedDict(), [0, -1])
        table, state = entry
        accepted, last = state
        digest = hash(msu)
        previous = table.get(fsn)
        if (
            previous is not None
            and accepted - previous[1] < self._modulus
            and fsn != (last + 1) % self._modulus
        ):
            if digest in previous[0]:
                self.repeats += 1
                return True
            if len(previous[0]) < _VARIANTS_PER_FSN:
                table[fsn] = ((*previous[0], digest), previous[1])
            return False
        state[0] = accepted + 1
        state[1] = fsn
        table.pop(fsn, None)
        table[fsn] = ((digest,), accepted + 1)
        if len(table) > FSN_WINDOW:
            table.popitem(last=False)
        return False


#: Distinct contents remembered under one FSN (the original and corrupted copies of it).
_VARIANTS_PER_FSN = 4
