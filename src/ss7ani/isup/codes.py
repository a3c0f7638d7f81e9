"""Code tables of ITU-T Q.763 and ANSI T1.113 as ``IntEnum`` s.

One enum per spec field; where ITU and ANSI give the same bits a different meaning there is one
enum per variant (``CallingNatureOfAddress`` / ``AnsiCallingNatureOfAddress`` ...).  A value the
tables do not assign becomes a pseudo-member (``SPARE_9``, ``NATIONAL_USE_113``) instead of an
error, so a field's type is always its enum.  Sources are the rows of
``shared/reference/isup-codes.md``; where sources disagree the chosen reading is noted.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum, StrEnum
from typing import Self, TypeVar

_E = TypeVar("_E", bound="SpecEnum")


class SpecEnum(IntEnum):
    """An ``IntEnum`` whose unassigned in-range values become named pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, int) or not 0 <= value <= _BITS_MAX.get(cls, 255):
            return None
        prefix = "SPARE"
        for span, name in _RANGES.get(cls, ()):
            if value in span:
                prefix = name
                break
        member = int.__new__(cls, value)
        member._name_ = f"{prefix}_{value}"
        member._value_ = value
        # setdefault: two threads creating the same pseudo-member agree on one object.
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]

    @property
    def label(self) -> str:
        """The member name in words, for tables and logs (``NATIONAL_NUMBER``: national number)."""
        return self.name.replace("_", " ").lower()


_BITS_MAX: dict[type[SpecEnum], int] = {}
_RANGES: dict[type[SpecEnum], tuple[tuple[range, str], ...]] = {}


def _spec(bits: int, *ranges: tuple[range, str]) -> Callable[[type[_E]], type[_E]]:
    """Class decorator: the field width in bits and the names of unassigned ranges."""

    def wrap(cls: type[_E]) -> type[_E]:
        _BITS_MAX[cls] = (1 << bits) - 1
        _RANGES[cls] = ranges
        return cls

    return wrap


def table(cls: type[_E]) -> tuple[_E, ...]:
    """Every value of the field's width as a member, indexable by the raw value (hot paths)."""
    return tuple(cls(v) for v in range(_BITS_MAX[cls] + 1))


class Variant(StrEnum):
    """Which ISUP specification a message follows."""

    ITU = "itu"
    ANSI = "ansi"


_NATIONAL_7BIT = (range(112, 127), "NATIONAL_USE")


@_spec(8, (range(0x39, 0x3E), "RESERVED_BISUP"))
class MessageType(SpecEnum):
    """ISUP message type codes: Q.763 Table 4 plus the ANSI T1.113 additions (0xE9-0xED)."""

    IAM = 0x01  # initial address
    SAM = 0x02  # subsequent address
    INR = 0x03  # information request (national use)
    INF = 0x04  # information (national use)
    COT = 0x05  # continuity
    ACM = 0x06  # address complete
    CON = 0x07  # connect
    FOT = 0x08  # forward transfer
    ANM = 0x09  # answer
    REL = 0x0C  # release
    SUS = 0x0D  # suspend
    RES = 0x0E  # resume
    RLC = 0x10  # release complete
    CCR = 0x11  # continuity check request
    RSC = 0x12  # reset circuit
    BLO = 0x13  # blocking
    UBL = 0x14  # unblocking
    BLA = 0x15  # blocking acknowledgement
    UBA = 0x16  # unblocking acknowledgement
    GRS = 0x17  # circuit group reset
    CGB = 0x18  # circuit group blocking
    CGU = 0x19  # circuit group unblocking
    CGBA = 0x1A  # circuit group blocking acknowledgement
    CGUA = 0x1B  # circuit group unblocking acknowledgement
    CMR = 0x1C  # call modification request (1988; ANSI)
    CMC = 0x1D  # call modification completed (1988; ANSI)
    CMRJ = 0x1E  # call modification reject (1988; ANSI)
    FAR = 0x1F  # facility request
    FAA = 0x20  # facility accepted
    FRJ = 0x21  # facility reject
    FAD = 0x22  # facility deactivated (1984; ANSI)
    FAI = 0x23  # facility information (1984; ANSI)
    LPA = 0x24  # loop back acknowledgement (national use)
    CSVR = 0x25  # CUG selection and validation request (1984)
    CSVS = 0x26  # CUG selection and validation response (1984)
    DRS = 0x27  # delayed release (1988)
    PAM = 0x28  # pass-along (national use)
    GRA = 0x29  # circuit group reset acknowledgement
    CQM = 0x2A  # circuit group query (national use)
    CQR = 0x2B  # circuit group query response (national use)
    CPG = 0x2C  # call progress
    USR = 0x2D  # user-to-user information
    UCIC = 0x2E  # unequipped CIC (national use)
    CFN = 0x2F  # confusion
    OLM = 0x30  # overload (national use)
    CRG = 0x31  # charge information (national use)
    NRM = 0x32  # network resource management
    FAC = 0x33  # facility
    UPT = 0x34  # user part test
    UPA = 0x35  # user part available
    IDR = 0x36  # identification request
    IRS = 0x37  # identification response
    SGM = 0x38  # segmentation
    LOP = 0x40  # loop prevention
    APM = 0x41  # application transport
    PRI = 0x42  # pre-release information
    SDN = 0x43  # subsequent directory number (national use)
    CRA = 0xE9  # circuit reservation acknowledgement (ANSI)
    CRM = 0xEA  # circuit reservation (ANSI)
    CVR = 0xEB  # circuit validation response (ANSI)
    CVT = 0xEC  # circuit validation test (ANSI)
    EXM = 0xED  # exit (ANSI)


