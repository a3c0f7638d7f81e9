"""The only file reader: pcap and pcapng (optionally gzip-compressed) into frames.

pcap: draft-ietf-opsawg-pcap (microsecond and nanosecond magic, both byte orders).
pcapng: draft-ietf-opsawg-pcapng (several sections and interfaces, ``if_tsresol``,
``if_tsoffset``, EPB, SPB and the obsolete PB; other blocks skipped).

The file is read in blocks into a bounded buffer, so memory does not grow with the capture.  A
record or block whose length field is absurd ends the read with one issue (the data after it
cannot be framed); a file cut short yields every complete frame, then one issue saying where
it ended.
"""

from __future__ import annotations

import gzip
import io
import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import BinaryIO, NamedTuple, cast

from .errors import CaptureError, Layer
from .records import Issue

#: Largest frame (captured length) accepted; a larger record length means a corrupt file.
MAX_FRAME = 256 * 1024
#: Largest pcapng block accepted (a block length above it means a corrupt file).
MAX_BLOCK = MAX_FRAME + 4096
#: Interfaces (IDBs) kept per pcapng section; further ones are reported and ignored.
MAX_INTERFACES = 4096
# Fixed fields before the packet data of EPB (6), SPB (3) and the obsolete PB (2).
_PACKET_HEADER = {6: 20, 3: 4, 2: 20}
_CHUNK = 1 << 20

_PCAP_MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1000),
    b"\xa1\xb2\xc3\xd4": (">", 1000),
    b"\x4d\x3c\xb2\xa1": ("<", 1),
    b"\xa1\xb2\x3c\x4d": (">", 1),
}
_SHB = 0x0A0D0D0A
_GZIP = b"\x1f\x8b"


class Frame(NamedTuple):
    """One captured packet: 1-based frame number, time in ns, interface, link type, octets."""

    number: int
    ts_ns: int
    interface: int
    linktype: int
    data: bytes
    orig_len: int


#: A decoder's shortcut for the commonest frames, offered each frame in place (no copy):
#: ``(buffer, frame start, frame end, frame number, time in ns, interface)`` -> whether it took
#: the frame.  A frame not taken is yielded as a ``Frame``; ``None`` is yielded after each
#: stretch of frames read, so that the caller hands out what the shortcuts completed in order.
Shortcut = Callable[[bytes, int, int, int, int, int], bool]
_NO_SHORTCUTS: Mapping[int, Shortcut] = {}


class Mark(Enum):
    """What ``read_span`` yields between frames, besides ``None`` (the end of a stretch)."""

    #: Every warm-up frame has been read: what the shortcuts completed so far belongs to the
    #: previous span.
    WARMED = "warmed"


#: pcapng frames taken by shortcuts between two ``None`` s, and pcap octets read.
_STRETCH = 128
_STRETCH_OCTETS = 1 << 14


class Interface(NamedTuple):
    """A pcapng interface (or the single pcap one): link type and timestamp scaling."""

    linktype: int
    multiplier: int
    divisor: int
    offset_ns: int


def open_source(source: str | Path | BinaryIO) -> BinaryIO:
    """Open a path (``.gz`` or not, detected by content) or wrap a binary stream."""
    if isinstance(source, (str, Path)):
        try:
            raw: BinaryIO = Path(source).open("rb")  # noqa: SIM115 - closed by the caller
        except OSError as error:
            msg = f"cannot open {source}: {error.strerror or error}"
            raise CaptureError(msg) from error
    else:
        raw = source
    buffered = (
        raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast("io.RawIOBase", raw))
    )
    try:
        head = buffered.peek(2)[:2]
    except OSError as error:
        msg = f"cannot read capture: {error}"
        raise CaptureError(msg) from error
    if head == _GZIP:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


