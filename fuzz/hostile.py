#!/usr/bin/env python3
"""Hostile inputs for invariant 3 of docs/robustness.md: bounded memory, no endless loop.

Each input is a generator of frames (or a file) built to push one bound of the pipeline: a
never-ending SCTP message, a million half-open reassemblies, IP fragment floods, MTP2 link and
point-code floods, segmented IAMs that never get their SGM, absurd capture lengths.  Each runs
in a fresh process with a time limit; its peak memory above the process's start is measured.

    python fuzz/hostile.py [--scale N] [--timeout S] [NAME...]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import signal
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import NamedTuple

import ss7ani
from ss7ani import writer
from ss7ani.capture import MAX_FRAME, Frame
from ss7ani.decode import Decoder
from ss7ani.isup.codes import Variant
from ss7ani.net import link
from ss7ani.records import Issue, IsupRecord

Output = IsupRecord | Issue
#: Peak memory a hostile input may add to its process before it counts as unbounded.
MEMORY_MIB = 256.0
#: Memory the second half of a hostile input may add before it counts as growing without bound
#: (a quarter of the peak, at least this).
GROWTH_MIB = 16.0
#: An input that takes longer than this, at fewer octets per second than ``SLOW_RATE``, makes
#: the pipeline pathologically slow (it decodes ordinary traffic at several MiB/s).
SLOW_SECONDS = 5.0
SLOW_RATE = 512 * 1024
_MIB = 1024


def peak_rss_kib() -> int:
    """This process's peak resident set size so far, in KiB (Linux ``ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _eth_ipv4(
    payload: bytes,
    *,
    source: str = "10.0.0.1",
    ident: int = 0,
    fragment: tuple[int, bool] | None = None,
) -> bytes:
    offset, more = fragment or (0, False)
    packet = writer.ipv4_packet(
        payload,
        src=source,
        dst="10.0.0.2",
        identification=ident,
        more_fragments=more,
        offset=offset,
    )
    return writer.ethernet_frame(packet, ethertype=writer.ETHERTYPE_IPV4)


def _sctp_frames(
    chunks: Iterator[bytes], per_frame: int, vtag: int = 1
) -> Iterator[tuple[int, bytes]]:
    batch: list[bytes] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) == per_frame:
            yield 1, _eth_ipv4(writer.sctp_packet(2905, 2905, vtag, batch, checksum=0))
            batch = []
    if batch:
        yield 1, _eth_ipv4(writer.sctp_packet(2905, 2905, vtag, batch, checksum=0))


def endless_fragments(count: int) -> Iterator[tuple[int, bytes]]:
    """One SCTP message that never ends: a first fragment, then one-octet middle fragments."""
    chunks = (
        writer.sctp_data_chunk(b"\x01", tsn=tsn, ssn=7, flags=0x02 if tsn == 0 else 0)
        for tsn in range(count)
    )
    return _sctp_frames(chunks, 3000)


def half_open_messages(count: int) -> Iterator[tuple[int, bytes]]:
    """``count`` SCTP messages of which only the first fragment ever arrives."""
    chunks = (
        writer.sctp_data_chunk(
            b"\x01\x00\x01\x01", tsn=n, stream=n >> 16, ssn=n & 0xFFFF, flags=0x02
        )
        for n in range(count)
    )
    return _sctp_frames(chunks, 3000)


def association_flood(count: int) -> Iterator[tuple[int, bytes]]:
    """``count`` SCTP associations (verification tags), each with one M3UA heartbeat."""
    beat = writer.sctp_data_chunk(writer.m3ua_beat(b"x"), tsn=1, ppid=3)
    for vtag in range(count):
        yield 1, _eth_ipv4(writer.sctp_packet(2905, 2905, vtag, [beat], checksum=0))


def ip_fragment_flood(count: int) -> Iterator[tuple[int, bytes]]:
    """``count`` IPv4 datagrams of which only the first fragment arrives."""
    for n in range(count):
        yield (
            1,
            _eth_ipv4(
                bytes(64),
                source=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                ident=n & 0xFFFF,
                fragment=(0, True),
            ),
        )


def ip_tiny_fragments(count: int) -> Iterator[tuple[int, bytes]]:
    """Datagrams of 8-octet fragments whose last fragment arrives first (a slow reassembly)."""
    for n in range(count):
        datagram, piece = divmod(n, 8190)
        offset = 65512 if piece == 0 else (piece - 1) * 8
        yield 1, _eth_ipv4(bytes(8), ident=datagram, fragment=(offset, piece != 0))


