"""Parameter octets written bit by bit (bitstring), as the Q.763 / T1.113 octet diagrams draw them.

Each vector spells the fields from bit 8 down to bit 1 of every octet, so that a reader can
hold it next to the spec's diagram.  Both directions are checked: the fast decoder reads the
octets into the record, and the construct layout builds the record back into the same octets.
"""

from __future__ import annotations

import pytest
from bitstring import BitArray

from ss7ani.isup.codes import (
    AddressPresentation,
    AnsiAddressType,
    AnsiCalledNatureOfAddress,
    AnsiCallingNatureOfAddress,
    AnsiNumberingPlan,
    AnsiScreeningIndicator,
    CallingNatureOfAddress,
    ChargeNatureOfAddress,
    ClosedUserGroupIndicator,
    GenericNumberScreening,
    NetworkIdentificationPlan,
    NetworkIdentificationType,
    NumberingPlan,
    NumberQualifier,
    OriginatingLineInformation,
    RedirectingIndicator,
    RedirectionReason,
    ScreeningIndicator,
    Variant,
)
from ss7ani.isup.messages import encode_parameter
from ss7ani.isup.params import (
    OPTIONAL_DECODERS,
    CalledPartyNumber,
    CallingPartyNumber,
    CarrierIdentification,
    ChargeNumber,
    GenericAddress,
    GenericNumber,
    HopCounter,
    JurisdictionInformation,
    LocationNumber,
    OptionalForwardCallIndicators,
    OptionalParameter,
    OriginatingLine,
    RedirectingNumber,
    RedirectionInformation,
    decode_called,
)

_E164 = NumberingPlan.ISDN_TELEPHONY_E164
_NATIONAL = CallingNatureOfAddress.NATIONAL_NUMBER