@_spec(8)
class ParameterCode(SpecEnum):
    """ITU-T parameter name codes (Q.763 clause 3.1, Table 5) that ss7ani decodes or names."""

    END_OF_OPTIONAL_PARAMETERS = 0x00
    TRANSMISSION_MEDIUM_REQUIREMENT = 0x02
    ACCESS_TRANSPORT = 0x03
    CALLED_PARTY_NUMBER = 0x04
    SUBSEQUENT_NUMBER = 0x05
    NATURE_OF_CONNECTION_INDICATORS = 0x06
    FORWARD_CALL_INDICATORS = 0x07
    OPTIONAL_FORWARD_CALL_INDICATORS = 0x08
    CALLING_PARTYS_CATEGORY = 0x09
    CALLING_PARTY_NUMBER = 0x0A
    REDIRECTING_NUMBER = 0x0B
    REDIRECTION_NUMBER = 0x0C
    BACKWARD_CALL_INDICATORS = 0x11
    CAUSE_INDICATORS = 0x12
    REDIRECTION_INFORMATION = 0x13
    USER_SERVICE_INFORMATION = 0x1D
    USER_TO_USER_INFORMATION = 0x20
    CONNECTED_NUMBER = 0x21
    ORIGINAL_CALLED_NUMBER = 0x28
    OPTIONAL_BACKWARD_CALL_INDICATORS = 0x29
    PROPAGATION_DELAY_COUNTER = 0x31
    MESSAGE_COMPATIBILITY_INFORMATION = 0x38
    PARAMETER_COMPATIBILITY_INFORMATION = 0x39
    HOP_COUNTER = 0x3D
    LOCATION_NUMBER = 0x3F
    CALLED_IN_NUMBER = 0x6F
    GENERIC_NUMBER = 0xC0
    GENERIC_DIGITS = 0xC1


@_spec(8)
class AnsiParameterCode(SpecEnum):
    """ANSI T1.113 parameter codes where ANSI differs from or extends ITU (reference sheet §2)."""

    CALLING_PARTY_NUMBER = 0x0A
    REDIRECTING_NUMBER = 0x0B
    REDIRECTION_INFORMATION = 0x13
    USER_SERVICE_INFORMATION = 0x1D
    ORIGINAL_CALLED_NUMBER = 0x28
    HOP_COUNTER = 0x3D
    LOCATION_NUMBER = 0x3F
    GENERIC_ADDRESS = 0xC0
    GENERIC_DIGITS = 0xC1
    OPERATOR_SERVICES_INFORMATION = 0xC2
    EGRESS_SERVICE = 0xC3
    JURISDICTION_INFORMATION = 0xC4
    CARRIER_IDENTIFICATION = 0xC5
    BUSINESS_GROUP = 0xC6
    GENERIC_NAME = 0xC7
    NOTIFICATION_INDICATOR = 0xE1
    CIRCUIT_GROUP_CHARACTERISTIC_INDICATOR = 0xE5
    CIRCUIT_VALIDATION_RESPONSE_INDICATOR = 0xE6
    OUTGOING_TRUNK_GROUP_NUMBER = 0xE7
    CIRCUIT_IDENTIFICATION_NAME = 0xE8
    CLLI_CODE = 0xE9
    ORIGINATING_LINE_INFORMATION = 0xEA
    CHARGE_NUMBER = 0xEB
    SERVICE_CODE_INDICATOR = 0xEC
    SPECIAL_PROCESSING_REQUEST = 0xED
    CARRIER_SELECTION_INFORMATION = 0xEE
    NETWORK_TRANSPORT = 0xEF


