"""The ``ss7ani`` command: ``decode`` captures to a table, JSON Lines or CSV, or ``stats``.

Exit status: 0 when every capture was read (decode issues are summarised on stderr), 1 with
``--strict`` when any issue was found, 2 for usage errors, 3 when a file cannot be read at all,
130 when interrupted (Ctrl-C).
The user guide is docs/guide.md; the record schema docs/records.md; privacy docs/privacy.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import mmap
import multiprocessing
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, NamedTuple

from . import __version__
from .api import VariantChoice, read, read_span
from .capture import Span, spans
from .errors import CaptureError
from .isup.codes import AddressPresentation, MessageType
from .isup.messages import InitialAddress
from .output import REDACT, REVEAL, Privacy, csv_row, csv_writer, json_line, mask
from .records import Issue, IsupRecord
from .table import TableWriter

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from rich.progress import TaskID

EXIT_OK, EXIT_ISSUES, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
#: Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it.
EXIT_INTERRUPTED = 130
_ALLOWED = AddressPresentation.ALLOWED


class _Usage(Exception):  # noqa: N818 - internal signal, turned into exit status 2
    """A usage error found after argument parsing (a bad point code ...)."""


def point_code(text: str) -> int:
    """Parse a point code: an integer (``11522``, ``0x2d02``) or ANSI ``network-cluster-member``."""
    parts = text.split("-")
    try:
        values = [int(p) for p in parts] if len(parts) == 3 else [int(text, 0)]
    except ValueError:
        values = [-1]
    if len(values) == 3 and all(0 <= v <= 255 for v in values):
        return (values[0] << 16) | (values[1] << 8) | values[2]
    if len(values) == 1 and 0 <= values[0] <= 0xFFFFFFFF:
        return values[0]
    msg = f"not a point code: {text!r} (use 11522, 0x2d02 or ANSI 1-2-3)"
    raise argparse.ArgumentTypeError(msg)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ss7ani",
        description="Who is really calling: ISUP IAMs from SS7 / SIGTRAN captures.",
    )
    parser.add_argument("--version", action="version", version=f"ss7ani {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "files", nargs="+", metavar="FILE", help="pcap / pcapng (.gz too); - for stdin"
    )
    common.add_argument(
        "--variant",
        choices=("auto", "itu", "ansi"),
        default="auto",
        help="ISUP variant: decided per message (auto) or fixed for the run",
    )
    common.add_argument("--all", action="store_true", help="every ISUP message, not only IAMs")
    common.add_argument("--cic", type=int, action="append", help="only these CICs (repeatable)")
    common.add_argument("--opc", type=point_code, action="append", help="only these OPCs")
    common.add_argument("--dpc", type=point_code, action="append", help="only these DPCs")
    common.add_argument(
        "--number",
        action="append",
        metavar="DIGITS",
        help="calling, charge, called or generic digits equal DIGITS (DIGITS* = prefix)",
    )
    common.add_argument(
        "--restricted",
        action="store_true",
        help="only callers whose presentation is restricted or not available",
    )
    common.add_argument(
        "--ani-mismatch",
        action="store_true",
        help="only IAMs whose calling number differs from the charge number",
    )
    privacy = common.add_mutually_exclusive_group()
    privacy.add_argument(
        "--reveal", action="store_true", help="show restricted numbers in the table"
    )
    privacy.add_argument(
        "--redact", action="store_true", help="mask restricted numbers in every format"
    )
    privacy.add_argument(
        "--pseudonymize", metavar="KEY", help="replace every number by a keyed hash"
    )
    common.add_argument("--strict", action="store_true", help="exit 1 when any issue was found")
    common.add_argument(
        "--max-issues",
        type=int,
        default=20,
        metavar="N",
        help="issue lines printed on stderr (default 20)",
    )
    common.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    common.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes for large captures (default: the CPU count)",
    )

    decode = commands.add_parser("decode", parents=[common], help="one record per IAM (or message)")
    decode.add_argument(
        "--format",
        choices=("table", "jsonl", "csv"),
        help="default: table on a terminal, jsonl otherwise",
    )
    decode.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    stats = commands.add_parser("stats", parents=[common], help="counts, shares and top numbers")
    stats.add_argument(
        "--top", type=int, default=10, metavar="N", help="top N numbers (default 10)"
    )
    return parser  # fmt: skip


class Filters(NamedTuple):
    """The record filters of the command line (all must hold)."""

    cics: frozenset[int] | None
    opcs: frozenset[int] | None
    dpcs: frozenset[int] | None
    numbers: tuple[str, ...]
    restricted: bool
    ani_mismatch: bool

    def active(self) -> bool:
        """Whether any filter is set."""
        return (
            self.cics is not None
            or self.opcs is not None
            or self.dpcs is not None
            or self.wants_iam_fields()
        )

    def wants_iam_fields(self) -> bool:
        """Whether a filter looks inside the IAM (so other messages cannot pass)."""
        return bool(self.numbers) or self.restricted or self.ani_mismatch

    def keep(self, record: IsupRecord) -> bool:
        """Whether a record passes every filter."""
        if self.cics is not None and record.cic not in self.cics:
            return False
        if self.opcs is not None and record.opc not in self.opcs:
            return False
        if self.dpcs is not None and record.dpc not in self.dpcs:
            return False
        if not self.wants_iam_fields():
            return True
        message = record.message
        if not isinstance(message, InitialAddress):
            return False
        calling, charge = message.calling, message.charge
        if self.restricted and calling is not None and calling.presentation == _ALLOWED:
            return False
        if self.ani_mismatch and (
            calling is None
            or charge is None
            or not calling.digits
            or calling.digits == charge.digits
        ):
            return False
        return not self.numbers or any(_matches(message, pattern) for pattern in self.numbers)


def _matches(message: InitialAddress, pattern: str) -> bool:
    numbers = (message.called, message.calling, message.charge, *message.generic_numbers)
    candidates = [number.digits for number in numbers if number is not None]
    if pattern.endswith("*"):
        return any(d.startswith(pattern[:-1]) for d in candidates)
    return pattern in candidates


def _filters(args: argparse.Namespace) -> Filters:
    for pattern in args.number or ():
        if not pattern.rstrip("*").isalnum() or "*" in pattern.rstrip("*"):
            msg = f"--number takes digits with an optional trailing *: {pattern!r}"
            raise _Usage(msg)
    return Filters(
        None if args.cic is None else frozenset(args.cic),
        None if args.opc is None else frozenset(args.opc),
        None if args.dpc is None else frozenset(args.dpc),
        tuple(p.upper() for p in args.number or ()),
        args.restricted,
        args.ani_mismatch,
    )


def _privacy(args: argparse.Namespace, output_format: str) -> Privacy:
    if args.pseudonymize is not None:
        return Privacy(pseudonym_key=args.pseudonymize.encode())
    if args.redact:
        return REDACT
    if args.reveal or output_format != "table":
        return REVEAL
    return REDACT


class _Progress:
    """A rich progress bar on stderr (bytes read of the total, records, rate), if a terminal."""

    def __init__(self, enabled: bool) -> None:
        self._bar = None
        self._tasks: dict[str, TaskID] = {}
        if enabled:
            from rich.console import Console  # noqa: PLC0415 - only on a terminal (import cost)
            from rich.progress import (  # noqa: PLC0415
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TextColumn("{task.fields[records]} records"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()

    def track(
        self, name: str, raw: BinaryIO, items: Iterator[IsupRecord | Issue]
    ) -> Iterator[IsupRecord | Issue]:
        """Pass ``items`` through, updating the bar every few thousand."""
        if self._bar is None:
            yield from items
            return
        try:
            total: int | None = os.fstat(raw.fileno()).st_size
        except (OSError, ValueError):
            total = None
        task = self._bar.add_task(name, total=total, records=0)
        for count, item in enumerate(items, 1):
            if count % 4096 == 0:
                self._bar.update(task, completed=_position(raw), records=count)
            yield item
        self._bar.remove_task(task)

    def advance(self, name: str, size: int, total: int) -> None:
        """Count ``size`` more octets of ``name`` done (parallel runs: per finished span)."""
        if self._bar is None:
            return
        task = self._tasks.get(name)
        if task is None:
            task = self._tasks[name] = self._bar.add_task(name, total=total, records=0)
        self._bar.advance(task, size)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _position(raw: BinaryIO) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


class _Run(NamedTuple):
    """What one run found besides records: issue lines and counts, unreadable files."""

    issue_lines: list[str]
    issue_count: Counter[str]
    unreadable: list[str]
    max_issues: int

    def note(self, line: str, layer: str) -> None:
        """Count an issue; keep its line while under the cap."""
        self.issue_count[layer] += 1
        if len(self.issue_lines) < self.max_issues:
            self.issue_lines.append(line)

    def merge(self, piece: Piece) -> None:
        """Add what a worker found, in order."""
        self.issue_count.update(piece.issue_count)
        room = self.max_issues - len(self.issue_lines)
        self.issue_lines.extend(piece.issue_lines[: max(room, 0)])


class _Tally(NamedTuple):
    """What ``stats`` counts; a worker counts its span, the parent merges (``update``)."""

    types: Counter[str]
    per_variant: Counter[str]
    per_transport: Counter[str]
    presentation: Counter[str]
    screening: Counter[str]
    called: Counter[str]
    calling: Counter[str]
    charge: Counter[str]

    @classmethod
    def empty(cls) -> _Tally:
        """Nothing counted yet."""
        return cls(*(Counter[str]() for _ in cls._fields))

    def add(self, record: IsupRecord, privacy: Privacy) -> None:
        """Count one record (numbers as ``privacy`` may show them)."""
        message = record.message
        self.types[message.message_type.name] += 1
        if not isinstance(message, InitialAddress):
            return
        self.per_variant[record.variant.value] += 1
        self.per_transport[record.transport.value] += 1
        self.called[privacy.number(message.called.digits)] += 1
        calling = message.calling
        if calling is None:
            self.presentation["no calling party number"] += 1
        else:
            self.presentation[calling.presentation.label] += 1
            self.screening[f"{record.variant.value}: {calling.screening.label}"] += 1
            self.calling[privacy.number(calling.digits, calling.presentation)] += 1
        if message.charge is not None:
            self.charge[privacy.number(message.charge.digits)] += 1

    def update(self, other: _Tally) -> None:
        """Add another tally's counts."""
        for mine, theirs in zip(self, other, strict=True):
            mine.update(theirs)


