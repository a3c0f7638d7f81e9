#!/usr/bin/env python3
"""Seeded mutation campaign: the four robustness invariants of docs/robustness.md, checked.

    python fuzz/campaign.py [--mutations N] [--seed S] [--quick] [--jobs J] [CAPTURE...]

Captures default to ``captures/*`` and ``../shared/captures/*`` (when present), plus captures
written in memory by ``ss7ani.writer`` (every encapsulation, fragmentation, bundling, both
variants).  Four phases:

1. Frame mutations (invariants 1 and 2): every capture gets ``--mutations`` mutated frames,
   spread evenly over its frames, made by ``ss7ani.strategies.mutate_frame`` (bit flips,
   length and pointer tampering at the located fields, truncation, resizing with the enclosing
   lengths updated, SCTP chunk reordering / duplication / removal, splices with earlier
   frames, junk).  The pipeline is not re-run over the whole capture for each mutation: the
   decoder state before each frame is pickled once, and each mutated frame is decoded from
   that state followed by the next ``--horizon`` frames, then ``finish()``; every
   ``--full-every``-th mutation runs to the end of the capture instead.  The output is
   compared frame by frame with the same window decoded unmutated: every record and issue of
   another frame must be the same (``variant_basis`` aside), or what it is when the mutated
   frame is left out, except for the frames holding the other fragments of a message the
   mutated frame holds a fragment of (before or after the mutation).
2. File damage (invariants 1, 3, 4): each file cut at random points must give every complete
   frame before the cut, then exactly one issue at the record the cut fell in; absurd record
   and block lengths must give one issue at that record after the frames before it; random
   bit flips anywhere in the file (gzip included) must give only frames, issues or, for a
   damaged file header, ``CaptureError``.  Every tenth damaged file is also decoded span by
   span (``capture.spans``, as the parallel command line does) and must agree.
3. Hostile inputs (invariant 3, ``hostile.py``), each in its own process with a time limit
   and its peak memory measured: never-ending SCTP messages, a million half-open
   reassemblies, IP fragment floods, MTP2 link and point-code floods, segmented IAMs ...
4. A summary table; the exit status is 1 when any invariant failed.

A mutation is reproduced with ``--replay NAME:FRAME:INDEX`` (and the same ``--seed``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import multiprocessing
import pickle
import random
import signal
import struct
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from types import FrameType
from typing import NamedTuple, TypeVar

import hostile

import ss7ani
from ss7ani import capture, strategies, writer
from ss7ani.api import read_span
from ss7ani.capture import MAX_FRAME, Frame
from ss7ani.decode import Decoder
from ss7ani.errors import CaptureError, Layer
from ss7ani.isup import encode
from ss7ani.isup.codes import MessageType, Variant
from ss7ani.net import ip, link, sctp
from ss7ani.records import Issue, IsupRecord, Transport
from ss7ani.writer import Encapsulation, Encapsulator, Message, VlanTag

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "captures"
_PATTERNS = ("*.pcap", "*.pcapng", "*.cap", "*.pcap.gz", "*.pcapng.gz")
#: Writer-made captures: the sample calls re-sent over each of these encapsulations.
GENERATED: dict[str, Encapsulation] = {
    "m3ua-bundled": Encapsulation(bundle=3),
    "m3ua-fragmented": Encapsulation(fragment_size=24),
    "m3ua-idata-sll2": Encapsulation(fragment_size=24, idata=True, link="sll2"),
    "m3ua-ipv4-fragments": Encapsulation(ip_fragment_size=48),
    "m3ua-ipv6-fragments": Encapsulation(ip=6, ip_fragment_size=56, vlans=(VlanTag(7),)),
    "m3ua-draft6-li": Encapsulation(transport="m3ua-draft6", li=0),
    "m2pa-raw-bundled": Encapsulation(transport="m2pa", link="raw", bundle=2),
    "m2ua-null-pd2": Encapsulation(transport="m2ua", link="null", li=0),
    "mtp2-fcs": Encapsulation(transport="mtp2", fcs=True),
    "mtp2-phdr": Encapsulation(transport="mtp2-phdr"),
    "mtp3": Encapsulation(transport="mtp3"),
}
Output = IsupRecord | Issue
_IPPROTO_SCTP = 132
_ONLY_IAM = (MessageType.IAM,)
_MIB = 1024


class Source(NamedTuple):
    """A capture to fuzz: a name and the file's octets (compressed when the file is)."""

    name: str
    data: bytes