@_spec(7, _NATIONAL_7BIT)
class CalledNatureOfAddress(SpecEnum):
    """ITU called party / redirection number nature of address (Q.763 §3.9 b)."""

    SUBSCRIBER_NUMBER = 1
    UNKNOWN = 2
    NATIONAL_NUMBER = 3
    INTERNATIONAL_NUMBER = 4
    NETWORK_SPECIFIC_NUMBER = 5
    NETWORK_ROUTING_NUMBER_NATIONAL_FORMAT = 6
    NETWORK_ROUTING_NUMBER_NETWORK_SPECIFIC_FORMAT = 7
    NETWORK_ROUTING_NUMBER_WITH_CALLED_DIRECTORY_NUMBER = 8


@_spec(7, _NATIONAL_7BIT)
class CallingNatureOfAddress(SpecEnum):
    """ITU calling party (and location, redirecting, generic ...) nature of address (Q.763 §3.10 b).

    Value 5 follows the Q.763 table as reproduced by the Cisco MGC guide (spare); Wireshark
    calls it "PISN specific number".
    """

    SUBSCRIBER_NUMBER = 1
    UNKNOWN = 2
    NATIONAL_NUMBER = 3
    INTERNATIONAL_NUMBER = 4


@_spec(7, (range(120, 127), "NETWORK_SPECIFIC"), (range(2, 3), "NATIONAL_USE"))
class AnsiCalledNatureOfAddress(SpecEnum):
    """ANSI called party number nature of address (T1.113 §3.6); 116 and 117 carry no digits."""

    SUBSCRIBER_NUMBER = 1
    NATIONAL_NUMBER = 3
    INTERNATIONAL_NUMBER = 4
    SUBSCRIBER_NUMBER_OPERATOR_REQUESTED = 113
    NATIONAL_NUMBER_OPERATOR_REQUESTED = 114
    INTERNATIONAL_NUMBER_OPERATOR_REQUESTED = 115
    NO_NUMBER_PRESENT_OPERATOR_REQUESTED = 116
    NO_NUMBER_PRESENT_CUT_THROUGH_TO_CARRIER = 117
    CALL_950_PLUS_FROM_LEC_PUBLIC_STATION = 118
    TEST_LINE_TEST_CODE = 119


@_spec(7, (range(120, 127), "NETWORK_SPECIFIC"), (range(2, 3), "NATIONAL_USE"))
class AnsiCallingNatureOfAddress(SpecEnum):
    """ANSI calling party number nature of address (T1.113; GR-1299 code points).

    Reading chosen: the calling-party list (unique / non-unique numbers) of the Trillium-style
    header and the agnity AIN enum, not the NA manual, which repeats the called-party list.
    """

    UNKNOWN = 0
    UNIQUE_SUBSCRIBER_NUMBER = 1
    UNIQUE_NATIONAL_NUMBER = 3
    UNIQUE_INTERNATIONAL_NUMBER = 4
    NON_UNIQUE_SUBSCRIBER_NUMBER = 113
    NON_UNIQUE_NATIONAL_NUMBER = 115
    NON_UNIQUE_INTERNATIONAL_NUMBER = 116
    TEST_LINE_TEST_CODE = 119


@_spec(7)
class ChargeNatureOfAddress(SpecEnum):
    """ANSI charge number nature of address (T1.113 charge number, octet 1 bits 7-1)."""

    ANI_OF_CALLING_PARTY_SUBSCRIBER_NUMBER = 1
    ANI_NOT_AVAILABLE = 2
    ANI_OF_CALLING_PARTY_NATIONAL_NUMBER = 3
    ANI_OF_CALLED_PARTY_SUBSCRIBER_NUMBER = 5
    ANI_OF_CALLED_PARTY_NO_NUMBER_PRESENT = 6
    ANI_OF_CALLED_PARTY_NATIONAL_NUMBER = 7


