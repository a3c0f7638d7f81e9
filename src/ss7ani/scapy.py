"""scapy layers for SS7 over SIGTRAN: M3UA, M2PA, M2UA, MTP2, MTP3 and ISUP (optional extra).

``pip install ss7ani[scapy]`` (scapy 2.8 or newer, which dissects an SCTP DATA chunk's payload
through ``bind_layers``).  Importing this module binds the layers to scapy's SCTP DATA chunk by
payload protocol identifier (M2UA 2, M3UA 3, M2PA 5; RFC 9260 §3.3.1) and the MTP2 and MTP3
link types (140, 141) to their layers, so that ``rdpcap`` shows ISUP fields and ``wrpcap`` /
``send`` take packets built from them.  The core of ss7ani never imports this module.

    from scapy.all import rdpcap
    from ss7ani.scapy import ISUPIAM

    for packet in rdpcap("captures/sample.pcapng"):
        if ISUPIAM in packet:
            packet[ISUPIAM].show()

ISUP is shown by ss7ani's own decoder: ``ISUPIAM`` carries the IAM's octets after the message
type and, as fields that take no octets on the wire, what ss7ani decodes from them (called and
calling numbers, presentation, charge number, OLI ...).  The ITU or ANSI routing label of MTP3
is chosen per message as ss7ani chooses it (docs/variant.md).

Layouts: SIGTRAN common header and parameters (RFC 4666 §3.1-3.2), M3UA DATA (RFC 4666
§3.3.1), M2PA (RFC 4165 §2), M2UA (RFC 3331 §3), MTP2 signal units (Q.703 §2.2), MTP3 SIO and
routing label (Q.704 §2.2-2.4, T1.111.4), ISUP (Q.763 §1; T1.113).
"""

from __future__ import annotations

from typing import Any, ClassVar

from scapy.config import conf
from scapy.fields import (
    BitEnumField,
    BitField,
    ByteEnumField,
    ByteField,
    ConditionalField,
    Field,
    FieldLenField,
    IntEnumField,
    IntField,
    LEShortField,
    LEThreeBytesField,
    PacketLenField,
    PacketListField,
    PadField,
    ShortEnumField,
    StrField,
    StrLenField,
    ThreeBytesField,
)
from scapy.layers.sctp import SCTPChunkData
from scapy.packet import Packet, Padding, Raw, bind_layers

from .errors import DecodeError
from .isup import IsupMessage, decode, encode
from .isup.codes import MessageType, Variant, table
from .isup.messages import InitialAddress
from .sigtran import mtp2
from .variant import VariantMemory

__all__ = [
    "ISUP",
    "ISUPIAM",
    "M2PA",
    "M2UA",
    "M3UA",
    "MTP2",
    "MTP3",
    "MTP3ANSI",
    "M2UAProtocolData",
    "M2UAProtocolData2",
    "M3UAProtocolData",
    "SigtranParameter",
]

PPID_M2UA, PPID_M3UA, PPID_M2PA = 2, 3, 5
LINKTYPE_MTP2, LINKTYPE_MTP3 = 140, 141

_CLASSES = {0: "MGMT", 1: "Transfer", 2: "SSNM", 3: "ASPSM", 4: "ASPTM", 6: "MAUP", 11: "M2PA"}
_SERVICE_INDICATORS = {0: "SNM", 1: "MTN", 2: "MTNS", 3: "SCCP", 4: "TUP", 5: "ISUP", 13: "BICC"}
_M3UA_TAGS = {
    0x0006: "Routing Context",
    0x0013: "Correlation ID",
    0x0200: "Network Appearance",
    0x0210: "Protocol Data",
}
_M2UA_TAGS = {0x0001: "Interface Identifier", 0x0300: "Protocol Data 1", 0x0301: "Protocol Data 2"}
_M2PA_STATES = {
    1: "Alignment",
    2: "Proving Normal",
    3: "Proving Emergency",
    4: "Ready",
    5: "Processor Outage",
    6: "Processor Recovered",
    7: "Busy",
    8: "Busy Ended",
    9: "Out of Service",
}
_MESSAGE_TYPES = {int(t): t.name for t in table(MessageType)}


# --- MTP3 and ISUP -----------------------------------------------------------------------------


def _variant_of(msu: bytes) -> Variant:
    """ITU or ANSI for one MTP3 message, decided as ss7ani's pipeline decides it."""
    reading, _, _ = VariantMemory().decide(None, msu, labelled=True)
    return reading.variant


