"""Throughput and memory of ss7ani against tshark on the same capture (docs/performance.md).

1. Writes a deterministic benchmark capture with ss7ani.writer: ITU ISUP over
   M3UA / SCTP / IPv4 / Ethernet, 40 % of the frames IAMs (4 to 9 optional parameters, as
   in real traffic; calling numbers restricted or not), the rest ACM, ANM, REL, RLC and SCTP /
   M3UA keep-alive noise.
2. Runs, alternating, ``ss7ani decode --format jsonl -o /dev/null``, the library iteration
   alone (``ss7ani.iams``, every record touched), and tshark extracting the equivalent IAM
   fields (``-T fields``), each as a separate process.
3. Prints frames/s, the ss7ani / tshark ratio and the peak RSS of each (medians over the runs),
   after checking that ss7ani found every IAM the writer put in, equal to the written records.

    python benchmarks/bench.py [--frames 1000000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ss7ani.isup import InitialAddress, Release, encode
from ss7ani.isup.codes import (
    AddressPresentation,
    CalledNatureOfAddress,
    CallingNatureOfAddress,
    CallingPartyCategory,
    CauseLocation,
    CauseValue,
    ClosedUserGroupIndicator,
    CodingStandard,
    ContinuityCheckIndicator,
    EndToEndMethod,
    GenericNumberScreening,
    IsupPreference,
    MessageType,
    NumberingPlan,
    NumberQualifier,
    RedirectingIndicator,
    RedirectionReason,
    SatelliteIndicator,
    SccpMethod,
    ScreeningIndicator,
    TransmissionMediumRequirement,
    Variant,
)
from ss7ani.isup.messages import OtherMessage
from ss7ani.isup.params import (
    CalledPartyNumber,
    CallingPartyNumber,
    CauseIndicators,
    ForwardCallIndicators,
    GenericNumber,
    HopCounter,
    LocationNumber,
    NatureOfConnectionIndicators,
    OptionalForwardCallIndicators,
    OptionalParameter,
    RawParameter,
    RedirectingNumber,
    RedirectionInformation,
)
from ss7ani.writer import (
    Encapsulation,
    Encapsulator,
    LinkFrame,
    Message,
    PcapngWriter,
    PcapWriter,
)

_T0 = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
_PLAN = NumberingPlan.ISDN_TELEPHONY_E164
_NATIONAL = CallingNatureOfAddress.NATIONAL_NUMBER
#: Frames per cycle: 4 IAMs, ACM, ANM, REL, RLC, then one noise event (2 frames).
_CYCLE = 10
_TEMPLATES = 997  # distinct IAMs (a prime, so CICs and templates do not line up)


# Parameters real IAMs carry besides the numbers (as in the shared captures' IAMs): optional
# forward call indicators, access transport, user service information, propagation delay
# counter, parameter compatibility information, hop counter.
_EVERYDAY: list[OptionalParameter] = [
    OptionalForwardCallIndicators(
        ClosedUserGroupIndicator.NON_CUG_CALL,
        simple_segmentation=False,
        connected_line_identity_request=False,
    ),
    RawParameter(0x03, bytes.fromhex("7d029181")),
    RawParameter(0x1D, bytes.fromhex("8090a3")),
    RawParameter(0x31, bytes.fromhex("0005")),
    RawParameter(0x39, bytes.fromhex("3dc0")),
    HopCounter(31),
]


def _iam(index: int) -> InitialAddress:
    """One of a few parameter mixes, with numbers that depend on ``index``."""
    calling = CallingPartyNumber(
        f"20794{index:05d}",
        _NATIONAL,
        _PLAN,
        AddressPresentation.RESTRICTED if index % 7 == 0 else AddressPresentation.ALLOWED,
        ScreeningIndicator.NETWORK_PROVIDED,
    )
    optional: list[OptionalParameter] = [calling, *_EVERYDAY[: 3 + index % 4]]
    if index % 3 == 0:
        optional.append(
            GenericNumber(
                f"16329{index:05d}",
                NumberQualifier.ADDITIONAL_CALLING_PARTY_NUMBER,
                _NATIONAL,
                _PLAN,
                AddressPresentation.ALLOWED,
                GenericNumberScreening.USER_PROVIDED_NOT_VERIFIED,
            )
        )
    if index % 4 == 1:
        optional.append(
            LocationNumber(
                "2079460",
                _NATIONAL,
                _PLAN,
                AddressPresentation.ALLOWED,
                ScreeningIndicator.NETWORK_PROVIDED,
            )
        )
    if index % 5 == 2:
        optional += [
            RedirectingNumber(f"11849{index:05d}", _NATIONAL, _PLAN, AddressPresentation.ALLOWED),
            RedirectionInformation(
                RedirectingIndicator.CALL_DIVERTED,
                RedirectionReason.UNCONDITIONAL,
                1,
                RedirectionReason.NO_REPLY,
            ),
        ]
    return InitialAddress(
        Variant.ITU,
        0,
        NatureOfConnectionIndicators(
            SatelliteIndicator.NO_SATELLITE,
            ContinuityCheckIndicator.NOT_REQUIRED,
            echo_control_device=True,
        ),
        ForwardCallIndicators(
            international_call=False,
            end_to_end_method=EndToEndMethod.NONE,
            interworking=False,
            end_to_end_information=False,
            isup_all_the_way=True,
            isup_preference=IsupPreference.PREFERRED_ALL_THE_WAY,
            isdn_access=True,
            sccp_method=SccpMethod.NO_INDICATION,
            ported_number_translated=False,
            qor_attempt=False,
        ),
        CallingPartyCategory.ORDINARY_SUBSCRIBER,
        CalledPartyNumber(f"11632{index:05d}", CalledNatureOfAddress.NATIONAL_NUMBER, _PLAN),
        TransmissionMediumRequirement.SPEECH,
        optional=tuple(optional),
    )


class Workload(NamedTuple):
    """The IAM templates and the octets of the other messages."""

    iams: list[InitialAddress]
    iam_octets: list[bytes]
    others: list[bytes]


def workload() -> Workload:
    """Encode every template once (the writer then only patches CICs)."""
    iams = [_iam(i) for i in range(_TEMPLATES)]
    others = [
        encode(OtherMessage(Variant.ITU, 0, MessageType.ACM, b"\x16\x14", (), ())),
        encode(OtherMessage(Variant.ITU, 0, MessageType.ANM, b"", (), ())),
        encode(
            Release(
                Variant.ITU,
                0,
                CauseIndicators(
                    CauseLocation.PUBLIC_NETWORK_LOCAL_USER,
                    CodingStandard.ITU_T,
                    CauseValue.NORMAL_CALL_CLEARING,
                ),
            )
        ),
        encode(OtherMessage(Variant.ITU, 0, MessageType.RLC, b"", (), ())),
    ]
    return Workload(iams, [encode(m) for m in iams], others)


def _cic(octets: bytes, cic: int) -> bytes:
    return bytes((cic & 0xFF, cic >> 8)) + octets[2:]


def frames(count: int, load: Workload) -> Iterator[LinkFrame]:
    """The benchmark frames: ``count`` of them, deterministic."""
    encapsulator = Encapsulator(Encapsulation())
    produced = 0
    cycle = 0
    while produced < count:
        ts = _T0 + cycle * 10_000_000
        batch: list[Message] = []
        for slot in range(4):
            index = (cycle * 4 + slot) % _TEMPLATES
            cic = (cycle * 4 + slot) % 4096
            batch.append(
                Message(
                    ts + slot, _cic(load.iam_octets[index], cic), opc=1001, dpc=2002, sls=cic & 15
                )
            )
        for slot, octets in enumerate(load.others):
            cic = (cycle * 4 + slot) % 4096
            forward = slot in (0, 1, 3)  # ACM, ANM, RLC go backwards
            opc, dpc = (2002, 1001) if forward else (1001, 2002)
            batch.append(Message(ts + 4 + slot, _cic(octets, cic), opc=opc, dpc=dpc, sls=cic & 15))
        for frame in [*encapsulator.frames(batch), *encapsulator.noise(ts + 9)]:
            if produced == count:
                return
            produced += 1
            yield frame
        cycle += 1


def write_capture(path: Path, count: int) -> Workload:
    """Write the benchmark capture (pcapng if ``path`` says so); return what went into it."""
    load = workload()
    with path.open("wb") as stream:
        if path.suffix == ".pcapng":
            PcapngWriter(stream).write_frames(frames(count, load))
        else:
            PcapWriter(stream, 1).write_frames(frames(count, load))
    return load


def check(path: Path, count: int, load: Workload) -> int:
    """ss7ani finds every IAM the writer put in, equal to its template (CIC aside)."""
    import ss7ani  # noqa: PLC0415 - the measured processes import it themselves

    expected = (count // _CYCLE) * 4 + min(count % _CYCLE, 4)
    found = 0
    for found, record in enumerate(ss7ani.iams(path), 1):
        if found % 9973 == 1:
            index = (found - 1) % _TEMPLATES
            message = record.message
            assert isinstance(message, InitialAddress)
            assert message == load.iams[index]._replace(cic=(found - 1) % 4096), found
    if found != expected:
        msg = f"ss7ani found {found} IAMs, the writer put in {expected}"
        raise SystemExit(msg)
    return found


_LIBRARY = """
import sys, ss7ani
n = 0
for record in ss7ani.iams(sys.argv[1]):
    message = record.message
    calling = message.calling
    n += 1