class _Buffer:
    """A bounded read-ahead buffer over a stream, tracking the absolute file offset."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        # read1 hands out what a gzip stream has decompressed so far: a damaged or cut .gz
        # then still yields the frames before the damage.
        self.read = getattr(stream, "read1", stream.read)
        self.data = b""
        self.pos = 0
        self.base = 0
        #: Why reading stopped early (a damaged stream), or None at a plain end of file.
        self.error: str | None = None

    def fill(self, need: int) -> bool:
        """Make ``need`` octets available from ``pos``; False at end of file (or a read error)."""
        while len(self.data) - self.pos < need:
            if self.error is not None:
                return False
            try:
                more = self.read(max(_CHUNK, need))
            except (OSError, EOFError, zlib.error) as error:
                self.error = f"read error at file offset {self.base + len(self.data)}: {error}"
                return False
            if not more:
                return False
            self.base += self.pos
            self.data = self.data[self.pos :] + more
            self.pos = 0
        return True

    @property
    def offset(self) -> int:
        return self.base + self.pos


def read_frames(stream: BinaryIO) -> Iterator[Frame | Issue]:
    """Yield every frame of a pcap or pcapng stream, then at most one issue about its end."""
    return cast("Iterator[Frame | Issue]", read_offering(stream, _NO_SHORTCUTS))


def read_offering(
    stream: BinaryIO, shortcuts: Mapping[int, Shortcut]
) -> Iterator[Frame | Issue | None]:
    """``read_frames`` that first offers each frame to the shortcut of its link type.

    Frames a shortcut takes are not yielded; ``None`` marks the end of each stretch read.
    Without shortcuts nothing but frames and issues is yielded.
    """
    buf = _Buffer(stream)
    if not buf.fill(4):
        msg = buf.error or "empty file or not a capture (shorter than a file header)"
        raise CaptureError(msg)
    magic = buf.data[:4]
    if magic in _PCAP_MAGIC:
        found = _pcap(buf, _pcap_header(buf, *_PCAP_MAGIC[magic]), shortcuts)
    elif int.from_bytes(magic, "little") == _SHB:
        found = _pcapng(buf, shortcuts)
    else:
        msg = f"not a pcap or pcapng file (magic {magic.hex()})"
        raise CaptureError(msg)
    return cast("Iterator[Frame | Issue | None]", found)


def _truncated(frame: int, offset: int, what: str) -> Issue:
    return Issue(frame, Layer.CAPTURE, offset, f"file ends inside {what}")


def _ended(buf: _Buffer, frame: int, what: str) -> Iterator[Issue]:
    """The one issue at the end of the data: damaged stream, cut record, or none."""
    if buf.error is not None:
        yield Issue(frame, Layer.CAPTURE, buf.offset, buf.error)
    elif buf.pos < len(buf.data):
        yield _truncated(frame, buf.offset, what)


class _PcapHeader(NamedTuple):
    order: str
    frac_ns: int
    linktype: int
    limit: int


def _pcap_header(buf: _Buffer, order: str, frac_ns: int) -> _PcapHeader:
    if not buf.fill(24):
        msg = "pcap file shorter than its 24-octet file header"
        raise CaptureError(msg)
    _, _, _, _, _, snaplen, linkfield = struct.unpack_from(order + "IHHiIII", buf.data, 0)
    buf.pos = 24
    return _PcapHeader(
        order, frac_ns, linkfield & 0x0FFFFFFF, max(MAX_FRAME, min(snaplen, MAX_FRAME * 4))
    )


def _pcap(  # noqa: C901 - the hot loop stays in one function
    buf: _Buffer,
    header: _PcapHeader,
    shortcuts: Mapping[int, Shortcut],
    number: int = 0,
    stop: int = -1,
    own: int = 0,
) -> Iterator[Frame | Issue | Mark | None]:
    """Records from ``buf``'s position; ``number`` frames came before; stop at offset ``stop``.

    ``Mark.WARMED`` comes before frame ``own`` when shortcuts are given.
    """
    order, frac_ns, linktype, limit = header
    unpack = struct.Struct(order + "IIII").unpack_from
    shortcut = shortcuts.get(linktype)
    while True:
        if not buf.fill(16):
            if stop < 0:
                yield from _ended(buf, number + 1, "a record header")
            return
        # Every record wholly inside the buffer, without going back to fill() (the hot loop).
        data, pos = buf.data, buf.pos
        last = len(data) - 16
        if shortcut is not None:  # hand out what the shortcut completed while it is fresh
            last = min(last, pos + _STRETCH_OCTETS)
        if stop >= 0:
            last = min(last, stop - buf.base - 1)
        while pos <= last:
            sec, frac, incl, orig = unpack(data, pos)
            end = pos + 16 + incl
            if incl > limit or end > len(data):
                break
            number += 1
            if number == own and shortcut is not None:
                yield Mark.WARMED
            ts_ns = sec * 1_000_000_000 + frac * frac_ns
            if shortcut is None or not shortcut(data, pos + 16, end, number, ts_ns, 0):
                yield Frame(number, ts_ns, 0, linktype, data[pos + 16 : end], orig)
            pos = end
        buf.pos = pos
        if shortcut is not None:
            yield None
        if 0 <= stop <= buf.offset or not buf.fill(16):
            if stop >= 0:
                return
            continue
        incl = unpack(buf.data, buf.pos)[2]
        if incl > limit:
            reason = f"record length {incl} exceeds the limit {limit}: corrupt file, reading stops"
            yield Issue(number + 1, Layer.CAPTURE, buf.offset, reason)
            return
        if not buf.fill(16 + incl):
            yield from _ended(buf, number + 1, f"frame {number + 1} ({incl} octets announced)")
            return


def _ts_scale(resolution: int) -> tuple[int, int]:
    """``if_tsresol`` as (multiplier, divisor) to nanoseconds (pcapng §4.2)."""
    exponent = resolution & 0x7F
    if resolution & 0x80:
        return 1_000_000_000, 1 << exponent
    if exponent <= 9:
        return 10 ** (9 - exponent), 1
    return 1, 10 ** (exponent - 9)


def _options(body: bytes, start: int, order: str) -> Iterator[tuple[int, bytes]]:
    """Yield (code, value) of a pcapng option list, stopping at opt_endofopt or the body end."""
    index = start
    while index + 4 <= len(body):
        code, length = struct.unpack_from(order + "HH", body, index)
        if code == 0:
            return
        yield code, body[index + 4 : index + 4 + length]
        index += 4 + ((length + 3) & ~3)


def _interface(body: bytes, order: str) -> Interface:
    """An IDB body as an Interface (link type -1 for a body too short to hold one)."""
    if len(body) < 8:
        return Interface(-1, 1000, 1, 0)
    linktype = struct.unpack_from(order + "H", body, 0)[0]
    multiplier, divisor = 1000, 1
    offset_ns = 0
    for code, value in _options(body, 8, order):
        if code == 9 and value:
            multiplier, divisor = _ts_scale(value[0])
        elif code == 14 and len(value) == 8:
            offset_ns = struct.unpack(order + "q", value)[0] * 1_000_000_000
    return Interface(linktype, multiplier, divisor, offset_ns)


#: An enhanced packet block's header and fixed fields (pcapng §4.3), per byte order.
_EPB = {"<": struct.Struct("<7I"), ">": struct.Struct(">7I")}
#: The smallest enhanced packet block: header, fixed fields, trailing length.
_EPB_MIN = 32


def _pcapng(  # noqa: C901, PLR0912, PLR0915 - the hot loop stays in one function
    buf: _Buffer,
    shortcuts: Mapping[int, Shortcut],
    order: str = "<",
    interfaces: tuple[Interface, ...] = (),
    number: int = 0,
    stop: int = -1,
    own: int = 0,
) -> Iterator[Frame | Issue | Mark | None]:
    """Blocks from ``buf``'s position, in a section of byte ``order`` with ``interfaces``.

    ``Mark.WARMED`` comes before frame ``own`` when shortcuts are given.
    """
    known = list(interfaces)
    taken = 0
    while True:
        if shortcuts:
            # The hot loop: well-formed enhanced packet blocks wholly inside the buffer, offered
            # in place (no block copy, no fill() call); any other block takes the path below.
            data, pos = buf.data, buf.pos
            size = len(data)
            last = min(size - _EPB_MIN, pos + _STRETCH_OCTETS)
            if stop >= 0:
                last = min(last, stop - buf.base - 1)
            unpack = _EPB[order].unpack_from
            first = pos
            while pos <= last:
                kind, length, iface, high, low, caplen, orig = unpack(data, pos)
                if (
                    kind != 6  # an enhanced packet block
                    or length % 4
                    or not caplen + _EPB_MIN <= length <= MAX_BLOCK
                    or pos + length > size
                    or iface >= len(known)
                    or number + 1 == own
                ):
                    break
                number += 1
                info = known[iface]
                ts_ns = ((high << 32) | low) * info.multiplier // info.divisor + info.offset_ns
                shortcut = shortcuts.get(info.linktype)
                start = pos + 28
                end = start + caplen
                if shortcut is None or not shortcut(data, start, end, number, ts_ns, iface):
                    yield Frame(number, ts_ns, iface, info.linktype, data[start:end], orig)
                pos += length
            if pos != first:
                buf.pos = pos
                yield None  # hand out what the shortcut completed while it is fresh
        if 0 <= stop <= buf.offset:
            return
        if not buf.fill(12):
            yield from _ended(buf, number + 1, "a block header")
            return
        block_type = int.from_bytes(
            buf.data[buf.pos : buf.pos + 4], "little" if order == "<" else "big"
        )
        if block_type == _SHB:
            magic = buf.data[buf.pos + 8 : buf.pos + 12]
            order = "<" if magic == b"\x4d\x3c\x2b\x1a" else ">"
            known = []
        length = struct.unpack_from(order + "I", buf.data, buf.pos + 4)[0]
        if length < 12 or length % 4 or length > MAX_BLOCK:
            reason = f"block length {length} is invalid: corrupt file, reading stops"
            yield Issue(number + 1, Layer.CAPTURE, buf.offset, reason)
            return
        if not buf.fill(length):
            yield from _ended(buf, number + 1, f"a block of {length} octets")
            return
        body = buf.data[buf.pos + 8 : buf.pos + length - 4]
        block_offset = buf.offset
        buf.pos += length
        if block_type == 1:
            problem = _add_interface(known, body, order)
            if problem:
                yield Issue(number + 1, Layer.CAPTURE, block_offset, problem)
            continue
        if block_type not in _PACKET_HEADER:
            continue
        number += 1
        if number == own and shortcuts:
            yield Mark.WARMED
        fields = _packet_fields(block_type, body, order)
        if isinstance(fields, str) or fields[0] >= len(known):
            reason = fields if isinstance(fields, str) else f"unknown interface {fields[0]}"
            yield Issue(number, Layer.CAPTURE, block_offset, f"packet block: {reason}")
            continue
        iface, timestamp, start, caplen, orig = fields
        info = known[iface]
        ts_ns = timestamp * info.multiplier // info.divisor + info.offset_ns
        shortcut = shortcuts.get(info.linktype)
        if shortcut is not None and shortcut(body, start, start + caplen, number, ts_ns, iface):
            taken += 1
            if taken == _STRETCH:
                taken = 0
                yield None
            continue
        yield Frame(number, ts_ns, iface, info.linktype, body[start : start + caplen], orig)


def _add_interface(known: list[Interface], body: bytes, order: str) -> str:
    """Append an IDB to the section's interfaces; return a problem to report, or ''."""
    if len(known) >= MAX_INTERFACES:
        if len(known) > MAX_INTERFACES:
            return ""  # reported once per section
        known.append(Interface(-1, 1000, 1, 0))
        return f"more than {MAX_INTERFACES} interfaces in a section; the others are ignored"
    known.append(_interface(body, order))
    return "interface description block shorter than 8 octets" if known[-1].linktype < 0 else ""


