"""Hypothesis strategies for ISUP records, for property tests of your own ISUP code.

Every strategy here draws records that ``ss7ani.isup.encode`` can encode and that decode back
to an equal record: all enum values including spare and national-use codes, empty and odd /
even digit strings (codes 11, 12 and ST included), repeated generic numbers and unknown
parameters.  Needs ``hypothesis`` (``pip install ss7ani[test]``).

    from hypothesis import given
    from ss7ani import isup, strategies

    @given(strategies.initial_address_messages())
    def test_my_switch_accepts_every_iam(iam):
        my_switch.handle(isup.encode(iam))

Whole frames too: ``frames`` / ``framed_iams`` draw valid frames carrying an IAM over every
encapsulation ``ss7ani.writer`` knows, ``malformed_frames`` breaks them on purpose, and
``frame_fields`` / ``mutate_frame`` locate and tamper with each layer's lengths, pointers and
flags from any source of random numbers (docs/fuzzing.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar

from hypothesis import strategies as st

from . import mtp3, writer
from .errors import DecodeError, Layer
from .isup import messages
from .isup.codes import (
    AddressPresentation,
    AnsiAddressType,
    AnsiCalledNatureOfAddress,
    AnsiCallingNatureOfAddress,
    AnsiCauseValue,
    AnsiNumberingPlan,
    AnsiScreeningIndicator,
    CalledNatureOfAddress,
    CallingNatureOfAddress,
    CallingPartyCategory,
    CauseLocation,
    CauseValue,
    ChargeNatureOfAddress,
    ClosedUserGroupIndicator,
    CodingStandard,
    ContinuityCheckIndicator,
    EndToEndMethod,
    GenericNumberScreening,
    IsupPreference,
    MessageType,
    NetworkIdentificationPlan,
    NetworkIdentificationType,
    NumberingPlan,
    NumberQualifier,
    OriginatingLineInformation,
    RedirectingIndicator,
    RedirectionReason,
    SatelliteIndicator,
    SccpMethod,
    ScreeningIndicator,
    SpecEnum,
    TransmissionMediumRequirement,
    Variant,
    table,
)
from .isup.messages import (
    FORMATS,
    Format,
    InitialAddress,
    IsupMessage,
    OtherMessage,
    Release,
    encode,
)
from .isup.params import (
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
    RawParameter,
    RedirectingNumber,
    RedirectionInformation,
)
from .net import ip, link, sctp
from .sigtran import common as sigtran_common
from .sigtran import m2pa, m2ua, m3ua, mtp2
from .writer import (
    Encapsulation,
    Encapsulator,
    Link,
    LinkFrame,
    LinkType,
    Message,
    Transport,
    VlanTag,
)

__all__ = [
    "FieldKind",
    "FrameField",
    "FramedIam",
    "MalformedFrame",
    "Mutation",
    "called_party_numbers",
    "calling_party_numbers",
    "digit_strings",
    "encapsulations",
    "frame_fields",
    "framed_iams",
    "frames",
    "initial_address_messages",
    "isup_messages",
    "malformed_frames",
    "mutate_frame",
    "optional_parameters",
    "releases",
    "variants",
]

#: Every address signal code: 0-9, spare A, code 11 (B), code 12 (C), spare D E, ST (F).
ALL_SIGNALS = "0123456789ABCDEF"


def variants() -> st.SearchStrategy[Variant]:
    """ITU or ANSI."""
    return st.sampled_from(Variant)


_E = TypeVar("_E", bound=SpecEnum)


def codes(enum: type[_E]) -> st.SearchStrategy[_E]:
    """Every value of a field's width: assigned members, spare and national-use pseudo-members."""
    return st.sampled_from(table(enum))


def digit_strings(
    *, min_size: int = 0, max_size: int = 24, alphabet: str = ALL_SIGNALS, even: bool = False
) -> st.SearchStrategy[str]:
    """Address signal strings, odd and even counts (``even`` for packed ANSI digits)."""
    text = st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
    return text.filter(lambda s: len(s) % 2 == 0) if even else text


def _per_variant(
    variant: Variant, itu: type[SpecEnum], ansi: type[SpecEnum]
) -> st.SearchStrategy[Any]:
    return codes(ansi if variant is Variant.ANSI else itu)


def _nai_calling(variant: Variant) -> st.SearchStrategy[Any]:
    return _per_variant(variant, CallingNatureOfAddress, AnsiCallingNatureOfAddress)


def _plan(variant: Variant) -> st.SearchStrategy[Any]:
    return _per_variant(variant, NumberingPlan, AnsiNumberingPlan)


def _screening(variant: Variant) -> st.SearchStrategy[Any]:
    return _per_variant(variant, ScreeningIndicator, AnsiScreeningIndicator)


def called_party_numbers(variant: Variant) -> st.SearchStrategy[CalledPartyNumber]:
    """Called party numbers; for ANSI also the one-octet "no number present" form."""
    full = st.builds(
        CalledPartyNumber,
        digit_strings(),
        _per_variant(variant, CalledNatureOfAddress, AnsiCalledNatureOfAddress),
        _plan(variant),
        st.booleans(),
    )
    if variant is Variant.ITU:
        return full
    short = st.builds(
        CalledPartyNumber,
        st.just(""),
        codes(AnsiCalledNatureOfAddress),
        st.none(),
        st.just(value=False),
    )
    return st.one_of(full, short)


