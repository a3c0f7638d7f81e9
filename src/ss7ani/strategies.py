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
"""

from __future__ import annotations

from typing import Any, TypeVar

from hypothesis import strategies as st

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
from .isup.messages import FORMATS, InitialAddress, IsupMessage, OtherMessage, Release
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

__all__ = [
    "called_party_numbers",
    "calling_party_numbers",
    "digit_strings",
    "initial_address_messages",
    "isup_messages",
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