class ISUP(Packet):
    """ISUP message: CIC (least significant octet first), message type, then its parameters."""

    name = "ISUP"
    fields_desc: ClassVar[list[Any]] = [
        LEShortField("cic", 0),
        ByteEnumField("msg_type", int(MessageType.IAM), _MESSAGE_TYPES),
    ]

    def guess_payload_class(self, payload: bytes) -> type[Packet]:  # noqa: ARG002 - scapy API
        """An IAM's parameters are shown decoded; other messages' are kept raw."""
        return ISUPIAM if self.msg_type == MessageType.IAM else Raw

    def message(self, variant: Variant | None = None) -> IsupMessage:
        """This message as an ss7ani record (``variant`` None: ITU or ANSI as ss7ani decides)."""
        octets = bytes(self)
        padding = self.getlayer(Padding)
        if padding is not None:  # a lower layer's trailer (an MTP2 FCS) is not ISUP
            octets = octets[: len(octets) - len(bytes(padding))]
        if variant is None:
            variant = _label_variant(self) or _unlabelled_variant(octets)
        return decode(octets, variant)

    @classmethod
    def from_message(cls, message: IsupMessage) -> ISUP:
        """Build the packet of an ss7ani ISUP record (``ss7ani.isup.encode``)."""
        return cls(encode(message))


def _label_variant(packet: Packet) -> Variant | None:
    layer = packet.underlayer
    while layer is not None:
        if isinstance(layer, MTP3ANSI):
            return Variant.ANSI
        if isinstance(layer, MTP3):
            return Variant.ITU
        layer = layer.underlayer
    return None


def _unlabelled_variant(octets: bytes) -> Variant:
    reading, _, _ = VariantMemory().decide(None, octets, labelled=False)
    return reading.variant


class _Shown(Field[Any, bytes]):
    """A field that only shows a decoded value: it takes no octets and builds to none."""

    def __init__(self, name: str) -> None:
        super().__init__(name, None)

    def addfield(self, pkt: Packet | None, s: bytes, val: Any) -> bytes:  # noqa: ANN401, ARG002 - scapy API
        return s

    def getfield(self, pkt: Packet | None, s: bytes) -> tuple[bytes, Any]:  # noqa: ARG002 - scapy API
        return s, None


_SHOWN = (
    "variant",
    "called",
    "called_nature",
    "calling",
    "calling_presentation",
    "calling_screening",
    "charge",
    "oli",
    "jurisdiction",
    "category",
    "issues",
)


class ISUPIAM(Packet):
    """Initial address message (Q.763 §3.1, T1.113): its octets, and what ss7ani decodes.

    ``body`` is everything after the message type; the other fields take no octets and show
    the decoded IAM (``variant`` ITU / ANSI as for the whole message).
    """

    name = "ISUP IAM"
    fields_desc: ClassVar[list[Any]] = [StrField("body", b""), *(_Shown(n) for n in _SHOWN)]

    def post_dissect(self, s: bytes) -> bytes:
        """Fill the shown fields from ss7ani's decoding of the whole ISUP message."""
        isup = self.underlayer
        if not isinstance(isup, ISUP):
            return s
        octets = isup.cic.to_bytes(2, "little") + bytes([isup.msg_type]) + self.body
        variant = _label_variant(isup) or _unlabelled_variant(octets)
        try:
            message = decode(octets, variant)
        except DecodeError as error:
            self.setfieldval("issues", str(error))
            return s
        if isinstance(message, InitialAddress):
            self._show(message)
        return s

    def _show(self, iam: InitialAddress) -> None:
        calling, charge = iam.calling, iam.charge
        values: dict[str, object] = {
            "variant": iam.variant.value,
            "called": iam.called.digits,
            "called_nature": iam.called.nature_of_address.name,
            "category": iam.calling_party_category.name,
            "calling": None if calling is None else calling.digits,
            "calling_presentation": None if calling is None else calling.presentation.name,
            "calling_screening": None if calling is None else calling.screening.name,
            "charge": None if charge is None else charge.digits,
            "oli": None if iam.oli is None else iam.oli.name,
            "jurisdiction": iam.jurisdiction,
            "issues": "; ".join(issue.reason for issue in iam.issues) or None,
        }
        for name, value in values.items():
            self.setfieldval(name, value)

    def mysummary(self) -> str:
        """One line: called and calling numbers."""
        return self.sprintf("IAM called %called% calling %calling%")


