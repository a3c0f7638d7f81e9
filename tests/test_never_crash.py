"""Random bytes into every layer and into the whole pipeline: only results or DecodeErrors.

Invariant 1 of docs/robustness.md: decoding any byte sequence yields records and issues; any
other exception escaping a decoder is a bug.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ss7ani import capture, mtp3
from ss7ani.capture import Frame
from ss7ani.decode import Decoder
from ss7ani.errors import CaptureError, DecodeError
from ss7ani.isup.codes import Variant
from ss7ani.net import ip, link, sctp
from ss7ani.records import Issue, IsupRecord
from ss7ani.sigtran import m2pa, m2ua, m3ua, mtp2

_LINKTYPES = [0, 1, 12, 101, 108, 113, 139, 140, 141, 228, 229, 276, 999]


def _whole(function: Callable[[bytes, int, int], Any]) -> Callable[[bytes], Any]:
    return lambda data: function(data, 0, len(data))


_LAYERS: dict[str, Callable[[bytes], Any]] = {
    "ethernet": link.ethernet,
    "sll": link.linux_sll,
    "sll2": link.linux_sll2,
    "raw": link.raw_ip,
    "null": lambda d: link.loopback(d, big_endian=False),
    "ipv4": lambda d: ip.ipv4(d, 0),
    "ipv6": lambda d: ip.ipv6(d, 0),
    "sctp": _whole(sctp.data_chunks),
    "m3ua": _whole(m3ua.data_message),
    "m2pa": _whole(m2pa.user_data),
    "m2ua": _whole(m2ua.data_message),
    "mtp2": lambda d: mtp2.signal_unit(d, 0, None),
    "mtp2-annex-a": lambda d: mtp2.signal_unit(d, 0, None, extended=True),
    "mtp3-itu": lambda d: mtp3.label(d, 0, Variant.ITU),
    "mtp3-ansi": lambda d: mtp3.label(d, 0, Variant.ANSI),
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(_LAYERS)), st.binary(max_size=120))
def test_every_layer_raises_only_decode_errors(layer: str, data: bytes) -> None:
    try:
        _LAYERS[layer](data)
    except DecodeError as error:
        assert 0 <= error.offset <= len(data)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LINKTYPES), st.binary(max_size=200)), max_size=6))
def test_pipeline_yields_only_records_and_issues(frames: list[tuple[int, bytes]]) -> None:
    decoder = Decoder()
    for number, (linktype, data) in enumerate(frames, 1):
        for item in decoder.feed(Frame(number, 0, 0, linktype, data, len(data))):
            assert isinstance(item, IsupRecord | Issue)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_capture_reader_yields_frames_issues_or_capture_error(data: bytes) -> None:
    for header in (
        b"",
        b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(8) + b"\xff\xff\x00\x00\x01\x00\x00\x00",
    ):
        try:
            for item in capture.read_frames(io.BytesIO(header + data)):
                assert isinstance(item, Frame | Issue)
        except CaptureError:
            pass