def calling_party_numbers(variant: Variant) -> st.SearchStrategy[CallingPartyNumber]:
    """Calling party numbers with every presentation and screening value."""
    return st.builds(
        CallingPartyNumber,
        digit_strings(),
        _nai_calling(variant),
        _plan(variant),
        codes(AddressPresentation),
        _screening(variant),
        st.booleans(),
    )


def _numbers(variant: Variant) -> list[st.SearchStrategy[Any]]:
    location = st.builds(
        LocationNumber,
        digit_strings(),
        _nai_calling(variant),
        _plan(variant),
        codes(AddressPresentation),
        _screening(variant),
        st.booleans(),
    )
    redirecting = [
        st.builds(
            kind,
            digit_strings(),
            _nai_calling(variant),
            _plan(variant),
            codes(AddressPresentation),
        )
        for kind in (RedirectingNumber, OriginalCalledNumber)
    ]
    return [calling_party_numbers(variant), location, *redirecting]


def _common(variant: Variant) -> list[st.SearchStrategy[Any]]:
    return [
        *_numbers(variant),
        st.builds(HopCounter, st.integers(0, 31)),
        st.builds(
            RedirectionInformation,
            codes(RedirectingIndicator),
            codes(RedirectionReason),
            st.integers(0, 7),
            codes(RedirectionReason),
        ),
        st.builds(
            OptionalForwardCallIndicators,
            codes(ClosedUserGroupIndicator),
            st.booleans(),
            st.booleans(),
        ),
        raw_parameters(variant),
    ]


def raw_parameters(variant: Variant) -> st.SearchStrategy[RawParameter]:
    """Parameters ss7ani does not type for this variant, kept as raw code and value."""
    typed = OPTIONAL_DECODERS[variant]
    return st.builds(
        RawParameter,
        st.integers(1, 255).filter(lambda code: code not in typed),
        st.binary(max_size=12),
    )


def _itu_only() -> list[st.SearchStrategy[Any]]:
    return [
        st.builds(
            GenericNumber,
            digit_strings(),
            codes(NumberQualifier),
            codes(CallingNatureOfAddress),
            codes(NumberingPlan),
            codes(AddressPresentation),
            codes(GenericNumberScreening),
            st.booleans(),
        )
    ]


def _ansi_only() -> list[st.SearchStrategy[Any]]:
    return [
        st.builds(
            GenericAddress,
            digit_strings(),
            codes(AnsiAddressType),
            codes(AnsiCallingNatureOfAddress),
            codes(AnsiNumberingPlan),
            codes(AddressPresentation),
        ),
        st.builds(
            ChargeNumber, digit_strings(), codes(ChargeNatureOfAddress), codes(AnsiNumberingPlan)
        ),
        st.builds(OriginatingLine, codes(OriginatingLineInformation)),
        st.builds(
            JurisdictionInformation,
            digit_strings(min_size=2, max_size=6, alphabet="0123456789", even=True),
        ),
        st.builds(
            CarrierIdentification,
            codes(NetworkIdentificationType),
            codes(NetworkIdentificationPlan),
            digit_strings(max_size=4, alphabet="0123456789", even=True),
        ),
    ]


def optional_parameters(variant: Variant) -> st.SearchStrategy[OptionalParameter]:
    """One optional parameter that this variant carries (typed or raw)."""
    extra = _ansi_only() if variant is Variant.ANSI else _itu_only()
    return st.one_of(*_common(variant), *extra)


def _optional_part(variant: Variant) -> st.SearchStrategy[tuple[OptionalParameter, ...]]:
    return st.lists(optional_parameters(variant), max_size=8).map(tuple)


def _cic(variant: Variant) -> st.SearchStrategy[int]:
    return st.integers(0, 0x3FFF if variant is Variant.ANSI else 0x0FFF)


def _nature_of_connection() -> st.SearchStrategy[NatureOfConnectionIndicators]:
    return st.builds(
        NatureOfConnectionIndicators,
        codes(SatelliteIndicator),
        codes(ContinuityCheckIndicator),
        st.booleans(),
    )


def _forward_call() -> st.SearchStrategy[ForwardCallIndicators]:
    return st.builds(
        ForwardCallIndicators,
        st.booleans(),
        codes(EndToEndMethod),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        codes(IsupPreference),
        st.booleans(),
        codes(SccpMethod),
        st.booleans(),
        st.booleans(),
        st.integers(0, 3),
    )


def _user_service_information() -> st.SearchStrategy[bytes]:
    return st.one_of(st.just(b"\x80\x90\xa2"), st.binary(min_size=2, max_size=11))


@st.composite
def _iam(draw: st.DrawFn, variant: Variant) -> InitialAddress:
    ansi = variant is Variant.ANSI
    return InitialAddress(
        variant,
        draw(_cic(variant)),
        draw(_nature_of_connection()),
        draw(_forward_call()),
        draw(codes(CallingPartyCategory)),
        draw(called_party_numbers(variant)),
        None if ansi else draw(codes(TransmissionMediumRequirement)),
        draw(_user_service_information()) if ansi else None,
        draw(_optional_part(variant)),
    )


