"""ISUP messages: decode bytes of one variant into typed records, and encode them back.

General message format (Q.763 clause 1.4-1.8 / 2.2-2.3 of the 1988 numbering): CIC (2 octets,
least significant first; 12 bits ITU, 14 bits ANSI), message type, mandatory fixed part, one
pointer per mandatory variable parameter (plus one to the optional part where the message has
one), the mandatory variable parameters (length + value), the optional part ({code, length,
value}... then 0x00).  A pointer counts from its own octet.

``decode`` is sans-I/O: bytes and a variant in, a record out.  A malformed mandatory part raises a
``DecodeError``.  With ``strict=False`` (the default) problems in the optional part (a parameter
that overruns the message, a missing end-of-optional-parameters octet, a value that does not fit
its layout) do not lose the message: the parameter is kept raw and a ``DecodeIssue`` is attached.
With ``strict=True`` they raise too.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from construct import Construct

from ..errors import BadLengthError, BadValueError, DecodeIssue, Layer, TruncatedError
from . import layouts
from .codes import (
    AnsiParameterCode,
    CallingPartyCategory,
    MessageType,
    OriginatingLineInformation,
    ParameterCode,
    TransmissionMediumRequirement,
    Variant,
    table,
)
from .params import (
    NATURE_OF_CONNECTION,
    ONE_OCTET,
    OPTIONAL_DECODERS,
    CalledPartyNumber,
    CallingPartyNumber,
    CarrierIdentification,
    CauseIndicators,
    ChargeNumber,
    ForwardCallIndicators,
    GenericAddress,
    GenericNumber,
    HopCounter,
    JurisdictionInformation,
    LocationNumber,
    NatureOfConnectionIndicators,
    OptionalForwardCallIndicators,
    OptionalParameter,
    OriginalCalledNumber,
    OriginatingLine,
    ParameterError,
    RawParameter,
    RedirectingNumber,
    RedirectionInformation,
    decode_called,
    decode_cause,
    decode_forward_call,
    typed_equality,
)

_ISUP = Layer.ISUP
_CIC_MASK = {Variant.ITU: 0x0FFF, Variant.ANSI: 0x3FFF}
_ANSI = Variant.ANSI
_DECODERS = OPTIONAL_DECODERS
_new = tuple.__new__
_MESSAGE_TYPE = table(MessageType)
_CPC = table(CallingPartyCategory)
_TMR = table(TransmissionMediumRequirement)


@typed_equality
class InitialAddress(NamedTuple):
    """Initial address message (IAM, Q.763 Table 32; T1.113 IAM).

    ITU carries a transmission medium requirement; ANSI instead carries the user service
    information as its first mandatory variable parameter.  ``optional`` keeps the optional
    parameters in wire order, typed where ss7ani knows them; the properties pick them out.
    """

    variant: Variant
    cic: int
    nature_of_connection: NatureOfConnectionIndicators
    forward_call: ForwardCallIndicators
    calling_party_category: CallingPartyCategory
    called: CalledPartyNumber
    transmission_medium_requirement: TransmissionMediumRequirement | None = None
    user_service_information: bytes | None = None
    optional: tuple[OptionalParameter, ...] = ()
    issues: tuple[DecodeIssue, ...] = ()

    @property
    def message_type(self) -> MessageType:
        """Always ``MessageType.IAM``."""
        return MessageType.IAM

    def _first(self, kind: type[Any]) -> Any:  # noqa: ANN401
        for parameter in self.optional:
            if type(parameter) is kind:
                return parameter
        return None

    @property
    def calling(self) -> CallingPartyNumber | None:
        """The calling party number (0x0A), if sent and well formed."""
        found: CallingPartyNumber | None = self._first(CallingPartyNumber)
        return found

    @property
    def charge(self) -> ChargeNumber | None:
        """The ANSI charge number (0xEB), the billing "true ANI"."""
        found: ChargeNumber | None = self._first(ChargeNumber)
        return found

    @property
    def oli(self) -> OriginatingLineInformation | None:
        """The ANSI originating line information (0xEA) as ANI II digits."""
        found: OriginatingLine | None = self._first(OriginatingLine)
        return None if found is None else found.ani_ii

    @property
    def jurisdiction(self) -> str | None:
        """The ANSI jurisdiction information digits (0xC4)."""
        found: JurisdictionInformation | None = self._first(JurisdictionInformation)
        return None if found is None else found.digits

    @property
    def generic_numbers(self) -> tuple[GenericNumber | GenericAddress, ...]:
        """Every ITU generic number / ANSI generic address (0xC0), in wire order."""
        return tuple(p for p in self.optional if type(p) in (GenericNumber, GenericAddress))  # type: ignore[misc]

    @property
    def location(self) -> LocationNumber | None:
        """The location number (0x3F)."""
        found: LocationNumber | None = self._first(LocationNumber)
        return found

    @property
    def redirecting(self) -> RedirectingNumber | None:
        """The redirecting number (0x0B)."""
        found: RedirectingNumber | None = self._first(RedirectingNumber)
        return found

    @property
    def original_called(self) -> OriginalCalledNumber | None:
        """The original called number (0x28)."""
        found: OriginalCalledNumber | None = self._first(OriginalCalledNumber)
        return found

    @property
    def redirection_information(self) -> RedirectionInformation | None:
        """The redirection information (0x13)."""
        found: RedirectionInformation | None = self._first(RedirectionInformation)
        return found

    @property
    def carrier_identification(self) -> CarrierIdentification | None:
        """The ANSI carrier identification (0xC5)."""
        found: CarrierIdentification | None = self._first(CarrierIdentification)
        return found

    @property
    def hop_counter(self) -> int | None:
        """The hop counter (0x3D)."""
        found: HopCounter | None = self._first(HopCounter)
        return None if found is None else found.counter

    @property
    def optional_forward_call(self) -> OptionalForwardCallIndicators | None:
        """The optional forward call indicators (0x08)."""
        found: OptionalForwardCallIndicators | None = self._first(OptionalForwardCallIndicators)
        return found

    @property
    def ani(self) -> str | None:
        """The billing identity: charge number digits if sent, else calling party digits."""
        charge = self.charge
        if charge is not None:
            return charge.digits
        calling = self.calling
        return None if calling is None else calling.digits


@typed_equality
class Release(NamedTuple):
    """Release message (REL, Q.763 Table 26): cause indicators and an optional part."""

    variant: Variant
    cic: int
    cause: CauseIndicators
    optional: tuple[OptionalParameter, ...] = ()
    issues: tuple[DecodeIssue, ...] = ()

    @property
    def message_type(self) -> MessageType:
        """Always ``MessageType.REL``."""
        return MessageType.REL


@typed_equality
class OtherMessage(NamedTuple):
    """Any other message, split by its format (Q.763 clause 4 tables) or kept whole.

    For a type whose format ss7ani knows, ``fixed`` is the mandatory fixed part, ``variable``
    the mandatory variable parameter values and ``optional`` the optional part (``None`` when
    the format has none).  For any other type ``fixed`` is the whole body after the type octet.
    """

    variant: Variant
    cic: int
    message_type: MessageType
    fixed: bytes
    variable: tuple[bytes, ...] = ()
    optional: tuple[OptionalParameter, ...] | None = None
    issues: tuple[DecodeIssue, ...] = ()


IsupMessage = InitialAddress | Release | OtherMessage


class Format(NamedTuple):
    """Shape of a message: fixed part octets, mandatory variable count, optional part or not."""

    fixed: int
    variable: int
    optional: bool


_OPT_ONLY = Format(0, 0, optional=True)
_NONE = Format(0, 0, optional=False)
_RANGE = Format(0, 1, optional=False)

#: Message formats (Q.763 clause 4 tables; T1.113 for CRA ... EXM).  IAM and REL are decoded
#: by their own code; a type missing here (PAM, CRG, SDN, historic codes) is kept whole.
FORMATS: dict[MessageType, Format] = {
    MessageType.SAM: Format(0, 1, optional=True),
    MessageType.INR: Format(2, 0, optional=True),
    MessageType.INF: Format(2, 0, optional=True),
    MessageType.COT: Format(1, 0, optional=False),
    MessageType.ACM: Format(2, 0, optional=True),
    MessageType.CON: Format(2, 0, optional=True),
    MessageType.FOT: _OPT_ONLY,
    MessageType.ANM: _OPT_ONLY,
    MessageType.SUS: Format(1, 0, optional=True),
    MessageType.RES: Format(1, 0, optional=True),
    MessageType.RLC: _OPT_ONLY,
    MessageType.CCR: _NONE,
    MessageType.RSC: _NONE,
    MessageType.BLO: _NONE,
    MessageType.UBL: _NONE,
    MessageType.BLA: _NONE,
    MessageType.UBA: _NONE,
    MessageType.GRS: _RANGE,
    MessageType.CGB: Format(1, 1, optional=False),
    MessageType.CGU: Format(1, 1, optional=False),
    MessageType.CGBA: Format(1, 1, optional=False),
    MessageType.CGUA: Format(1, 1, optional=False),
    MessageType.FAR: Format(1, 0, optional=True),
    MessageType.FAA: Format(1, 0, optional=True),
    MessageType.FRJ: Format(1, 1, optional=True),
    MessageType.LPA: _NONE,
    MessageType.GRA: _RANGE,
    MessageType.CQM: _RANGE,
    MessageType.CQR: Format(0, 2, optional=False),
    MessageType.CPG: Format(1, 0, optional=True),
    MessageType.USR: Format(0, 1, optional=True),
    MessageType.UCIC: _NONE,
    MessageType.CFN: Format(0, 1, optional=True),
    MessageType.OLM: _NONE,
    MessageType.NRM: _OPT_ONLY,
    MessageType.FAC: _OPT_ONLY,
    MessageType.UPT: _OPT_ONLY,
    MessageType.UPA: _OPT_ONLY,
    MessageType.IDR: _OPT_ONLY,
    MessageType.IRS: _OPT_ONLY,
    MessageType.SGM: _OPT_ONLY,
    MessageType.LOP: _OPT_ONLY,
    MessageType.APM: _OPT_ONLY,
    MessageType.PRI: _OPT_ONLY,
    MessageType.CRA: _NONE,
    MessageType.CRM: Format(1, 0, optional=False),
    MessageType.CVR: Format(2, 0, optional=True),
    MessageType.CVT: _NONE,
    MessageType.EXM: _OPT_ONLY,
}

# --- decoding --------------------------------------------------------------------------------


def _mandatory_variable(
    data: bytes,
    start: int,
    count: int,
    *,
    has_optional: bool,
    base: int,
    issues: list[DecodeIssue],
) -> tuple[list[tuple[int, int]], int, int]:
    """Follow the pointers at ``start``: value spans, optional part start, mandatory part end.

    The optional part start is 0 when there is no optional part.  Each target must lie after
    the pointer block, inside the message, and no two parameters may overlap.  Octets that no
    pointer covers (a gap before or between the parameters) are reported in ``issues``: Q.763
    §2.3 puts each parameter right after the previous one.
    """
    size = len(data)
    block_end = start + count + (1 if has_optional else 0)
    if block_end > size:
        raise TruncatedError(_ISUP, base + size, "message ends inside its pointers")
    spans: list[tuple[int, int]] = []
    used_end = block_end
    for index in range(start, start + count):
        target = index + data[index]
        if target < block_end:
            msg = f"pointer {data[index]} at octet {index} points into the pointer block"
            raise BadLengthError(_ISUP, base + index, msg)
        if target >= size:
            msg = f"pointer at octet {index} points past the end of the message"
            raise TruncatedError(_ISUP, base + size, msg)
        end = target + 1 + data[target]
        if end > size:
            msg = f"parameter at octet {target} overruns the message ({end} > {size})"
            raise TruncatedError(_ISUP, base + size, msg)
        for other_start, other_end in spans:
            if target < other_end and other_start - 1 < end:
                msg = f"parameter at octet {target} overlaps another mandatory parameter"
                raise BadLengthError(_ISUP, base + index, msg)
        spans.append((target + 1, end))
        used_end = max(used_end, end)
    optional_start = 0
    if has_optional:
        index = start + count
        pointer = data[index]
        if pointer:
            optional_start = index + pointer
            if optional_start < used_end:
                msg = f"optional part pointer {pointer} overlaps the mandatory parameters"
                raise BadLengthError(_ISUP, base + index, msg)
    covered = block_end + sum(end - target for target, end in spans) + len(spans)
    skipped = max(used_end, optional_start) - covered
    if skipped:
        reason = f"{skipped} octets before or between the parameters belong to none"
        issues.append(DecodeIssue(_ISUP, base + block_end, reason))
    return spans, optional_start, used_end


#: Parameters kept raw, by their octets (code, length, value): most repeat from call to call
#: (user service information, access transport ...), and a record is immutable.
_RAW: dict[bytes, RawParameter] = {}
_MAX_RAW = 4096


def _raw(octets: bytes) -> RawParameter:
    """The ``RawParameter`` of one parameter's octets (code, length, value), remembered."""
    found = _RAW.get(octets)
    if found is None:
        if len(_RAW) >= _MAX_RAW:
            _RAW.clear()
        found = _RAW[octets] = _new(RawParameter, (octets[0], octets[2:]))
    return found


