"""One exception tree for everything ss7ani raises.

``Ss7aniError`` is the root.  ``CaptureError`` means a file cannot be read at all (the only
error that stops a run); ``DecodeError`` and its subclasses describe one malformed unit (a
frame, a chunk, an ISUP message) with the protocol layer and the byte offset where decoding
failed.  The pipeline turns a ``DecodeError`` into a reported issue and goes on.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Layer(StrEnum):
    """The protocol layer a decode problem belongs to (the layers of the capture stack)."""

    CAPTURE = "capture"
    LINK = "link"
    IP = "ip"
    SCTP = "sctp"
    M3UA = "m3ua"
    M2PA = "m2pa"
    M2UA = "m2ua"
    MTP2 = "mtp2"
    MTP3 = "mtp3"
    ISUP = "isup"


class Ss7aniError(Exception):
    """Root of every exception ss7ani raises on purpose."""


class CaptureError(Ss7aniError):
    """The capture file cannot be read at all (not a pcap / pcapng file, unreadable)."""


class DecodeError(Ss7aniError):
    """A unit of data does not decode: which layer, at which byte offset, and why.

    ``offset`` is counted from the start of the data handed to the decoder that raised it;
    inside the capture pipeline that is the start of the frame.
    """

    def __init__(self, layer: Layer, offset: int, reason: str) -> None:
        """Record where decoding failed; the message reads ``layer@offset: reason``."""
        super().__init__(f"{layer}@{offset}: {reason}")
        self.layer = layer
        self.offset = offset
        self.reason = reason

    def __reduce__(self) -> tuple[type[DecodeError], tuple[Layer, int, str]]:
        """Pickle with the constructor arguments (needed across worker processes)."""
        return (type(self), (self.layer, self.offset, self.reason))


class TruncatedError(DecodeError):
    """The data ends before a field or a unit that its header announced."""


class BadLengthError(DecodeError):
    """A length or pointer field is inconsistent with the data around it."""


class BadValueError(DecodeError):
    """A field holds a value that the specification does not allow here."""


class LimitExceededError(DecodeError):
    """A hostile-input limit (reassembly buffer, record size ...) was hit; see docs/robustness."""


class DecodeIssue(NamedTuple):
    """A decode problem kept on a record instead of raised: layer, byte offset, reason."""

    layer: Layer
    offset: int
    reason: str