def initial_address_messages(variant: Variant | None = None) -> st.SearchStrategy[InitialAddress]:
    """IAM records of one variant, or of either when ``variant`` is None."""
    if variant is None:
        return variants().flatmap(_iam)
    return _iam(variant)


def _cause(variant: Variant) -> st.SearchStrategy[CauseIndicators]:
    @st.composite
    def draw_cause(draw: st.DrawFn) -> CauseIndicators:
        coding = draw(codes(CodingStandard))
        value: CauseValue | AnsiCauseValue = (
            draw(codes(AnsiCauseValue))
            if variant is Variant.ANSI and coding == CodingStandard.NATIONAL
            else draw(codes(CauseValue))
        )
        return CauseIndicators(
            draw(codes(CauseLocation)),
            coding,
            value,
            draw(st.none() | st.integers(0, 127)),
            draw(st.binary(max_size=6)),
        )

    return draw_cause()


def releases(variant: Variant) -> st.SearchStrategy[Release]:
    """REL records with every cause location, coding standard and value."""
    return st.builds(
        Release,
        st.just(variant),
        _cic(variant),
        _cause(variant),
        _optional_part(variant),
        st.just(()),
    )


@st.composite
def _other(draw: st.DrawFn, variant: Variant) -> OtherMessage:
    message_type = draw(
        codes(MessageType).filter(lambda t: t not in (MessageType.IAM, MessageType.REL))
    )
    shape = FORMATS.get(message_type)
    if shape is None:
        return OtherMessage(
            variant, draw(_cic(variant)), message_type, draw(st.binary(max_size=20))
        )
    return OtherMessage(
        variant,
        draw(_cic(variant)),
        message_type,
        draw(st.binary(min_size=shape.fixed, max_size=shape.fixed)),
        tuple(
            draw(st.lists(st.binary(max_size=8), min_size=shape.variable, max_size=shape.variable))
        ),
        draw(_optional_part(variant)) if shape.optional else None,
    )


def isup_messages(variant: Variant | None = None) -> st.SearchStrategy[IsupMessage]:
    """Any ISUP message record: IAM, REL or any other type (known formats split, others raw)."""
    if variant is None:
        return variants().flatmap(isup_messages)
    return st.one_of(initial_address_messages(variant), releases(variant), _other(variant))


# --- whole frames ------------------------------------------------------------------------------
#
# Frames as a capture holds them, made by ``ss7ani.writer``: valid ones that carry one IAM, and
# broken ones made from those by a mutation that knows where each layer keeps its lengths,
# pointers and flags.  The mutation engine draws its choices from any integer source, so the
# fuzzing campaign in ``fuzz/`` drives it with a seeded ``random.Random`` and these strategies
# with Hypothesis (which then shrinks a failure to the smallest mutation).


class FieldKind(StrEnum):
    """What a frame field holds, which decides how a mutation tampers with it."""

    #: A length or size (IPv4 total length, SCTP chunk length, SIGTRAN lengths, MTP2 LI ...).
    LENGTH = "length"
    #: An ISUP pointer (counts from its own octet to a parameter, Q.763 §1.4-1.8).
    POINTER = "pointer"
    #: Flag bits (IP fragment flags and offset, SCTP chunk flags B / E / U).
    FLAGS = "flags"
    #: A type, tag, class, version or protocol selector.
    TYPE = "type"
    #: A sequence number or identifier (TSN, SSN, FSN, IP identification, CIC, routing label).
    SEQUENCE = "sequence"
    #: A whole SCTP chunk, padding included (reordered, duplicated or dropped as a unit).
    CHUNK = "chunk"


class FrameField(NamedTuple):
    """Where one field of a frame lies: layer, name, octet offset, width in octets, kind.

    Fields are big-endian (the ISUP CIC and the MTP3 label, little-endian on the wire, are
    tampered with as plain octets).  ``mask`` selects the bits of a field that shares its
    octet (0: every bit).  A ``LENGTH`` field with a ``span`` counts the octets from
    ``span[0]`` to ``span[1]``, capped at ``cap`` where the protocol caps it (MTP2's LI at 63),
    so a mutation that inserts or removes octets inside the span can update it.
    """

    layer: Layer
    name: str
    offset: int
    size: int
    kind: FieldKind
    mask: int = 0
    span: tuple[int, int] | None = None
    cap: int | None = None


_F = FieldKind
_IPPROTO_SCTP = 132
_M3UA_PPID, _M2PA_PPID, _M2UA_PPID = 3, 5, 2
_SIGTRAN_PORTS = {2905: _M3UA_PPID, 3565: _M2PA_PPID, 2904: _M2UA_PPID}
_SIGTRAN_CLASSES = {1: _M3UA_PPID, 11: _M2PA_PPID, 6: _M2UA_PPID}
_SIGTRAN_LAYERS = {_M3UA_PPID: Layer.M3UA, _M2PA_PPID: Layer.M2PA, _M2UA_PPID: Layer.M2UA}
_LINK_PARSERS: dict[int, tuple[Callable[[bytes], tuple[int, int]], int | None]] = {
    # link type: (parser giving (ethertype, IP offset), offset of the protocol field)
    LinkType.ETHERNET: (link.ethernet, None),
    LinkType.LINUX_SLL: (link.linux_sll, 14),
    LinkType.LINUX_SLL2: (link.linux_sll2, 0),
    LinkType.NULL: (lambda data: link.loopback(data, big_endian=False), None),
    link.LINKTYPE_LOOP: (lambda data: link.loopback(data, big_endian=True), None),
    **dict.fromkeys(link.LINKTYPES_RAW, (link.raw_ip, None)),
}
_MESSAGE_TYPES = table(MessageType)


