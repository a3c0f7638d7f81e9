"""Declarative octet / bit layouts of ISUP parameter values (construct), used by the encoder.

Every layout is a construct ``BitStruct`` whose field names are the field names of the record
in ``params.py``, so ``LAYOUT.build(record._asdict())`` encodes a record and
``LAYOUT.parse(octets)`` yields the same fields again.  Spare bits are ``Padding`` (sent as 0);
the O/E indicator is rebuilt from the digits.  Bits are listed from bit 8 to bit 1, as the
octet diagrams of Q.763 clause 3 and T1.113 clause 3 draw them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from construct import (
    Adapter,
    BitsInteger,
    BitStruct,
    Bytewise,
    Construct,
    ExprAdapter,
    Flag,
    GreedyBytes,
    If,
    Padding,
    Rebuild,
)

from .digits import check_digits, decode_digits, encode_digits

if TYPE_CHECKING:
    _DigitsAdapter = Adapter[bytes, bytes, str, str]
else:  # construct's classes are not generic at run time
    _DigitsAdapter = Adapter


class _Digits(_DigitsAdapter):
    """Address signals after the header octets; the O/E indicator comes from ``odd`` (or none)."""

    def __init__(self, *, packed: bool = False) -> None:
        super().__init__(Bytewise(GreedyBytes))
        self.packed = packed

    def _decode(self, obj: bytes, context: Any, _path: str) -> str:  # noqa: ANN401
        return decode_digits(obj, odd=False if self.packed else bool(context.odd))

    def _encode(self, obj: str, _context: Any, _path: str) -> bytes:  # noqa: ANN401
        octets, odd = encode_digits(check_digits(obj))
        if self.packed and odd:
            msg = f"packed digits need an even count: {obj!r}"
            raise ValueError(msg)
        return octets


def _odd(context: Any) -> bool:  # noqa: ANN401
    return len(context.digits) % 2 == 1


_OE = "odd" / Rebuild(Flag, _odd)
_NAI = "nature_of_address" / BitsInteger(7)
_PLAN = "numbering_plan" / BitsInteger(3)
_APRI = "presentation" / BitsInteger(2)
_SI = "screening" / BitsInteger(2)
_DIGITS = "digits" / _Digits()

#: Called party number (Q.763 §3.9): O/E, NAI | INN, NPI, spare(4) | digits.
CALLED_PARTY_NUMBER = BitStruct(
    _OE, _NAI, "internal_network_number" / Flag, _PLAN, Padding(4), _DIGITS
)
#: ANSI called party number sent as octet 1 only (NAI 116 / 117, no number present).
CALLED_PARTY_NUMBER_NO_PLAN = BitStruct(_OE, _NAI, _DIGITS)
#: Calling party number (Q.763 §3.10): O/E, NAI | NI, NPI, APRI, SI | digits.
CALLING_PARTY_NUMBER = BitStruct(_OE, _NAI, "incomplete" / Flag, _PLAN, _APRI, _SI, _DIGITS)
#: Location number (Q.763 §3.30): O/E, NAI | INN, NPI, APRI, SI | digits.
LOCATION_NUMBER = BitStruct(_OE, _NAI, "internal_network_number" / Flag, _PLAN, _APRI, _SI, _DIGITS)
#: Redirecting number (Q.763 §3.44) and original called number (§3.39).
REDIRECTING_NUMBER = BitStruct(_OE, _NAI, Padding(1), _PLAN, _APRI, Padding(2), _DIGITS)
#: ITU generic number (Q.763 §3.26): qualifier | O/E, NAI | NI, NPI, APRI, SI | digits.
GENERIC_NUMBER = BitStruct(
    "qualifier" / BitsInteger(8), _OE, _NAI, "incomplete" / Flag, _PLAN, _APRI, _SI, _DIGITS
)
#: ANSI generic address (T1.113): type of address | O/E, NAI | spare, NPI, APRI, spare | digits.
GENERIC_ADDRESS = BitStruct(
    "address_type" / BitsInteger(8), _OE, _NAI, Padding(1), _PLAN, _APRI, Padding(2), _DIGITS
)
#: ANSI charge number (T1.113): O/E, NOA | spare, NPI, spare(4) | digits.
CHARGE_NUMBER = BitStruct(_OE, _NAI, Padding(1), _PLAN, Padding(4), _DIGITS)
#: ANSI originating line information (T1.113): ANI II digits as one binary octet.
ORIGINATING_LINE = BitStruct("ani_ii" / BitsInteger(8))
#: ANSI jurisdiction information (T1.113): digits in every nibble, no O/E indicator.
JURISDICTION_INFORMATION = BitStruct("digits" / _Digits(packed=True))
#: ANSI carrier identification (T1.113): spare, network type, plan | packed digits.
CARRIER_IDENTIFICATION = BitStruct(
    Padding(1),
    "network_type" / BitsInteger(3),
    "plan" / BitsInteger(4),
    "digits" / _Digits(packed=True),
)
#: Hop counter (Q.763 §3.80): spare(3), counter(5).
HOP_COUNTER = BitStruct(Padding(3), "counter" / BitsInteger(5))
#: Redirection information (Q.763 §3.45), two octets.
REDIRECTION_INFORMATION = BitStruct(
    "original_redirection_reason" / BitsInteger(4),
    Padding(1),
    "redirecting_indicator" / BitsInteger(3),
    "redirecting_reason" / BitsInteger(4),
    Padding(1),
    "redirection_counter" / BitsInteger(3),
)
#: Optional forward call indicators (Q.763 §3.38).
OPTIONAL_FORWARD_CALL_INDICATORS = BitStruct(
    "connected_line_identity_request" / Flag,
    Padding(4),
    "simple_segmentation" / Flag,
    "closed_user_group" / BitsInteger(2),
)
#: Nature of connection indicators (Q.763 §3.35).
NATURE_OF_CONNECTION_INDICATORS = BitStruct(
    Padding(3),
    "echo_control_device" / Flag,
    "continuity_check" / BitsInteger(2),
    "satellite" / BitsInteger(2),
)
#: Forward call indicators (Q.763 §3.23): octet 1 bits H-A, octet 2 bits P-I (L is spare).
FORWARD_CALL_INDICATORS = BitStruct(
    "isup_preference" / BitsInteger(2),
    "isup_all_the_way" / Flag,
    "end_to_end_information" / Flag,
    "interworking" / Flag,
    "end_to_end_method" / BitsInteger(2),
    "international_call" / Flag,
    "national_use" / BitsInteger(2),
    "qor_attempt" / Flag,
    "ported_number_translated" / Flag,
    Padding(1),
    "sccp_method" / BitsInteger(2),
    "isdn_access" / Flag,
)
# Octet 1a of the cause indicators: ext (1, last octet of the group) and the recommendation.
_OCTET_1A: ExprAdapter[int, int, int, int] = ExprAdapter(
    BitsInteger(8), decoder=lambda obj, _: obj & 0x7F, encoder=lambda obj, _: obj | 0x80
)
#: Cause indicators (Q.850 §2.2.5): ext, coding, spare, location | [ext, recommendation] |
#: ext, cause value | diagnostics.
CAUSE_INDICATORS = BitStruct(
    "ext" / Rebuild(Flag, lambda c: c.recommendation is None),
    "coding_standard" / BitsInteger(2),
    Padding(1),
    "location" / BitsInteger(4),
    "recommendation" / If(lambda c: not c.ext, _OCTET_1A),
    "value_ext" / Rebuild(Flag, lambda _: True),
    "value" / BitsInteger(7),
    "diagnostics" / Bytewise(GreedyBytes),
)


def build(layout: Construct[Any, Any], fields: dict[str, Any]) -> bytes:
    """Encode one parameter value from its record fields."""
    octets: bytes = layout.build(fields)
    return octets


def parse(layout: Construct[Any, Any], value: bytes) -> dict[str, Any]:
    """Decode one parameter value with its declarative layout (the encoder's view of the bits)."""
    parsed = layout.parse(value)
    return {key: parsed[key] for key in parsed if not key.startswith("_")}