print(n)
"""
_TSHARK_FIELDS = [
    "frame.number", "isup.cic", "m3ua.protocol_data_opc", "m3ua.protocol_data_dpc",
    "isup.called", "isup.calling", "isup.calling_party_nature_of_address_indicator",
    "isup.address_presentation_restricted_indicator", "isup.screening_indicator",
    "isup.generic_number", "isup.location_number", "isup.redirecting",
]  # fmt: skip


class Result(NamedTuple):
    """One measured run."""

    seconds: float
    peak_rss_kib: int


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(command: list[str]) -> Result:
    """Run a command in a fresh wrapper process: its wall time and its own peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True
    )
    seconds, peak = done.stdout.split()
    return Result(float(seconds), int(peak))


def main() -> None:
    """Write the capture, check it, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="directory to keep the capture in")
    parser.add_argument("--no-tshark", action="store_true")
    parser.add_argument(
        "--pcapng", action="store_true", help="write the capture as pcapng (one EPB a frame)"
    )
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="ss7ani-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{args.frames}.{'pcapng' if args.pcapng else 'pcap'}"
    start = time.perf_counter()
    load = write_capture(path, args.frames) if not path.exists() else workload()
    print(f"capture: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.frames} frames, "
          f"written in {time.perf_counter() - start:.1f} s)")  # fmt: skip
    print(
        f"check: {check(path, args.frames, load)} IAMs, sampled records equal to the written ones"
    )
    decode = ["decode", "--format", "jsonl", "-o", os.devnull, str(path)]
    commands = {
        "ss7ani library": [sys.executable, "-c", _LIBRARY, str(path)],
        "ss7ani decode jsonl": [sys.executable, "-m", "ss7ani", *decode],
    }
    tshark = shutil.which("tshark")
    if tshark and not args.no_tshark:
        fields = [arg for name in _TSHARK_FIELDS for arg in ("-e", name)]
        commands["tshark -T fields"] = [
            tshark,
            "-r",
            str(path),
            "-Y",
            "isup.message_type == 1",
            "-T",
            "fields",
            *fields,
        ]
    results: dict[str, list[Result]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            results[name].append(run(command))
    reference = (
        statistics.median(r.seconds for r in results.get("tshark -T fields", []))
        if tshark and not args.no_tshark
        else None
    )
    print(f"{'':24} {'median s':>9} {'frames/s':>10} {'x tshark':>9} {'peak RSS MB':>12}")
    for name, measured in results.items():
        seconds = statistics.median(r.seconds for r in measured)
        rss = max(r.peak_rss_kib for r in measured) / 1024
        ratio = f"{reference / seconds:9.2f}" if reference else f"{'-':>9}"
        print(f"{name:24} {seconds:9.2f} {args.frames / seconds:10.0f} {ratio} {rss:12.1f}")
    if args.keep is None:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