def frame_fields(linktype: int, data: bytes) -> tuple[FrameField, ...]:
    """Locate the header fields of a frame, outermost first, down to the ISUP parameters.

    Follows what ss7ani itself decodes (link layer, IPv4 / IPv6, SCTP DATA and I-DATA chunks,
    M3UA / M2PA / M2UA, MTP2, MTP3, ISUP pointers and parameters).  IP fragments and SCTP
    fragments are not followed into; on a damaged frame the fields found before the damage
    are returned.
    """
    fields: list[FrameField] = []
    with contextlib.suppress(DecodeError, IndexError):
        if linktype == LinkType.MTP2:
            _mtp2_fields(data, 0, fields)
        elif linktype == LinkType.MTP2_WITH_PHDR:
            fields.append(FrameField(Layer.MTP2, "phdr-annex-a", 1, 1, _F.TYPE))
            fields.append(FrameField(Layer.MTP2, "phdr-link", 2, 2, _F.SEQUENCE))
            if data[1] != 1:
                _mtp2_fields(data, 4, fields)
        elif linktype == LinkType.MTP3:
            _mtp3_fields(data, 0, len(data), fields)
        elif linktype in _LINK_PARSERS:
            parser, protocol_at = _LINK_PARSERS[linktype]
            ethertype, offset = parser(data)
            if linktype == LinkType.ETHERNET:
                protocol_at = offset - 2
            if protocol_at is not None:
                fields.append(FrameField(Layer.LINK, "ethertype", protocol_at, 2, _F.TYPE))
            if ethertype in (link.ETHERTYPE_IPV4, link.ETHERTYPE_IPV6):
                _ip_fields(data, offset, fields)
    return tuple(fields)


def _ip_fields(data: bytes, offset: int, fields: list[FrameField]) -> None:
    if data[offset] >> 4 == 6:
        protocol, start, end, _, _, fragment = ip.ipv6(data, offset)
        fields += [
            FrameField(
                Layer.IP, "ipv6-payload-length", offset + 4, 2, _F.LENGTH, span=(offset + 40, end)
            ),
            FrameField(Layer.IP, "ipv6-next-header", offset + 6, 1, _F.TYPE),
        ]
    else:
        protocol, start, end, _, _, fragment = ip.ipv4(data, offset)
        fields += [
            FrameField(Layer.IP, "ipv4-ihl", offset, 1, _F.LENGTH, mask=0x0F),
            FrameField(Layer.IP, "ipv4-total-length", offset + 2, 2, _F.LENGTH, span=(offset, end)),
            FrameField(Layer.IP, "ipv4-identification", offset + 4, 2, _F.SEQUENCE),
            FrameField(Layer.IP, "ipv4-fragment", offset + 6, 2, _F.FLAGS),
            FrameField(Layer.IP, "ipv4-protocol", offset + 9, 1, _F.TYPE),
        ]
    if fragment is None and protocol == _IPPROTO_SCTP:
        _sctp_fields(data, start, end, fields)


def _sctp_fields(data: bytes, start: int, end: int, fields: list[FrameField]) -> None:
    source, destination, _, _, _ = sctp.data_chunks(data, start, end)
    fields += [
        FrameField(Layer.SCTP, "source-port", start, 2, _F.TYPE),
        FrameField(Layer.SCTP, "destination-port", start + 2, 2, _F.TYPE),
        FrameField(Layer.SCTP, "verification-tag", start + 4, 4, _F.SEQUENCE),
    ]
    index = start + 12
    while index + 4 <= end:
        kind, flags = data[index], data[index + 1]
        length = (data[index + 2] << 8) | data[index + 3]
        if length < 4 or index + length > end:
            return
        padded = min((length + 3) & ~3, end - index)
        fields += [
            FrameField(Layer.SCTP, "chunk", index, padded, _F.CHUNK),
            FrameField(Layer.SCTP, "chunk-type", index, 1, _F.TYPE),
            FrameField(Layer.SCTP, "chunk-flags", index + 1, 1, _F.FLAGS),
            FrameField(
                Layer.SCTP, "chunk-length", index + 2, 2, _F.LENGTH, span=(index, index + length)
            ),
        ]
        header = {0: 16, 64: 20}.get(kind, 0)
        if header and length > header:
            fields += [
                FrameField(Layer.SCTP, "tsn", index + 4, 4, _F.SEQUENCE),
                FrameField(Layer.SCTP, "stream", index + 8, 2, _F.SEQUENCE),
                # DATA: SSN (RFC 9260 §3.3.1); I-DATA: reserved, then MID (RFC 8260 §2.1)
                FrameField(Layer.SCTP, "ssn", index + 10, 2, _F.SEQUENCE)
                if kind == 0
                else FrameField(Layer.SCTP, "mid", index + 12, 4, _F.SEQUENCE),
                FrameField(Layer.SCTP, "ppid", index + header - 4, 4, _F.TYPE),
            ]
            if flags & 0x03 == 0x03:
                ppid = int.from_bytes(data[index + header - 4 : index + header], "big")
                _sigtran_fields(
                    data, index + header, index + length, (ppid, source, destination), fields
                )
        index += (length + 3) & ~3


