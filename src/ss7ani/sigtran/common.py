"""The SIGTRAN common message header and parameter TLVs (RFC 4666 §3.1-3.2, RFC 3331, RFC 4165).

Version (1), reserved, message class, message type, message length (whole message, including
header and parameter padding); parameters are tag (2), length (2, tag + length + value), value,
padded to a multiple of 4 octets.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import BadLengthError, BadValueError, Layer, TruncatedError

#: Message classes (RFC 4666 §3.1.2; RFC 3331 §3.1.3; RFC 4165 §2.1.1).
CLASS_TRANSFER = 1
CLASS_MAUP = 6
CLASS_M2PA = 11
TYPE_DATA = 1


def header(data: bytes, start: int, end: int, layer: Layer) -> tuple[int, int, int]:
    """Validate the common header at ``start``; return (class, type, end of message)."""
    if end - start < 8:
        raise TruncatedError(layer, end, "SIGTRAN common header cut short")
    if data[start] != 1:
        raise BadValueError(layer, start, f"SIGTRAN version {data[start]}, 1 expected")
    length = int.from_bytes(data[start + 4 : start + 8], "big")
    if length < 8:
        raise BadLengthError(layer, start + 4, f"message length {length} < 8")
    if start + length > end:
        raise TruncatedError(layer, end, f"message of {length} octets cut short")
    return data[start + 2], data[start + 3], start + length


def parameters(data: bytes, start: int, end: int, layer: Layer) -> Iterator[tuple[int, int, int]]:
    """Yield (tag, value start, value end) for each parameter between ``start`` and ``end``."""
    index = start
    while index + 4 <= end:
        tag = (data[index] << 8) | data[index + 1]
        length = (data[index + 2] << 8) | data[index + 3]
        if length < 4 or index + length > end:
            msg = f"parameter 0x{tag:04X} length {length} overruns the message"
            raise BadLengthError(layer, index + 2, msg)
        yield tag, index + 4, index + length
        index += (length + 3) & ~3