class Options(NamedTuple):
    """What one campaign run does (the command-line options)."""

    seed: int = 1
    mutations: int = 5000
    horizon: int = 32
    full_every: int = 64
    truncations: int = 200
    tamperings: int = 100
    file_flips: int = 200
    hostile_scale: int = 1_000_000
    timeout: float = 20.0
    jobs: int = 1
    variant: Variant | None = None


@dataclass
class Tally:
    """Everything a campaign counts; tallies of separate workers add up."""

    files: int = 0
    frames: int = 0
    mutations: Counter[str] = field(default_factory=Counter)
    windows_to_end: int = 0
    comparisons: int = 0
    identical: int = 0
    mutated_records: int = 0
    issues: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)
    truncations: int = 0
    truncations_ok: int = 0
    tamperings: int = 0
    tamperings_ok: int = 0
    file_flips: int = 0
    capture_errors: int = 0
    exceptions: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_rss_kib: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally to this one."""
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if item.name == "peak_rss_kib":
                self.peak_rss_kib = max(mine, theirs)
            elif isinstance(mine, list | Counter):
                mine += theirs
            else:
                setattr(self, item.name, mine + theirs)


# --- time limits -------------------------------------------------------------------------------


class HangError(Exception):
    """A run took longer than its time limit."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise HangError


_T = TypeVar("_T")


def _limited(seconds: float, function: Callable[[], _T]) -> _T:
    """Run ``function``; raise ``HangError`` once ``seconds`` have passed."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- sources -----------------------------------------------------------------------------------


def default_paths() -> list[Path]:
    """The repository's sample captures and, when present, the shared capture pool."""
    found: list[Path] = []
    for folder in (ROOT / "captures", SHARED):
        for pattern in _PATTERNS:
            found.extend(folder.glob(pattern))
    return sorted(set(found))


def _sample_messages() -> dict[Variant, list[Message]]:
    """The ISUP messages of captures/sample.pcapng, re-encoded, per variant."""
    found: dict[Variant, list[Message]] = {Variant.ITU: [], Variant.ANSI: []}
    sample = ROOT / "captures" / "sample.pcapng"
    if not sample.exists():
        return found
    for record in ss7ani.read(sample):
        if isinstance(record, IsupRecord):
            found[record.variant].append(
                Message(
                    record.ts_ns,
                    encode(record.message),
                    record.variant,
                    record.opc,
                    record.dpc,
                    record.sls,
                    record.ni,
                )
            )
    return found


