"""M3UA DATA messages (RFC 4666 §3.3.1) and the pre-RFC draft formats Wireshark knows.

RFC 4666: Protocol Data (tag 0x0210) = OPC (4), DPC (4), SI, NI, MP, SLS, user part octets.
Drafts carry a raw MTP3 message (SIO + routing label + SIF) instead: draft 5 tag 0x0003, draft 6
tags 0x0002 (Protocol Data 1) and 0x0003 (Protocol Data 2: an LI octet first), draft 7 tags
0x0081 / 0x0082 (same two forms).
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import BadLengthError, Layer
from .common import CLASS_TRANSFER, TYPE_DATA, header, parameters

_LAYER = Layer.M3UA
_PROTOCOL_DATA = 0x0210
_RAW_MSU = frozenset({0x0002, 0x0081})
_MSU_WITH_LI = frozenset({0x0003, 0x0082})
_SI_PLAUSIBLE = frozenset({0, 1, 2, 3, 5, 13})
_SI_ISUP = 5


class ProtocolData(NamedTuple):
    """An RFC 4666 Protocol Data parameter: routing fields and where the user part lies."""

    opc: int
    dpc: int
    si: int
    ni: int
    sls: int
    start: int
    end: int


def _has_li(data: bytes, start: int, end: int) -> bool:
    """Whether a 0x0003 value starts with an LI octet (draft 6) or with the SIO (draft 5).

    Reading chosen (the drafts share the tag): the octet that makes the next one an ISUP SIO
    wins; failing that, an LI equal to the MTP2 length; failing that, a plausible SIO.
    """
    if end - start < 2:
        return False
    first, second = data[start], data[start + 1]
    if (first & 0x0F == _SI_ISUP) != (second & 0x0F == _SI_ISUP):
        return second & 0x0F == _SI_ISUP
    if first & 0x3F == min(end - start - 1, 63):
        return True
    return first & 0x0F not in _SI_PLAUSIBLE


def data_message(data: bytes, start: int, end: int) -> ProtocolData | tuple[int, int] | None:
    """Decode an M3UA message; ``None`` unless it is DATA.

    Returns ``ProtocolData`` for the RFC format or ``(msu start, msu end)`` for a draft format.
    """
    klass, kind, stop = header(data, start, end, _LAYER)
    if klass != CLASS_TRANSFER or kind != TYPE_DATA:
        return None
    for tag, value_start, value_end in parameters(data, start + 8, stop, _LAYER):
        if tag == _PROTOCOL_DATA:
            if value_end - value_start < 12:
                raise BadLengthError(
                    _LAYER, value_start - 2, "Protocol Data shorter than 12 octets"
                )
            return ProtocolData(
                int.from_bytes(data[value_start : value_start + 4], "big"),
                int.from_bytes(data[value_start + 4 : value_start + 8], "big"),
                data[value_start + 8],
                data[value_start + 9],
                data[value_start + 11],
                value_start + 12,
                value_end,
            )
        if tag in _RAW_MSU:
            return value_start, value_end
        if tag in _MSU_WITH_LI:
            return value_start + _has_li(data, value_start, value_end), value_end
    raise BadLengthError(_LAYER, start, "DATA message without Protocol Data")