def _optional_part(
    data: bytes,
    start: int,
    variant: Variant,
    base: int,
    strict: bool,
    issues: list[DecodeIssue],
) -> tuple[OptionalParameter, ...]:
    """Decode {code, length, value}... up to the end-of-optional-parameters octet."""
    decoders, one_octet, raw = _DECODERS[variant], ONE_OCTET[variant], _RAW
    size = len(data)
    found: list[OptionalParameter] = []
    append = found.append
    index = start
    while index < size:
        code = data[index]
        if not code:
            return tuple(found)
        if index + 2 > size:
            msg = f"parameter 0x{code:02X} at octet {index} has no length octet"
            if strict:
                raise TruncatedError(_ISUP, base + size, msg)
            issues.append(DecodeIssue(_ISUP, base + size, msg))
            append(_new(RawParameter, (code, b"")))
            return tuple(found)
        length = data[index + 1]
        end = index + 2 + length
        if end > size:
            msg = f"parameter 0x{code:02X} at octet {index} overruns the message ({end} > {size})"
            if strict:
                raise TruncatedError(_ISUP, base + size, msg)
            issues.append(DecodeIssue(_ISUP, base + index + 1, msg))
            append(_new(RawParameter, (code, data[index + 2 :])))
            return tuple(found)
        if length == 1:
            table = one_octet.get(code)
            if table is not None:
                append(table[data[index + 2]])
                index = end
                continue
        decoder = decoders.get(code)
        if decoder is None:
            octets = data[index:end]
            append(raw.get(octets) or _raw(octets))
            index = end
            continue
        value = data[index + 2 : end]
        try:
            append(decoder(value))
        except ParameterError as error:
            offset = base + index + 2 + error.offset
            reason = f"parameter 0x{code:02X}: {error.reason}"
            if strict:
                raise BadValueError(_ISUP, offset, reason) from error
            issues.append(DecodeIssue(_ISUP, offset, reason))
            append(_new(RawParameter, (code, value)))
        index = end
    reason = "optional part ends without end-of-optional-parameters"
    if strict:
        raise TruncatedError(_ISUP, base + size, reason)
    issues.append(DecodeIssue(_ISUP, base + size, reason))
    return tuple(found)