def _inputs(paths: Sequence[str]) -> Iterator[tuple[str, BinaryIO | None, str | None]]:
    """Open each input (``-`` is stdin): (name, stream or None, error)."""
    for name in paths:
        if name == "-":
            yield name, sys.stdin.buffer, None
            continue
        path = Path(name)
        if path.is_dir():
            yield name, None, "is a directory"
            continue
        try:
            stream = path.open("rb")
        except OSError as error:
            yield name, None, error.strerror or str(error)
            continue
        with stream:
            yield name, stream, None


def _records(
    args: argparse.Namespace, run: _Run, progress: _Progress
) -> Iterator[tuple[str, IsupRecord]]:
    """Every record that passes the filters, with its file name; issues go to ``run``."""
    filters = _filters(args)
    only = None if args.all or args.command == "stats" else (MessageType.IAM,)
    several = len(args.files) > 1
    for name, stream, error in _inputs(args.files):
        if stream is None:
            run.unreadable.append(f"ss7ani: {name}: {error}")
            continue
        try:
            items = progress.track(name, stream, read(stream, variant=args.variant, only=only))
            yield from _sorted_out(items, filters, f"{name}: " if several else "", run, name)
        except CaptureError as failure:
            run.unreadable.append(f"ss7ani: {name}: {failure}")