@_spec(3)
class NumberingPlan(SpecEnum):
    """ITU numbering plan indicator (Q.763 §3.9 d); 0, 2 and 7 are spare."""

    ISDN_TELEPHONY_E164 = 1
    DATA_X121 = 3
    TELEX_F69 = 4
    PRIVATE = 5
    RESERVED_NATIONAL_USE = 6


@_spec(3)
class AnsiNumberingPlan(SpecEnum):
    """ANSI numbering plan (T1.113): 0 is "unknown" here, not spare as in ITU."""

    UNKNOWN = 0
    ISDN_E164 = 1
    RESERVED_DATA = 3
    RESERVED_TELEX = 4
    PRIVATE = 5


@_spec(2)
class AddressPresentation(SpecEnum):
    """Address presentation restricted indicator (Q.763 §3.10 e; same code points in ANSI).

    Value 3: pycrate's Q.763 reading "reserved for restriction by the network" (Wireshark: spare;
    unsourced for ANSI) - treated as restricted wherever privacy is concerned.
    """

    ALLOWED = 0
    RESTRICTED = 1
    ADDRESS_NOT_AVAILABLE = 2
    RESERVED_RESTRICTION_BY_NETWORK = 3


@_spec(2)
class ScreeningIndicator(SpecEnum):
    """ITU screening indicator of calling / location / connected numbers (Q.763 §3.10 f).

    0 and 2 are reserved since Q.763 (1992); the names keep their older meaning.
    """

    RESERVED_USER_PROVIDED_NOT_VERIFIED = 0
    USER_PROVIDED_VERIFIED_AND_PASSED = 1
    RESERVED_USER_PROVIDED_VERIFIED_AND_FAILED = 2
    NETWORK_PROVIDED = 3


@_spec(2)
class AnsiScreeningIndicator(SpecEnum):
    """ANSI calling party screening indicator (T1.113): all four values are in use."""

    USER_PROVIDED_NOT_SCREENED = 0
    USER_PROVIDED_SCREENING_PASSED = 1
    USER_PROVIDED_SCREENING_FAILED = 2
    NETWORK_PROVIDED = 3


@_spec(2)
class GenericNumberScreening(SpecEnum):
    """ITU generic number screening indicator, the "enhanced" table (Q.763 §3.26)."""

    USER_PROVIDED_NOT_VERIFIED = 0
    USER_PROVIDED_VERIFIED_AND_PASSED = 1
    USER_PROVIDED_VERIFIED_AND_FAILED = 2
    NETWORK_PROVIDED = 3


@_spec(8, (range(0x80, 0xFF), "NATIONAL_USE"))
class NumberQualifier(SpecEnum):
    """ITU generic number qualifier indicator (Q.763 §3.26, octet 1)."""

    DIALLED_DIGITS = 0x00
    ADDITIONAL_CALLED_NUMBER = 0x01
    SUPPLEMENTAL_CALLING_NUMBER_FAILED_SCREENING = 0x02
    SUPPLEMENTAL_CALLING_NUMBER_NOT_SCREENED = 0x03
    REDIRECTING_TERMINATING_NUMBER = 0x04
    ADDITIONAL_CONNECTED_NUMBER = 0x05
    ADDITIONAL_CALLING_PARTY_NUMBER = 0x06
    ADDITIONAL_ORIGINAL_CALLED_NUMBER = 0x07
    ADDITIONAL_REDIRECTING_NUMBER = 0x08
    ADDITIONAL_REDIRECTION_NUMBER = 0x09
    RESERVED_1992 = 0x0A
    RESERVED_FOR_EXPANSION = 0xFF


@_spec(8)
class AnsiAddressType(SpecEnum):
    """ANSI generic address type of address (T1.113, octet 1; NA manual); 5-255 unsourced."""

    DIALED_NUMBER = 0
    DESTINATION_NUMBER = 1
    SUPPLEMENTAL_CALLING_ADDRESS_FAILED_SCREENING = 2
    SUPPLEMENTAL_CALLING_ADDRESS_NOT_SCREENED = 3
    COMPLETION_NUMBER = 4