def _trailing(data: bytes, end: int, base: int, strict: bool, issues: list[DecodeIssue]) -> None:
    """Octets after a message without optional part: reported (they belong to no field)."""
    if end < len(data):
        reason = f"{len(data) - end} octets after the end of the message"
        if strict:
            raise BadLengthError(_ISUP, base + end, reason)
        issues.append(DecodeIssue(_ISUP, base + end, reason))


def _called(data: bytes, start: int, end: int, variant: Variant, base: int) -> CalledPartyNumber:
    try:
        return decode_called(data[start:end], variant)
    except ParameterError as error:
        raise BadLengthError(_ISUP, base + start + error.offset, error.reason) from error


_FORWARD_CALL: dict[int, ForwardCallIndicators] = {}


def _forward_call(first: int, second: int) -> ForwardCallIndicators:
    """Forward call indicators, each of the 65,536 values decoded once (Q.763 §3.23)."""
    key = (first << 8) | second
    found = _FORWARD_CALL.get(key)
    if found is None:
        found = _FORWARD_CALL[key] = decode_forward_call(first, second)
    return found


def decode_iam(data: bytes, variant: Variant, base: int, strict: bool) -> InitialAddress:
    """``decode`` for a message already known to be an IAM (``variant`` a ``Variant``)."""
    size = len(data)
    if size < 11:
        raise TruncatedError(_ISUP, base + size, "IAM shorter than its mandatory part")
    issues: list[DecodeIssue] = []
    if variant is _ANSI:
        spans, optional_start, used_end = _mandatory_variable(
            data, 7, 2, has_optional=True, base=base, issues=issues
        )
        (usi_start, usi_end), (called_start, called_end) = spans
        tmr = None
        usi: bytes | None = data[usi_start:usi_end]
        cic = (data[0] | (data[1] << 8)) & 0x3FFF
    else:
        # The canonical layout (called number right after the pointers) needs no search.
        called_start, called_end, pointer = 11, 11 + data[10], data[9]
        if data[8] == 2 and called_end <= size and (not pointer or 9 + pointer == called_end):
            optional_start = 9 + pointer if pointer else 0
            used_end = called_end
        else:
            spans, optional_start, used_end = _mandatory_variable(
                data, 8, 1, has_optional=True, base=base, issues=issues
            )
            called_start, called_end = spans[0]
        tmr = _TMR[data[7]]
        usi = None
        cic = (data[0] | (data[1] << 8)) & 0x0FFF
    if optional_start:
        optional = _optional_part(data, optional_start, variant, base, strict, issues)
    else:
        optional = ()
        _trailing(data, used_end, base, strict, issues)
    return _new(
        InitialAddress,
        (
            variant,
            cic,
            NATURE_OF_CONNECTION[data[3]],
            _forward_call(data[4], data[5]),
            _CPC[data[6]],
            _called(data, called_start, called_end, variant, base),
            tmr,
            usi,
            optional,
            tuple(issues) if issues else (),
        ),
    )