def _sorted_out(
    items: Iterable[IsupRecord | Issue], filters: Filters, prefix: str, run: _Run, name: str
) -> Iterator[tuple[str, IsupRecord]]:
    """Pass the records that the filters keep; note every issue in ``run``."""
    keep = filters.keep if filters.active() else None
    for item in items:
        if isinstance(item, Issue):
            run.note(
                f"{prefix}frame {item.frame}: {item.layer}@{item.offset}: {item.reason}", item.layer
            )
            continue
        for issue in item.message.issues:
            run.note(
                f"{prefix}frame {item.frame}: {issue.layer}@{issue.offset}: {issue.reason}",
                issue.layer,
            )
        if keep is None or keep(item):
            yield name, item


class Settings(NamedTuple):
    """What a worker needs to decode and format one span (picklable)."""

    variant: VariantChoice
    only: tuple[MessageType, ...] | None
    filters: Filters
    output_format: str
    privacy: Privacy
    several: bool
    max_issues: int


def _format(settings: Settings, stream: IO[str]) -> Callable[[IsupRecord, str], object]:
    """A function writing one record in the output format (no header) to ``stream``."""
    privacy, several = settings.privacy, settings.several
    if settings.output_format == "jsonl":
        return lambda record, name: stream.write(
            json_line(record, privacy, name if several else None) + "\n"
        )
    if settings.output_format == "csv":
        writer = csv_writer(stream, header=False)
        return lambda record, name: writer.writerow(
            csv_row(record, privacy, name if several else None)
        )
    table = TableWriter(stream, privacy, header=False)
    return lambda record, _name: table.write(record)