@_spec(8, (range(6, 9), "ADMINISTRATION"), (range(224, 255), "NATIONAL_USE"))
class CallingPartyCategory(SpecEnum):
    """Calling party's category (Q.763 §3.11); 14, 16, 17 as Wireshark 4.0 and Q.763 amendments."""

    UNKNOWN = 0
    OPERATOR_FRENCH = 1
    OPERATOR_ENGLISH = 2
    OPERATOR_GERMAN = 3
    OPERATOR_RUSSIAN = 4
    OPERATOR_SPANISH = 5
    RESERVED_NATIONAL_USE = 9
    ORDINARY_SUBSCRIBER = 10
    SUBSCRIBER_WITH_PRIORITY = 11
    DATA_CALL = 12
    TEST_CALL = 13
    IEPS_CALL_MARKING = 14
    PAYPHONE = 15
    MOBILE_HOME_PLMN = 16
    MOBILE_VISITED_PLMN = 17


@_spec(
    8,
    (range(40, 50), "LOCAL_USE"),
    (range(10, 11), "NOT_ASSIGNABLE"),
    (range(12, 20), "NOT_ASSIGNABLE"),
    (range(80, 90), "RESERVED"),
    (range(100, 256), "NOT_II"),
)
class OriginatingLineInformation(SpecEnum):
    """ANI II digits (NANPA assignments) carried in the ANSI OLI parameter (0xEA).

    Reading chosen for 27: libss7 / libpri "pay station using coin control signalling" (RFC 7155
    words it as a toll-free origination); it is a payphone either way.
    """

    IDENTIFIED_LINE = 0
    MULTIPARTY_LINE = 1
    ANI_FAILURE = 2
    STATION_LEVEL_RATING = 6
    SPECIAL_OPERATOR_HANDLING = 7
    AIOD = 20
    COIN_OR_NON_COIN = 23
    TOLL_FREE_NON_PAY_ORIGINATION = 24
    TOLL_FREE_PAY_STATION_ORIGINATION = 25
    PAY_STATION_COIN_CONTROL = 27
    PRISON_INMATE_SERVICE = 29
    INTERCEPT_BLANK = 30
    INTERCEPT_TROUBLE = 31
    INTERCEPT_REGULAR = 32
    TELCO_OPERATOR_HANDLED = 34
    OUTWATS = 52
    TRS_UNRESTRICTED_LINE = 60
    WIRELESS_TYPE_1 = 61
    WIRELESS_TYPE_2 = 62
    WIRELESS_ROAMING = 63
    TRS_HOTEL_MOTEL = 66
    TRS_RESTRICTED_LINE = 67
    PAY_STATION_NO_COIN_CONTROL = 70
    PRIVATE_VIRTUAL_NETWORK = 93

    @property
    def is_wireless(self) -> bool:
        """Cellular / PCS origination (61-63)."""
        return 61 <= self <= 63

    @property
    def is_payphone(self) -> bool:
        """Pay station origination (25, 27, 70)."""
        return self in (25, 27, 70)


@_spec(8, (range(16, 43), "MULTIRATE_CODE"))
class TransmissionMediumRequirement(SpecEnum):
    """Transmission medium requirement (Q.763 §3.54); 16-42 are N x 64 kbit/s (code = N + 13)."""

    SPEECH = 0
    UNRESTRICTED_64K = 2
    AUDIO_3K1 = 3
    RESERVED_ALTERNATE_SPEECH_64K = 4
    RESERVED_ALTERNATE_64K_SPEECH = 5
    PREFERRED_64K = 6
    UNRESTRICTED_2X64K = 7
    UNRESTRICTED_384K = 8
    UNRESTRICTED_1536K = 9
    UNRESTRICTED_1920K = 10


@_spec(2)
class SatelliteIndicator(SpecEnum):
    """Nature of connection indicators bits BA (Q.763 §3.35)."""

    NO_SATELLITE = 0
    ONE_SATELLITE = 1
    TWO_SATELLITES = 2


@_spec(2)
class ContinuityCheckIndicator(SpecEnum):
    """Nature of connection indicators bits DC (Q.763 §3.35)."""

    NOT_REQUIRED = 0
    REQUIRED_ON_THIS_CIRCUIT = 1
    PERFORMED_ON_PREVIOUS_CIRCUIT = 2