def ip_overlapping_fragments(count: int) -> Iterator[tuple[int, bytes]]:
    """64 datagrams at once, made of 1400-octet fragments that overlap every eight octets."""
    for n in range(count):
        piece, datagram = divmod(n, 64)
        yield 1, _eth_ipv4(bytes(1400), ident=datagram, fragment=(piece % 8000 * 8, True))


def ip_oversized(count: int) -> Iterator[tuple[int, bytes]]:
    """Fragments that end beyond the 65535-octet maximum of a datagram."""
    for n in range(count):
        yield 1, _eth_ipv4(bytes(64), ident=n & 0xFFFF, fragment=(65528, False))


_MSU = writer.mtp3_msu(bytes(12), variant=Variant.ITU, opc=1, dpc=2, sls=0)


def mtp2_link_flood(count: int) -> Iterator[tuple[int, bytes]]:
    """``count`` MTP2 links (pseudo-header link numbers and directions), one MSU each."""
    for n in range(count):
        header = writer.mtp2_pseudo_header(sent=bool(n >> 16 & 1), link=n & 0xFFFF)
        yield link.LINKTYPE_MTP2_WITH_PHDR, header + writer.mtp2_msu(_MSU, fsn=n & 127)


def mtp2_long_msus(count: int, size: int = 16 * 1024) -> Iterator[tuple[int, bytes]]:
    """MSUs of ``size`` octets on Annex A links (4096 sequence numbers), a new link every 4096."""
    body = writer.mtp3_msu(bytes(size), variant=Variant.ITU, opc=1, dpc=2, sls=0)
    for n in range(count):
        link_number, fsn = divmod(n, 4096)
        header = writer.mtp2_pseudo_header(annex_a_used=1, link=link_number & 0xFFFF)
        unit = struct.pack("<HHH", 0, fsn, 0x1FF)  # BSN, FSN, LI (long MSU)
        yield link.LINKTYPE_MTP2_WITH_PHDR, header + unit + body


def itu_iam(cic: int, *, segmented: bool = False) -> bytes:
    """A small ITU IAM (called number 1234) with optional forward call indicators (Q.763 §3.38).

    ``segmented`` sets bit C, simple segmentation: an SGM should follow.
    """
    indicators = b"\x08\x01" + (b"\x04" if segmented else b"\x00")
    fixed = b"\x01\x00\x20\x01\x0a\x00\x02\x06\x04\x03\x10\x21\x43"
    return cic.to_bytes(2, "little") + fixed + indicators + b"\x00"


def point_code_flood(count: int) -> Iterator[tuple[int, bytes]]:
    """``count`` M3UA point-code pairs, each with one IAM (the variant memory per pair)."""
    for n in range(count):
        data = writer.m3ua_data(itu_iam(1), opc=n, dpc=n + 1)
        chunk = writer.sctp_data_chunk(data, tsn=n)
        yield 1, _eth_ipv4(writer.sctp_packet(2905, 2905, 1, [chunk], checksum=0))


def segmented_iam_flood(count: int) -> Iterator[tuple[int, bytes]]:
    """IAMs announcing simple segmentation, 500 per SCTP packet, never followed by an SGM."""
    chunks = (
        writer.sctp_data_chunk(
            writer.m3ua_data(itu_iam(n & 0x0FFF, segmented=True), opc=n >> 12, dpc=1), tsn=n
        )
        for n in range(count)
    )
    return _sctp_frames(chunks, 500)


def pcap_file(records: Iterable[bytes], snaplen: int = 65535) -> bytes:
    """A little-endian microsecond pcap file of LINKTYPE_ETHERNET records."""
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1)
    return header + b"".join(records)


