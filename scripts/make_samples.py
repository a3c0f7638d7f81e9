"""Write the repository's sample captures into captures/ (see captures/README.md).

Every number in them is fictional: North American numbers from the 555-01XX range set aside
for fiction, UK numbers from Ofcom's drama range (020 7946 0XXX).  The output is deterministic:
running this again gives byte-identical files, which tests/test_samples.py checks.

    python scripts/make_samples.py [OUTPUT_DIR]
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ss7ani.isup import InitialAddress, Release, encode
from ss7ani.isup.codes import (
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
    TransmissionMediumRequirement,
    Variant,
)
from ss7ani.isup.messages import IsupMessage, OtherMessage
from ss7ani.isup.params import (
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
    OptionalParameter,
    OriginalCalledNumber,
    OriginatingLine,
    RedirectingNumber,
    RedirectionInformation,
)
from ss7ani.writer import (
    Encapsulation,
    Encapsulator,
    LinkFrame,
    Message,
    PcapngWriter,
    PcapWriter,
    VlanTag,
)

_T0 = 1_768_471_200_000_000_000  # 2026-01-15T10:00:00Z
_ANSI_PCS = (0x0A0B01, 0x0A0C02)  # 10-11-1 -> 10-12-2
_ITU_PCS = (2001, 3002)
_NCI = NatureOfConnectionIndicators(
    SatelliteIndicator.NO_SATELLITE,
    ContinuityCheckIndicator.NOT_REQUIRED,
    echo_control_device=False,
)
_FCI = ForwardCallIndicators(
    international_call=False,
    end_to_end_method=EndToEndMethod.NONE,
    interworking=False,
    end_to_end_information=False,
    isup_all_the_way=True,
    isup_preference=IsupPreference.PREFERRED_ALL_THE_WAY,
    isdn_access=True,
    sccp_method=SccpMethod.NO_INDICATION,
    ported_number_translated=False,
    qor_attempt=False,
)


class Call(NamedTuple):
    """One call: its IAM and the release cause that ends it (answered or not)."""

    iam: InitialAddress
    answered: bool
    cause: CauseIndicators


def _ansi_calling(digits: str, presentation: AddressPresentation) -> CallingPartyNumber:
    return CallingPartyNumber(
        digits,
        AnsiCallingNatureOfAddress.UNIQUE_NATIONAL_NUMBER,
        AnsiNumberingPlan.ISDN_E164,
        presentation,
        AnsiScreeningIndicator.NETWORK_PROVIDED,
    )


def _charge(digits: str) -> ChargeNumber:
    return ChargeNumber(
        digits,
        ChargeNatureOfAddress.ANI_OF_CALLING_PARTY_NATIONAL_NUMBER,
        AnsiNumberingPlan.ISDN_E164,
    )


def _ansi_iam(
    cic: int, called: str, optional: Iterable[OptionalParameter], *, called_nai: int = 3
) -> InitialAddress:
    return InitialAddress(
        Variant.ANSI,
        cic,
        _NCI,
        _FCI,
        CallingPartyCategory.ORDINARY_SUBSCRIBER,
        CalledPartyNumber(
            called,
            AnsiCalledNatureOfAddress(called_nai),
            AnsiNumberingPlan.ISDN_E164 if called else None,
        ),
        user_service_information=bytes.fromhex("8090a2"),
        optional=tuple(optional),
    )


def _ansi_cause(value: AnsiCauseValue) -> CauseIndicators:
    return CauseIndicators(CauseLocation.PUBLIC_NETWORK_LOCAL_USER, CodingStandard.NATIONAL, value)


def ansi_calls() -> list[Call]:
    """Calls a North American fraud analyst meets: *67, wireless, prison, payphone ..."""
    normal = _ansi_cause(AnsiCauseValue.NORMAL_CALL_CLEARING)
    carrier = CarrierIdentification(
        NetworkIdentificationType.NATIONAL, NetworkIdentificationPlan.CARRIER_ID_4_DIGITS, "0288"
    )
    return [
        Call(
            _ansi_iam(
                101,
                "3105550199",
                [
                    _ansi_calling("2125550142", AddressPresentation.ALLOWED),
                    _charge("2125550142"),
                    OriginatingLine(OriginatingLineInformation.IDENTIFIED_LINE),
                    JurisdictionInformation("212555"),
                ],
            ),
            answered=True,
            cause=normal,
        ),
        Call(
            _ansi_iam(
                102,
                "3105550100",
                [
                    _ansi_calling("9725550123", AddressPresentation.RESTRICTED),
                    _charge("9725550123"),
                    OriginatingLine(OriginatingLineInformation.IDENTIFIED_LINE),
                    carrier,
                ],
            ),
            answered=True,
            cause=normal,
        ),
        Call(
            _ansi_iam(
                103,
                "2125550188",
                [
                    _ansi_calling("4155550177", AddressPresentation.ALLOWED),
                    _charge("4155550100"),
                    OriginatingLine(OriginatingLineInformation.WIRELESS_TYPE_2),
                    GenericAddress(
                        "4155550177",
                        AnsiAddressType.SUPPLEMENTAL_CALLING_ADDRESS_NOT_SCREENED,
                        AnsiCallingNatureOfAddress.UNIQUE_NATIONAL_NUMBER,
                        AnsiNumberingPlan.ISDN_E164,
                        AddressPresentation.ALLOWED,
                    ),
                ],
            ),
            answered=False,
            cause=_ansi_cause(AnsiCauseValue.USER_BUSY),
        ),
        Call(
            _ansi_iam(
                104,
                "7185550166",
                [
                    _ansi_calling("5045550111", AddressPresentation.RESTRICTED),
                    _charge("5045550100"),
                    OriginatingLine(OriginatingLineInformation.PRISON_INMATE_SERVICE),
                ],
            ),
            answered=True,
            cause=normal,
        ),
        Call(
            _ansi_iam(
                105,
                "8005550133",
                [
                    _charge("3125550155"),
                    OriginatingLine(OriginatingLineInformation.PAY_STATION_NO_COIN_CONTROL),
                ],
            ),
            answered=True,
            cause=normal,
        ),
        Call(
            _ansi_iam(
                106,
                "",
                [
                    _ansi_calling("6175550144", AddressPresentation.ADDRESS_NOT_AVAILABLE)._replace(
                        digits=""
                    ),
                    _charge("6175550144"),
                    OriginatingLine(OriginatingLineInformation.SPECIAL_OPERATOR_HANDLING),
                ],
                called_nai=int(AnsiCalledNatureOfAddress.NO_NUMBER_PRESENT_OPERATOR_REQUESTED),
            ),
            answered=False,
            cause=_ansi_cause(AnsiCauseValue.NORMAL_UNSPECIFIED),
        ),
    ]


def _itu_calling(digits: str, presentation: AddressPresentation) -> CallingPartyNumber:
    return CallingPartyNumber(
        digits,
        CallingNatureOfAddress.NATIONAL_NUMBER,
        NumberingPlan.ISDN_TELEPHONY_E164,
        presentation,
        ScreeningIndicator.USER_PROVIDED_VERIFIED_AND_PASSED,
    )


def _itu_iam(cic: int, called: str, optional: Iterable[OptionalParameter]) -> InitialAddress:
    return InitialAddress(
        Variant.ITU,
        cic,
        _NCI,
        _FCI,
        CallingPartyCategory.ORDINARY_SUBSCRIBER,
        CalledPartyNumber(
            called,
            CalledNatureOfAddress.NATIONAL_NUMBER,
            NumberingPlan.ISDN_TELEPHONY_E164,
        ),
        TransmissionMediumRequirement.SPEECH,
        optional=tuple(optional),
    )


def itu_calls() -> list[Call]:
    """ITU calls: restricted caller, generic number, location, a diverted call."""
    normal = CauseIndicators(
        CauseLocation.PUBLIC_NETWORK_LOCAL_USER,
        CodingStandard.ITU_T,
        CauseValue.NORMAL_CALL_CLEARING,
    )
    return [
        Call(
            _itu_iam(11, "2079460999", [_itu_calling("2079460123", AddressPresentation.ALLOWED)]),
            answered=True,
            cause=normal,
        ),
        Call(
            _itu_iam(
                12,
                "2079460998",
                [
                    _itu_calling("2079460456", AddressPresentation.RESTRICTED),
                    GenericNumber(
                        "2079460457",
                        NumberQualifier.ADDITIONAL_CALLING_PARTY_NUMBER,
                        CallingNatureOfAddress.NATIONAL_NUMBER,
                        NumberingPlan.ISDN_TELEPHONY_E164,
                        AddressPresentation.RESTRICTED,
                        GenericNumberScreening.USER_PROVIDED_NOT_VERIFIED,
                    ),
                    LocationNumber(
                        "2079460",
                        CallingNatureOfAddress.NATIONAL_NUMBER,
                        NumberingPlan.ISDN_TELEPHONY_E164,
                        AddressPresentation.RESTRICTED,
                        ScreeningIndicator.NETWORK_PROVIDED,
                    ),
                    HopCounter(31),
                ],
            ),
            answered=True,
            cause=normal,
        ),
        Call(
            _itu_iam(
                13,
                "2079460997",
                [
                    _itu_calling("1632960001", AddressPresentation.ALLOWED),
                    RedirectingNumber(
                        "2079460555",
                        CallingNatureOfAddress.NATIONAL_NUMBER,
                        NumberingPlan.ISDN_TELEPHONY_E164,
                        AddressPresentation.ALLOWED,
                    ),
                    OriginalCalledNumber(
                        "2079460555",
                        CallingNatureOfAddress.NATIONAL_NUMBER,
                        NumberingPlan.ISDN_TELEPHONY_E164,
                        AddressPresentation.ALLOWED,
                    ),
                    RedirectionInformation(
                        RedirectingIndicator.CALL_DIVERTED,
                        RedirectionReason.UNCONDITIONAL,
                        1,
                        RedirectionReason.UNCONDITIONAL,
                    ),
                ],
            ),
            answered=False,
            cause=CauseIndicators(
                CauseLocation.PUBLIC_NETWORK_REMOTE_USER,
                CodingStandard.ITU_T,
                CauseValue.NO_ANSWER_FROM_USER,
            ),
        ),
    ]


def _call_flow(call: Call) -> Iterator[tuple[int, IsupMessage]]:
    """(direction, message) of a whole call: 0 forward (caller's side), 1 backward."""
    iam = call.iam
    variant, cic = iam.variant, iam.cic

    def other(message_type: MessageType, fixed: bytes = b"") -> OtherMessage:
        return OtherMessage(variant, cic, message_type, fixed, (), ())

    yield 0, iam
    yield 1, other(MessageType.ACM, b"\x16\x14")
    if call.answered:
        yield 1, other(MessageType.ANM)
    yield 0, Release(variant, cic, call.cause)
    yield 1, other(MessageType.RLC)


def messages(
    calls: list[Call], pcs: tuple[int, int], start_ns: int, *, gap_ns: int
) -> list[Message]:
    """Every message of ``calls``, calls overlapping, 40 ms between messages of one call."""
    out: list[Message] = []
    for index, call in enumerate(calls):
        for step, (direction, message) in enumerate(_call_flow(call)):
            opc, dpc = pcs if direction == 0 else pcs[::-1]
            out.append(
                Message(
                    start_ns + index * gap_ns + step * 40_000_000,
                    encode(message),
                    message.variant,
                    opc,
                    dpc,
                    sls=message.cic & 0x0F,
                )
            )
    return sorted(out, key=lambda m: m.ts_ns)


def _frames(encapsulation: Encapsulation, items: list[Message]) -> list[LinkFrame]:
    encapsulator = Encapsulator(encapsulation)
    return [*encapsulator.noise(items[0].ts_ns - 1_000_000), *encapsulator.frames(items)]


def _pcap(path: Path, frames: list[LinkFrame]) -> None:
    with path.open("wb") as stream:
        PcapWriter(stream, frames[0].linktype).write_frames(frames)


def _pcapng(path: Path, frames: list[LinkFrame]) -> None:
    with path.open("wb") as stream:
        PcapngWriter(stream).write_frames(sorted(frames, key=lambda f: f.ts_ns))


def write_samples(directory: Path) -> list[Path]:
    """Write every sample; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    ansi, itu = ansi_calls(), itu_calls()
    ansi_messages = messages(ansi, _ANSI_PCS, _T0, gap_ns=500_000_000)
    itu_messages = messages(itu, _ITU_PCS, _T0 + 250_000_000, gap_ns=700_000_000)
    written: list[Path] = []

    def out(name: str) -> Path:
        written.append(directory / name)
        return directory / name

    _pcapng(
        out("sample.pcapng"),
        _frames(Encapsulation(), ansi_messages)
        + _frames(Encapsulation(transport="m2pa", ip=6), itu_messages),
    )
    _pcap(out("ansi_m3ua.pcap"), _frames(Encapsulation(vlans=(VlanTag(300),)), ansi_messages))
    _pcap(out("ansi_mtp3.pcap"), _frames(Encapsulation(transport="mtp3"), ansi_messages))
    _pcap(
        out("itu_mtp2_fcs.pcap"), _frames(Encapsulation(transport="mtp2", fcs=True), itu_messages)
    )
    _pcap(
        out("itu_m2ua_sll.pcap"),
        _frames(Encapsulation(transport="m2ua", link="sll", interface_id=7), itu_messages),
    )
    _pcapng(
        out("sctp_bundled_fragmented.pcapng"),
        _frames(Encapsulation(bundle=3), ansi_messages)
        + _frames(
            Encapsulation(transport="m2pa", fragment_size=24, addresses=("10.1.0.1", "10.1.0.2")),
            itu_messages,
        ),
    )
    full = (directory / "ansi_m3ua.pcap").read_bytes()
    out("truncated.pcap").write_bytes(full[: len(full) - 37])
    out("sample.pcapng.gz").write_bytes(
        gzip.compress((directory / "sample.pcapng").read_bytes(), mtime=0)
    )
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "captures"
    for path in write_samples(target):
        sys.stdout.write(f"{path}\n")