def generated_sources() -> list[Source]:
    """Captures written by ``ss7ani.writer``: the sample calls over every encapsulation."""
    sources: list[Source] = []
    for variant, sent in _sample_messages().items():
        for number, (name, encapsulation) in enumerate(sorted(GENERATED.items())):
            if not sent:
                continue
            encapsulator = Encapsulator(encapsulation)
            frames = [*encapsulator.noise(sent[0].ts_ns), *encapsulator.frames(sent)]
            frames.insert(len(frames) // 2, frames[len(frames) // 2])  # a retransmission
            out = io.BytesIO()
            if number % 2:
                writer.PcapngWriter(out).write_frames(frames)
            else:
                writer.PcapWriter(out, frames[0].linktype, nanosecond=True).write_frames(frames)
            suffix = "pcapng" if number % 2 else "pcap"
            sources.append(Source(f"writer:{name}-{variant}.{suffix}", out.getvalue()))
    return sources


def file_sources(paths: Iterable[Path]) -> list[Source]:
    """Read capture files (relative names when under the repository or the shared pool)."""
    sources = []
    for path in paths:
        resolved = path.resolve()
        for base, prefix in ((ROOT, ""), (SHARED, "shared:")):
            if resolved.is_relative_to(base):
                name = prefix + str(resolved.relative_to(base))
                break
        else:
            name = str(path)
        sources.append(Source(name, path.read_bytes()))
    return sources


def _raw(data: bytes) -> bytes:
    """The capture octets, decompressed when gzip-compressed."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def frames_of(source: Source) -> list[Frame]:
    """The frames of a capture (the reader's issues are left out)."""
    return [f for f in capture.read_frames(io.BytesIO(_raw(source.data))) if isinstance(f, Frame)]


# --- phase 1: frame mutations, invariants 1 and 2 ----------------------------------------------


def _decoders(variant: Variant | None) -> tuple[Decoder, Decoder]:
    """The two configurations fuzzed: every message, and IAMs only (the CLI's default)."""
    return Decoder(variant=variant), Decoder(variant=variant, only=_ONLY_IAM)


def _run(state: bytes, frames: Iterable[Frame]) -> list[Output]:
    """Decode ``frames`` from a pickled decoder state, then finish; check every output."""
    decoder: Decoder = pickle.loads(state)  # noqa: S301 - our own pickle, made just before
    out: list[Output] = []
    for frame in frames:
        out += decoder.feed(frame)
    out += decoder.finish()
    for item in out:
        if type(item) not in (IsupRecord, Issue):
            msg = f"the decoder returned a {type(item).__name__}"
            raise TypeError(msg)
    return out


_GUESS = "ITU or ANSI cannot be told apart"


#: Where ``variant_basis`` sits in an ``IsupRecord``.
_BASIS = IsupRecord._fields.index("variant_basis")
_VARIANT = IsupRecord._fields.index("variant")


def _content(item: Output) -> tuple[object, ...]:
    """A record without how its variant was decided: the basis, and the note of a guess.

    Both depend on what the frames before it said about the link, which a corrupted frame
    may change; what the message decodes to may not change.
    """
    if isinstance(item, Issue):
        return item
    message = item.message
    issues = tuple(i for i in message.issues if not i.reason.startswith(_GUESS))
    if message.message_type != MessageType.IAM and item.transport == Transport.M3UA:
        # Over M3UA a message other than the IAM mostly reads the same both ways: its variant
        # label follows the link's memory, which a corrupt IAM may sway (docs/robustness.md).
        variant = _VARIANT
        return (
            *item[:variant],
            *item[variant + 2 : -1],
            message._replace(issues=issues, variant=Variant.ITU),
        )
    return (*item[:_BASIS], *item[_BASIS + 1 : -1], message._replace(issues=issues))


Group = dict[int, list[Output]]


def _by_frame(items: Iterable[Output]) -> Group:
    """Outputs grouped by the frame they belong to."""
    groups: Group = {}
    for item in items:
        groups.setdefault(item.frame, []).append(item)
    return groups


def _same(old: Sequence[Output], new: Sequence[Output]) -> bool:
    """Whether two frames' outputs agree in content (see ``_content``)."""
    return len(old) == len(new) and all(
        _content(a) == _content(b) for a, b in zip(old, new, strict=True)
    )


_IP_LINKS: dict[int, Callable[[bytes], tuple[int, int]]] = {
    link.LINKTYPE_ETHERNET: link.ethernet,
    link.LINKTYPE_LINUX_SLL: link.linux_sll,
    link.LINKTYPE_LINUX_SLL2: link.linux_sll2,
    link.LINKTYPE_NULL: lambda data: link.loopback(data, big_endian=False),
    link.LINKTYPE_LOOP: lambda data: link.loopback(data, big_endian=True),
    **dict.fromkeys(link.LINKTYPES_RAW, link.raw_ip),
}


def fragment_keys(frame: Frame) -> set[tuple[object, ...]]:
    """The messages a frame holds only part of: IP datagrams and SCTP user messages.

    A frame with IP or SCTP fragments also gets its host pair: with both fragmentations at
    once, the SCTP fragments inside a reassembled datagram are not visible frame by frame.
    """
    parser = _IP_LINKS.get(frame.linktype)
    if parser is None:
        return set()
    try:
        ethertype, offset = parser(frame.data)
        if ethertype not in (link.ETHERTYPE_IPV4, link.ETHERTYPE_IPV6):
            return set()
        parse = ip.ipv4 if ethertype == link.ETHERTYPE_IPV4 else ip.ipv6
        protocol, start, end, source, destination, fragment = parse(frame.data, offset)
        if fragment is not None:
            # A datagram may hold SCTP fragments whose other parts travel in other frames
            # (IP and SCTP fragmentation together): any of that host pair's.
            return {
                ("ip", source, destination, fragment[0], protocol),
                ("hosts", source, destination),
            }
        if protocol != _IPPROTO_SCTP:
            return set()
        ports = frame.data[start : start + 8]
        chunks = sctp.data_chunks(frame.data, start, end)[3]
    except ss7ani.DecodeError:
        return set()
    keys: set[tuple[object, ...]] = {
        ("sctp", source, destination, ports, c.stream, c.sequence, c.flags & 0x04)
        for c in chunks
        if c.flags & 0x03 != 0x03
    }
    return keys | {("hosts", source, destination)} if keys else keys


class _Window(NamedTuple):
    """What a window decodes to unmutated, and what corrupting its first frame may change.

    ``free``: frames whose output may change at will: the mutated frame and, when it holds
    fragments, the frames holding the other fragments of those messages (``keys``: each later
    frame's fragment keys, to do the same for the messages the mutated frame's fragments claim
    to belong to).  ``absent``: the output of the other frames when the first frame is left
    out, which is allowed too (its retransmission then counts, another message tells the
    link's variant).
    """

    groups: Group
    free: frozenset[int]
    absent: Group
    keys: tuple[tuple[int, frozenset[tuple[object, ...]]], ...]

    def free_with(self, mutated: Frame) -> frozenset[int]:
        """The frames free to change once ``mutated`` replaced the first frame."""
        claimed = fragment_keys(mutated)
        if not claimed:
            return self.free
        return self.free | {number for number, keys in self.keys if keys & claimed}


def _window(state: bytes, frame: Frame, following: Sequence[Frame]) -> _Window:
    base = _by_frame(_run(state, [frame, *following]))
    absent = _by_frame(_run(state, following))
    keys = tuple((f.number, frozenset(fragment_keys(f))) for f in following)
    own = fragment_keys(frame)
    free = {frame.number} | {number for number, theirs in keys if own & theirs}
    return _Window(base, frozenset(free), absent, keys)


def _first_change(old: list[Output], new: list[Output]) -> str:
    """What differs first between two frames' outputs, in words."""
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before is None or after is None:
            gone = after is None
            return f"{type(before if gone else after).__name__} {'lost' if gone else 'added'}"
        if _content(before) == _content(after):
            continue
        if type(before) is not type(after):
            return f"{type(before).__name__} became {type(after).__name__}"
        names = [n for n, a, b in zip(before._fields, before, after, strict=True) if a != b]
        return f"{type(before).__name__} fields changed: {', '.join(names)}"
    return "nothing"


def compare(window: _Window, mutated: Frame, out: list[Output], tally: Tally) -> list[str]:
    """Invariant 2: every output of another frame unchanged; return what changed."""
    after = _by_frame(out)
    free = window.free_with(mutated)
    changed = []
    for number in sorted(window.groups.keys() | after.keys()):
        if number in free:
            continue
        old, new = window.groups.get(number, []), after.get(number, [])
        tally.comparisons += len(old)
        tally.identical += sum(_content(a) == _content(b) for a, b in zip(old, new, strict=False))
        if not _same(old, new) and not _same(window.absent.get(number, []), new):
            changed.append(f"frame {number}: {_first_change(old, new)}")
    return changed


class _Target(NamedTuple):
    """One frame to mutate: its source, position, the decoder state before it, its window."""

    source: str
    position: int
    frames: Sequence[Frame]
    state: bytes
    horizon: int


def _mutation(options: Options, target: _Target, attempt: int) -> tuple[Frame, str]:
    """The ``attempt``-th mutation of a frame: seeded by (seed, capture, frame, attempt)."""
    frame = target.frames[target.position]
    seed = f"{options.seed}/{target.source}/{frame.number}/{attempt}"
    rng = random.Random(seed)  # noqa: S311 - reproducible fuzzing, not cryptography
    donor = target.frames[rng.randrange(target.position)].data if target.position else b""
    data, what = strategies.mutate_frame(frame.linktype, frame.data, rng.randint, donor=donor)
    return frame._replace(data=data), what


def _check_frame(options: Options, target: _Target, attempts: range, tally: Tally) -> None:
    """Mutate one frame ``attempts`` times; check invariants 1 and 2 for each mutation."""
    frame = target.frames[target.position]
    following = target.frames[target.position + 1 : target.position + 1 + target.horizon]
    rest = target.frames[target.position + 1 :]
    window = _window(target.state, frame, following)
    whole: _Window | None = None
    for attempt in attempts:
        mutated, what = _mutation(options, target, attempt)
        tally.mutations[what.split(":", 1)[0]] += 1
        to_end = len(following) == len(rest) or attempt % options.full_every == 0
        if to_end and whole is None:
            whole = window if len(following) == len(rest) else _window(target.state, frame, rest)
        where = f"{target.source}:{frame.number}:{attempt} ({what})"
        frames = [mutated, *(rest if to_end else following)]
        try:
            out = _limited(options.timeout, partial(_run, target.state, frames))
        except HangError:
            tally.hangs.append(where)
            continue
        except Exception as error:  # noqa: BLE001 - invariant 1: any exception is a bug
            tally.exceptions.append(f"{where}: {type(error).__name__}: {error}")
            continue
        tally.windows_to_end += to_end
        for item in out:
            if item.frame == frame.number:
                if type(item) is Issue:
                    tally.issues[item.layer] += 1
                else:
                    tally.mutated_records += 1
        changed = compare(whole if to_end and whole is not None else window, mutated, out, tally)
        if changed:
            tally.violations[target.source] += 1
            if tally.violations[target.source] <= 10:
                tally.failures.append(f"invariant 2: {where}: {'; '.join(changed[:3])}")


def mutate_capture(options: Options, source: Source) -> Tally:
    """Phase 1 for one capture: ``options.mutations`` mutated frames."""
    tally = Tally(files=1)
    frames = frames_of(source)
    tally.frames = len(frames)
    if not frames:
        return tally
    spread = Counter(k * len(frames) // options.mutations for k in range(options.mutations))
    decoders = _decoders(options.variant)
    done = 0
    for index, frame in enumerate(frames):
        count = spread.get(index, 0)
        if count:
            decoder = decoders[index % 2]
            target = _Target(source.name, index, frames, pickle.dumps(decoder), options.horizon)
            _check_frame(options, target, range(done, done + count), tally)
            done += count
        for decoder in decoders:
            decoder.feed(frame)
    tally.peak_rss_kib = hostile.peak_rss_kib()
    return tally


def check_mutation(
    frames: Sequence[Frame], position: int, mutated: Frame, decoder: Decoder | None = None
) -> list[str]:
    """Invariant 2 for one mutated frame of a capture: what changed in other frames' output.

    ``decoder`` (fresh when None) decodes ``frames[position]`` replaced by ``mutated``; raises
    whatever the pipeline raises (invariant 1).
    """
    decoder = Decoder() if decoder is None else decoder
    for frame in frames[:position]:
        decoder.feed(frame)
    state = pickle.dumps(decoder)
    window = _window(state, frames[position], frames[position + 1 :])
    return compare(window, mutated, _run(state, [mutated, *frames[position + 1 :]]), Tally())


def replay(options: Options, source: Source, number: int, attempt: int) -> None:
    """Re-run one mutation and print what it did and what came out (or the traceback)."""
    frames = frames_of(source)
    position = next((i for i, f in enumerate(frames) if f.number == number), None)
    if position is None:
        sys.stdout.write(f"no frame {number} in {source.name}\n")
        return
    decoder = _decoders(options.variant)[position % 2]
    target = _Target(source.name, position, frames, b"", options.horizon)
    mutated, what = _mutation(options, target, attempt)
    frame = frames[position]
    sys.stdout.write(f"{what}\nlink type {frame.linktype}\n")
    sys.stdout.write(f"original {frame.data.hex()}\nmutated  {mutated.data.hex()}\n")
    try:
        changed = check_mutation(frames, position, mutated, decoder)
    except Exception:  # noqa: BLE001 - shown to the user
        traceback.print_exc()
        return
    sys.stdout.write("changed elsewhere: " + ("; ".join(changed) or "nothing") + "\n")


# --- phase 2: file damage, invariants 1, 3 and 4 -----------------------------------------------


class _Record(NamedTuple):
    """A pcap record or pcapng block: where it starts and ends, its byte order, if a packet."""

    start: int
    end: int
    order: str
    packet: bool


_PCAP_LITTLE = (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
_PCAP_BIG = (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d")


def records_of(raw: bytes) -> list[_Record]:
    """Walk a pcap or pcapng file by its length fields (independently of ``ss7ani.capture``)."""
    found: list[_Record] = []
    if raw[:4] in _PCAP_LITTLE + _PCAP_BIG:
        order = "<" if raw[:4] in _PCAP_LITTLE else ">"
        index = 24
        while index + 16 <= len(raw):
            end = index + 16 + struct.unpack_from(order + "I", raw, index + 8)[0]
            found.append(_Record(index, end, order, packet=True))
            index = end
        return found
    order = "<"
    index = 0
    while index + 12 <= len(raw):
        kind = int.from_bytes(raw[index : index + 4], "little" if order == "<" else "big")
        if kind == 0x0A0D0D0A:
            order = "<" if raw[index + 8 : index + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        length = struct.unpack_from(order + "I", raw, index + 4)[0]
        found.append(_Record(index, index + length, order, packet=kind in (2, 3, 6)))
        if length < 12:
            break
        index += length
    return found


def _read_all(data: bytes) -> list[Frame | Issue]:
    """What the capture reader yields for a file (gzip-compressed or not)."""
    return list(capture.read_frames(capture.open_source(io.BytesIO(data))))


def _pipeline(data: bytes) -> int:
    """Run ``ss7ani.read`` over a file; return the number of items."""
    return sum(1 for _ in ss7ani.read(io.BytesIO(data)))


class _Original(NamedTuple):
    """A file's records and what the reader made of it whole, each item with its record end."""

    name: str
    raw: bytes
    records: list[_Record]
    items: list[tuple[int, Frame | Issue]]


def _original(source: Source) -> _Original:
    raw = _raw(source.data)
    records = records_of(raw)
    packets = [r for r in records if r.packet]
    items: list[tuple[int, Frame | Issue]] = []
    for item in _read_all(raw):
        number = item.number if isinstance(item, Frame) else item.frame
        end = packets[number - 1].end if number <= len(packets) else len(raw) + 1
        items.append((end, item))
    return _Original(source.name, raw, records, items)


def expect_cut(
    items: list[Frame | Issue], original: _Original, cut: int, *, exact: bool = True
) -> str:
    """Invariant 4: what the whole file gave up to ``cut``, then one issue where it ended.

    With ``exact`` the issue must sit at the start of the record the cut fell in, and there must
    be none when the cut fell between records; otherwise (a compressed file, where the
    decompressor decides how much is readable) at most one issue, last.
    """
    expected = [item for end, item in original.items if end <= cut]
    whole = [r for r in original.records if r.end <= cut]
    boundary = cut == (
        whole[-1].end if whole else (24 if original.raw[:4] in _PCAP_LITTLE + _PCAP_BIG else 0)
    )
    if boundary and exact:
        return "" if items == expected else f"{len(items)} items, {len(expected)} expected"
    if items[: len(expected)] != expected:
        return f"items before the cut differ ({len(items)} items, {len(expected)} expected)"
    extra = items[len(expected) :]
    if not exact and not extra:
        return ""
    if len(extra) != 1 or not isinstance(extra[0], Issue) or extra[0].layer is not Layer.CAPTURE:
        return f"{extra[:3]} after the frames, one capture issue expected"
    start = original.records[len(whole)].start if len(whole) < len(original.records) else cut
    if exact and extra[0].offset != start:
        return f"issue at {extra[0].offset}, the cut record starts at {start}"
    return ""


def _guarded(options: Options, tally: Tally, where: str, check: Callable[[], str]) -> str | None:
    """Run one file check under the time limit.

    Returns its problem ("" when none), or None when it hung or raised (both recorded:
    invariant 1).
    """
    try:
        return _limited(options.timeout, check)
    except HangError:
        tally.hangs.append(where)
    except Exception as error:  # noqa: BLE001 - invariant 1: any exception is a bug
        last = traceback.format_exception(error, limit=-1)[-2:]
        tally.exceptions.append(f"{where}: " + "".join(last).strip().replace("\n", " | "))
    return None


def _spans_agree(data: bytes, folder: Path) -> str:
    """The file read whole and read span by span (``capture.spans``, 1 KiB spans) agree.

    As in invariant 2, a record's ``variant_basis`` may differ: a span's warm-up need not reach
    the message that decided its link's variant.
    """
    path = folder / "damaged"
    path.write_bytes(data)
    whole = list(ss7ani.read(path))
    parts = [item for span in capture.spans(path, size=1024) for item in read_span(path, span)]
    if parts and not _same(parts, whole):  # the variant's basis depends on the warm-up
        return f"spans: {len(parts)} items span by span, {len(whole)} read whole"
    return ""


def _cut(original: _Original, cut: int, folder: Path | None) -> str:
    problem = expect_cut(_read_all(original.raw[:cut]), original, cut)
    return problem or (_spans_agree(original.raw[:cut], folder) if folder else "")


def _compressed_cut(source: Source, original: _Original, cut: int) -> str:
    readable = len(zlib.decompressobj(wbits=31).decompress(source.data[:cut]))
    try:
        return expect_cut(_read_all(source.data[:cut]), original, readable, exact=False)
    except CaptureError as error:
        return "" if readable < 24 else f"CaptureError: {error}"


#: Length values no real capture has: 4 GiB, 2 GiB, above the limits, below a block header.
ABSURD_LENGTHS = (0xFFFFFFFF, 0x80000000, 4 * MAX_FRAME + 1, capture.MAX_BLOCK + 4, 13, 8, 0)


def _absurd(original: _Original, record: _Record, damaged: bytes, folder: Path | None) -> str:
    """Invariant 3 at the file level: the items before the record, then one issue at it."""
    items = _read_all(damaged)
    expected = [item for end, item in original.items if end <= record.start]
    last = items[-1] if items else None
    if (
        items[:-1] != expected
        or not isinstance(last, Issue)
        or last.layer is not Layer.CAPTURE
        or last.offset != record.start
    ):
        return f"{len(items)} items ({len(expected)} + 1 expected), last {last}"
    return _spans_agree(damaged, folder) if folder else ""


def _flipped(data: bytes, folder: Path | None) -> str:
    """Invariant 1 at the file level: any outcome but an exception (CaptureError allowed)."""
    try:
        _pipeline(data)
    except CaptureError:
        return "CaptureError"
    return _spans_agree(data, folder) if folder and data[:2] != b"\x1f\x8b" else ""


def damage_file(options: Options, source: Source) -> Tally:
    """Phase 2 for one capture file: cuts, absurd lengths, bit flips.

    Every tenth damaged file is also split into spans (``capture.spans``, as the parallel
    command line does) and must decode span by span as it does whole.
    """
    tally = Tally()
    rng = random.Random(f"{options.seed}/{source.name}/file")  # noqa: S311 - reproducible
    original = _original(source)
    raw = original.raw
    plain = source.data[:2] != b"\x1f\x8b"
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(options.truncations):
            split = Path(folder) if plain and attempt % 10 == 0 else None
            cut = rng.randrange(24 if raw[:4] in _PCAP_LITTLE + _PCAP_BIG else 4, len(raw))
            where = f"{source.name}: cut at {cut}"
            problem = _guarded(options, tally, where, partial(_cut, original, cut, split))
            tally.truncations += 1
            _judge(tally, problem, f"invariant 4: {where}")
            tally.truncations_ok += problem == ""
        for _ in range(0 if plain else options.truncations):
            cut = rng.randrange(10, len(source.data))
            where = f"{source.name}: compressed file cut at {cut}"
            problem = _guarded(
                options, tally, where, partial(_compressed_cut, source, original, cut)
            )
            tally.truncations += 1
            _judge(tally, problem, f"invariant 4: {where}")
            tally.truncations_ok += problem == ""
        _damage_lengths(options, original, rng, tally, Path(folder))
        for attempt in range(options.file_flips):
            data = bytearray(source.data)
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            split = Path(folder) if attempt % 10 == 0 else None
            where = f"{source.name}: bit flips"
            problem = _guarded(options, tally, where, partial(_flipped, bytes(data), split))
            tally.file_flips += 1
            tally.capture_errors += problem == "CaptureError"
            _judge(tally, None if problem == "CaptureError" else problem, where)
    tally.peak_rss_kib = hostile.peak_rss_kib()
    return tally


def _judge(tally: Tally, problem: str | None, where: str) -> None:
    if problem:
        tally.failures.append(f"{where}: {problem}")


def _damage_lengths(
    options: Options, original: _Original, rng: random.Random, tally: Tally, folder: Path
) -> None:
    pcap = original.raw[:4] in _PCAP_LITTLE + _PCAP_BIG
    candidates = [r for r in original.records if r.packet] if pcap else original.records[1:]
    candidates = [r for r in candidates if r.end <= len(original.raw)]
    for attempt in range(options.tamperings if candidates else 0):
        record = rng.choice(candidates)
        value = rng.choice(ABSURD_LENGTHS[:3] if pcap else ABSURD_LENGTHS)
        at = record.start + (8 if pcap else 4)
        damaged = (
            original.raw[:at] + struct.pack(record.order + "I", value) + original.raw[at + 4 :]
        )
        split = folder if attempt % 10 == 0 else None
        where = f"{original.name}: length {value} at {at}"
        problem = _guarded(
            options, tally, where, partial(_absurd, original, record, damaged, split)
        )
        tally.tamperings += 1
        _judge(tally, problem, f"invariant 3: {where}")
        tally.tamperings_ok += problem == ""


# --- the run -----------------------------------------------------------------------------------


def _phase_task(task: tuple[str, Options, Source]) -> Tally:
    phase, options, source = task
    return mutate_capture(options, source) if phase == "mutate" else damage_file(options, source)


def campaign(
    options: Options, sources: Sequence[Source], inputs: Sequence[str]
) -> tuple[Tally, list[hostile.HostileResult]]:
    """Phases 1-3 over ``sources``; the merged tally and the hostile-input results."""
    tally = Tally()
    tasks = [("mutate", options, s) for s in sources]
    tasks += [("damage", options, s) for s in sources if not s.name.startswith("writer:")]
    tasks.sort(key=lambda task: -len(task[2].data))
    if options.jobs > 1:
        with ProcessPoolExecutor(
            options.jobs, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            for result in pool.map(_phase_task, tasks):
                tally.add(result)
    else:
        for task in tasks:
            tally.add(_phase_task(task))
    results = [hostile.run_hostile(name, options.hostile_scale, 60.0) for name in inputs]
    return tally, results


def _rows(rows: Sequence[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "".join(f"{name:<{width}}  {value}\n" for name, value in rows)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {count:,}" for key, count in sorted(counter.items())) or "none"


def summary(
    tally: Tally, results: Sequence[hostile.HostileResult], seconds: float, options: Options
) -> str:
    """The table printed at the end of a campaign."""
    total = sum(tally.mutations.values())
    hostile_ok = sum(r.status == "ok" for r in results)
    hostile_peak = max((r.peak_mib for r in results), default=0.0)
    rows = [
        ("seed", str(options.seed)),
        ("captures", f"{tally.files:,} ({tally.frames:,} frames)"),
        ("mutated frames", f"{total:,}: {_counts(tally.mutations)}"),
        ("  decoded to a record", f"{tally.mutated_records:,}"),
        ("  issues by layer", _counts(tally.issues)),
        ("invariant 1", f"exceptions {len(tally.exceptions)}, hangs {len(tally.hangs)}"),
        (
            "invariant 2",
            (
                f"{total:,} windows ({options.horizon} frames after the mutated one; "
                f"{tally.windows_to_end:,} to the end of the capture); "
                f"violations {tally.violations.total()}"
            ),
        ),
        ("  violations by capture", _counts(tally.violations)),
        (
            "  other frames' outputs",
            f"{tally.comparisons:,} compared, {tally.identical:,} identical",
        ),
        (
            "invariant 3",
            (
                f"absurd file lengths {tally.tamperings_ok:,} / {tally.tamperings:,} reported; "
                f"hostile inputs {hostile_ok} / {len(results)} ok (peak +{hostile_peak:.1f} MiB)"
            ),
        ),
        ("invariant 4", f"cut files {tally.truncations_ok:,} / {tally.truncations:,} as expected"),
        ("file bit flips", f"{tally.file_flips:,} ({tally.capture_errors:,} CaptureError)"),
        ("peak RSS", f"{tally.peak_rss_kib / _MIB:.1f} MiB (largest worker)"),
        ("elapsed", f"{seconds:.1f} s ({options.jobs} processes)"),
    ]
    text = _rows(rows)
    if results:
        text += "\n" + hostile.table(results)
    for title, problems in (
        ("exceptions", tally.exceptions),
        ("hangs", tally.hangs),
        ("failed checks", tally.failures),
    ):
        if problems:
            text += f"\n{title} ({len(problems)}, first 15):\n"
            text += "".join(f"  {p}\n" for p in problems[:15])
    return text


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "captures",
        nargs="*",
        type=Path,
        help="capture files (default: the samples and the shared pool)",
    )
    parser.add_argument(
        "--mutations", type=int, help="mutated frames per capture (default 5000, --quick 200)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--variant",
        choices=("auto", "itu", "ansi"),
        default="auto",
        help="decode with this variant (auto: decided per message, the default)",
    )
    parser.add_argument(
        "--horizon", type=int, default=32, help="frames decoded after a mutated one"
    )
    parser.add_argument(
        "--full-every", type=int, default=64, help="every Nth mutation checked to the end"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short run (CI): fewer mutations, smaller floods"
    )
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--no-generated", action="store_true", help="skip the writer-made captures")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile streams")
    parser.add_argument(
        "--replay", metavar="NAME:FRAME:INDEX", help="re-run one mutation and show it"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the campaign from the command line; 0 when every invariant held."""
    args = _arguments(argv)
    quick = args.quick
    options = Options(
        seed=args.seed,
        mutations=args.mutations or (200 if quick else 5000),
        horizon=args.horizon,
        full_every=args.full_every,
        truncations=40 if quick else 200,
        tamperings=20 if quick else 100,
        file_flips=40 if quick else 200,
        hostile_scale=50_000 if quick else 1_000_000,
        jobs=max(1, args.jobs),
        variant=None if args.variant == "auto" else Variant(args.variant),
    )
    sources = file_sources(args.captures or default_paths())
    if not args.no_generated:
        sources += generated_sources()
    if args.replay:
        name, number, attempt = args.replay.rsplit(":", 2)
        chosen = [s for s in sources if s.name == name]
        if not chosen:
            sys.stderr.write(f"no capture named {name}\n")
            return 2
        replay(options, chosen[0], int(number), int(attempt))
        return 0
    started = time.perf_counter()
    inputs = [] if args.no_hostile else list(hostile.HOSTILE)
    tally, results = campaign(options, sources, inputs)
    sys.stdout.write(summary(tally, results, time.perf_counter() - started, options))
    failed = (
        tally.exceptions or tally.hangs or tally.failures or any(r.status != "ok" for r in results)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