def _sigtran_fields(
    data: bytes, start: int, end: int, hints: tuple[int, int, int], fields: list[FrameField]
) -> None:
    ppid, source, destination = hints
    kind = (
        ppid
        if ppid in _SIGTRAN_LAYERS
        else _SIGTRAN_PORTS.get(destination)
        or _SIGTRAN_PORTS.get(source)
        or _SIGTRAN_CLASSES.get(data[start + 2], 0)
    )
    layer = _SIGTRAN_LAYERS.get(kind)
    if layer is None:
        return
    length = int.from_bytes(data[start + 4 : start + 8], "big")
    fields += [
        FrameField(layer, "version", start, 1, _F.TYPE),
        FrameField(layer, "message-class", start + 2, 1, _F.TYPE),
        FrameField(layer, "message-type", start + 3, 1, _F.TYPE),
        FrameField(layer, "message-length", start + 4, 4, _F.LENGTH, span=(start, start + length)),
    ]
    if kind == _M2PA_PPID:
        fields += [
            FrameField(layer, "bsn", start + 8, 4, _F.SEQUENCE),
            FrameField(layer, "fsn", start + 12, 4, _F.SEQUENCE),
        ]
        span = m2pa.user_data(data, start, end)
        if span is not None:
            _mtp3_fields(data, span[0], span[1], fields)
        return
    with contextlib.suppress(DecodeError):
        for tag, value_start, value_end in sigtran_common.parameters(
            data, start + 8, min(start + length, end), layer
        ):
            fields += [
                FrameField(layer, f"tag-{tag:04x}", value_start - 4, 2, _F.TYPE),
                FrameField(
                    layer,
                    f"length-{tag:04x}",
                    value_start - 2,
                    2,
                    _F.LENGTH,
                    span=(value_start - 4, value_end),
                ),
            ]
    if kind == _M3UA_PPID:
        found = m3ua.data_message(data, start, end)
        if isinstance(found, m3ua.ProtocolData):
            fields.append(FrameField(layer, "service-indicator", found.start - 4, 1, _F.TYPE))
            _isup_fields(data, found.start, found.end, None, fields)
        elif found is not None:
            _mtp3_fields(data, found[0], found[1], fields)
    else:
        m2ua_data = m2ua.data_message(data, start, end)
        if m2ua_data is not None:
            _mtp3_fields(data, m2ua_data[1], m2ua_data[2], fields)


def _mtp2_fields(data: bytes, start: int, fields: list[FrameField]) -> None:
    """Basic-format signal unit (Q.703 §2.2): BSN, FSN, LI, then an MSU (and maybe an FCS)."""
    li = data[start + 2] & 0x3F
    fcs = mtp2.has_fcs(data, start, 3, li) if li >= 3 else None
    end = len(data) - (2 if fcs else 0)
    fields += [
        FrameField(Layer.MTP2, "bsn", start, 1, _F.SEQUENCE, mask=0x7F),
        FrameField(Layer.MTP2, "fsn", start + 1, 1, _F.SEQUENCE, mask=0x7F),
        FrameField(
            Layer.MTP2, "li", start + 2, 1, _F.LENGTH, mask=0x3F, span=(start + 3, end), cap=63
        ),
    ]
    if li >= 3:
        _mtp3_fields(data, start + 3, end, fields)


def _mtp3_fields(data: bytes, start: int, end: int, fields: list[FrameField]) -> None:
    """SIO and routing label (Q.704 §2.2-2.4); the label length follows the ISUP that fits."""
    fields.append(FrameField(Layer.MTP3, "sio", start, 1, _F.TYPE))
    for variant in Variant:
        isup_start = start + mtp3.HEADER[variant]
        try:
            messages.decode(data[isup_start:end], variant)
        except DecodeError:
            continue
        fields.append(
            FrameField(Layer.MTP3, "routing-label", start + 1, isup_start - start - 1, _F.SEQUENCE)
        )
        _isup_fields(data, isup_start, end, variant, fields)
        return


def _isup_fields(
    data: bytes, start: int, end: int, variant: Variant | None, fields: list[FrameField]
) -> None:
    """CIC, message type, pointers, and each parameter's length (Q.763 §1.4-1.8)."""
    message = data[start:end]
    fields += [
        FrameField(Layer.ISUP, "cic", start, 2, _F.SEQUENCE),
        FrameField(Layer.ISUP, "message-type", start + 2, 1, _F.TYPE),
    ]
    message_type = _MESSAGE_TYPES[message[2]]
    if message_type is MessageType.IAM:
        ansi = variant is Variant.ANSI or (variant is None and _reads_as_ansi(message))
        shape = Format(4 if ansi else 5, 2 if ansi else 1, optional=True)
    elif message_type is MessageType.REL:
        shape = Format(0, 1, optional=True)
    else:
        shape = FORMATS.get(message_type, Format(0, 0, optional=False))
    first = 3 + shape.fixed
    for index in range(first, first + shape.variable):
        target = index + message[index]
        fields.append(FrameField(Layer.ISUP, "pointer", start + index, 1, _F.POINTER))
        if target < len(message):
            span = (start + target + 1, start + target + 1 + message[target])
            fields.append(
                FrameField(Layer.ISUP, "parameter-length", start + target, 1, _F.LENGTH, span=span)
            )
    if not shape.optional:
        return
    index = first + shape.variable
    fields.append(FrameField(Layer.ISUP, "optional-pointer", start + index, 1, _F.POINTER))
    if not message[index]:
        return
    index += message[index]
    while index + 1 < len(message) and message[index]:
        size = message[index + 1]
        fields += [
            FrameField(Layer.ISUP, f"parameter-{message[index]:02x}", start + index, 1, _F.TYPE),
            FrameField(
                Layer.ISUP,
                "parameter-length",
                start + index + 1,
                1,
                _F.LENGTH,
                span=(start + index + 2, start + index + 2 + size),
            ),
        ]
        index += 2 + size