def _decode_release(data: bytes, variant: Variant, base: int, strict: bool) -> Release:
    issues: list[DecodeIssue] = []
    spans, optional_start, used_end = _mandatory_variable(
        data, 3, 1, has_optional=True, base=base, issues=issues
    )
    start, end = spans[0]
    try:
        cause = decode_cause(data[start:end], variant)
    except ParameterError as error:
        raise BadLengthError(_ISUP, base + start + error.offset, error.reason) from error
    if optional_start:
        optional = _optional_part(data, optional_start, variant, base, strict, issues)
    else:
        optional = ()
        _trailing(data, used_end, base, strict, issues)
    return Release(
        variant, (data[0] | (data[1] << 8)) & _CIC_MASK[variant], cause, optional, tuple(issues)
    )


def kept_whole(message: IsupMessage) -> bool:
    """Whether ``message`` is of a type whose format ss7ani does not know (body unchecked)."""
    return type(message) is OtherMessage and message.message_type not in FORMATS


def _decode_other(
    data: bytes, variant: Variant, message_type: MessageType, base: int, strict: bool
) -> OtherMessage:
    cic = (data[0] | (data[1] << 8)) & _CIC_MASK[variant]
    shape = FORMATS.get(message_type)
    if shape is None:
        return OtherMessage(variant, cic, message_type, data[3:])
    fixed_end = 3 + shape.fixed
    if fixed_end > len(data):
        msg = f"{message_type.name} shorter than its mandatory fixed part"
        raise TruncatedError(_ISUP, base + len(data), msg)
    issues: list[DecodeIssue] = []
    spans, optional_start, used_end = _mandatory_variable(
        data, fixed_end, shape.variable, has_optional=shape.optional, base=base, issues=issues
    )
    optional: tuple[OptionalParameter, ...] | None = None
    if optional_start:
        optional = _optional_part(data, optional_start, variant, base, strict, issues)
    else:
        optional = () if shape.optional else None
        _trailing(data, used_end, base, strict, issues)
    return OtherMessage(
        variant,
        cic,
        message_type,
        data[3:fixed_end],
        tuple(data[start:end] for start, end in spans),
        optional,
        tuple(issues),
    )