@_spec(2)
class EndToEndMethod(SpecEnum):
    """Forward call indicators bits CB (Q.763 §3.23)."""

    NONE = 0
    PASS_ALONG = 1
    SCCP = 2
    PASS_ALONG_AND_SCCP = 3


@_spec(2)
class IsupPreference(SpecEnum):
    """Forward call indicators bits HG (Q.763 §3.23)."""

    PREFERRED_ALL_THE_WAY = 0
    NOT_REQUIRED_ALL_THE_WAY = 1
    REQUIRED_ALL_THE_WAY = 2


@_spec(2)
class SccpMethod(SpecEnum):
    """Forward call indicators bits KJ (Q.763 §3.23)."""

    NO_INDICATION = 0
    CONNECTIONLESS = 1
    CONNECTION_ORIENTED = 2
    CONNECTIONLESS_AND_CONNECTION_ORIENTED = 3


@_spec(2)
class ClosedUserGroupIndicator(SpecEnum):
    """Optional forward call indicators bits BA (Q.763 §3.38)."""

    NON_CUG_CALL = 0
    CUG_OUTGOING_ACCESS_ALLOWED = 2
    CUG_OUTGOING_ACCESS_NOT_ALLOWED = 3


@_spec(3)
class RedirectingIndicator(SpecEnum):
    """Redirection information octet 1 bits CBA (Q.763 §3.45)."""

    NO_REDIRECTION = 0
    CALL_REROUTED = 1
    CALL_REROUTED_ALL_INFORMATION_RESTRICTED = 2
    CALL_DIVERTED = 3
    CALL_DIVERTED_ALL_INFORMATION_RESTRICTED = 4
    CALL_REROUTED_REDIRECTION_NUMBER_RESTRICTED = 5
    CALL_DIVERTED_REDIRECTION_NUMBER_RESTRICTED = 6


@_spec(4)
class RedirectionReason(SpecEnum):
    """Original redirection reason and redirecting reason (Q.763 §3.45)."""

    UNKNOWN = 0
    USER_BUSY = 1
    NO_REPLY = 2
    UNCONDITIONAL = 3
    DEFLECTION_DURING_ALERTING = 4
    DEFLECTION_IMMEDIATE_RESPONSE = 5
    MOBILE_SUBSCRIBER_NOT_REACHABLE = 6


@_spec(3)
class NetworkIdentificationType(SpecEnum):
    """ANSI carrier identification, type of network identification (T1.113, octet 1 bits 7-5)."""

    NATIONAL = 2


@_spec(4)
class NetworkIdentificationPlan(SpecEnum):
    """ANSI carrier identification, network identification plan (T1.113, octet 1 bits 4-1)."""

    UNKNOWN = 0
    CARRIER_ID_3_DIGITS = 1
    CARRIER_ID_4_DIGITS = 2


@_spec(2)
class CodingStandard(SpecEnum):
    """Cause indicators coding standard (Q.850 §2.2.2); ANSI networks use 2 for ANSI causes."""

    ITU_T = 0
    ISO_IEC = 1
    NATIONAL = 2
    NETWORK_SPECIFIC = 3


@_spec(4, (range(12, 16), "NATIONAL_USE"))
class CauseLocation(SpecEnum):
    """Cause indicators location (Q.850 §2.2.3)."""

    USER = 0
    PRIVATE_NETWORK_LOCAL_USER = 1
    PUBLIC_NETWORK_LOCAL_USER = 2
    TRANSIT_NETWORK = 3
    PUBLIC_NETWORK_REMOTE_USER = 4
    PRIVATE_NETWORK_REMOTE_USER = 5
    INTERNATIONAL_NETWORK = 7
    NETWORK_BEYOND_INTERWORKING_POINT = 10