class MTP3(Packet):
    """MTP3 message with the ITU routing label: SIO, DPC, OPC (14 bits), SLS (4 bits).

    The label is one little-endian 32-bit word (Q.704 §2.2); dissecting picks ``MTP3ANSI``
    instead when ss7ani reads the message as ANSI.
    """

    name = "MTP3 (ITU)"
    fields_desc: ClassVar[list[Any]] = [
        BitField("ni", 2, 2),
        BitField("priority", 0, 2),
        BitEnumField("si", 5, 4, _SERVICE_INDICATORS),
        BitField("sls", 0, 4, tot_size=-4),
        BitField("opc", 0, 14),
        BitField("dpc", 0, 14, end_tot_size=-4),
    ]

    @classmethod
    def dispatch_hook(cls, _pkt: bytes | None = None, *_args: Any, **_kwargs: Any) -> type[Packet]:  # noqa: ANN401 - scapy API
        """ITU or ANSI label, decided per message from its octets."""
        if cls is MTP3 and _pkt and len(_pkt) >= 8 and _variant_of(_pkt) is Variant.ANSI:
            return MTP3ANSI
        return cls

    def guess_payload_class(self, payload: bytes) -> type[Packet]:  # noqa: ARG002 - scapy API
        """ISUP for service indicator 5; raw octets otherwise."""
        return ISUP if self.si == 5 else Raw


class MTP3ANSI(MTP3):
    """MTP3 message with the ANSI routing label (T1.111.4): DPC, OPC (24 bits each), SLS.

    A point code is ``network << 16 | cluster << 8 | member``, member octet first on the wire.
    """

    name = "MTP3 (ANSI)"
    fields_desc: ClassVar[list[Any]] = [
        BitField("ni", 2, 2),
        BitField("priority", 0, 2),
        BitEnumField("si", 5, 4, _SERVICE_INDICATORS),
        LEThreeBytesField("dpc", 0),
        LEThreeBytesField("opc", 0),
        ByteField("sls", 0),
    ]


# --- SIGTRAN -----------------------------------------------------------------------------------


class SigtranParameter(Packet):
    """A SIGTRAN parameter (RFC 4666 §3.2): tag, length (with the header), value, padding."""

    name = "SIGTRAN parameter"
    fields_desc: ClassVar[list[Any]] = [
        ShortEnumField("tag", 0, {**_M3UA_TAGS, **_M2UA_TAGS}),
        FieldLenField("length", None, length_of="value", fmt="!H", adjust=lambda _, x: x + 4),
        PadField(StrLenField("value", b"", length_from=lambda p: p.length - 4), 4, padwith=b"\0"),
    ]

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """A parameter has no payload: what follows is the next parameter."""
        return b"", s


class M3UAProtocolData(SigtranParameter):
    """M3UA Protocol Data (tag 0x0210): OPC, DPC, SI, NI, MP, SLS, then the user part."""

    name = "M3UA Protocol Data"
    fields_desc: ClassVar[list[Any]] = [
        ShortEnumField("tag", 0x0210, _M3UA_TAGS),
        FieldLenField("length", None, length_of="data", fmt="!H", adjust=lambda _, x: x + 16),
        IntField("opc", 0),
        IntField("dpc", 0),
        ByteEnumField("si", 5, _SERVICE_INDICATORS),
        ByteField("ni", 2),
        ByteField("mp", 0),
        ByteField("sls", 0),
        PadField(
            PacketLenField("data", ISUP(), ISUP, length_from=lambda p: p.length - 16),
            4,
            padwith=b"\0",
        ),
    ]


class M2UAProtocolData(SigtranParameter):
    """M2UA Protocol Data 1 (tag 0x0300): an MTP3 message (SIO, label, SIF)."""

    name = "M2UA Protocol Data"
    fields_desc: ClassVar[list[Any]] = [
        ShortEnumField("tag", 0x0300, _M2UA_TAGS),
        FieldLenField("length", None, length_of="data", fmt="!H", adjust=lambda _, x: x + 4),
        PadField(
            PacketLenField("data", MTP3(), MTP3, length_from=lambda p: p.length - 4),
            4,
            padwith=b"\0",
        ),
    ]


class M2UAProtocolData2(SigtranParameter):
    """M2UA Protocol Data 2 (tag 0x0301): an LI / priority octet, then an MTP3 message."""

    name = "M2UA Protocol Data 2"
    fields_desc: ClassVar[list[Any]] = [
        ShortEnumField("tag", 0x0301, _M2UA_TAGS),
        FieldLenField("length", None, length_of="data", fmt="!H", adjust=lambda _, x: x + 5),
        ByteField("li", 0),
        PadField(
            PacketLenField("data", MTP3(), MTP3, length_from=lambda p: p.length - 5),
            4,
            padwith=b"\0",
        ),
    ]


def _m3ua_parameter(octets: bytes) -> Packet:
    return (M3UAProtocolData if octets[:2] == b"\x02\x10" else SigtranParameter)(octets)


_M2UA_PARAMETERS: dict[bytes, type[SigtranParameter]] = {
    b"\x03\x00": M2UAProtocolData,
    b"\x03\x01": M2UAProtocolData2,
}