class Piece(NamedTuple):
    """One span decoded by a worker: the formatted output and what went wrong."""

    #: The formatted output, UTF-8 (bytes travel between processes and to the file as they are).
    data: bytes
    issue_lines: list[str]
    issue_count: Counter[str]
    size: int
    #: When positive, the output is not in ``data`` but the first ``shared`` octets of the
    #: job's slot of the shared memory (``_Shared``).
    shared: int = 0
    #: For ``stats``: the span's counts (no text).
    tally: _Tally | None = None


def _piece(settings: Settings, name: str, items: Iterable[IsupRecord | Issue], size: int) -> Piece:
    """Format the records of ``items`` that the filters keep; collect the issues."""
    run = _Run([], Counter(), [], settings.max_issues)
    prefix = f"{name}: " if settings.several else ""
    kept = _sorted_out(items, settings.filters, prefix, run, name)
    if settings.output_format == _STATS:
        tally = _Tally.empty()
        for _, record in kept:
            tally.add(record, settings.privacy)
        return Piece(b"", run.issue_lines, run.issue_count, size, tally=tally)
    if settings.output_format == "jsonl":
        privacy, file = settings.privacy, name if settings.several else None
        lines = [json_line(record, privacy, file) for _, record in kept]
        lines.append("")
        return Piece("\n".join(lines).encode(), run.issue_lines, run.issue_count, size)
    text = io.StringIO()
    write = _format(settings, text)
    for _, record in kept:
        write(record, name)
    return Piece(text.getvalue().encode(), run.issue_lines, run.issue_count, size)


#: Files smaller than this are decoded in the calling process (workers cost a fork each).
PARALLEL_MIN_SIZE = 32 << 20


def _size(name: str) -> int:
    try:
        return Path(name).stat().st_size
    except OSError:
        return 0


def _splittable(name: str, jobs: int) -> bool:
    if jobs < 2 or name == "-":
        return False
    return _size(name) >= PARALLEL_MIN_SIZE and not _compressed(name)


def _compressed(name: str) -> bool:
    with Path(name).open("rb") as stream:
        return stream.read(2) == b"\x1f\x8b"


def _decode(args: argparse.Namespace, run: _Run, progress: _Progress) -> None:
    to_terminal = args.output is None and sys.stdout.isatty()
    output_format = args.format or ("table" if to_terminal else "jsonl")
    settings = Settings(
        args.variant,
        None if args.all else (MessageType.IAM,),
        _filters(args),
        output_format,
        _privacy(args, output_format),
        len(args.files) > 1,
        args.max_issues,
    )
    with contextlib.ExitStack() as stack:
        target: IO[str] = sys.stdout
        if args.output is not None:
            target = stack.enter_context(Path(args.output).open("w", encoding="utf-8", newline=""))
        if output_format == "csv":
            csv_writer(target)
        elif output_format == "table":
            TableWriter(target, settings.privacy)
        if any(_splittable(name, args.jobs) for name in args.files):
            _decode_parallel(args, settings, target, run, progress)
            return
        write = _format(settings, target)
        for name, record in _records(args, run, progress):
            write(record, name)


#: What a worker decodes: a span of a file, or a whole file (span None).
Job = tuple[Settings, str, Span | None]