@_spec(7)
class CauseValue(SpecEnum):
    """Q.850 cause values (coding standard ITU-T)."""

    UNALLOCATED_NUMBER = 1
    NO_ROUTE_TO_TRANSIT_NETWORK = 2
    NO_ROUTE_TO_DESTINATION = 3
    NORMAL_CALL_CLEARING = 16
    USER_BUSY = 17
    NO_USER_RESPONDING = 18
    NO_ANSWER_FROM_USER = 19
    SUBSCRIBER_ABSENT = 20
    CALL_REJECTED = 21
    NUMBER_CHANGED = 22
    REDIRECTION_TO_NEW_DESTINATION = 23
    CALL_REJECTED_FEATURE_AT_DESTINATION = 24
    DESTINATION_OUT_OF_ORDER = 27
    INVALID_NUMBER_FORMAT = 28
    FACILITY_REJECTED = 29
    NORMAL_UNSPECIFIED = 31
    NO_CIRCUIT_AVAILABLE = 34
    NETWORK_OUT_OF_ORDER = 38
    TEMPORARY_FAILURE = 41
    SWITCHING_EQUIPMENT_CONGESTION = 42
    REQUESTED_CIRCUIT_NOT_AVAILABLE = 44
    RESOURCE_UNAVAILABLE_UNSPECIFIED = 47
    FACILITY_NOT_SUBSCRIBED = 50
    BEARER_CAPABILITY_NOT_AUTHORIZED = 57
    BEARER_CAPABILITY_NOT_AVAILABLE = 58
    SERVICE_NOT_AVAILABLE = 63
    BEARER_CAPABILITY_NOT_IMPLEMENTED = 65
    SERVICE_NOT_IMPLEMENTED = 79
    INCOMPATIBLE_DESTINATION = 88
    INVALID_MESSAGE = 95
    MESSAGE_TYPE_NOT_IMPLEMENTED = 97
    PARAMETER_NOT_IMPLEMENTED = 99
    RECOVERY_ON_TIMER_EXPIRY = 102
    PARAMETER_NOT_IMPLEMENTED_PASSED_ON = 103
    MESSAGE_WITH_UNRECOGNIZED_PARAMETER_DISCARDED = 110
    PROTOCOL_ERROR = 111
    INTERWORKING_UNSPECIFIED = 127


@_spec(7)
class AnsiCauseValue(SpecEnum):
    """ANSI T1.113 cause values (coding standard 2); 23, 24, 45, 51 and 54 differ from Q.850."""

    UNALLOCATED_NUMBER = 1
    NO_ROUTE_TO_TRANSIT_NETWORK = 2
    NO_ROUTE_TO_DESTINATION = 3
    NORMAL_CALL_CLEARING = 16
    USER_BUSY = 17
    NO_USER_RESPONDING = 18
    NO_ANSWER_FROM_USER = 19
    CALL_REJECTED = 21
    NUMBER_CHANGED = 22
    UNALLOCATED_DESTINATION_NUMBER = 23
    UNDEFINED_BUSINESS_GROUP = 24
    DESTINATION_OUT_OF_ORDER = 27
    INVALID_NUMBER_FORMAT = 28
    FACILITY_REJECTED = 29
    NORMAL_UNSPECIFIED = 31
    NO_CIRCUIT_AVAILABLE = 34
    NETWORK_OUT_OF_ORDER = 38
    TEMPORARY_FAILURE = 41
    SWITCHING_EQUIPMENT_CONGESTION = 42
    REQUESTED_CIRCUIT_NOT_AVAILABLE = 44
    PREEMPTION = 45
    RESOURCE_UNAVAILABLE_UNSPECIFIED = 47
    FACILITY_NOT_SUBSCRIBED = 50
    CALL_TYPE_INCOMPATIBLE_WITH_SERVICE_REQUEST = 51
    CALL_BLOCKED_GROUP_RESTRICTION = 54
    BEARER_CAPABILITY_NOT_AUTHORIZED = 57
    BEARER_CAPABILITY_NOT_AVAILABLE = 58
    SERVICE_NOT_AVAILABLE = 63
    BEARER_CAPABILITY_NOT_IMPLEMENTED = 65
    SERVICE_NOT_IMPLEMENTED = 79
    INCOMPATIBLE_DESTINATION = 88
    INVALID_MESSAGE = 95
    MESSAGE_TYPE_NOT_IMPLEMENTED = 97
    PARAMETER_NOT_IMPLEMENTED = 99
    RECOVERY_ON_TIMER_EXPIRY = 102
    PARAMETER_NOT_IMPLEMENTED_PASSED_ON = 103
    PROTOCOL_ERROR = 111
    INTERWORKING_UNSPECIFIED = 127