def _m2ua_parameter(octets: bytes) -> Packet:
    return _M2UA_PARAMETERS.get(octets[:2], SigtranParameter)(octets)


def _common_header(message_class: int, message_type: int) -> list[Any]:
    """SIGTRAN common header: version, reserved, class, type, length of the whole message."""
    return [
        ByteField("version", 1),
        ByteField("reserved", 0),
        ByteEnumField("msg_class", message_class, _CLASSES),
        ByteField("msg_type", message_type),
        FieldLenField("length", None, length_of="params", fmt="!I", adjust=lambda _, x: x + 8),
    ]


class M3UA(Packet):
    """M3UA message (RFC 4666 §3): common header and parameters (DATA: class 1, type 1)."""

    name = "M3UA"
    fields_desc: ClassVar[list[Any]] = [
        *_common_header(1, 1),
        PacketListField("params", [], _m3ua_parameter, length_from=lambda p: p.length - 8),
    ]


class M2UA(Packet):
    """M2UA message (RFC 3331 §3): common header and parameters (DATA: class 6, type 1)."""

    name = "M2UA"
    fields_desc: ClassVar[list[Any]] = [
        *_common_header(6, 1),
        PacketListField("params", [], _m2ua_parameter, length_from=lambda p: p.length - 8),
    ]


class M2PA(Packet):
    """M2PA message (RFC 4165 §2): User Data (type 1) carries an MTP3 message, Link Status 2."""

    name = "M2PA"
    fields_desc: ClassVar[list[Any]] = [
        ByteField("version", 1),
        ByteField("reserved", 0),
        ByteEnumField("msg_class", 11, _CLASSES),
        ByteEnumField("msg_type", 1, {1: "User Data", 2: "Link Status"}),
        IntField("length", None),
        ByteField("unused1", 0),
        ThreeBytesField("bsn", 0xFFFFFF),
        ByteField("unused2", 0),
        ThreeBytesField("fsn", 0xFFFFFF),
        ConditionalField(ByteField("priority", 0), lambda p: p.msg_type == 1),
        ConditionalField(IntEnumField("state", 4, _M2PA_STATES), lambda p: p.msg_type == 2),
    ]

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        """Fill the message length (header and payload) when it was left unset."""
        if self.length is None:
            pkt = pkt[:4] + (len(pkt) + len(pay)).to_bytes(4, "big") + pkt[8:]
        return pkt + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """The payload ends where the message length says."""
        size = max(0, (self.length or 0) - len(self.original) + len(s))
        return s[:size], s[size:]

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        """User Data with octets carries an MTP3 message."""
        return MTP3 if self.msg_type == 1 and payload else Raw


class MTP2(Packet):
    """MTP2 signal unit (Q.703 §2.2): BSN, BIB, FSN, FIB, LI, then an MSU when LI >= 3.

    A frame of 5 + LI octets ends with the FCS, kept as padding.
    """

    name = "MTP2"
    fields_desc: ClassVar[list[Any]] = [
        BitField("bib", 1, 1),
        BitField("bsn", 0, 7),
        BitField("fib", 1, 1),
        BitField("fsn", 0, 7),
        BitField("spare", 0, 2),
        BitField("li", None, 6),
    ]

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        """Fill the length indicator (63 for longer MSUs) when it was left unset."""
        if self.li is None:
            pkt = pkt[:2] + bytes([(pkt[2] & 0xC0) | min(len(pay), 63)])
        return pkt + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """An FCS after the signal unit is padding (told as the pipeline tells it, Q.703 §2.3.3)."""
        header = bytes(self.original[:3]) if self.original else bytes((0, 0, self.li))
        try:
            fcs = mtp2.has_fcs(header + s, 0, 3, self.li)
        except DecodeError:
            fcs = False
        return (s[:-2], s[-2:]) if fcs else (s, b"")

    def guess_payload_class(self, payload: bytes) -> type[Packet]:  # noqa: ARG002 - scapy API
        """An MSU (LI >= 3) carries an MTP3 message; FISUs and LSSUs carry none."""
        return MTP3 if self.li >= 3 else Raw


bind_layers(SCTPChunkData, M2UA, proto_id=PPID_M2UA)
bind_layers(SCTPChunkData, M3UA, proto_id=PPID_M3UA)
bind_layers(SCTPChunkData, M2PA, proto_id=PPID_M2PA)
conf.l2types.register(LINKTYPE_MTP2, MTP2)
conf.l2types.register(LINKTYPE_MTP3, MTP3)
conf.l2types.register_layer2num(LINKTYPE_MTP3, MTP3ANSI)
