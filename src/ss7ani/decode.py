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

from .capture import Frame, Shortcut
from .errors import DecodeError, DecodeIssue, Layer
from .isup.codes import MessageType, Variant
from .isup.messages import IsupMessage, decode_iam
from .isup.messages import decode as decode_isup
from .mtp3 import HEADER, SI_BICC, SI_ISUP, SI_SCCP
from .net import ip, link
from .net.sctp import Association, SctpState, data_chunks
from .records import Issue, IsupRecord, Transport, VariantBasis
from .segmentation import SegmentJoiner, announces_segmentation
from .sigtran import m2pa, m2ua, m3ua, mtp2
from .variant import ASSIGNED, Reading, VariantMemory

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
# The fields the shortcut reads, from the IPv4 header on: version/IHL, total length,
# flags/fragment offset, protocol; the association (addresses, ports, verification tag); the
# first chunk's type, flags, length, TSN, PPID; M3UA version, class, type, length; the first
# parameter's tag and length; Protocol Data's OPC, DPC, SI, NI, SLS; the ISUP message type.
_FAST = struct.Struct(">BxH2xHxB2x16s4xBBHI4xIBxBBIHHIIBBxB2xB")
#: The fields of ``_FAST`` up to the first chunk's type (enough for a packet of control chunks).
_SMALL = struct.Struct(">BxH2xHxB22xB")
#: A parameter's tag and length, then Protocol Data's fields as in ``_FAST``.
_PROTOCOL_DATA = struct.Struct(">HHIIBBxB2xB")
#: Octets of ``_FAST``: from the IPv4 header to the ISUP message type.
_FAST_SIZE = _FAST.size
#: Octets a packet of control chunks needs: IPv4 header, SCTP common header, a chunk header.
_SMALL_SIZE = 36
_TAG_PROTOCOL_DATA = 0x0210
#: M3UA parameters that may come before Protocol Data (RFC 4666 §3.3.1): Network Appearance,
#: Routing Context, each 8 octets with one 32-bit value.
_BEFORE_PROTOCOL_DATA = frozenset({0x0200, 0x0006})
_IDATA = 64
_DATA_CHUNKS = frozenset({0, _IDATA})
_ETHERTYPE_IPV4 = link.ETHERTYPE_IPV4
_VLAN = 0x8100
#: Links remembered for the associations seen (cleared when full; recomputing is cheap).
_MAX_LINK_KEYS = 4096


def _link(association: Association) -> bytes:
    """Both directions of an association as one key: its two endpoints (address + port), sorted."""
    size = (len(association) - 8) >> 1
    ports = 2 * size
    here = association[:size] + association[ports : ports + 2]
    there = association[size:ports] + association[ports + 2 : ports + 4]
    return here + there if here <= there else there + here


