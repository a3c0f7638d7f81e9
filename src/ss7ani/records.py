"""The records a capture decodes to: one per ISUP message, one per problem.

Both are immutable ``NamedTuple`` s (cheap to build by the million; see DESIGN.md).  The ISUP
message itself is one of the typed records of ``ss7ani.isup``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from .errors import Layer
from .isup.codes import Variant
from .isup.messages import IsupMessage


class Transport(StrEnum):
    """What carried the MTP3 message."""

    M3UA = "m3ua"
    M2PA = "m2pa"
    M2UA = "m2ua"
    MTP2 = "mtp2"
    MTP3 = "mtp3"


class VariantBasis(StrEnum):
    """Why a message was read as ITU or ANSI (see docs/variant.md)."""

    #: The caller fixed the variant for the whole run.
    OVERRIDE = "override"
    #: Only one reading gives a well-formed message (routing label length, IAM layout).
    LAYOUT = "layout"
    #: Both readings are well formed; only one accounts for every octet (no gap, no junk).
    CANONICAL = "canonical"
    #: The message carries ANSI-only parameters (charge number, OLI, jurisdiction ...).
    ANSI_PARAMETER = "ansi-parameter"
    #: The CIC uses bits that are spare in ITU (a 13th or 14th bit).
    CIC = "cic"
    #: An earlier message on the same link or point-code pair decided it.
    LINK = "link"
    #: Both readings decode to the same content (a message other than IAM, small CIC).
    EQUIVALENT = "equivalent"
    #: Nothing tells the two apart; ITU was assumed and an issue is attached.
    AMBIGUOUS = "ambiguous"


class IsupRecord(NamedTuple):
    """One ISUP message from a capture, with where it was and how it travelled.

    ``frame`` is the 1-based number of the frame that completed the message (the last SCTP
    fragment); ``ts_ns`` is that frame's capture time in integer nanoseconds since the epoch.
    Point codes are plain integers (ANSI: network << 16 | cluster << 8 | member).
    """

    frame: int
    ts_ns: int
    interface: int
    transport: Transport
    opc: int
    dpc: int
    ni: int
    sls: int
    cic: int
    variant: Variant
    variant_basis: VariantBasis
    message: IsupMessage


class Issue(NamedTuple):
    """Something in the capture that could not be decoded: frame, layer, byte offset, reason.

    ``offset`` counts from the start of the frame (from the start of the file for problems
    of the file itself, layer ``capture``).
    """

    frame: int
    layer: Layer
    offset: int
    reason: str
