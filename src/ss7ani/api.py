"""Reading a capture into records: the file edge (``capture``) joined to the pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from .capture import Frame, Mark, Span, open_source, read_offering
from .capture import read_span as capture_span
from .decode import Decoder
from .isup.codes import MessageType, Variant
from .records import Issue, IsupRecord

VariantChoice = Literal["auto", "itu", "ansi"] | Variant


def read(
    source: str | Path | BinaryIO,
    *,
    variant: VariantChoice = "auto",
    only: Iterable[MessageType] | None = None,
) -> Iterator[IsupRecord | Issue]:
    """Yield an ``IsupRecord`` per ISUP message and an ``Issue`` per problem, in capture order.

    ``source`` is a path (pcap or pcapng, gzip-compressed or not) or a binary stream.
    ``variant`` is ``"auto"`` (decided per message, see docs/variant.md), ``"itu"`` or
    ``"ansi"``.  ``only`` keeps some message types and skips the others before decoding.
    Raises ``CaptureError`` only when the source cannot be read as a capture at all.
    """
    opened = isinstance(source, (str, Path))
    stream = open_source(source)
    decoder = _decoder(variant, only)
    try:
        yield from _drive(decoder, read_offering(stream, decoder.shortcuts))
        yield from decoder.finish()
    finally:
        if opened:
            stream.close()


def iams(source: str | Path | BinaryIO, *, variant: VariantChoice = "auto") -> Iterator[IsupRecord]:
    """Yield only the records of initial address messages (issues are dropped)."""
    opened = isinstance(source, (str, Path))
    stream = open_source(source)
    decoder = _decoder(variant, (MessageType.IAM,))
    pending = decoder.pending
    feed = decoder.feed_declined
    try:
        for item in read_offering(stream, decoder.shortcuts):
            if pending:
                for found in pending:
                    if type(found) is IsupRecord:
                        yield found
                pending.clear()
            if item is not None and type(item) is not Issue:
                for found in feed(item):  # type: ignore[arg-type]
                    if type(found) is IsupRecord:
                        yield found
        for found in (*pending, *decoder.finish()):
            if type(found) is IsupRecord:
                yield found
    finally:
        if opened:
            stream.close()


def read_span(
    path: str | Path,
    span: Span,
    *,
    variant: VariantChoice = "auto",
    only: Iterable[MessageType] | None = None,
) -> Iterator[IsupRecord | Issue]:
    """``read`` for one span of a file (``capture.spans``): what its own frames complete.

    The frames before ``span.own`` are decoded only to rebuild state; what they complete
    belongs to the previous span.  Only the last span ends the capture (held IAMs flushed).
    """
    decoder = _decoder(variant, only)
    own = span.own
    pending = decoder.pending
    warming = True
    for item in capture_span(path, span, decoder.shortcuts):
        if pending:
            if not warming:
                yield from pending
            pending.clear()
        if item is None:
            continue
        if item is Mark.WARMED:
            warming = False
            continue
        if type(item) is Issue:
            if item.frame >= own:
                yield item
            continue
        found = decoder.feed_declined(item)  # type: ignore[arg-type]
        if found and item.number >= own:  # type: ignore[union-attr]
            yield from found
    yield from pending
    if span.stop < 0:
        yield from decoder.finish()


def _decoder(variant: VariantChoice, only: Iterable[MessageType] | None) -> Decoder:
    return Decoder(variant=None if variant == "auto" else Variant(variant), only=only)


def _drive(decoder: Decoder, items: Iterator[Frame | Issue | None]) -> Iterator[IsupRecord | Issue]:
    """What a decoder makes of a reader's items (``read_offering``), in capture order."""
    pending = decoder.pending
    feed = decoder.feed_declined
    for item in items:
        if pending:  # what the shortcuts took came before this item
            yield from pending
            pending.clear()
        if item is None:
            continue
        if type(item) is Issue:
            yield item
        else:
            yield from feed(item)  # type: ignore[arg-type]
    yield from pending
    pending.clear()