def _reads_as_ansi(message: bytes) -> bool:
    try:
        messages.decode(message, Variant.ITU)
    except DecodeError:
        return True
    return False


class Mutation(StrEnum):
    """The ways ``mutate_frame`` breaks a frame."""

    #: One to eight bits flipped anywhere.
    BIT_FLIP = "bit-flip"
    #: A located field set to a boundary value (0, 1, all ones, off by one or four, the rest
    #: of the frame, one bit flipped) or a random one: length and pointer tampering.
    FIELD_VALUE = "field-value"
    #: The frame cut short, either as is or with the enclosing lengths updated to match.
    TRUNCATE = "truncate"
    #: Octets inserted or removed inside the frame, enclosing lengths updated to match.
    RESIZE = "resize"
    #: Two SCTP chunks of the packet swapped (fragments arrive out of order).
    CHUNK_REORDER = "chunk-reorder"
    #: An SCTP chunk sent twice in the packet.
    CHUNK_DUPLICATE = "chunk-duplicate"
    #: An SCTP chunk removed from the packet.
    CHUNK_DROP = "chunk-drop"
    #: The head of this frame joined to the tail of another (or of itself).
    SPLICE = "splice"
    #: Random octets appended.
    JUNK = "junk"


#: A source of choices: ``integers(low, high)`` returns an int in ``low..high`` inclusive.
Integers = Callable[[int, int], int]


def mutate_frame(
    linktype: int,
    data: bytes,
    integers: Integers,
    *,
    donor: bytes = b"",
    kinds: Sequence[Mutation] = tuple(Mutation),
    fields: Sequence[FrameField] | None = None,
) -> tuple[bytes, str]:
    """Break ``data`` one way; return the broken frame and what was done.

    ``integers`` makes every choice (``random.Random(seed).randint`` for a reproducible
    campaign, a Hypothesis draw in ``malformed_frames``).  ``donor`` is the frame a splice
    takes its tail from (``data`` itself when empty).  ``fields`` are ``frame_fields(linktype,
    data)`` when the caller has them already.  A kind that does not apply (no SCTP chunks to
    reorder, no field located) falls back to a bit flip.
    """
    if fields is None:
        fields = frame_fields(linktype, data)
    kind = kinds[integers(0, len(kinds) - 1)]
    chunks = [f for f in fields if f.kind is FieldKind.CHUNK]
    located = [f for f in fields if f.kind is not FieldKind.CHUNK]
    if not data:
        return _junk(data, integers)
    if kind is Mutation.FIELD_VALUE and located:
        return _field_value(data, located, integers)
    if kind is Mutation.TRUNCATE:
        return _truncate(data, fields, integers)
    if kind is Mutation.RESIZE:
        return _resize(data, fields, integers)
    if kind in _CHUNK_MUTATIONS and len(chunks) >= (1 if kind is Mutation.CHUNK_DROP else 2):
        return _chunks(data, fields, chunks, kind, integers)
    if kind is Mutation.SPLICE:
        tail = donor or data
        head, start = integers(0, len(data)), integers(0, len(tail))
        return data[:head] + tail[start:], f"splice: {head} octets + donor from {start}"
    if kind is Mutation.JUNK:
        return _junk(data, integers)
    return _bit_flip(data, integers)


_CHUNK_MUTATIONS = frozenset(
    {Mutation.CHUNK_REORDER, Mutation.CHUNK_DUPLICATE, Mutation.CHUNK_DROP}
)


def _bit_flip(data: bytes, integers: Integers) -> tuple[bytes, str]:
    out = bytearray(data)
    bits = [integers(0, len(data) * 8 - 1) for _ in range(integers(1, 8))]
    for bit in bits:
        out[bit >> 3] ^= 0x80 >> (bit & 7)
    return bytes(out), f"bit-flip: bits {bits}"


def _junk(data: bytes, integers: Integers) -> tuple[bytes, str]:
    size = integers(1, 64)
    return data + integers(0, (1 << (8 * size)) - 1).to_bytes(size, "big"), f"junk: {size} octets"


