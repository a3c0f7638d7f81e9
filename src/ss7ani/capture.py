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
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple, cast

from .errors import CaptureError, Layer
from .records import Issue

#: Largest frame (captured length) accepted; a larger record length means a corrupt file.
MAX_FRAME = 256 * 1024
#: Largest pcapng block accepted (a block length above it means a corrupt file).
MAX_BLOCK = MAX_FRAME + 4096
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
        self.data = b""
        self.pos = 0
        self.base = 0

    def fill(self, need: int) -> bool:
        """Make ``need`` octets available from ``pos``; False at end of file."""
        while len(self.data) - self.pos < need:
            try:
                more = self.stream.read(max(_CHUNK, need))
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                msg = f"read error at file offset {self.base + len(self.data)}: {error}"
                raise CaptureError(msg) from error
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
    buf = _Buffer(stream)
    if not buf.fill(4):
        msg = "empty file or not a capture (shorter than a file header)"
        raise CaptureError(msg)
    magic = buf.data[:4]
    if magic in _PCAP_MAGIC:
        return _pcap(buf, *_PCAP_MAGIC[magic])
    if int.from_bytes(magic, "little") == _SHB:
        return _pcapng(buf)
    msg = f"not a pcap or pcapng file (magic {magic.hex()})"
    raise CaptureError(msg)


def _truncated(frame: int, offset: int, what: str) -> Issue:
    return Issue(frame, Layer.CAPTURE, offset, f"file ends inside {what}")


def _pcap(buf: _Buffer, order: str, frac_ns: int) -> Iterator[Frame | Issue]:
    if not buf.fill(24):
        msg = "pcap file shorter than its 24-octet file header"
        raise CaptureError(msg)
    _, _, _, _, _, snaplen, linkfield = struct.unpack_from(order + "IHHiIII", buf.data, 0)
    linktype = linkfield & 0x0FFFFFFF
    limit = max(MAX_FRAME, min(snaplen, MAX_FRAME * 4))
    buf.pos = 24
    unpack = struct.Struct(order + "IIII").unpack_from
    number = 0
    while True:
        if not buf.fill(16):
            if buf.pos < len(buf.data):
                yield _truncated(number + 1, buf.offset, "a record header")
            return
        # Every record wholly inside the buffer, without going back to fill() (the hot loop).
        data, pos = buf.data, buf.pos
        stop = len(data) - 16
        while pos <= stop:
            sec, frac, incl, orig = unpack(data, pos)
            end = pos + 16 + incl
            if incl > limit or end > len(data):
                break
            number += 1
            yield Frame(
                number,
                sec * 1_000_000_000 + frac * frac_ns,
                0,
                linktype,
                data[pos + 16 : end],
                orig,
            )
            pos = end
        buf.pos = pos
        if not buf.fill(16):
            continue
        incl = unpack(buf.data, buf.pos)[2]
        if incl > limit:
            reason = f"record length {incl} exceeds the limit {limit}: corrupt file, reading stops"
            yield Issue(number + 1, Layer.CAPTURE, buf.offset, reason)
            return
        if not buf.fill(16 + incl):
            yield _truncated(
                number + 1, buf.offset, f"frame {number + 1} ({incl} octets announced)"
            )
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
    linktype = struct.unpack_from(order + "H", body, 0)[0]
    multiplier, divisor = 1000, 1
    offset_ns = 0
    for code, value in _options(body, 8, order):
        if code == 9 and value:
            multiplier, divisor = _ts_scale(value[0])
        elif code == 14 and len(value) == 8:
            offset_ns = struct.unpack(order + "q", value)[0] * 1_000_000_000
    return Interface(linktype, multiplier, divisor, offset_ns)


def _pcapng(buf: _Buffer) -> Iterator[Frame | Issue]:
    order = "<"
    interfaces: list[Interface] = []
    number = 0
    while True:
        if not buf.fill(12):
            if buf.pos < len(buf.data):
                yield _truncated(number + 1, buf.offset, "a block header")
            return
        block_type = int.from_bytes(
            buf.data[buf.pos : buf.pos + 4], "little" if order == "<" else "big"
        )
        if block_type == _SHB:
            magic = buf.data[buf.pos + 8 : buf.pos + 12]
            order = "<" if magic == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        length = struct.unpack_from(order + "I", buf.data, buf.pos + 4)[0]
        if length < 12 or length % 4 or length > MAX_BLOCK:
            reason = f"block length {length} is invalid: corrupt file, reading stops"
            yield Issue(number + 1, Layer.CAPTURE, buf.offset, reason)
            return
        if not buf.fill(length):
            yield _truncated(number + 1, buf.offset, f"a block of {length} octets")
            return
        body = buf.data[buf.pos + 8 : buf.pos + length - 4]
        block_offset = buf.offset
        buf.pos += length
        if block_type == 1:
            interfaces.append(_interface(body, order))
            continue
        if block_type == 6:
            iface, high, low, caplen, orig = struct.unpack_from(order + "IIIII", body, 0)
            data_start = 20
        elif block_type == 3:
            iface, high, low, orig = 0, 0, 0, struct.unpack_from(order + "I", body, 0)[0]
            caplen = min(orig, len(body) - 4)
            data_start = 4
        elif block_type == 2:
            iface, _, high, low, caplen, orig = struct.unpack_from(order + "HHIIII", body, 0)
            data_start = 20
        else:
            continue
        number += 1
        if iface >= len(interfaces) or data_start + caplen > len(body):
            reason = (
                f"packet block names unknown interface {iface}"
                if iface >= len(interfaces)
                else f"captured length {caplen} overruns its block"
            )
            yield Issue(number, Layer.CAPTURE, block_offset, reason)
            continue
        info = interfaces[iface]
        ts_ns = ((high << 32) | low) * info.multiplier // info.divisor + info.offset_ns
        yield Frame(
            number, ts_ns, iface, info.linktype, body[data_start : data_start + caplen], orig
        )