def _packet_fields(kind: int, body: bytes, order: str) -> tuple[int, int, int, int, int] | str:
    """(interface, timestamp, data start, captured length, original length) of EPB / SPB / PB."""
    if len(body) < _PACKET_HEADER[kind]:
        return f"block of type {kind} shorter than its fixed fields"
    if kind == 6:
        iface, high, low, caplen, orig = struct.unpack_from(order + "IIIII", body, 0)
        start = 20
    elif kind == 3:
        iface, high, low, orig = 0, 0, 0, struct.unpack_from(order + "I", body, 0)[0]
        caplen, start = min(orig, len(body) - 4), 4
    else:
        iface, _, high, low, caplen, orig = struct.unpack_from(order + "HHIIII", body, 0)
        start = 20
    if start + caplen > len(body):
        return f"captured length {caplen} overruns its block"
    return iface, (high << 32) | low, start, caplen, orig


class Span(NamedTuple):
    """A stretch of a capture file that one worker decodes on its own (``spans``).

    Reading starts at file offset ``start`` with ``number`` frames before it.  The frames
    before frame number ``own`` only warm the decoder's state up (SCTP fragments, MTP2 repeats,
    variants, segmentation); their output belongs to the previous span.  Reading stops at file
    offset ``stop`` (-1: the end of the file, the last span).  A pcapng span also carries the
    section's byte order and interfaces as of ``start``.
    """

    start: int
    number: int
    own: int
    stop: int
    order: str = ""
    interfaces: tuple[Interface, ...] = ()


