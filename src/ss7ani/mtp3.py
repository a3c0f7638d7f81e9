"""MTP3: service information octet and routing label (Q.704 §2.2-2.4; ANSI T1.111).

SIO: bits 4-1 service indicator, bits 6-5 priority (ANSI; spare in ITU), bits 8-7 network
indicator.  ITU label: 4 octets read as one little-endian word, DPC bits 0-13, OPC bits 14-27,
SLS bits 28-31.  ANSI label: DPC 3 octets, OPC 3 octets (member, cluster, network on the wire,
so a little-endian 24-bit network << 16 | cluster << 8 | member), SLS 1 octet.
"""

from __future__ import annotations

from .errors import Layer, TruncatedError
from .isup.codes import Variant

SI_SNM = 0
SI_SCCP = 3
SI_ISUP = 5
SI_BICC = 13
#: Octets of SIO + routing label before the user part.
HEADER = {Variant.ITU: 5, Variant.ANSI: 8}


def label(data: bytes, start: int, variant: Variant) -> tuple[int, int, int]:
    """Return (OPC, DPC, SLS) of the routing label after the SIO at ``start``."""
    if variant is Variant.ANSI:
        if len(data) < start + 8:
            raise TruncatedError(Layer.MTP3, len(data), "ANSI routing label cut short")
        dpc = data[start + 1] | (data[start + 2] << 8) | (data[start + 3] << 16)
        opc = data[start + 4] | (data[start + 5] << 8) | (data[start + 6] << 16)
        return opc, dpc, data[start + 7]
    if len(data) < start + 5:
        raise TruncatedError(Layer.MTP3, len(data), "ITU routing label cut short")
    word = int.from_bytes(data[start + 1 : start + 5], "little")
    return (word >> 14) & 0x3FFF, word & 0x3FFF, word >> 28