def decode(
    data: bytes, variant: Variant | str, *, strict: bool = False, base: int = 0
) -> IsupMessage:
    """Decode one ISUP message, CIC first (Q.763 clause 1; T1.113).

    ``base`` is added to every reported offset (the position of the CIC within the frame).
    Raises ``DecodeError`` when the mandatory part is malformed (and, with ``strict``, when
    anything is).
    """
    if type(variant) is not Variant:
        variant = Variant(variant)
    if len(data) < 3:
        raise TruncatedError(_ISUP, base + len(data), "ISUP message shorter than CIC + type")
    message_type = _MESSAGE_TYPE[data[2]]
    if message_type is MessageType.IAM:
        return decode_iam(data, variant, base, strict)
    if message_type is MessageType.REL:
        return _decode_release(data, variant, base, strict)
    return _decode_other(data, variant, message_type, base, strict)


# --- encoding --------------------------------------------------------------------------------

_P, _A = ParameterCode, AnsiParameterCode
_LAYOUTS: dict[type[Any], tuple[int, Construct[Any, Any]]] = {
    CallingPartyNumber: (_P.CALLING_PARTY_NUMBER, layouts.CALLING_PARTY_NUMBER),
    LocationNumber: (_P.LOCATION_NUMBER, layouts.LOCATION_NUMBER),
    RedirectingNumber: (_P.REDIRECTING_NUMBER, layouts.REDIRECTING_NUMBER),
    OriginalCalledNumber: (_P.ORIGINAL_CALLED_NUMBER, layouts.REDIRECTING_NUMBER),
    GenericNumber: (_P.GENERIC_NUMBER, layouts.GENERIC_NUMBER),
    GenericAddress: (_A.GENERIC_ADDRESS, layouts.GENERIC_ADDRESS),
    ChargeNumber: (_A.CHARGE_NUMBER, layouts.CHARGE_NUMBER),
    OriginatingLine: (_A.ORIGINATING_LINE_INFORMATION, layouts.ORIGINATING_LINE),
    JurisdictionInformation: (_A.JURISDICTION_INFORMATION, layouts.JURISDICTION_INFORMATION),
    CarrierIdentification: (_A.CARRIER_IDENTIFICATION, layouts.CARRIER_IDENTIFICATION),
    HopCounter: (_P.HOP_COUNTER, layouts.HOP_COUNTER),
    RedirectionInformation: (_P.REDIRECTION_INFORMATION, layouts.REDIRECTION_INFORMATION),
    OptionalForwardCallIndicators: (
        _P.OPTIONAL_FORWARD_CALL_INDICATORS,
        layouts.OPTIONAL_FORWARD_CALL_INDICATORS,
    ),
}

