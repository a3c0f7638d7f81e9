"""Address signals: the BCD digit strings of ISUP number parameters (Q.763 §3.9 e-f).

Digits are kept exactly as on the wire, one character per address signal: ``0``-``9``, ``B``
(code 11), ``C`` (code 12), ``F`` (ST, end of pulsing) and ``A``/``D``/``E`` for the spare codes.
The first signal sits in bits 4-1 of the first octet.  With an odd count the high nibble of the
last octet is filler and is ignored whatever its value.
"""

from __future__ import annotations

import re

# Each octet with its nibbles swapped, so that ``.hex()`` lists the signals in wire order.
_SWAP = bytes(((b & 0x0F) << 4) | (b >> 4) for b in range(256))
_VALID = re.compile(r"[0-9A-F]*")


def decode_digits(data: bytes, odd: bool) -> str:
    """Decode address signals; ``odd`` is the O/E indicator (drop the final filler nibble).

    With ``odd`` false every nibble is a signal: that is also how the ANSI jurisdiction and
    carrier identification digits are packed (no O/E indicator there).
    """
    text = data.translate(_SWAP).hex().upper()
    return text[:-1] if odd and text else text


def encode_digits(digits: str) -> tuple[bytes, bool]:
    """Encode address signals; return the octets and the O/E indicator (filler is 0000)."""
    odd = len(digits) % 2 == 1
    return bytes.fromhex(digits + "0" if odd else digits).translate(_SWAP), odd


def check_digits(digits: str) -> str:
    """Validate a digit string for encoding (0-9, A-F upper case); return it unchanged."""
    if _VALID.fullmatch(digits) is None:
        msg = f"address signals must be 0-9 or A-F (B = code 11, C = code 12, F = ST): {digits!r}"
        raise ValueError(msg)
    return digits
