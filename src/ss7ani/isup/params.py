"""Typed ISUP parameter records and their fast decoders (Q.763 clause 3, T1.113 clause 3).

Each record is an immutable ``NamedTuple`` whose fields are named after the spec.  Records of
different types never compare equal, even with equal fields (``OriginalCalledNumber`` is not a
``RedirectingNumber``).  The decoders here are the hot path: plain masks and table look-ups.
Their bit layouts are stated once more, declaratively, by the construct layouts in
``layouts.py`` that the encoder uses; the round-trip tests hold the two together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

from .codes import (
    AddressPresentation,
    AnsiAddressType,
    AnsiCalledNatureOfAddress,
    AnsiCallingNatureOfAddress,
    AnsiCauseValue,
    AnsiNumberingPlan,
    AnsiParameterCode,
    AnsiScreeningIndicator,
    CalledNatureOfAddress,
    CallingNatureOfAddress,
    CauseLocation,
    CauseValue,
    ChargeNatureOfAddress,
    ClosedUserGroupIndicator,
    CodingStandard,
    ContinuityCheckIndicator,
    EndToEndMethod,
    GenericNumberScreening,
    IsupPreference,
    NetworkIdentificationPlan,
    NetworkIdentificationType,
    NumberingPlan,
    NumberQualifier,
    OriginatingLineInformation,
    ParameterCode,
    RedirectingIndicator,
    RedirectionReason,
    SatelliteIndicator,
    SccpMethod,
    ScreeningIndicator,
    Variant,
    table,
)
from .digits import decode_digits


def _typed_eq(self: tuple[object, ...], other: object) -> bool:
    return type(self) is type(other) and tuple.__eq__(self, other)


def _typed_ne(self: tuple[object, ...], other: object) -> bool:
    return not _typed_eq(self, other)


_Record = TypeVar("_Record", bound=type)


def typed_equality(cls: _Record) -> _Record:
    """Class decorator: records of different types are never equal (tuples would be)."""
    setattr(cls, "__eq__", _typed_eq)  # noqa: B010 - mypy forbids assigning to methods
    setattr(cls, "__ne__", _typed_ne)  # noqa: B010
    setattr(cls, "__hash__", tuple.__hash__)  # noqa: B010
    return cls


class ParameterError(ValueError):
    """A parameter value does not match its layout (internal: becomes a DecodeError / issue)."""

    def __init__(self, reason: str, offset: int = 0) -> None:
        """``offset`` is relative to the first value octet of the parameter."""
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


# --- mandatory fixed parameters --------------------------------------------------------------


@typed_equality
class NatureOfConnectionIndicators(NamedTuple):
    """Nature of connection indicators (Q.763 §3.35), 1 octet."""

    satellite: SatelliteIndicator
    continuity_check: ContinuityCheckIndicator
    echo_control_device: bool


@typed_equality
class ForwardCallIndicators(NamedTuple):
    """Forward call indicators (Q.763 §3.23), 2 octets; ``national_use`` holds bits P-O."""

    international_call: bool
    end_to_end_method: EndToEndMethod
    interworking: bool
    end_to_end_information: bool
    isup_all_the_way: bool
    isup_preference: IsupPreference
    isdn_access: bool
    sccp_method: SccpMethod
    ported_number_translated: bool
    qor_attempt: bool
    national_use: int = 0


# --- number parameters -----------------------------------------------------------------------


@typed_equality
class CalledPartyNumber(NamedTuple):
    """Called party number (Q.763 §3.9; T1.113 §3.6).

    ``numbering_plan`` is ``None`` only for an ANSI number sent as one octet (NAI 116 / 117,
    "no number present"), which has no second octet.
    """

    digits: str
    nature_of_address: CalledNatureOfAddress | AnsiCalledNatureOfAddress
    numbering_plan: NumberingPlan | AnsiNumberingPlan | None
    internal_network_number: bool = False


@typed_equality
class CallingPartyNumber(NamedTuple):
    """Calling party number (Q.763 §3.10; T1.113 §3.7), code 0x0A.

    ``incomplete`` is the ITU number incomplete indicator (NI); in ANSI that bit is spare and is
    reported as sent.
    """

    digits: str
    nature_of_address: CallingNatureOfAddress | AnsiCallingNatureOfAddress
    numbering_plan: NumberingPlan | AnsiNumberingPlan
    presentation: AddressPresentation
    screening: ScreeningIndicator | AnsiScreeningIndicator
    incomplete: bool = False


@typed_equality
class LocationNumber(NamedTuple):
    """Location number (Q.763 §3.30), code 0x3F: calling party layout with INN in octet 2 bit 8."""

    digits: str
    nature_of_address: CallingNatureOfAddress | AnsiCallingNatureOfAddress
    numbering_plan: NumberingPlan | AnsiNumberingPlan
    presentation: AddressPresentation
    screening: ScreeningIndicator | AnsiScreeningIndicator
    internal_network_number: bool = False


@typed_equality
class RedirectingNumber(NamedTuple):
    """Redirecting number (Q.763 §3.44), code 0x0B: no screening, no NI."""

    digits: str
    nature_of_address: CallingNatureOfAddress | AnsiCallingNatureOfAddress
    numbering_plan: NumberingPlan | AnsiNumberingPlan
    presentation: AddressPresentation


@typed_equality
class OriginalCalledNumber(NamedTuple):
    """Original called number (Q.763 §3.39), code 0x28: the redirecting number layout."""

    digits: str
    nature_of_address: CallingNatureOfAddress | AnsiCallingNatureOfAddress
    numbering_plan: NumberingPlan | AnsiNumberingPlan
    presentation: AddressPresentation


@typed_equality
class GenericNumber(NamedTuple):
    """ITU generic number (Q.763 §3.26), code 0xC0; may repeat in one message."""

    digits: str
    qualifier: NumberQualifier
    nature_of_address: CallingNatureOfAddress
    numbering_plan: NumberingPlan
    presentation: AddressPresentation
    screening: GenericNumberScreening
    incomplete: bool = False


@typed_equality
class GenericAddress(NamedTuple):
    """ANSI generic address (T1.113), code 0xC0: type of address first, no screening.

    Reading chosen: the nature of address uses the ANSI calling party table (the NA manual
    lists no separate table for it).
    """

    digits: str
    address_type: AnsiAddressType
    nature_of_address: AnsiCallingNatureOfAddress
    numbering_plan: AnsiNumberingPlan
    presentation: AddressPresentation


@typed_equality
class ChargeNumber(NamedTuple):
    """ANSI charge number (T1.113), code 0xEB: the billing "true ANI"; no presentation field."""

    digits: str
    nature_of_address: ChargeNatureOfAddress
    numbering_plan: AnsiNumberingPlan


# --- other optional parameters ---------------------------------------------------------------


@typed_equality
class OriginatingLine(NamedTuple):
    """ANSI originating line information (T1.113), code 0xEA: the ANI II digits as one octet."""

    ani_ii: OriginatingLineInformation


@typed_equality
class JurisdictionInformation(NamedTuple):
    """ANSI jurisdiction information (T1.113), code 0xC4: NPA-NXX digits, no O/E indicator."""

    digits: str


@typed_equality
class CarrierIdentification(NamedTuple):
    """ANSI carrier identification (T1.113), code 0xC5; digits as packed after octet 1."""

    network_type: NetworkIdentificationType
    plan: NetworkIdentificationPlan
    digits: str


@typed_equality
class HopCounter(NamedTuple):
    """Hop counter (Q.763 §3.80), code 0x3D: bits 5-1 (``counter``: hops still allowed)."""

    counter: int


@typed_equality
class RedirectionInformation(NamedTuple):
    """Redirection information (Q.763 §3.45), code 0x13, 2 octets."""

    redirecting_indicator: RedirectingIndicator
    original_redirection_reason: RedirectionReason
    redirection_counter: int
    redirecting_reason: RedirectionReason


@typed_equality
class OptionalForwardCallIndicators(NamedTuple):
    """Optional forward call indicators (Q.763 §3.38), code 0x08, 1 octet."""

    closed_user_group: ClosedUserGroupIndicator
    simple_segmentation: bool
    connected_line_identity_request: bool


@typed_equality
class RawParameter(NamedTuple):
    """A parameter kept as sent: unknown to ss7ani, or malformed (an issue then says why)."""

    code: int
    value: bytes


@typed_equality
class CauseIndicators(NamedTuple):
    """Cause indicators (Q.763 §3.12 -> Q.850 §2.2.5).

    ``value`` is a Q.850 ``CauseValue``, or an ``AnsiCauseValue`` for ANSI messages with coding
    standard 2.  ``recommendation`` is octet 1a, present when octet 1 bit 8 (ext) is 0.
    """

    location: CauseLocation
    coding_standard: CodingStandard
    value: CauseValue | AnsiCauseValue
    recommendation: int | None = None
    diagnostics: bytes = b""


OptionalParameter = (
    CallingPartyNumber
    | LocationNumber
    | RedirectingNumber
    | OriginalCalledNumber
    | GenericNumber
    | GenericAddress
    | ChargeNumber
    | OriginatingLine
    | JurisdictionInformation
    | CarrierIdentification
    | HopCounter
    | RedirectionInformation
    | OptionalForwardCallIndicators
    | RawParameter
)

# --- fast decoders ---------------------------------------------------------------------------

_VARIANT_ANSI = Variant.ANSI
_APRI = table(AddressPresentation)
_SATELLITE = table(SatelliteIndicator)
_CONTINUITY = table(ContinuityCheckIndicator)
_E2E = table(EndToEndMethod)
_ISUP_PREF = table(IsupPreference)
_SCCP = table(SccpMethod)
_CUG = table(ClosedUserGroupIndicator)


class _Tables(NamedTuple):
    """The code tables one variant uses for the number parameters."""

    called_nai: tuple[CalledNatureOfAddress, ...] | tuple[AnsiCalledNatureOfAddress, ...]
    calling_nai: tuple[CallingNatureOfAddress, ...] | tuple[AnsiCallingNatureOfAddress, ...]
    plan: tuple[NumberingPlan, ...] | tuple[AnsiNumberingPlan, ...]
    screening: tuple[ScreeningIndicator, ...] | tuple[AnsiScreeningIndicator, ...]


_ITU = _Tables(
    table(CalledNatureOfAddress),
    table(CallingNatureOfAddress),
    table(NumberingPlan),
    table(ScreeningIndicator),
)
_ANSI = _Tables(
    table(AnsiCalledNatureOfAddress),
    table(AnsiCallingNatureOfAddress),
    table(AnsiNumberingPlan),
    table(AnsiScreeningIndicator),
)


def _short(value: bytes, minimum: int, what: str) -> ParameterError:
    return ParameterError(f"{what}: {len(value)} octets, at least {minimum} needed", len(value))


def _exactly(value: bytes, size: int, what: str) -> None:
    if len(value) != size:
        msg = f"{what}: {len(value)} octets, {size} expected"
        raise ParameterError(msg, min(len(value), size))


# Records are built with tuple.__new__ on the hot path: the NamedTuple constructor's keyword
# handling costs more than everything else these small decoders do.
_new = tuple.__new__
_SWAP = bytes(((b & 0x0F) << 4) | (b >> 4) for b in range(256))


def _nature_of_connection(octet: int) -> NatureOfConnectionIndicators:
    return NatureOfConnectionIndicators(
        _SATELLITE[octet & 3], _CONTINUITY[(octet >> 2) & 3], bool(octet & 0x10)
    )


#: Every nature of connection indicators octet, decoded once.
NATURE_OF_CONNECTION = tuple(_nature_of_connection(octet) for octet in range(256))


def decode_forward_call(first: int, second: int) -> ForwardCallIndicators:
    """Forward call indicators from octets 1 (bits H-A) and 2 (bits P-I) (Q.763 §3.23)."""
    return ForwardCallIndicators(
        bool(first & 0x01),
        _E2E[(first >> 1) & 3],
        bool(first & 0x08),
        bool(first & 0x10),
        bool(first & 0x20),
        _ISUP_PREF[first >> 6],
        bool(second & 0x01),
        _SCCP[(second >> 1) & 3],
        bool(second & 0x10),
        bool(second & 0x20),
        second >> 6,
    )


def decode_called(value: bytes, variant: Variant) -> CalledPartyNumber:
    """Called party number value octets (Q.763 §3.9; ANSI may send octet 1 alone)."""
    tables = _ANSI if variant is _VARIANT_ANSI else _ITU
    size = len(value)
    if size < 2:
        if size == 1 and tables is _ANSI:
            return _new(CalledPartyNumber, ("", tables.called_nai[value[0] & 0x7F], None, False))
        raise _short(value, 2, "called party number")
    first, second = value[0], value[1]
    digits = value[2:].translate(_SWAP).hex().upper()
    return _new(
        CalledPartyNumber,
        (
            digits[:-1] if first >= 0x80 and digits else digits,
            tables.called_nai[first & 0x7F],
            tables.plan[(second >> 4) & 7],
            second >= 0x80,
        ),
    )


def _calling(tables: _Tables) -> Callable[[bytes], CallingPartyNumber]:
    nai, plan, screening = tables.calling_nai, tables.plan, tables.screening

    def decode(value: bytes) -> CallingPartyNumber:
        if len(value) < 2:
            raise _short(value, 2, "calling party number")
        first, second = value[0], value[1]
        digits = value[2:].translate(_SWAP).hex().upper()
        return _new(
            CallingPartyNumber,
            (
                digits[:-1] if first >= 0x80 and digits else digits,
                nai[first & 0x7F],
                plan[(second >> 4) & 7],
                _APRI[(second >> 2) & 3],
                screening[second & 3],
                second >= 0x80,
            ),
        )

    return decode


def _location(tables: _Tables) -> Callable[[bytes], LocationNumber]:
    nai, plan, screening = tables.calling_nai, tables.plan, tables.screening

    def decode(value: bytes) -> LocationNumber:
        if len(value) < 2:
            raise _short(value, 2, "location number")
        first, second = value[0], value[1]
        return _new(
            LocationNumber,
            (
                decode_digits(value[2:], first >= 0x80),
                nai[first & 0x7F],
                plan[(second >> 4) & 7],
                _APRI[(second >> 2) & 3],
                screening[second & 3],
                second >= 0x80,
            ),
        )

    return decode


_R = TypeVar("_R", RedirectingNumber, OriginalCalledNumber)


def _redirecting(cls: type[_R], tables: _Tables, what: str) -> Callable[[bytes], _R]:
    nai, plan = tables.calling_nai, tables.plan

    def decode(value: bytes) -> _R:
        if len(value) < 2:
            raise _short(value, 2, what)
        first, second = value[0], value[1]
        return _new(
            cls,
            (
                decode_digits(value[2:], first >= 0x80),
                nai[first & 0x7F],
                plan[(second >> 4) & 7],
                _APRI[(second >> 2) & 3],
            ),
        )

    return decode


_QUALIFIER = table(NumberQualifier)
_GN_SCREENING = table(GenericNumberScreening)
_ITU_CALLING_NAI = table(CallingNatureOfAddress)
_ITU_PLAN = table(NumberingPlan)


def _generic_number(value: bytes) -> GenericNumber:
    if len(value) < 3:
        raise _short(value, 3, "generic number")
    second, third = value[1], value[2]
    return _new(
        GenericNumber,
        (
            decode_digits(value[3:], second >= 0x80),
            _QUALIFIER[value[0]],
            _ITU_CALLING_NAI[second & 0x7F],
            _ITU_PLAN[(third >> 4) & 7],
            _APRI[(third >> 2) & 3],
            _GN_SCREENING[third & 3],
            third >= 0x80,
        ),
    )


_ADDRESS_TYPE = table(AnsiAddressType)
_ANSI_CALLING_NAI = table(AnsiCallingNatureOfAddress)
_ANSI_PLAN = table(AnsiNumberingPlan)
_CHARGE_NAI = table(ChargeNatureOfAddress)


def _generic_address(value: bytes) -> GenericAddress:
    if len(value) < 3:
        raise _short(value, 3, "generic address")
    second, third = value[1], value[2]
    return _new(
        GenericAddress,
        (
            decode_digits(value[3:], second >= 0x80),
            _ADDRESS_TYPE[value[0]],
            _ANSI_CALLING_NAI[second & 0x7F],
            _ANSI_PLAN[(third >> 4) & 7],
            _APRI[(third >> 2) & 3],
        ),
    )


def _charge(value: bytes) -> ChargeNumber:
    if len(value) < 2:
        raise _short(value, 2, "charge number")
    first = value[0]
    return _new(
        ChargeNumber,
        (
            decode_digits(value[2:], first >= 0x80),
            _CHARGE_NAI[first & 0x7F],
            _ANSI_PLAN[(value[1] >> 4) & 7],
        ),
    )


_OLI = table(OriginatingLineInformation)


def _oli(value: bytes) -> OriginatingLine:
    _exactly(value, 1, "originating line information")
    return OriginatingLine(_OLI[value[0]])


def _jurisdiction(value: bytes) -> JurisdictionInformation:
    if not value:
        raise _short(value, 1, "jurisdiction information")
    return JurisdictionInformation(decode_digits(value, odd=False))


_NET_TYPE = table(NetworkIdentificationType)
_NET_PLAN = table(NetworkIdentificationPlan)


def _carrier(value: bytes) -> CarrierIdentification:
    if not value:
        raise _short(value, 1, "carrier identification")
    first = value[0]
    return CarrierIdentification(
        _NET_TYPE[(first >> 4) & 7], _NET_PLAN[first & 0x0F], decode_digits(value[1:], odd=False)
    )


def _hop_counter(value: bytes) -> HopCounter:
    _exactly(value, 1, "hop counter")
    return HopCounter(value[0] & 0x1F)


_REDIR_IND = table(RedirectingIndicator)
_REDIR_REASON = table(RedirectionReason)


def _redirection_information(value: bytes) -> RedirectionInformation:
    _exactly(value, 2, "redirection information")
    first, second = value[0], value[1]
    return RedirectionInformation(
        _REDIR_IND[first & 7], _REDIR_REASON[first >> 4], second & 7, _REDIR_REASON[second >> 4]
    )


def _optional_forward_call(value: bytes) -> OptionalForwardCallIndicators:
    _exactly(value, 1, "optional forward call indicators")
    octet = value[0]
    return OptionalForwardCallIndicators(_CUG[octet & 3], bool(octet & 0x04), octet >= 0x80)


_LOCATION = table(CauseLocation)
_CODING = table(CodingStandard)
_CAUSE = table(CauseValue)
_ANSI_CAUSE = table(AnsiCauseValue)


def decode_cause(value: bytes, variant: Variant) -> CauseIndicators:
    """Cause indicators value octets (Q.850 §2.2.5; octet 1a when octet 1 bit 8 is 0)."""
    if len(value) < 2:
        raise _short(value, 2, "cause indicators")
    first = value[0]
    recommendation = None
    index = 1
    if first < 0x80:
        if len(value) < 3:
            raise _short(value, 3, "cause indicators with octet 1a")
        recommendation = value[1] & 0x7F
        index = 2
    coding = (first >> 5) & 3
    causes = _ANSI_CAUSE if variant is _VARIANT_ANSI and coding == 2 else _CAUSE
    return CauseIndicators(
        _LOCATION[first & 0x0F],
        _CODING[coding],
        causes[value[index] & 0x7F],
        recommendation,
        value[index + 1 :],
    )


ParameterDecoder = Callable[[bytes], OptionalParameter]

_P = ParameterCode
_A = AnsiParameterCode
_COMMON: dict[int, Callable[[_Tables], ParameterDecoder]] = {
    _P.CALLING_PARTY_NUMBER: _calling,
    _P.LOCATION_NUMBER: _location,
    _P.REDIRECTING_NUMBER: lambda t: _redirecting(RedirectingNumber, t, "redirecting number"),
    _P.ORIGINAL_CALLED_NUMBER: lambda t: _redirecting(
        OriginalCalledNumber, t, "original called number"
    ),
}
_SIMPLE: dict[int, ParameterDecoder] = {
    _P.OPTIONAL_FORWARD_CALL_INDICATORS: _optional_forward_call,
    _P.REDIRECTION_INFORMATION: _redirection_information,
    _P.HOP_COUNTER: _hop_counter,
}

#: Typed decoders of optional parameters, per variant, by parameter code (plain ints as keys:
#: the hot path looks them up by the octet).
OPTIONAL_DECODERS: dict[Variant, dict[int, ParameterDecoder]] = {
    Variant.ITU: {
        **{int(code): make(_ITU) for code, make in _COMMON.items()},
        **{int(code): decoder for code, decoder in _SIMPLE.items()},
        int(_P.GENERIC_NUMBER): _generic_number,
    },
    Variant.ANSI: {
        **{int(code): make(_ANSI) for code, make in _COMMON.items()},
        **{int(code): decoder for code, decoder in _SIMPLE.items()},
        int(_A.GENERIC_ADDRESS): _generic_address,
        int(_A.JURISDICTION_INFORMATION): _jurisdiction,
        int(_A.CARRIER_IDENTIFICATION): _carrier,
        int(_A.ORIGINATING_LINE_INFORMATION): _oli,
        int(_A.CHARGE_NUMBER): _charge,
    },
}


def _one_octet(decoders: dict[int, ParameterDecoder]) -> dict[int, tuple[OptionalParameter, ...]]:
    """The parameters each of whose one-octet values decodes, every such value decoded once."""
    tables: dict[int, tuple[OptionalParameter, ...]] = {}
    for code, decoder in decoders.items():
        try:
            tables[code] = tuple(decoder(bytes((octet,))) for octet in range(256))
        except ParameterError:
            continue
    return tables


#: Optional parameters sent with one value octet, decoded once per octet value (by variant,
#: then code): optional forward call indicators, hop counter, OLI ...
ONE_OCTET: dict[Variant, dict[int, tuple[OptionalParameter, ...]]] = {
    variant: _one_octet(decoders) for variant, decoders in OPTIONAL_DECODERS.items()
}