def _file_4gib_record(_count: int) -> bytes:
    return pcap_file([struct.pack("<IIII", 0, 0, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(64)])


def _file_block_ffffffff(_count: int) -> bytes:
    out = io.BytesIO()
    writer.PcapngWriter(out)
    return out.getvalue() + struct.pack("<II", 6, 0xFFFFFFFF) + bytes(64)


def _file_huge_snaplen(_count: int) -> bytes:
    size = 4 * MAX_FRAME + 1
    return pcap_file([struct.pack("<IIII", 0, 0, size, size) + bytes(64)], snaplen=0xFFFFFFFF)


def _file_interface_flood(count: int) -> Iterator[bytes]:
    """A section header and ``count`` identical IDBs, in pieces (the file is not held whole).

    Built directly: the writer keeps a table of the interfaces it adds, which would be
    measured along with the reader.
    """
    out = io.BytesIO()
    pcapng = writer.PcapngWriter(out)
    header = out.getvalue()
    pcapng.add_interface(1)
    block = out.getvalue()[len(header) :]
    yield header
    for start in range(0, count, 4096):
        yield block * min(4096, count - start)


class Hostile(NamedTuple):
    """A hostile input: frames or a file made from a count, and what an issue must say.

    ``expect`` empty: nothing need be reported (the bound is silent by design).  ``share``: the
    fraction of ``--hostile-scale`` items this input gets.
    """

    frames: Callable[[int], Iterator[tuple[int, bytes]]] | None
    file: Callable[[int], bytes | Iterator[bytes]] | None
    expect: str
    share: float = 1.0


#: Each hostile input, what its issues must say (empty: nothing need be reported), and the
#: share of ``--hostile-scale`` items it gets.
HOSTILE: dict[str, Hostile] = {
    "pcap record of 4 GiB": Hostile(None, _file_4gib_record, "exceeds the limit"),
    "pcapng block length 0xFFFFFFFF": Hostile(None, _file_block_ffffffff, "is invalid"),
    "pcap snaplen 4 GiB, record above 1 MiB": Hostile(
        None, _file_huge_snaplen, "exceeds the limit"
    ),
    "pcapng interface flood": Hostile(None, _file_interface_flood, ""),
    "never-ending SCTP message": Hostile(endless_fragments, None, "exceeds 65536 octets"),
    "half-open SCTP messages": Hostile(half_open_messages, None, "fragmented messages pending"),
    "SCTP association flood": Hostile(association_flood, None, "", share=0.25),
    "IP first-fragment flood": Hostile(ip_fragment_flood, None, "oldest dropped", share=0.25),
    "IP 8-octet fragments, last first": Hostile(ip_tiny_fragments, None, "", share=0.1),
    "IP overlapping 1400-octet fragments": Hostile(ip_overlapping_fragments, None, "", share=0.05),
    "IP fragments beyond 65535 octets": Hostile(ip_oversized, None, "beyond 65535", share=0.1),
    "MTP2 link flood": Hostile(mtp2_link_flood, None, "", share=0.5),
    "MTP2 long MSUs, 4096 per link": Hostile(mtp2_long_msus, None, "", share=0.008),
    "M3UA point-code flood": Hostile(point_code_flood, None, "", share=0.25),
    "segmented IAM flood": Hostile(segmented_iam_flood, None, "no SGM followed", share=0.25),
}


class HostileResult(NamedTuple):
    """What one hostile input did: items fed, issues, whether the limit was reported, cost.

    ``peak_mib``: peak memory above the process's start; ``growth_mib``: how much the peak
    rose during the second half of the input (a bounded pipeline levels off).
    """

    name: str
    items: int
    issues: int
    reported: bool
    seconds: float
    peak_mib: float
    growth_mib: float
    status: str


def _said(item: Output, expect: str) -> bool:
    """Whether an output (an issue, or an issue attached to a record) says ``expect``."""
    if isinstance(item, Issue):
        return expect in item.reason
    return any(expect in issue.reason for issue in item.message.issues)


class _Tally:
    """Issues seen, whether one said what was expected, peak memory at the half-way mark."""

    def __init__(self, expect: str) -> None:
        self.expect = expect
        self.issues = 0
        self.reported = not expect
        self.half_kib = 0
        self.octets = 0

    def take(self, items: Iterable[Output]) -> None:
        for item in items:
            self.issues += isinstance(item, Issue)
            self.reported = self.reported or _said(item, self.expect)


def _run_frames(case: Hostile, count: int, tally: _Tally) -> None:
    """Feed one decoder the whole input, noting the peak memory once half of it went in."""
    assert case.frames is not None
    decoder = Decoder()
    peaks = [0]  # the peak after every 64 frames
    for number, (linktype, data) in enumerate(case.frames(count), 1):
        tally.octets += len(data)
        tally.take(decoder.feed(Frame(number, 0, 0, linktype, data, len(data))))
        if number % 64 == 0:
            peaks.append(peak_rss_kib())
    tally.take(decoder.finish())
    tally.half_kib = peaks[len(peaks) // 2] if len(peaks) > 2 else peak_rss_kib()


def _run_file(case: Hostile, count: int, tally: _Tally) -> None:
    """Read the file made at half size, then at full size (files are read from disk)."""
    assert case.file is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.pcap"
        _write(path, case.file(count // 2))
        _Tally(case.expect).take(ss7ani.read(path))
        tally.half_kib = peak_rss_kib()
        tally.octets = _write(path, case.file(count))
        tally.take(ss7ani.read(path))


def _write(path: Path, content: bytes | Iterable[bytes]) -> int:
    """Write a hostile file (whole or in pieces); return its size."""
    with path.open("wb") as stream:
        for piece in [content] if isinstance(content, bytes) else content:
            stream.write(piece)
        return stream.tell()


def _hostile_child(name: str, count: int, answer: Connection) -> None:
    """Run one hostile input; send back issues, reported, seconds, peak and growth (MiB)."""
    case = HOSTILE[name]
    base = peak_rss_kib()
    tally = _Tally(case.expect)
    started = time.perf_counter()
    (_run_file if case.file is not None else _run_frames)(case, count, tally)
    seconds = time.perf_counter() - started
    peak = peak_rss_kib()
    growth = (peak - tally.half_kib) / _MIB
    answer.send((tally.issues, tally.reported, seconds, (peak - base) / _MIB, growth, tally.octets))


def run_hostile(
    name: str, scale: int, timeout: float, memory_mib: float = MEMORY_MIB
) -> HostileResult:
    """Run one hostile input in a fresh process; a hang or a memory blow-up fails it."""
    count = max(2, int(scale * HOSTILE[name].share))
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_hostile_child, args=(name, count, send))
    started = time.perf_counter()
    process.start()
    send.close()
    wait([receive, process.sentinel], timeout)
    if not receive.poll():
        process.kill()
        process.join()
        hung = process.exitcode == -signal.SIGKILL
        status = f"HANG (> {timeout:.0f} s)" if hung else f"CRASH (exit {process.exitcode})"
        seconds = time.perf_counter() - started
        return HostileResult(name, count, 0, False, seconds, 0.0, 0.0, status)  # noqa: FBT003
    issues, reported, seconds, peak, growth, octets = receive.recv()
    process.join()
    status = "ok"
    if peak > memory_mib:
        status = f"MEMORY (> {memory_mib:.0f} MiB)"
    elif growth > max(GROWTH_MIB, peak / 4):
        status = f"GROWS (+{growth:.0f} MiB for the second half)"
    elif seconds > SLOW_SECONDS and octets / seconds < SLOW_RATE:
        status = f"SLOW ({octets / seconds / 1024:.0f} KiB/s)"
    elif not reported:
        status = "UNREPORTED"
    return HostileResult(name, count, issues, reported, seconds, peak, growth, status)


def table(results: Iterable[HostileResult]) -> str:
    """One line per hostile input: items, issues, whether reported, time, memory, status."""
    head = f"{'hostile input':<40} {'items':>10} {'issues':>9} {'reported':>8} {'s':>6}"
    lines = [f"{head} {'MiB':>6} {'growth':>6}  status\n"]
    lines += [
        f"{r.name:<40} {r.items:>10,} {r.issues:>9,} {'yes' if r.reported else 'no':>8} "
        f"{r.seconds:>6.1f} {r.peak_mib:>6.1f} {r.growth_mib:>6.1f}  {r.status}\n"
        for r in results
    ]
    return "".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run hostile inputs from the command line; 0 when every one was ok."""
    parser = argparse.ArgumentParser(description="hostile inputs for the ss7ani pipeline")
    parser.add_argument(
        "names", nargs="*", help=f"inputs to run (default all): {', '.join(HOSTILE)}"
    )
    parser.add_argument("--scale", type=int, default=1_000_000, help="items of the largest input")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per input")
    args = parser.parse_args(argv)
    results = [run_hostile(name, args.scale, args.timeout) for name in args.names or HOSTILE]
    sys.stdout.write(table(results))
    return 0 if all(r.status == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
