"""M2UA DATA messages (RFC 3331 §3.3.1.1).

MAUP class 6 type 1; Protocol Data 1 (tag 0x0300: SIO + label + SIF) or Protocol Data 2
(tag 0x0301: an LI / priority octet, then the same); draft 7 used tag 0x000E for Protocol Data 1.
"""

from __future__ import annotations

from ..errors import BadLengthError, Layer
from .common import CLASS_MAUP, TYPE_DATA, header, parameters

_LAYER = Layer.M2UA
_PROTOCOL_DATA_1 = frozenset({0x0300, 0x000E})
_PROTOCOL_DATA_2 = 0x0301
_INTERFACE_ID = 0x0001


def data_message(data: bytes, start: int, end: int) -> tuple[int, int, int] | None:
    """Return (interface identifier, msu start, msu end) of a DATA message, else ``None``."""
    klass, kind, stop = header(data, start, end, _LAYER)
    if klass != CLASS_MAUP or kind != TYPE_DATA:
        return None
    interface = -1
    for tag, value_start, value_end in parameters(data, start + 8, stop, _LAYER):
        if tag == _INTERFACE_ID and value_end - value_start == 4:
            interface = int.from_bytes(data[value_start:value_end], "big")
        elif tag in _PROTOCOL_DATA_1:
            return interface, value_start, value_end
        elif tag == _PROTOCOL_DATA_2:
            return interface, value_start + 1, value_end
    raise BadLengthError(_LAYER, start, "DATA message without Protocol Data")