# (variant, code, bit-by-bit value octets, record); digits "4155551" = 0x14 0x55 0x55 0x01.
_OPTIONAL: list[tuple[Variant, int, str, OptionalParameter]] = [
    (
        Variant.ITU,
        0x0A,
        # O/E=1 NAI=3 | NI=0 NPI=1 APRI=1 SI=3 | digits
        "0b1, uint7=3, 0b0, uint3=1, uint2=1, uint2=3, 0x14555501",
        CallingPartyNumber(
            "4155551",
            _NATIONAL,
            _E164,
            AddressPresentation.RESTRICTED,
            ScreeningIndicator.NETWORK_PROVIDED,
        ),
    ),
    (
        Variant.ANSI,
        0x0A,
        # O/E=0 NAI=115 (non-unique national) | spare NPI=1 APRI=0 SI=2 (screening failed) | no digits
        "0b0, uint7=115, 0b0, uint3=1, uint2=0, uint2=2",
        CallingPartyNumber(
            "",
            AnsiCallingNatureOfAddress.NON_UNIQUE_NATIONAL_NUMBER,
            AnsiNumberingPlan.ISDN_E164,
            AddressPresentation.ALLOWED,
            AnsiScreeningIndicator.USER_PROVIDED_SCREENING_FAILED,
        ),
    ),
    (
        Variant.ITU,
        0x3F,
        # O/E=1 NAI=4 | INN=1 NPI=1 APRI=2 SI=1 | digits
        "0b1, uint7=4, 0b1, uint3=1, uint2=2, uint2=1, 0x14555501",
        LocationNumber(
            "4155551",
            CallingNatureOfAddress.INTERNATIONAL_NUMBER,
            _E164,
            AddressPresentation.ADDRESS_NOT_AVAILABLE,
            ScreeningIndicator.USER_PROVIDED_VERIFIED_AND_PASSED,
            internal_network_number=True,
        ),
    ),
    (
        Variant.ITU,
        0x0B,
        # O/E=1 NAI=3 | spare NPI=1 APRI=1 spare(2) | digits
        "0b1, uint7=3, 0b0, uint3=1, uint2=1, 0b00, 0x14555501",
        RedirectingNumber("4155551", _NATIONAL, _E164, AddressPresentation.RESTRICTED),
    ),
    (
        Variant.ITU,
        0xC0,
        # qualifier=6 | O/E=1 NAI=3 | NI=1 NPI=1 APRI=0 SI=2 | digits
        "uint8=6, 0b1, uint7=3, 0b1, uint3=1, uint2=0, uint2=2, 0x14555501",
        GenericNumber(
            "4155551",
            NumberQualifier.ADDITIONAL_CALLING_PARTY_NUMBER,
            _NATIONAL,
            _E164,
            AddressPresentation.ALLOWED,
            GenericNumberScreening.USER_PROVIDED_VERIFIED_AND_FAILED,
            incomplete=True,
        ),
    ),
    (
        Variant.ANSI,
        0xC0,
        # type of address=4 | O/E=1 NAI=1 | spare NPI=1 APRI=1 spare(2) | digits
        "uint8=4, 0b1, uint7=1, 0b0, uint3=1, uint2=1, 0b00, 0x14555501",
        GenericAddress(
            "4155551",
            AnsiAddressType.COMPLETION_NUMBER,
            AnsiCallingNatureOfAddress.UNIQUE_SUBSCRIBER_NUMBER,
            AnsiNumberingPlan.ISDN_E164,
            AddressPresentation.RESTRICTED,
        ),
    ),
    (
        Variant.ANSI,
        0xEB,
        # O/E=0 NOA=1 (ANI of the calling party, subscriber number) | spare NPI=1 spare(4) | digits
        "0b0, uint7=1, 0b0, uint3=1, 0x0, 0x52",
        ChargeNumber(
            "25",
            ChargeNatureOfAddress.ANI_OF_CALLING_PARTY_SUBSCRIBER_NUMBER,
            AnsiNumberingPlan.ISDN_E164,
        ),
    ),
    (Variant.ANSI, 0xEA, "uint8=63", OriginatingLine(OriginatingLineInformation.WIRELESS_ROAMING)),
    (Variant.ANSI, 0xC4, "0x795255", JurisdictionInformation("972555")),
    (
        Variant.ANSI,
        0xC5,
        # spare NETWORK TYPE=2 PLAN=1 | carrier digits
        "0b0, uint3=2, uint4=1, 0x2010",
        CarrierIdentification(
            NetworkIdentificationType.NATIONAL,
            NetworkIdentificationPlan.CARRIER_ID_3_DIGITS,
            "0201",
        ),
    ),
    (Variant.ITU, 0x3D, "0b000, uint5=17", HopCounter(17)),
    (
        Variant.ITU,
        0x13,
        # original reason=2 spare indicator=4 | reason=5 spare counter=3
        "uint4=2, 0b0, uint3=4, uint4=5, 0b0, uint3=3",
        RedirectionInformation(
            RedirectingIndicator.CALL_DIVERTED_ALL_INFORMATION_RESTRICTED,
            RedirectionReason.NO_REPLY,
            3,
            RedirectionReason.DEFLECTION_IMMEDIATE_RESPONSE,
        ),
    ),
    (
        Variant.ITU,
        0x08,
        # connected line identity request=1 spare(4) simple segmentation=1 CUG=3
        "0b1, 0b0000, 0b1, uint2=3",
        OptionalForwardCallIndicators(
            ClosedUserGroupIndicator.CUG_OUTGOING_ACCESS_NOT_ALLOWED,
            simple_segmentation=True,
            connected_line_identity_request=True,
        ),
    ),
]


@pytest.mark.parametrize(
    ("variant", "code", "bits", "record"),
    _OPTIONAL,
    ids=[f"{v.value}-{c:02X}" for v, c, _, _ in _OPTIONAL],
)
def test_optional_parameter_bits(
    variant: Variant, code: int, bits: str, record: OptionalParameter
) -> None:
    octets = BitArray(bits).bytes
    assert OPTIONAL_DECODERS[variant][code](octets) == record
    assert encode_parameter(record, variant) == bytes((code, len(octets))) + octets


def test_called_party_number_bits() -> None:
    # O/E=0 NAI=3 | INN=1 NPI=1 spare(4) | 1 2 3 4 5 ST: 0x21 0x43 0xF5
    octets = BitArray("0b0, uint7=3, 0b1, uint3=1, 0x0, 0x2143f5").bytes
    called = decode_called(octets, Variant.ITU)
    assert (called.digits, called.internal_network_number, called.numbering_plan) == (
        "12345F",
        True,
        _E164,
    )


def test_ansi_called_number_without_digits_is_one_octet() -> None:
    # O/E=0 NAI=117 (no number present, cut-through call to carrier); octet 2 omitted
    octets = BitArray("0b0, uint7=117").bytes
    called = decode_called(octets, Variant.ANSI)
    assert called == CalledPartyNumber(
        "", AnsiCalledNatureOfAddress.NO_NUMBER_PRESENT_CUT_THROUGH_TO_CARRIER, None
    )