def _decode_parallel(
    args: argparse.Namespace,
    settings: Settings,
    target: IO[str],
    run: _Run,
    progress: _Progress,
    tally: _Tally | None = None,
) -> None:
    """Decode spans of the inputs in ``args.jobs`` processes; write in capture order.

    For ``stats`` (``tally`` given) the workers' counts are added to ``tally`` instead.

    At most ``AHEAD`` jobs per worker are submitted ahead of the one being written, so the
    text waiting in memory stays bounded; the next spans are found while the workers decode.
    Forked workers hand their text over in shared memory, each job in a slot of its own.
    """
    forking = sys.platform == "linux"
    context = multiprocessing.get_context("fork" if forking else "spawn")
    jobs = _jobs(args, settings)
    slots = AHEAD * args.jobs + 1  # jobs in flight, and the one being written
    shared = _Shared(slots) if forking else None
    free = deque(range(slots))
    with contextlib.ExitStack() as stack:
        if shared is not None:
            stack.callback(shared.close)
        pool = stack.enter_context(context.Pool(args.jobs, _start_worker, (shared,)))

        def submit(job: Job) -> tuple[int, AsyncResult[tuple[str, Piece | str]]]:
            slot = free.popleft()
            return slot, pool.apply_async(_unit, (job, slot))

        waiting = deque(submit(job) for job in itertools.islice(jobs, AHEAD * args.jobs))
        while waiting:
            slot, result = waiting.popleft()
            name, piece = result.get()
            job = next(jobs, None)
            if job is not None:
                waiting.append(submit(job))
            if isinstance(piece, str):
                run.unreadable.append(piece)
            else:
                if piece.shared and shared is not None:
                    _write(target, shared.text(slot, piece.shared))
                    shared.release(slot)
                elif piece.data:
                    _write(target, piece.data)
                if tally is not None and piece.tally is not None:
                    tally.update(piece.tally)
                run.merge(piece)
                progress.advance(name, piece.size, _size(name))
            free.append(slot)


class _Shared:
    """Anonymous shared memory, inherited by forked workers: one slot of text per job.

    Handing a span's text (megabytes of JSON) through the pool's pipe cost the parent more
    CPU (unpickling, 64 KiB pipe reads) than writing it; a slot costs one copy in the worker.
    A slot is emptied (``MADV_REMOVE``) once written, so only slots in use take memory.
    """

    #: Octets a slot holds (a 2 MB span of IAMs gives about 4 MB of JSON); a piece that does
    #: not fit travels through the pipe.
    SLOT = 16 << 20

    def __init__(self, count: int) -> None:
        """Map ``count`` slots (address space only: pages are taken when written)."""
        self.memory = mmap.mmap(-1, count * self.SLOT)

    def close(self) -> None:
        """Unmap (left to the garbage collector while a view of a slot is still alive)."""
        with contextlib.suppress(BufferError):
            self.memory.close()

    def put(self, slot: int, data: bytes) -> bool:
        """Copy a piece's text into ``slot``; False when it does not fit."""
        if len(data) > self.SLOT:
            return False
        start = slot * self.SLOT
        self.memory[start : start + len(data)] = data
        return True

    def text(self, slot: int, length: int) -> memoryview:
        """The first ``length`` octets of ``slot``."""
        start = slot * self.SLOT
        return memoryview(self.memory)[start : start + length]

    def release(self, slot: int) -> None:
        """Give a written slot's pages back to the system."""
        self.memory.madvise(mmap.MADV_REMOVE, slot * self.SLOT, self.SLOT)


#: The shared memory of this worker process (set by ``_start_worker``).
_WORKER_SHARED: list[_Shared | None] = [None]


