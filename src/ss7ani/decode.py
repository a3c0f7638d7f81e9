"""The sans-I/O pipeline: frames in, ISUP records and issues out.

``Decoder.feed`` takes one captured frame (link type + octets) and returns what it completed:
``IsupRecord`` s for ISUP messages and ``Issue`` s for anything that did not decode.  All state
that must outlive a frame (IP fragments, SCTP retransmission memory and fragments, MTP2
retransmissions, the FCS answer per MTP2 interface, the variant per link) belongs to the
``Decoder``; nothing is global.  A ``DecodeError`` from any layer becomes an issue and decoding
goes on with the next frame.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Iterable

from .capture import Frame
from .errors import DecodeError, DecodeIssue, Layer
from .isup.codes import MessageType, Variant
from .isup.messages import IsupMessage
from .isup.messages import decode as decode_isup
from .mtp3 import HEADER, SI_BICC, SI_ISUP, SI_SCCP
from .net import ip, link
from .net.sctp import Association, SctpState, data_chunks
from .records import Issue, IsupRecord, Transport, VariantBasis
from .segmentation import SegmentJoiner, announces_segmentation
from .sigtran import m2pa, m2ua, m3ua, mtp2
from .variant import Reading, VariantMemory, clean

Output = IsupRecord | Issue

_PPID_M2UA, _PPID_M3UA, _PPID_M2PA = 2, 3, 5
_PORTS = {2904: _PPID_M2UA, 2905: _PPID_M3UA, 3565: _PPID_M2PA}
_CLASS_TO_PPID = {6: _PPID_M2UA, 1: _PPID_M3UA, 11: _PPID_M2PA}
#: PPIDs of other protocols seen beside SIGTRAN (IUA, SUA, BICC, H.248, Diameter, S1AP, NGAP ...).
_FOREIGN_PPIDS = frozenset({1, 4, 6, 7, 8, 18, 46, 47, 60})
_SCTP = 132
_UNFRAGMENTED = 0x03
_SGM = int(MessageType.SGM)
_IAM = MessageType.IAM
_M3UA = Transport.M3UA
_new = tuple.__new__
_PORTS_TAG = struct.Struct(">HHI")
# The fields the fast path reads, from octet 12 (EtherType) to 88 (ISUP message type):
# EtherType, IPv4 version/IHL, total length, flags/fragment offset, protocol; SCTP DATA chunk
# type, flags, length, TSN, PPID; M3UA version, class, type, length, first parameter tag and
# length, OPC, DPC, SI, NI, SLS; the ISUP message type.
_FAST = struct.Struct(">HBxH2xHxB22xBBHI4xIBxBBIHHIIBBxB2xB")


def _link(association: Association) -> tuple[tuple[bytes, int], tuple[bytes, int]]:
    """Both directions of an association as one link: its two endpoints, in sorted order."""
    here, there = (association[0], association[2]), (association[1], association[3])
    return (here, there) if here <= there else (there, here)


class Decoder:
    """Decode frames of one capture (or of one live stream) into ISUP records and issues.

    ``variant`` fixes ITU or ANSI for every message; ``None`` decides per message.  ``only``
    restricts the output to some message types; messages of other types are skipped before
    they are decoded.
    """

    def __init__(
        self, *, variant: Variant | None = None, only: Iterable[MessageType] | None = None
    ) -> None:
        """Create an empty pipeline."""
        self._variants = VariantMemory(variant)
        self._only = None if only is None else frozenset(int(t) for t in only)
        self._ip = ip.Reassembler()
        self._sctp = SctpState()
        self._mtp2 = {False: mtp2.RetransmissionFilter(128), True: mtp2.RetransmissionFilter(4096)}
        self._fcs: dict[object, bool] = {}
        self._segments = SegmentJoiner()
        #: What was skipped and why: ``sccp``, ``bicc``, ``other-si``, ``not-sigtran`` ...
        self.counts: Counter[str] = Counter()
        self._links: dict[int, Callable[[Frame, list[Output]], None]] = {
            link.LINKTYPE_ETHERNET: self._ethernet,
            link.LINKTYPE_LINUX_SLL: self._sll,
            link.LINKTYPE_LINUX_SLL2: self._sll2,
            link.LINKTYPE_NULL: self._null,
            link.LINKTYPE_LOOP: self._loop,
            link.LINKTYPE_MTP2: self._mtp2_frame,
            link.LINKTYPE_MTP2_WITH_PHDR: self._mtp2_phdr,
            link.LINKTYPE_MTP3: self._mtp3_frame,
            **dict.fromkeys(link.LINKTYPES_RAW, self._raw),
        }

    def feed(self, frame: Frame) -> list[Output]:
        """Decode one frame; return the records and issues it completed, in order."""
        out: list[Output] = []
        if self._segments.held:
            self._segments.expire(frame.number, out)
        handler = self._links.get(frame.linktype)
        if handler is None:
            self.counts[f"linktype-{frame.linktype}"] += 1
            return out
        try:
            handler(frame, out)
        except DecodeError as error:
            out.append(Issue(frame.number, error.layer, error.offset, error.reason))
        return out

    def finish(self) -> list[Output]:
        """End of the capture: emit what is still held (IAMs still waiting for an SGM)."""
        out: list[Output] = []
        self._segments.flush(out)
        return out

    # --- link layers -------------------------------------------------------------------------

    def _ethernet(self, frame: Frame, out: list[Output]) -> None:
        if not self._m3ua_fast(frame, out):
            self._ip_packet(frame, *link.ethernet(frame.data), out)

    def _m3ua_fast(self, frame: Frame, out: list[Output]) -> bool:
        """Decode the commonest frame in one pass; False (nothing done) for any other frame.

        The common case: Ethernet II, IPv4 without options or fragments, one unfragmented SCTP
        DATA chunk with PPID 3 filling the packet, M3UA DATA whose first parameter is Protocol
        Data.  Anything else takes the general path.  The result is the general path's, except
        that a message skipped by ``only`` is not entered in the SCTP retransmission memory.
        """
        data = frame.data
        size = len(data)
        if size < 89:
            return False
        (
            ethertype,
            version_ihl,
            total,
            fragment,
            protocol,
            chunk_type,
            chunk_flags,
            chunk_length,
            tsn,
            ppid,
            m3ua_version,
            m3ua_class,
            m3ua_type,
            m3ua_length,
            tag,
            parameter_length,
            opc,
            dpc,
            si,
            ni,
            sls,
            message_type,
        ) = _FAST.unpack_from(data, 12)
        end = 14 + total
        chunk_end = 46 + chunk_length
        parameter_end = 70 + parameter_length
        if (
            ethertype != 0x0800
            or version_ihl != 0x45
            or protocol != _SCTP
            or fragment & 0x3FFF
            or chunk_type
            or chunk_flags & _UNFRAGMENTED != _UNFRAGMENTED
            or ppid != _PPID_M3UA
            or m3ua_version != 1
            or m3ua_class != 1
            or m3ua_type != 1
            or tag != 0x0210
            or end > size
            or 46 + ((chunk_length + 3) & ~3) != end
            or not parameter_end <= 62 + m3ua_length <= chunk_end
            or parameter_end < 86
        ):
            return False
        if si != SI_ISUP:
            self._skip_service(si)
            return True
        if self._only is not None and (parameter_end < 89 or not self._wanted(message_type)):
            return True
        source, destination = data[26:30], data[30:34]
        source_port, destination_port, vtag = _PORTS_TAG.unpack_from(data, 34)
        association = (source, destination, source_port, destination_port, vtag)
        if self._sctp.is_retransmission(association, tsn, data[62:chunk_end]):
            self.counts["sctp-retransmission"] += 1
            return True
        pair = (*_link(association), *((opc, dpc) if opc <= dpc else (dpc, opc)))
        isup = data[86:parameter_end]
        variant, basis = self._variants.lookup(pair)
        if variant is not None:
            try:
                message = decode_isup(isup, variant, base=86)
            except DecodeError:
                pass
            else:
                if clean(message, variant):
                    if message.message_type == _IAM:
                        self._variants.confirm(pair)
                    self._record(frame, _M3UA, opc, dpc, ni, sls, variant, basis, message, out)
                    return True
        decided = self._variants.decide(pair, isup, labelled=False, base=86)
        self._emit(frame, _M3UA, (opc, dpc, ni, sls), decided, out)
        return True

    def _sll(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.linux_sll(frame.data), out)

    def _sll2(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.linux_sll2(frame.data), out)

    def _null(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.loopback(frame.data, big_endian=False), out)

    def _loop(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.loopback(frame.data, big_endian=True), out)

    def _raw(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.raw_ip(frame.data), out)

    def _mtp2_frame(self, frame: Frame, out: list[Output]) -> None:
        self._mtp2_unit(frame, 0, (frame.interface,), extended=False, out=out)

    def _mtp2_phdr(self, frame: Frame, out: list[Output]) -> None:
        data = frame.data
        if len(data) < 4:
            raise DecodeError(Layer.MTP2, len(data), "MTP2 pseudo-header cut short")
        key = (frame.interface, data[0], (data[2] << 8) | data[3])
        self._mtp2_unit(frame, 4, key, extended=data[1] == 1, out=out)

    def _mtp2_unit(
        self, frame: Frame, start: int, key: tuple[int, ...], *, extended: bool, out: list[Output]
    ) -> None:
        data = frame.data
        fsn, msu_start, msu_end, fcs = mtp2.signal_unit(
            data, start, self._fcs.get(key), extended=extended
        )
        if fcs is not None and key not in self._fcs:
            if len(self._fcs) >= mtp2.MAX_LINKS:
                del self._fcs[next(iter(self._fcs))]
            self._fcs[key] = fcs
        if msu_start == msu_end:
            self.counts["mtp2-fisu-lssu"] += 1
            return
        if self._mtp2[extended].is_repeat(key, fsn, data[msu_start:msu_end]):
            self.counts["mtp2-retransmission"] += 1
            return
        self._msu(frame, data[msu_start:msu_end], msu_start, Transport.MTP2, key, out)

    def _mtp3_frame(self, frame: Frame, out: list[Output]) -> None:
        self._msu(frame, frame.data, 0, Transport.MTP3, (frame.interface,), out)

    # --- IP and SCTP -------------------------------------------------------------------------

    def _ip_packet(self, frame: Frame, ethertype: int, offset: int, out: list[Output]) -> None:
        if ethertype == link.ETHERTYPE_IPV4:
            protocol, start, end, source, destination, fragment = ip.ipv4(frame.data, offset)
        elif ethertype == link.ETHERTYPE_IPV6:
            protocol, start, end, source, destination, fragment = ip.ipv6(frame.data, offset)
        else:
            self.counts["not-ip"] += 1
            return
        data = frame.data
        if fragment is not None:
            whole = self._ip.add(source, destination, protocol, fragment, data[start:end])
            if whole is None:
                return
            data, start, end = whole, 0, len(whole)
        if protocol != _SCTP:
            self.counts["not-sctp"] += 1
            return
        self._sctp_packet(frame, data, start, end, source, destination, out)

    def _sctp_packet(
        self,
        frame: Frame,
        data: bytes,
        start: int,
        end: int,
        source: bytes,
        destination: bytes,
        out: list[Output],
    ) -> None:
        source_port, destination_port, vtag, chunks, junk = data_chunks(data, start, end)
        if junk:
            out.append(Issue(frame.number, Layer.SCTP, end, "junk after the last chunk ignored"))
        association: Association = (source, destination, source_port, destination_port, vtag)
        for chunk in chunks:
            if self._sctp.is_retransmission(association, chunk.tsn, chunk.payload):
                self.counts["sctp-retransmission"] += 1
                continue
            payload, ppid, offset = chunk.payload, chunk.ppid, chunk.offset
            if chunk.flags & _UNFRAGMENTED != _UNFRAGMENTED:
                try:
                    whole = self._sctp.reassemble(association, chunk)
                except DecodeError as error:
                    out.append(Issue(frame.number, error.layer, error.offset, error.reason))
                    continue
                if whole is None:
                    continue
                (payload, ppid), offset = whole, 0
            kind = self._sigtran_kind(ppid, source_port, destination_port, payload)
            if kind:
                try:
                    self._sigtran(frame, kind, payload, offset, association, out)
                except DecodeError as error:
                    out.append(
                        Issue(frame.number, error.layer, offset + error.offset, error.reason)
                    )

    def _sigtran_kind(
        self, ppid: int, source_port: int, destination_port: int, payload: bytes
    ) -> int:
        """Which adaptation layer a user message is: by PPID, else port, else its header."""
        if ppid in _CLASS_TO_PPID.values():
            return ppid
        if ppid not in _FOREIGN_PPIDS:
            by_port = _PORTS.get(destination_port) or _PORTS.get(source_port)
            if by_port:
                return by_port
            if (
                len(payload) >= 8
                and payload[0] == 1
                and payload[3] == 1
                and int.from_bytes(payload[4:8], "big") == len(payload)
            ):
                return _CLASS_TO_PPID.get(payload[2], 0)
        self.counts["not-sigtran"] += 1
        return 0

    def _sigtran(
        self,
        frame: Frame,
        kind: int,
        payload: bytes,
        base: int,
        association: Association,
        out: list[Output],
    ) -> None:
        end = len(payload)
        if kind == _PPID_M3UA:
            found = m3ua.data_message(payload, 0, end)
            if found is None:
                return
            if isinstance(found, m3ua.ProtocolData):
                self._user_part(frame, payload, found, base, association, out)
            else:
                msu = payload[found[0] : found[1]]
                self._msu(frame, msu, base + found[0], Transport.M3UA, _link(association), out)
        elif kind == _PPID_M2PA:
            span = m2pa.user_data(payload, 0, end)
            if span is not None:
                msu = payload[span[0] : span[1]]
                self._msu(frame, msu, base + span[0], Transport.M2PA, _link(association), out)
        else:
            m2ua_data = m2ua.data_message(payload, 0, end)
            if m2ua_data is not None:
                iid, msu_start, msu_end = m2ua_data
                msu = payload[msu_start:msu_end]
                key = (_link(association), iid)
                self._msu(frame, msu, base + msu_start, Transport.M2UA, key, out)

    # --- MTP3 and ISUP -----------------------------------------------------------------------

    def _wanted(self, message_type: int) -> bool:
        """Whether a message of this type must be decoded (SGMs while an IAM waits for one)."""
        only = self._only or ()
        return message_type in only or (message_type == _SGM and bool(self._segments.held))

    def _skip_service(self, si: int) -> bool:
        if si == SI_ISUP:
            return False
        self.counts["sccp" if si == SI_SCCP else "bicc" if si == SI_BICC else "other-si"] += 1
        return True

    def _user_part(
        self,
        frame: Frame,
        payload: bytes,
        found: m3ua.ProtocolData,
        base: int,
        association: Association,
        out: list[Output],
    ) -> None:
        if self._skip_service(found.si):
            return
        data = payload[found.start : found.end]
        if self._only is not None and (len(data) < 3 or not self._wanted(data[2])):
            return
        pair = (*_link(association), min(found.opc, found.dpc), max(found.opc, found.dpc))
        decided = self._variants.decide(pair, data, labelled=False, base=base + found.start)
        routing = (found.opc, found.dpc, found.ni, found.sls)
        self._emit(frame, Transport.M3UA, routing, decided, out)

    def _msu(
        self,
        frame: Frame,
        msu: bytes,
        base: int,
        transport: Transport,
        key: object,
        out: list[Output],
    ) -> None:
        if not msu:
            raise DecodeError(Layer.MTP3, base, "empty MTP3 message")
        sio = msu[0]
        if self._skip_service(sio & 0x0F):
            return
        if self._only is not None and not any(
            len(msu) > HEADER[v] + 2 and self._wanted(msu[HEADER[v] + 2]) for v in Variant
        ):
            return
        decided = self._variants.decide((transport, key), msu, labelled=True, base=base)
        reading = decided[0]
        self._emit(
            frame, transport, (reading.opc, reading.dpc, sio >> 6, reading.sls), decided, out
        )

    def _emit(
        self,
        frame: Frame,
        transport: Transport,
        routing: tuple[int, int, int, int],
        decided: tuple[Reading, VariantBasis, DecodeIssue | None],
        out: list[Output],
    ) -> None:
        reading, basis, issue = decided
        message = reading.message
        if message is None:
            error = reading.error
            if error is not None:
                out.append(Issue(frame.number, error.layer, error.offset, error.reason))
            return
        if issue is not None:
            message = message._replace(issues=(*message.issues, issue))
        self._record(frame, transport, *routing, reading.variant, basis, message, out)

    def _record(  # noqa: PLR0913 - the fields of one record
        self,
        frame: Frame,
        transport: Transport,
        opc: int,
        dpc: int,
        ni: int,
        sls: int,
        variant: Variant,
        basis: VariantBasis,
        message: IsupMessage,
        out: list[Output],
    ) -> None:
        record = _new(
            IsupRecord,
            (
                frame.number,
                frame.ts_ns,
                frame.interface,
                transport,
                opc,
                dpc,
                ni,
                sls,
                message.cic,
                variant,
                basis,
                message,
            ),
        )
        segments = self._segments
        if (segments.held or announces_segmentation(message)) and segments.offer(record, out):
            return
        if self._only is None or message.message_type in self._only:
            out.append(record)