#: Which optional parameter record types each variant can carry (and decode back).
ALLOWED_TYPES: dict[Variant, frozenset[type[Any]]] = {
    Variant.ITU: frozenset(
        {t for t, (code, _) in _LAYOUTS.items() if code in OPTIONAL_DECODERS[Variant.ITU]}
        - {GenericAddress}
    ),
    Variant.ANSI: frozenset(
        {t for t, (code, _) in _LAYOUTS.items() if code in OPTIONAL_DECODERS[Variant.ANSI]}
        - {GenericNumber}
    ),
}


def encode_parameter(parameter: OptionalParameter, variant: Variant) -> bytes:
    """Encode one optional parameter as code, length, value."""
    if isinstance(parameter, RawParameter):
        code, value = parameter.code, parameter.value
        if code == 0:
            msg = "code 0 is the end-of-optional-parameters octet, not a parameter"
            raise ValueError(msg)
    else:
        if type(parameter) not in ALLOWED_TYPES[variant]:
            msg = f"{type(parameter).__name__} is not an {variant.value.upper()} parameter"
            raise ValueError(msg)
        code, layout = _LAYOUTS[type(parameter)]
        value = layouts.build(layout, parameter._asdict())
    return bytes((code, _length(value, f"parameter 0x{code:02X}"))) + value