def _start_worker(shared: _Shared | None) -> None:
    """Pool initializer: remember the parent's shared memory (inherited through fork).

    Ctrl-C reaches the whole process group: the workers leave it to the parent, which stops
    the pool (no traceback from each worker).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_SHARED[0] = shared


def _write(target: IO[str], data: bytes | memoryview) -> None:
    """Write UTF-8 octets to a text stream: straight to its binary buffer when it has one."""
    buffer = getattr(target, "buffer", None)
    if buffer is None:
        target.write(str(data, "utf-8"))
        return
    target.flush()
    buffer.write(data)


#: Jobs submitted per worker ahead of the piece being written.
AHEAD = 2


def _jobs(args: argparse.Namespace, settings: Settings) -> Iterator[Job]:
    """One job per span of each file that is worth splitting, one per other file."""
    for name in args.files:
        found = False
        if _splittable(name, args.jobs):
            for span in spans(name):
                found = True
                yield settings, name, span
        if not found:
            yield settings, name, None


def _unit(job: Job, slot: int) -> tuple[str, Piece | str]:
    """Worker entry: one span, or a whole file; an unreadable file gives its message.

    The text goes into ``slot`` of the shared memory when there is one and it fits.
    """
    settings, name, span = job
    piece = _unit_piece(settings, name, span)
    shared = _WORKER_SHARED[0]
    if isinstance(piece, Piece) and shared is not None and shared.put(slot, piece.data):
        piece = piece._replace(data=b"", shared=len(piece.data))
    return name, piece


def _unit_piece(settings: Settings, name: str, span: Span | None) -> Piece | str:
    if Path(name).is_dir():
        return f"ss7ani: {name}: is a directory"
    try:
        if span is None:
            items = read(name, variant=settings.variant, only=settings.only)
            size = Path(name).stat().st_size
        else:
            items = read_span(name, span, variant=settings.variant, only=settings.only)
            size = (span.stop if span.stop >= 0 else Path(name).stat().st_size) - span.start
        return _piece(settings, name, items, size)
    except CaptureError as failure:
        return f"ss7ani: {name}: {failure}"
    except OSError as failure:
        return f"ss7ani: {name}: {failure.strerror or failure}"


#: ``Settings.output_format`` of a worker counting for ``stats``.
_STATS = "stats"


def _stats(args: argparse.Namespace, run: _Run, progress: _Progress) -> None:
    privacy = (
        REVEAL
        if args.reveal
        else Privacy(pseudonym_key=args.pseudonymize.encode())
        if args.pseudonymize
        else REDACT
    )
    tally = _Tally.empty()
    if any(_splittable(name, args.jobs) for name in args.files):
        several = len(args.files) > 1
        settings = Settings(
            args.variant, None, _filters(args), _STATS, privacy, several, args.max_issues
        )
        _decode_parallel(args, settings, sys.stdout, run, progress, tally)
    else:
        for _, record in _records(args, run, progress):
            tally.add(record, privacy)
    iams = sum(tally.per_variant.values())
    out = sys.stdout
    _section(out, "messages per type", tally.types)
    _section(out, "IAMs per variant", tally.per_variant)
    _section(out, "IAMs per transport", tally.per_transport)
    _section(out, "calling party presentation", tally.presentation, total=iams)
    _section(out, "calling party screening", tally.screening, total=iams)
    tops = (("called", tally.called), ("calling", tally.calling), ("charge", tally.charge))
    for name, counter in tops:
        _section(
            out, f"top {args.top} {name} numbers", Counter(dict(counter.most_common(args.top)))
        )
    _section(out, "decode issues by layer", run.issue_count)


def _section(out: IO[str], title: str, counts: Counter[str], total: int | None = None) -> None:
    out.write(f"{title}\n")
    if not counts:
        out.write("  (none)\n")
    width = max((len(k) for k in counts), default=0)
    for key, value in counts.most_common():
        share = f"  {100 * value / total:5.1f} %" if total else ""
        out.write(f"  {key:<{width}}  {value:>9}{share}\n")
    out.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    run = _Run([], Counter(), [], args.max_issues)
    progress = _Progress(sys.stderr.isatty() and not args.no_progress)
    try:
        (_decode if args.command == "decode" else _stats)(args, run, progress)
    except _Usage as error:
        progress.stop()
        sys.stderr.write(f"ss7ani: {error}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        progress.stop()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        progress.stop()
        sys.stderr.write("ss7ani: interrupted\n")
        return EXIT_INTERRUPTED
    except OSError as error:
        progress.stop()
        sys.stderr.write(f"ss7ani: {error}\n")
        return EXIT_UNREADABLE
    progress.stop()
    return _report(run, args)


def _report(run: _Run, args: argparse.Namespace) -> int:
    total = sum(run.issue_count.values())
    for line in run.issue_lines:
        sys.stderr.write(f"ss7ani: issue: {line}\n")
    if total > len(run.issue_lines):
        sys.stderr.write(
            f"ss7ani: ... {total - len(run.issue_lines)} more issues ({total} in all)\n"
        )
    for line in run.unreadable:
        sys.stderr.write(line + "\n")
    if run.unreadable:
        return EXIT_UNREADABLE
    return EXIT_ISSUES if args.strict and total else EXIT_OK


__all__ = ["main", "mask", "point_code"]