def _field_value(data: bytes, fields: list[FrameField], integers: Integers) -> tuple[bytes, str]:
    tampered = [f for f in fields if f.kind in (FieldKind.LENGTH, FieldKind.POINTER)]
    pool = tampered if tampered and integers(0, 3) else fields  # lengths and pointers 3 in 4
    field = pool[integers(0, len(pool) - 1)]
    mask = field.mask or (1 << (8 * field.size)) - 1
    shift = (mask & -mask).bit_length() - 1
    old = (int.from_bytes(data[field.offset : field.offset + field.size], "big") & mask) >> shift
    top = mask >> shift
    rest = len(data) - field.offset
    candidates = (0, 1, top, old - 1, old + 1, old - 4, old + 4, rest, rest + 1)
    choice = integers(0, len(candidates) + 1)
    if choice < len(candidates):
        new = candidates[choice]
    elif choice == len(candidates):
        new = old ^ (1 << integers(0, top.bit_length() - 1))
    else:
        new = integers(0, top)
    new &= top
    return _write(
        data, field, new
    ), f"field-value: {field.layer}.{field.name}@{field.offset} {old} -> {new}"


def _write(data: bytes, field: FrameField, value: int) -> bytes:
    mask = field.mask or (1 << (8 * field.size)) - 1
    shift = (mask & -mask).bit_length() - 1
    end = field.offset + field.size
    if end > len(data):
        return data
    old = int.from_bytes(data[field.offset : end], "big")
    new = (old & ~mask) | ((value << shift) & mask)
    return data[: field.offset] + new.to_bytes(field.size, "big") + data[end:]


def _replace(data: bytes, fields: Sequence[FrameField], start: int, end: int, new: bytes) -> bytes:
    """Replace ``data[start:end]``, updating every length whose span encloses the change."""
    out = data[:start] + new + data[end:]
    for field in fields:
        span = field.span
        if span is None or field.offset + field.size > start or not span[0] <= start <= span[1]:
            continue
        value = span[1] - span[0] + len(new) - (min(end, span[1]) - start)
        out = _write(out, field, max(0, value if field.cap is None else min(value, field.cap)))
    return out


def _truncate(data: bytes, fields: Sequence[FrameField], integers: Integers) -> tuple[bytes, str]:
    cut = integers(0, len(data) - 1)
    if integers(0, 1):
        return data[:cut], f"truncate: at {cut} of {len(data)}"
    return _replace(
        data, fields, cut, len(data), b""
    ), f"truncate: at {cut} of {len(data)}, lengths updated"


def _resize(data: bytes, fields: Sequence[FrameField], integers: Integers) -> tuple[bytes, str]:
    at = integers(0, len(data))
    if integers(0, 1) and at < len(data):
        end = min(len(data), at + integers(1, 16))
        return _replace(data, fields, at, end, b""), f"resize: {end - at} octets removed at {at}"
    size = integers(1, 16)
    filler = integers(0, (1 << (8 * size)) - 1).to_bytes(size, "big")
    return _replace(data, fields, at, at, filler), f"resize: {size} octets inserted at {at}"


def _chunks(
    data: bytes,
    fields: Sequence[FrameField],
    chunks: Sequence[FrameField],
    kind: Mutation,
    integers: Integers,
) -> tuple[bytes, str]:
    pieces = [data[c.offset : c.offset + c.size] for c in chunks]
    start, end = chunks[0].offset, chunks[-1].offset + chunks[-1].size
    first = integers(0, len(pieces) - 1)
    if kind is Mutation.CHUNK_DROP:
        del pieces[first]
        what = f"chunk {first} of {len(chunks)} dropped"
    elif kind is Mutation.CHUNK_DUPLICATE:
        pieces.insert(integers(0, len(pieces)), pieces[first])
        what = f"chunk {first} of {len(chunks)} duplicated"
    else:
        second = (first + integers(1, len(pieces) - 1)) % len(pieces)
        pieces[first], pieces[second] = pieces[second], pieces[first]
        what = f"chunks {first} and {second} of {len(chunks)} swapped"
    outer = [f for f in fields if f.offset + f.size <= start]
    return _replace(data, outer, start, end, b"".join(pieces)), f"{kind}: {what}"


# --- frame strategies --------------------------------------------------------------------------


class FramedIam(NamedTuple):
    """An IAM, the message it was sent as (routing), its encapsulation, and the frames."""

    iam: InitialAddress
    message: Message
    encapsulation: Encapsulation
    frames: tuple[LinkFrame, ...]


class MalformedFrame(NamedTuple):
    """A frame broken on purpose: the IAM it carried, the valid frame, the broken one, how."""

    iam: InitialAddress
    valid: LinkFrame
    frame: LinkFrame
    mutation: str


_SCTP_TRANSPORTS: tuple[Transport, ...] = ("m3ua", "m3ua-draft6", "m2pa", "m2ua")
_MTP_TRANSPORTS: tuple[Transport, ...] = ("mtp2", "mtp2-phdr", "mtp3")
_LINKS: tuple[Link, ...] = ("ethernet", "sll", "sll2", "raw", "null")


def _vlan_tags() -> st.SearchStrategy[VlanTag]:
    return st.builds(
        VlanTag,
        st.integers(1, 4094),
        st.integers(0, 7),
        st.booleans(),
        st.sampled_from((writer.TPID_8021Q, writer.TPID_8021AD)),
    )


