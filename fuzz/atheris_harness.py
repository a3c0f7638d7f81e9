#!/usr/bin/env python3
"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer for CPython).

    python -m pip install atheris
    python fuzz/atheris_harness.py --make-corpus corpus/     # seeds from the sample captures
    python fuzz/atheris_harness.py corpus/ -max_total_time=600

An input is either a capture file (first octet odd: the rest goes to ``ss7ani.read``) or a
sequence of frames (first octet even: octet 1 picks the link type, then each frame is a
two-octet big-endian length and that many octets, fed to one ``Decoder``).  Invariant 1 of
docs/robustness.md: the pipeline yields records and issues only (``CaptureError`` for a file
that is not a capture at all); any other exception is a crash, which libFuzzer reports with
the input that caused it.  ``--frames-only`` fuzzes the frame format alone (no capture
files).  Other libFuzzer options (``-runs=N``, ``-jobs=N`` ...) pass through.
"""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path
from types import ModuleType

try:
    atheris: ModuleType | None = importlib.import_module("atheris")
except ImportError:  # atheris builds against libFuzzer: not every platform has a wheel
    atheris = None

if atheris is not None:
    with atheris.instrument_imports():
        import ss7ani
        from ss7ani import capture
        from ss7ani.decode import Decoder
else:
    import ss7ani
    from ss7ani import capture
    from ss7ani.decode import Decoder

#: The link types an input can pick (octet 1 modulo this list's length).
LINKTYPES = (0, 1, 101, 108, 113, 139, 140, 141, 228, 229, 276)
ROOT = Path(__file__).resolve().parents[1]


def frames_of(data: bytes) -> list[bytes]:
    """Split the frame part of an input: two-octet length, then the frame, repeated."""
    frames = []
    index = 0
    while index + 2 <= len(data):
        size = int.from_bytes(data[index : index + 2], "big")
        frames.append(data[index + 2 : index + 2 + size])
        index += 2 + size
    return frames


FILES = True


def test_one_input(data: bytes) -> None:
    """Decode one input; anything but records, issues (or CaptureError for files) raises."""
    if not data:
        return
    if data[0] & 1 and FILES:
        try:
            for item in ss7ani.read(io.BytesIO(data[1:])):
                if not isinstance(item, ss7ani.IsupRecord | ss7ani.Issue):
                    raise TypeError(type(item).__name__)
        except ss7ani.CaptureError:
            return
        return
    linktype = LINKTYPES[data[1] % len(LINKTYPES)] if len(data) > 1 else 1
    decoder = Decoder()
    for number, frame in enumerate(frames_of(data[2:]), 1):
        for item in decoder.feed(capture.Frame(number, 0, 0, linktype, frame, len(frame))):
            if not isinstance(item, ss7ani.IsupRecord | ss7ani.Issue):
                raise TypeError(type(item).__name__)
    decoder.finish()


def make_corpus(folder: Path) -> int:
    """Write seed inputs: each sample capture whole, and its frames in the frame format."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted((ROOT / "captures").glob("*.pcap*")):
        data = path.read_bytes()
        (folder / f"{path.name}.file").write_bytes(b"\x01" + data)
        count += 1
        frames = [
            f
            for f in capture.read_frames(capture.open_source(path))
            if isinstance(f, capture.Frame)
        ]
        if frames and frames[0].linktype in LINKTYPES:
            body = b"".join(len(f.data).to_bytes(2, "big") + f.data for f in frames)
            kind = bytes([0, LINKTYPES.index(frames[0].linktype)])
            (folder / f"{path.name}.frames").write_bytes(kind + body)
            count += 1
    return count


def main(argv: list[str]) -> int:
    """Run atheris over ``argv`` (libFuzzer options and corpus folders), or make a corpus."""
    if len(argv) > 2 and argv[1] == "--make-corpus":
        count = make_corpus(Path(argv[2]))
        sys.stdout.write(f"{count} seed inputs written to {argv[2]}\n")
        return 0
    if atheris is None:
        sys.stderr.write("atheris is not installed (python -m pip install atheris)\n")
        return 2
    if "--frames-only" in argv:
        global FILES  # noqa: PLW0603 - a switch for the whole fuzzing process
        FILES = False
        argv = [arg for arg in argv if arg != "--frames-only"]
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