def spans(path: str | Path, *, size: int = 2 << 20, warmup: int = 512) -> Iterator[Span]:
    """Split a plain (uncompressed) pcap / pcapng file into spans of about ``size`` octets.

    Only record and block headers are read.  Yields nothing for a file that is compressed or
    not a capture: the caller then reads it whole.
    """
    with Path(path).open("rb") as stream:
        buf = _Buffer(stream)
        if not buf.fill(4):
            return
        magic = buf.data[:4]
        if magic in _PCAP_MAGIC:
            yield from _pcap_spans(buf, _pcap_header(buf, *_PCAP_MAGIC[magic]), size, warmup)
            return
        if int.from_bytes(magic, "little") != _SHB:
            return
        walk = _walk_pcapng(buf)
        recent: deque[tuple[int, int, str, tuple[Interface, ...]]] = deque(maxlen=warmup + 1)
        warm: tuple[int, int, str, tuple[Interface, ...]] | None = None
        begin = own = 0
        for place in walk:
            recent.append(place)
            offset = place[0]
            if warm is None:
                warm, begin, own = recent[0], offset, place[1] + 1
            elif offset - begin >= size:
                yield Span(warm[0], warm[1], own, offset, warm[2], warm[3])
                warm, begin, own = recent[0], offset, place[1] + 1
        if warm is not None:
            yield Span(warm[0], warm[1], own, -1, warm[2], warm[3])