@st.composite
def _encapsulation(draw: st.DrawFn, fragmenting: bool) -> Encapsulation:
    transport = draw(st.sampled_from(_SCTP_TRANSPORTS + _MTP_TRANSPORTS))
    if transport in _MTP_TRANSPORTS:
        return Encapsulation(transport=transport, fcs=transport == "mtp2" and draw(st.booleans()))
    link_type = draw(st.sampled_from(_LINKS))
    vlans = tuple(draw(st.lists(_vlan_tags(), max_size=2))) if link_type == "ethernet" else ()
    fragment_size = ip_fragment_size = None
    if fragmenting:
        fragment_size = draw(st.none() | st.integers(8, 64))
        ip_fragment_size = draw(st.none() | st.integers(6, 40).map(lambda words: words * 8))
    return Encapsulation(
        transport=transport,
        link=link_type,
        ip=draw(st.sampled_from((4, 6))),
        vlans=vlans,
        bundle=draw(st.integers(1, 3)),
        fragment_size=fragment_size,
        idata=fragment_size is not None and draw(st.booleans()),
        ip_fragment_size=ip_fragment_size,
        network_appearance=draw(st.none() | st.integers(0, 0xFFFFFFFF)),
        routing_context=draw(st.none() | st.integers(0, 0xFFFFFFFF)),
        interface_id=draw(st.integers(0, 0xFFFFFFFF)),
        li=draw(st.sampled_from((None, 0))) if transport in ("m2ua", "m3ua-draft6") else None,
    )


def encapsulations(*, fragmenting: bool = True) -> st.SearchStrategy[Encapsulation]:
    """``ss7ani.writer`` encapsulations: every transport, link layer and IP version.

    SCTP transports draw VLAN tags, bundling, M3UA network appearance and routing context, M2UA
    interface identifiers and Protocol Data 2; with ``fragmenting`` also SCTP DATA or I-DATA
    fragmentation and IP fragmentation (a message may then take several frames).
    """
    return _encapsulation(fragmenting)


def _plain(iam: InitialAddress) -> InitialAddress:
    """The IAM without a simple segmentation announcement (it would wait for an SGM)."""
    optional = tuple(
        p._replace(simple_segmentation=False) if isinstance(p, OptionalForwardCallIndicators) else p
        for p in iam.optional
    )
    return iam._replace(optional=optional)


@st.composite
def _framed(
    draw: st.DrawFn, variant: Variant | None, encapsulation: Encapsulation | None, fragmenting: bool
) -> FramedIam:
    iam = _plain(draw(initial_address_messages(variant)))
    enc = (
        encapsulation
        if encapsulation is not None
        else draw(encapsulations(fragmenting=fragmenting))
    )
    ansi = iam.variant is Variant.ANSI
    point_code = st.integers(0, 0xFFFFFF if ansi else 0x3FFF)
    message = Message(
        draw(st.integers(0, 2**62)),
        encode(iam),
        iam.variant,
        draw(point_code),
        draw(point_code),
        draw(st.integers(0, 255 if ansi else 15)),
        draw(st.integers(0, 3)),
    )
    frames = tuple(Encapsulator(enc).frames([message]))
    return FramedIam(iam, message, enc, frames)


def framed_iams(
    variant: Variant | None = None, encapsulation: Encapsulation | None = None
) -> st.SearchStrategy[FramedIam]:
    """IAMs with random routing, sent over ``encapsulation`` (drawn when None) as frames.

    The IAMs do not announce segmentation.  Decoding the frames in order with
    ``Decoder(variant=iam.variant)`` gives one record whose message is ``iam``.
    """
    return _framed(variant, encapsulation, fragmenting=True)


def frames(
    variant: Variant | None = None, encapsulation: Encapsulation | None = None
) -> st.SearchStrategy[LinkFrame]:
    """Single valid frames (link type + octets) that each carry one whole IAM.

    ``encapsulation`` must not fragment (no ``fragment_size`` / ``ip_fragment_size``).
    """
    if encapsulation is not None and (
        encapsulation.fragment_size is not None or encapsulation.ip_fragment_size is not None
    ):
        msg = "frames() needs an encapsulation that sends each message in one frame"
        raise ValueError(msg)
    return _framed(variant, encapsulation, fragmenting=False).map(lambda framed: framed.frames[0])


@st.composite
def _malformed(
    draw: st.DrawFn,
    variant: Variant | None,
    encapsulation: Encapsulation | None,
    kinds: tuple[Mutation, ...],
) -> MalformedFrame:
    framed = draw(_framed(variant, encapsulation, fragmenting=False))
    valid = framed.frames[0]

    def integers(low: int, high: int) -> int:
        return draw(st.integers(low, high))

    data, mutation = mutate_frame(valid.linktype, valid.data, integers, kinds=kinds)
    return MalformedFrame(framed.iam, valid, valid._replace(data=data), mutation)


def malformed_frames(
    variant: Variant | None = None,
    encapsulation: Encapsulation | None = None,
    kinds: Sequence[Mutation] = tuple(Mutation),
) -> st.SearchStrategy[MalformedFrame]:
    """Valid IAM frames (as ``frames``) broken by one ``Mutation`` of ``kinds``.

    Length and pointer tampering, truncation, resizing, chunk reordering, duplication and
    removal, splicing, junk and bit flips, placed by ``frame_fields``.  A broken frame can
    still be valid (a flipped spare bit); it is only guaranteed to differ from the original
    when the mutation changed an octet.
    """
    if not kinds:
        msg = "kinds must name at least one mutation"
        raise ValueError(msg)
    return _malformed(variant, encapsulation, tuple(kinds))
