"""M2PA User Data messages (RFC 4165 §2.1-2.2).

Common header (class 11; type 1 User Data, 2 Link Status), then BSN and FSN (each 1 unused +
3 octets), then for User Data one priority octet and the MTP3 message (SIO + label + SIF).
"""

from __future__ import annotations

from ..errors import Layer, TruncatedError
from .common import CLASS_M2PA, TYPE_DATA, header

_LAYER = Layer.M2PA


def user_data(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """Return (msu start, msu end) of an M2PA User Data message; ``None`` for other messages."""
    klass, kind, stop = header(data, start, end, _LAYER)
    if klass != CLASS_M2PA or kind != TYPE_DATA:
        return None
    if stop - start < 17:
        if stop - start == 16:
            return None  # an empty User Data message acknowledges only (RFC 4165 §4.2)
        raise TruncatedError(_LAYER, stop, "M2PA User Data shorter than its header")
    return start + 17, stop