def _length(value: bytes, what: str) -> int:
    if len(value) > 255:
        msg = f"{what} is {len(value)} octets; a length octet holds at most 255"
        raise ValueError(msg)
    return len(value)


def _assemble(
    head: bytes,
    variable: list[bytes],
    optional: tuple[OptionalParameter, ...] | None,
    variant: Variant,
) -> bytes:
    """Append pointers, mandatory variable parameters and the optional part (Q.763 §2.3)."""
    pointers = len(variable) + (0 if optional is None else 1)
    out = bytearray(head)
    offset = pointers
    for index, value in enumerate(variable):
        out.append(_pointer(offset - index))
        offset += 1 + _length(value, "mandatory variable parameter")
    tail = b""
    if optional is not None:
        if optional:
            out.append(_pointer(offset - len(variable)))
            tail = b"".join(encode_parameter(p, variant) for p in optional) + b"\x00"
        else:
            out.append(0)
    for value in variable:
        out.append(len(value))
        out += value
    return bytes(out + tail)


def _pointer(value: int) -> int:
    if value > 255:
        msg = "mandatory variable part too long for a one-octet pointer"
        raise ValueError(msg)
    return value


def _cic(variant: Variant, cic: int, message_type: int) -> bytes:
    if not 0 <= cic <= _CIC_MASK[variant]:
        msg = f"CIC {cic} does not fit the {variant.value.upper()} CIC field"
        raise ValueError(msg)
    return bytes((cic & 0xFF, cic >> 8, message_type))


def _called_value(called: CalledPartyNumber, variant: Variant) -> bytes:
    if called.numbering_plan is None:
        if variant is not Variant.ANSI:
            msg = "an ITU called party number needs a numbering plan"
            raise ValueError(msg)
        return layouts.build(layouts.CALLED_PARTY_NUMBER_NO_PLAN, called._asdict())
    return layouts.build(layouts.CALLED_PARTY_NUMBER, called._asdict())


def _encode_iam(message: InitialAddress) -> bytes:
    variant = message.variant
    head = (
        _cic(variant, message.cic, MessageType.IAM)
        + layouts.build(
            layouts.NATURE_OF_CONNECTION_INDICATORS, message.nature_of_connection._asdict()
        )
        + layouts.build(layouts.FORWARD_CALL_INDICATORS, message.forward_call._asdict())
        + bytes((message.calling_party_category,))
    )
    called = _called_value(message.called, variant)
    if variant is Variant.ANSI:
        if (
            message.user_service_information is None
            or message.transmission_medium_requirement is not None
        ):
            msg = "an ANSI IAM carries user service information and no TMR"
            raise ValueError(msg)
        return _assemble(
            head, [message.user_service_information, called], message.optional, variant
        )
    if (
        message.transmission_medium_requirement is None
        or message.user_service_information is not None
    ):
        msg = "an ITU IAM carries a TMR and no mandatory user service information"
        raise ValueError(msg)
    head += bytes((message.transmission_medium_requirement,))
    return _assemble(head, [called], message.optional, variant)


def encode(message: IsupMessage) -> bytes:
    """Encode a message record to ISUP octets (CIC first); pointers and lengths are computed."""
    variant = message.variant
    if isinstance(message, InitialAddress):
        return _encode_iam(message)
    if isinstance(message, Release):
        cause = layouts.build(layouts.CAUSE_INDICATORS, message.cause._asdict())
        return _assemble(
            _cic(variant, message.cic, MessageType.REL), [cause], message.optional, variant
        )
    if message.message_type in (MessageType.IAM, MessageType.REL):
        msg = "an IAM or REL is encoded from an InitialAddress or Release record"
        raise ValueError(msg)
    head = _cic(variant, message.cic, message.message_type)
    shape = FORMATS.get(message.message_type)
    if shape is None:
        return head + message.fixed
    if (
        len(message.fixed) != shape.fixed
        or len(message.variable) != shape.variable
        or (message.optional is None) is shape.optional
    ):
        msg = f"{message.message_type.name} does not have the shape {shape}"
        raise ValueError(msg)
    return _assemble(head + message.fixed, list(message.variable), message.optional, variant)