class Decoder:
    """Decode frames of one capture (or of one live stream) into ISUP records and issues.

    ``variant`` fixes ITU or ANSI for every message; ``None`` decides per message.  ``only``
    restricts the output to some message types; messages of other types are skipped before
    they are decoded.  ``fast=False`` sends every frame down the general path (the shortcut
    is then only checked against it, by the tests).
    """

    def __init__(
        self,
        *,
        variant: Variant | None = None,
        only: Iterable[MessageType] | None = None,
        fast: bool = True,
    ) -> None:
        """Create an empty pipeline."""
        self._variants = VariantMemory(variant)
        self._only = None if only is None else frozenset(int(t) for t in only)
        self._ip = ip.Reassembler()
        self._sctp = SctpState()
        self._mtp2 = {False: mtp2.RetransmissionFilter(128), True: mtp2.RetransmissionFilter(4096)}
        self._fcs: dict[object, bool] = {}
        self._segments = SegmentJoiner()
        self._link_keys: dict[Association, bytes] = {}
        #: What was skipped and why: ``sccp``, ``bicc``, ``other-si``, ``not-sigtran`` ...
        self.counts: Counter[str] = Counter()
        #: What the shortcuts completed and not yet handed out (the reader's caller drains it).
        self.pending: list[Output] = []
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
        #: The shortcut per link type: ``capture`` offers it each frame in place (no copy).
        self.shortcuts: dict[int, Shortcut] = (
            {
                link.LINKTYPE_ETHERNET: self._fast_ethernet,
                link.LINKTYPE_LINUX_SLL: self._fast_sll,
                link.LINKTYPE_LINUX_SLL2: self._fast_sll2,
                link.LINKTYPE_RAW: self._fast_raw,
                link.LINKTYPE_IPV4: self._fast_raw,
            }
            if fast
            else {}
        )

    def feed(self, frame: Frame) -> list[Output]:
        """Decode one frame; return the records and issues it completed, in order."""
        shortcut = self.shortcuts.get(frame.linktype)
        data = frame.data
        if shortcut is not None and shortcut(
            data, 0, len(data), frame.number, frame.ts_ns, frame.interface
        ):
            out = self.pending[:]
            self.pending.clear()
            return out
        return self.feed_declined(frame)

    def feed_declined(self, frame: Frame) -> list[Output]:
        """``feed`` for a frame the shortcut of its link type has already declined."""
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

    # --- the shortcut --------------------------------------------------------------------------

    def _fast_ethernet(
        self, data: bytes, start: int, end: int, number: int, ts_ns: int, interface: int
    ) -> bool:
        if end - start < 14 + _SMALL_SIZE:
            return False
        ethertype = (data[start + 12] << 8) | data[start + 13]
        if ethertype == _ETHERTYPE_IPV4:
            return self._fast_ipv4(data, start, start + 14, end, number, ts_ns, interface)
        if (
            ethertype == _VLAN
            and end - start >= 18 + _SMALL_SIZE
            and (data[start + 16] << 8) | data[start + 17] == _ETHERTYPE_IPV4
        ):
            return self._fast_ipv4(data, start, start + 18, end, number, ts_ns, interface)
        return False

    def _fast_sll(
        self, data: bytes, start: int, end: int, number: int, ts_ns: int, interface: int
    ) -> bool:
        return (
            end - start >= 16 + _SMALL_SIZE
            and (data[start + 14] << 8) | data[start + 15] == _ETHERTYPE_IPV4
            and self._fast_ipv4(data, start, start + 16, end, number, ts_ns, interface)
        )

    def _fast_sll2(
        self, data: bytes, start: int, end: int, number: int, ts_ns: int, interface: int
    ) -> bool:
        return (
            end - start >= 20 + _SMALL_SIZE
            and (data[start] << 8) | data[start + 1] == _ETHERTYPE_IPV4
            and self._fast_ipv4(data, start, start + 20, end, number, ts_ns, interface)
        )

    def _fast_raw(
        self, data: bytes, start: int, end: int, number: int, ts_ns: int, interface: int
    ) -> bool:
        return end - start >= _SMALL_SIZE and self._fast_ipv4(
            data, start, start, end, number, ts_ns, interface
        )

    def _fast_ipv4(  # noqa: C901, PLR0911, PLR0912 - one pass over the commonest frame
        self,
        data: bytes,
        start: int,
        ip: int,
        end: int,
        number: int,
        ts_ns: int,
        interface: int,
    ) -> bool:
        """Take the commonest frame in one pass; False (nothing done) for any other frame.

        ``data[start:end]`` is the frame, its IPv4 header at ``ip`` (at least ``_FAST_SIZE``
        octets before ``end``).  Taken: IPv4 without options or fragments carrying SCTP with
        only control chunks (SACK, HEARTBEAT ...: nothing to decode), or with one
        unfragmented DATA chunk of PPID 3 filling the packet and holding M3UA DATA with
        Protocol Data (after a Network Appearance / Routing Context or not).  The result is
        the general path's, except that a message skipped by ``only`` is not entered in the
        SCTP retransmission memory.
        """
        if end - ip < _FAST_SIZE:
            return self._fast_small(data, ip, end, number)
        (
            version_ihl,
            total,
            fragment,
            protocol,
            association,
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
        ) = _FAST.unpack_from(data, ip)
        packet_end = ip + total
        if (
            version_ihl != 0x45
            or protocol != _SCTP
            or fragment & 0x3FFF
            or packet_end > end
            or total < _SMALL_SIZE
        ):
            return False
        if chunk_type:
            return chunk_type != _IDATA and self._fast_control(data, ip + 32, packet_end, number)
        chunk_end = ip + 32 + chunk_length
        m3ua_end = ip + 48 + m3ua_length
        if (
            chunk_flags & _UNFRAGMENTED != _UNFRAGMENTED
            or ppid != _PPID_M3UA
            or m3ua_version != 1
            or ip + 32 + ((chunk_length + 3) & ~3) != packet_end
        ):
            return False
        if m3ua_class != 1 or m3ua_type != 1:
            return (
                m3ua_length >= 8
                and m3ua_end <= chunk_end
                and self._fast_management(association, tsn, data[ip + 48 : chunk_end], number)
            )
        if not ip + 72 <= m3ua_end <= chunk_end:
            return False
        parameter = ip + 56
        if tag != _TAG_PROTOCOL_DATA:
            while tag in _BEFORE_PROTOCOL_DATA and parameter_length == 8:
                parameter += 8
                if parameter + 20 > m3ua_end:
                    return False
                tag, parameter_length, opc, dpc, si, ni, sls, message_type = (
                    _PROTOCOL_DATA.unpack_from(data, parameter)
                )
            if tag != _TAG_PROTOCOL_DATA:
                return False
        parameter_end = parameter + parameter_length
        if not parameter + 16 <= parameter_end <= m3ua_end:
            return False
        out = self.pending
        if self._segments.held:
            self._segments.expire(number, out)
        if si != SI_ISUP:
            self._skip_service(si)
            return True
        only = self._only
        if only is not None and (
            parameter_end < parameter + 19
            or (message_type not in only and not (message_type == _SGM and self._segments.held))
        ):
            return True
        if self._sctp.is_retransmission(association, tsn, data[ip + 48 : chunk_end]):
            self.counts["sctp-retransmission"] += 1
            return True
        link_key = self._link_keys.get(association) or self._link_of(association)
        pair = (link_key, opc, dpc) if opc <= dpc else (link_key, dpc, opc)
        isup_start = parameter + 16
        isup = data[isup_start:parameter_end]
        base = isup_start - start
        variant, basis = self._variants.lookup(pair)
        if variant is not None:
            try:
                message = (
                    decode_iam(isup, variant, base, strict=False)
                    if message_type == _IAM
                    else decode_isup(isup, variant, base=base)
                )
            except DecodeError:
                pass
            else:
                if not message.issues and message_type in ASSIGNED[variant]:
                    routing = (opc, dpc, ni, sls)
                    self._record(
                        number, ts_ns, interface, _M3UA, routing, variant, basis, message, out
                    )
                    return True
        decided = self._variants.decide(pair, isup, labelled=False, base=base)
        self._emit(number, ts_ns, interface, _M3UA, (opc, dpc, ni, sls), decided, out)
        return True

    def _fast_management(
        self, association: Association, tsn: int, payload: bytes, number: int
    ) -> bool:
        """Take an M3UA message other than DATA (ASPSM, ASPTM, MGMT ...): nothing for ISUP."""
        if self._segments.held:
            self._segments.expire(number, self.pending)
        if self._sctp.is_retransmission(association, tsn, payload):
            self.counts["sctp-retransmission"] += 1
        return True

    def _fast_small(self, data: bytes, ip: int, end: int, number: int) -> bool:
        """A packet too short for ``_FAST``: taken only if it holds SCTP control chunks only."""
        version_ihl, total, fragment, protocol, chunk_type = _SMALL.unpack_from(data, ip)
        packet_end = ip + total
        return (
            version_ihl == 0x45
            and protocol == _SCTP
            and not fragment & 0x3FFF
            and total >= _SMALL_SIZE
            and packet_end <= end
            and chunk_type not in _DATA_CHUNKS
            and self._fast_control(data, ip + 32, packet_end, number)
        )

    def _fast_control(self, data: bytes, index: int, packet_end: int, number: int) -> bool:
        """Take an SCTP packet of control chunks only (nothing for SIGTRAN in it)."""
        while index + 4 <= packet_end:
            length = (data[index + 2] << 8) | data[index + 3]
            if not data[index] or data[index] == _IDATA or length < 4:
                return False
            index += (length + 3) & ~3
        if index != packet_end:
            return False
        if self._segments.held:
            self._segments.expire(number, self.pending)
        return True

    def _link_of(self, association: Association) -> bytes:
        """The link key of an association direction (``_link``), remembered."""
        found = self._link_keys.get(association)
        if found is None:
            if len(self._link_keys) >= _MAX_LINK_KEYS:
                self._link_keys.clear()
            found = self._link_keys[association] = _link(association)
        return found

    # --- link layers -------------------------------------------------------------------------

    def _ethernet(self, frame: Frame, out: list[Output]) -> None:
        self._ip_packet(frame, *link.ethernet(frame.data), out)

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
        source_port, destination_port, _, chunks, junk = data_chunks(data, start, end)
        if junk:
            out.append(Issue(frame.number, Layer.SCTP, end, "junk after the last chunk ignored"))
        association: Association = source + destination + data[start : start + 8]
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
                self._msu(
                    frame, msu, base + found[0], Transport.M3UA, self._link_of(association), out
                )
        elif kind == _PPID_M2PA:
            span = m2pa.user_data(payload, 0, end)
            if span is not None:
                msu = payload[span[0] : span[1]]
                self._msu(
                    frame, msu, base + span[0], Transport.M2PA, self._link_of(association), out
                )
        else:
            m2ua_data = m2ua.data_message(payload, 0, end)
            if m2ua_data is not None:
                iid, msu_start, msu_end = m2ua_data
                msu = payload[msu_start:msu_end]
                key = (self._link_of(association), iid)
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
        pair = (self._link_of(association), min(found.opc, found.dpc), max(found.opc, found.dpc))
        decided = self._variants.decide(pair, data, labelled=False, base=base + found.start)
        routing = (found.opc, found.dpc, found.ni, found.sls)
        self._emit(
            frame.number, frame.ts_ns, frame.interface, Transport.M3UA, routing, decided, out
        )

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
        routing = (reading.opc, reading.dpc, sio >> 6, reading.sls)
        self._emit(frame.number, frame.ts_ns, frame.interface, transport, routing, decided, out)

    def _emit(
        self,
        number: int,
        ts_ns: int,
        interface: int,
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
                out.append(Issue(number, error.layer, error.offset, error.reason))
            return
        if issue is not None:
            message = message._replace(issues=(*message.issues, issue))
        self._record(
            number, ts_ns, interface, transport, routing, reading.variant, basis, message, out
        )

    def _record(  # noqa: PLR0913 - the fields of one record
        self,
        number: int,
        ts_ns: int,
        interface: int,
        transport: Transport,
        routing: tuple[int, int, int, int],
        variant: Variant,
        basis: VariantBasis,
        message: IsupMessage,
        out: list[Output],
    ) -> None:
        """Emit the record of a message (or hold a segmented IAM until its SGM)."""
        record = _new(
            IsupRecord,
            (number, ts_ns, interface, transport, *routing, message.cic, variant, basis, message),
        )
        segments = self._segments
        if (segments.held or announces_segmentation(message)) and segments.offer(record, out):
            return
        if self._only is None or message.message_type in self._only:
            out.append(record)