def _pcap_spans(buf: _Buffer, header: _PcapHeader, size: int, warmup: int) -> Iterator[Span]:
    """``spans`` of a pcap file, its record headers walked inside the buffer (the hot loop)."""
    incl_at = struct.Struct(header.order + "I").unpack_from
    limit = header.limit
    offsets: list[int] = []  # offsets of the records numbered from first + 1 on
    first = 0
    start = start_number = own = 0
    begin = -1  # offset of the current span's first own frame (-1: no record yet)
    while buf.fill(16):
        data, base, pos = buf.data, buf.base, buf.pos
        end = len(data)
        incl = 0
        while pos + 16 <= end:
            incl = incl_at(data, pos + 8)[0]
            if incl > limit:
                break
            offset = base + pos
            if begin < 0:
                begin, own = offset, 1
                start = offset
            elif offset - begin >= size:
                index = len(offsets)
                back = max(0, index - warmup)
                yield Span(start, start_number, own, offset)
                start, start_number = offsets[back], first + back
                begin, own = offset, first + index + 1
                del offsets[:back]
                first += back
            offsets.append(offset)
            if pos + 16 + incl > end:
                break
            pos += 16 + incl
        else:
            buf.pos = pos
            continue
        buf.pos = pos
        if incl > limit or not buf.fill(16 + incl):
            break
        buf.pos += 16 + incl
    if begin >= 0:
        yield Span(start, start_number, own, -1)


#: A pcapng block's type and length, per byte order.
_BLOCK_HEADER = {"<": struct.Struct("<II"), ">": struct.Struct(">II")}


def _walk_pcapng(buf: _Buffer) -> Iterator[tuple[int, int, str, tuple[Interface, ...]]]:
    """(offset, frames before it, byte order, interfaces) of every pcapng block."""
    order = "<"
    interfaces: tuple[Interface, ...] = ()
    number = 0
    while buf.fill(12):
        # The hot loop: blocks wholly inside the buffer that change neither the byte order nor
        # the interfaces; a section header, an interface description or a block running past
        # the buffer takes the path below.
        header = _BLOCK_HEADER[order].unpack_from
        data, pos, base = buf.data, buf.pos, buf.base
        end = len(data)
        while pos + 12 <= end:
            block_type, length = header(data, pos)
            if (
                block_type in (_SHB, 1)
                or length < 12  # the smallest block
                or length % 4
                or length > MAX_BLOCK
                or pos + length > end
            ):
                break
            yield base + pos, number, order, interfaces
            if block_type in _PACKET_HEADER:
                number += 1
            pos += length
        buf.pos = pos
        if not buf.fill(12):
            return
        block_type = int.from_bytes(
            buf.data[buf.pos : buf.pos + 4], "little" if order == "<" else "big"
        )
        if block_type == _SHB:
            order = "<" if buf.data[buf.pos + 8 : buf.pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = ()
        length = struct.unpack_from(order + "I", buf.data, buf.pos + 4)[0]
        if length < 12 or length % 4 or length > MAX_BLOCK or not buf.fill(length):
            return
        yield buf.offset, number, order, interfaces
        if block_type == 1:
            interfaces = (
                *interfaces,
                _interface(buf.data[buf.pos + 8 : buf.pos + length - 4], order),
            )
        elif block_type in (2, 3, 6):
            number += 1
        buf.pos += length


def read_span(
    path: str | Path, span: Span, shortcuts: Mapping[int, Shortcut] = _NO_SHORTCUTS
) -> Iterator[Frame | Issue | Mark | None]:
    """Yield the frames of one span (warm-up frames included; the caller tells them apart).

    ``shortcuts`` as for ``read_offering``; ``Mark.WARMED`` then comes before the span's own
    first frame.
    """
    with Path(path).open("rb") as stream:
        buf = _Buffer(stream)
        buf.fill(4)
        magic = buf.data[:4]
        pcap = magic in _PCAP_MAGIC
        header = _pcap_header(buf, *_PCAP_MAGIC[magic]) if pcap else None
        stream.seek(span.start)
        buf.data, buf.pos, buf.base = b"", 0, span.start
        if header is not None:
            yield from _pcap(buf, header, shortcuts, span.number, span.stop, span.own)
        else:
            yield from _pcapng(
                buf, shortcuts, span.order, span.interfaces, span.number, span.stop, span.own
            )
