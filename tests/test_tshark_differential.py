"""ss7ani against tshark 4.0, field by field (harness: scripts/ss7ani_tshark.py).

Hypothesis draws IAMs of both variants with their routing; the writer puts them, a batch per
capture, in every encapsulation and both file formats; tshark reads each capture once, and every
field it decodes must equal ss7ani's or differ for a documented reason (``KNOWN``, explained
in docs/tshark-differences.md).  The same holds for every capture of ../shared/captures (with
the tshark preferences its MANIFEST.md gives) and of captures/.  Each documented difference has
a test below that makes tshark show it.

One mapping: a generated ANSI IAM keeps a called number of one octet (the NAI 116 / 117 form)
only if it has no optional part, since tshark would show none of that part (docs, row
``tshark-exception``); the others get a full called number.  The generated IAMs are the same
on every run.  ``SS7ANI_DIFF_EXAMPLES`` sets how many per
variant (default 2500); ``SS7ANI_DIFF_SEED`` draws other ones (a random exploration).
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import ss7ani_tshark as harness
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import ss7ani
from conftest import ROOT, SHARED, need_tshark, shared_capture
from ss7ani import strategies, writer
from ss7ani.isup import InitialAddress, encode
from ss7ani.isup.codes import Variant
from ss7ani.output import REVEAL, as_dict
from ss7ani.writer import Encapsulation, Encapsulator, Message, VlanTag

EXAMPLES = int(os.environ.get("SS7ANI_DIFF_EXAMPLES", "2500"))
SEED = os.environ.get("SS7ANI_DIFF_SEED")

_FCS = ("-o", "mtp2.capture_contains_frame_check_sequence:TRUE")
#: Encapsulation of each generated capture, and the tshark options it needs.
ENCAPSULATIONS: dict[str, tuple[Encapsulation, tuple[str, ...]]] = {
    "m3ua-ethernet-ipv4": (Encapsulation(), ()),
    "m3ua-ipv6-vlan": (Encapsulation(ip=6, vlans=(VlanTag(100),)), ()),
    "m3ua-bundled-sll": (Encapsulation(bundle=4, link="sll"), ()),
    "m3ua-sctp-fragments": (Encapsulation(fragment_size=40), ()),
    "m3ua-draft6": (
        Encapsulation(transport="m3ua-draft6"),
        ("-o", "m3ua.version:Internet Draft version 6"),
    ),
    "m2pa": (Encapsulation(transport="m2pa"), ()),
    "m2ua": (Encapsulation(transport="m2ua"), ()),
    "mtp2": (Encapsulation(transport="mtp2"), ()),
    "mtp2-fcs": (Encapsulation(transport="mtp2", fcs=True), _FCS),
    "mtp2-phdr": (Encapsulation(transport="mtp2-phdr"), ()),
    "mtp3": (Encapsulation(transport="mtp3"), ()),
}
_BATCHES = [(name, form) for name in ENCAPSULATIONS for form in ("pcap", "pcapng")]
_STANDARD = {Variant.ITU: ("-o", "mtp3.standard:ITU"), Variant.ANSI: ("-o", "mtp3.standard:ANSI")}

#: tshark preferences per capture of the shared pool (MANIFEST.md, column "tshark prefs").
SHARED_OPTIONS: dict[str, tuple[str, ...]] = {
    "sample-captures__isup.cap": ("-o", "m3ua.version:Internet Draft version 6"),
    "sample-captures__isup_load_generator.pcap": _FCS,
    "xdr_tester__isup.pcap": ("-o", "sctp.tsn_analysis:FALSE"),
}
#: The documented differences each shared capture shows (all others must agree).
SHARED_EXPLAINED: dict[str, dict[str, int]] = {
    # MTP2 preventive cyclic retransmission: 2 IAMs, sent 143 and 124 times (MANIFEST row 3).
    "sng_ss7mon__pcr1.pcap": {"retransmission": 265},
}


@st.composite
def _comparable_iams(draw: st.DrawFn, variant: Variant) -> InitialAddress:
    """An IAM of ``strategies.initial_address_messages``, mapped for tshark.

    A one-octet ANSI called number hides the optional part from tshark (its own test below
    shows that): an IAM with an optional part gets a full called number instead.
    """
    iam = draw(strategies.initial_address_messages(variant))
    if iam.called.numbering_plan is None and iam.optional:
        numbers = strategies.called_party_numbers(variant)
        iam = iam._replace(called=draw(numbers.filter(lambda c: c.numbering_plan is not None)))
    return iam


def _routed(variant: Variant) -> st.SearchStrategy[Message]:
    """An IAM of ``variant`` with OPC, DPC, SLS and NI (time is set when it is batched)."""
    itu = variant is Variant.ITU
    point_codes = st.integers(0, 0x3FFF if itu else 0xFFFFFF)
    return st.builds(
        lambda iam, opc, dpc, sls, ni: Message(0, encode(iam), variant, opc, dpc, sls, ni),
        _comparable_iams(variant),
        point_codes,
        point_codes,
        st.integers(0, 15 if itu else 255),
        st.integers(0, 3),
    )


@functools.cache
def _pool(variant: Variant) -> tuple[Message, ...]:
    """``EXAMPLES`` messages drawn by Hypothesis: the same ones on every run unless ``SEED``."""
    found: list[Message] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=SEED is None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(_routed(variant))
    def draw(message: Message) -> None:
        found.append(message)

    (draw if SEED is None else seed(int(SEED))(draw))()
    return tuple(found[:EXAMPLES])


def _write(path: Path, frames: list[writer.LinkFrame], file_format: str) -> Path:
    with path.open("wb") as stream:
        if file_format == "pcapng":
            writer.PcapngWriter(stream).write_frames(frames)
        else:
            writer.PcapWriter(stream, frames[0].linktype, nanosecond=True).write_frames(frames)
    return path


def _explain(outcomes: list[harness.Outcome], capture: Path, options: tuple[str, ...]) -> str:
    """The first unexplained differences, and how to see them all, for an assertion message."""
    command = " ".join(["python scripts/compare_tshark.py", str(capture), *options])
    lines = [harness.describe(o) for o in outcomes if o.unexplained][:8]
    return "\n  ".join([f"unexplained differences ({command}):", *lines])


# --- generated IAMs ---------------------------------------------------------------------------


@pytest.mark.tshark
@pytest.mark.parametrize("variant", list(Variant))
@pytest.mark.parametrize(("name", "file_format"), _BATCHES)
def test_generated_iams_agree_with_tshark(
    name: str, file_format: str, variant: Variant, tmp_path: Path
) -> None:
    tshark = need_tshark()
    batch = _pool(variant)[_BATCHES.index((name, file_format)) :: len(_BATCHES)]
    messages = [m._replace(ts_ns=1_700_000_000_000_000_000 + i * 1000) for i, m in enumerate(batch)]
    encapsulation, options = ENCAPSULATIONS[name]
    capture = _write(
        tmp_path / f"{variant}-{name}.{file_format}",
        list(Encapsulator(encapsulation).frames(messages)),
        file_format,
    )
    options += _STANDARD[variant]
    decodes = harness.decode_both(capture, options, tshark)
    assert len(decodes.ours) == len(messages)
    assert {iam["variant"] for iam in decodes.ours} == {variant}
    outcomes = harness.compare(decodes)
    assert not any(o.unexplained for o in outcomes), _explain(outcomes, capture, options)


# --- captures from elsewhere ------------------------------------------------------------------

_SHARED_FILES = sorted(p.name for p in [*SHARED.glob("*.pcap"), *SHARED.glob("*.cap")])
_SAMPLES = sorted(
    p.name for suffix in ("pcap", "pcapng", "gz") for p in (ROOT / "captures").glob(f"*.{suffix}")
)


@pytest.mark.tshark
@pytest.mark.parametrize("name", _SHARED_FILES or ["(shared pool absent)"])
def test_shared_captures_agree_with_tshark(name: str) -> None:
    tshark = need_tshark()
    capture = shared_capture(name)
    options = SHARED_OPTIONS.get(name, ())
    outcomes = harness.compare(harness.decode_both(capture, options, tshark))
    assert not any(o.unexplained for o in outcomes), _explain(outcomes, capture, options)
    explained = Counter(o.known for o in outcomes if o.known is not None)
    assert explained == SHARED_EXPLAINED.get(name, {})


@pytest.mark.tshark
@pytest.mark.parametrize("name", _SAMPLES or ["(no samples)"])
def test_sample_captures_agree_with_tshark(name: str) -> None:
    tshark = need_tshark()
    capture = ROOT / "captures" / name
    if not capture.exists():
        pytest.skip("captures/ holds no samples")
    decodes = harness.decode_both(capture, (), tshark)
    outcomes = harness.compare(decodes)
    assert decodes.ours
    assert not any(o.unexplained for o in outcomes), _explain(outcomes, capture, ())


# --- each documented difference, shown by tshark ------------------------------------------------

_ANSI_IAM = bytes.fromhex(
    # CIC 0x1234; USI; called 2125551212; calling 9725551234; charge 9725550000; OLI 62;
    # jurisdiction 972555
    "341201006001 0a 03 06 0d 03 8090a2 07 0310 1252552121 0a 07 0313 7952552143"
    " eb 07 0310 7952550000 ea 01 3e c4 03 795255 00".replace(" ", "")
)
# The same with called party number 0x74 (NAI 116, no number present): octet 1 only
# (T1.113 §3.6); the optional part pointer moves up by the 6 octets saved.
_ANSI_IAM_OCTET_1_CALLED = _ANSI_IAM[:9] + b"\x07" + _ANSI_IAM[10:14] + b"\x01\x74" + _ANSI_IAM[22:]
_ITU_HEAD = bytes.fromhex("0c00 01 00 6001 0a 00 02 07 05 0310 2143f5".replace(" ", ""))
_CALLING = bytes.fromhex("0a 08 8417 415155153204".replace(" ", ""))  # 14155551234, restricted


def _itu_iam(*optional: str) -> bytes:
    """An ITU IAM (CIC 12, called 12345F) with these optional parameters (hex)."""
    return _ITU_HEAD + bytes.fromhex("".join(optional).replace(" ", "")) + b"\x00"


def _one_capture(
    tmp_path: Path,
    payloads: list[tuple[bytes, Variant]],
    encapsulation: Encapsulation | None = None,
) -> Path:
    routing = {Variant.ITU: (1, 2), Variant.ANSI: (0x010203, 0x040506)}
    messages = [
        Message(i * 1000, payload, variant, *routing[variant])
        for i, (payload, variant) in enumerate(payloads)
    ]
    frames = list(Encapsulator(encapsulation).frames(messages))
    return _write(tmp_path / "one.pcap", frames, "pcap")


def _explained_by(
    capture: Path, options: tuple[str, ...] = ()
) -> tuple[Counter[str], list[harness.Fields]]:
    """The explained differences (``field: key``), and tshark's IAMs; none unexplained."""
    decodes = harness.decode_both(capture, options, need_tshark())
    outcomes = harness.compare(decodes)
    assert not any(o.unexplained for o in outcomes), _explain(outcomes, capture, options)
    return Counter(f"{o.case.field}: {o.known}" for o in outcomes if o.known), decodes.theirs


@pytest.mark.tshark
def test_per_file_variant_ansi_read_as_itu(tmp_path: Path) -> None:
    capture = _one_capture(tmp_path, [(_ANSI_IAM, Variant.ANSI)])
    explained, theirs = _explained_by(capture, ("-o", "mtp3.standard:ITU"))
    # Read as ITU: a 12-bit CIC; charge number, OLI and jurisdiction shown as raw octets.
    iam = theirs[0]
    assert (iam["cic"], iam["charge"], iam["oli"], iam["jurisdiction"]) == (0x234, None, None, None)
    assert iam["parameters"] == [0x0A, 0xEB, 0xEA, 0xC4]
    assert explained == Counter(
        f"{field}: per-file-variant" for field in ("cic", "charge", "oli", "jurisdiction")
    )
    # Without the option the ANSI frames get a second tshark run, as ANSI: all agree.
    assert _explained_by(capture)[0] == Counter()
    # On an MTP3 link the ANSI routing label read as ITU hides the IAM from tshark.
    link = _one_capture(tmp_path, [(_ANSI_IAM, Variant.ANSI)], Encapsulation(transport="mtp3"))
    explained, theirs = _explained_by(link, ("-o", "mtp3.standard:ITU"))
    assert (theirs, explained) == ([], Counter({"iam: per-file-variant": 1}))


@pytest.mark.tshark
def test_ansi_called_number_of_one_octet_ends_tsharks_dissection(tmp_path: Path) -> None:
    capture = _one_capture(tmp_path, [(_ANSI_IAM_OCTET_1_CALLED, Variant.ANSI)])
    explained, theirs = _explained_by(capture)
    assert theirs[0]["malformed"]
    assert theirs[0]["parameters"] == []
    assert explained == Counter(
        {
            "calling: tshark-exception": 1,
            "charge: tshark-exception": 1,
            "oli: tshark-exception": 1,
            "jurisdiction: tshark-exception": 1,
        }
    )


@pytest.mark.tshark
def test_tshark_drops_the_parameters_after_one_it_cannot_dissect(tmp_path: Path) -> None:
    # ITU: application transport (0x78) of one octet, then the calling party number.
    capture = _one_capture(tmp_path, [(_itu_iam("78 01 bb", _CALLING.hex()), Variant.ITU)])
    explained, theirs = _explained_by(capture)
    assert (theirs[0]["malformed"], theirs[0]["parameters"]) == (True, [0x78])
    assert explained == Counter({"calling: tshark-exception": 1})
    # ANSI: carrier identification (0xC5) of two octets (tshark reads three) before the rest.
    carrier = _ANSI_IAM[:22] + bytes.fromhex("c5022220") + _ANSI_IAM[22:]
    explained, theirs = _explained_by(_one_capture(tmp_path, [(carrier, Variant.ANSI)]))
    assert (theirs[0]["malformed"], theirs[0]["parameters"]) == (True, [0xC5])
    fields = ("calling", "charge", "oli", "jurisdiction")
    assert explained == Counter(f"{field}: tshark-exception" for field in fields)


@pytest.mark.tshark
def test_an_overrunning_parameter_is_dropped_by_both(tmp_path: Path) -> None:
    # The last parameter claims 9 octets; only what precedes it is decoded, by both.
    ansi = _ANSI_IAM[:-1] + bytes.fromhex("0b09")
    itu = _itu_iam(_CALLING.hex())[:-1] + bytes.fromhex("0b09")
    for payload, variant in ((ansi, Variant.ANSI), (itu, Variant.ITU)):
        explained, theirs = _explained_by(_one_capture(tmp_path, [(payload, variant)]))
        assert explained == Counter()
        assert theirs[0]["calling"] is not None


@pytest.mark.tshark
def test_parameters_tshark_does_not_decode_are_absent(tmp_path: Path) -> None:
    # In ITU, 0xEB has a name in tshark but no decoder: raw octets, or nothing when empty.
    iam = _itu_iam("eb 00", "eb 03 0310 21", _CALLING.hex())
    explained, theirs = _explained_by(_one_capture(tmp_path, [(iam, Variant.ITU)]))
    assert explained == Counter()
    assert (theirs[0]["charge"], theirs[0]["parameters"]) == (None, [0xEB, 0xEB, 0x0A])


@pytest.mark.tshark
def test_segmented_iam_joined_by_ss7ani_alone_in_tshark(tmp_path: Path) -> None:
    iam = _itu_iam(_CALLING.hex(), "08 01 04")  # simple segmentation: an SGM follows
    sgm = bytes.fromhex("0c00 38 01 c0 08 06 0311 1252552121 00".replace(" ", ""))
    capture = _one_capture(tmp_path, [(iam, Variant.ITU), (sgm, Variant.ITU)])
    explained, theirs = _explained_by(capture)
    assert [(t["frame"], t["segmented"], t["generic_numbers"]) for t in theirs] == [(1, True, [])]
    assert explained == Counter({"generic_numbers: segmentation": 1})


@pytest.mark.tshark
def test_iams_pair_by_circuit_within_a_frame(tmp_path: Path) -> None:
    # Two IAMs on CIC 12 in one SCTP packet; ss7ani holds the segmented first one (no SGM
    # comes) and emits it after the second, still as of frame 1.
    segmented = Message(0, _itu_iam("08 01 04", _CALLING.hex()), Variant.ITU, opc=1, dpc=2)
    plain = Message(1, _itu_iam(), Variant.ITU, opc=3, dpc=4)
    frames = list(Encapsulator(Encapsulation(bundle=2)).frames([segmented, plain]))
    explained, theirs = _explained_by(_write(tmp_path / "bundle.pcap", frames, "pcap"))
    assert [(t["frame"], t["opc"], t["cic"]) for t in theirs] == [(1, 1, 12), (1, 3, 12)]
    assert explained == Counter()


@pytest.mark.tshark
def test_repeated_number_parameter(tmp_path: Path) -> None:
    iam = _itu_iam("3f 04 0313 2143", "3f 04 0313 6587")  # location 1234, then 5678
    explained, theirs = _explained_by(_one_capture(tmp_path, [(iam, Variant.ITU)]))
    assert theirs[0]["location"]["digits"] == "1234"
    assert explained == Counter()  # both take the first (fixed in output.py; see below)


def test_json_record_takes_the_first_of_a_repeated_parameter() -> None:
    # Regression: the JSON record took the last location, redirecting, original called number,
    # OLI and jurisdiction but the first calling and charge number (found by this harness).
    iam = _itu_iam("3f 04 0313 2143", "3f 04 0313 6587", "0b 04 0310 2143", "0b 04 0310 6587")
    frames = list(Encapsulator().frames([Message(0, iam, Variant.ITU)]))
    out = io.BytesIO()
    writer.PcapWriter(out, frames[0].linktype).write_frames(frames)
    (record,) = ss7ani.iams(io.BytesIO(out.getvalue()))
    message = record.message
    assert isinstance(message, ss7ani.InitialAddress)
    assert message.location is not None
    assert message.redirecting is not None
    fields = as_dict(record, REVEAL)
    assert fields["location"]["digits"] == message.location.digits == "1234"
    assert fields["redirecting"]["digits"] == message.redirecting.digits == "1234"


@pytest.mark.tshark
def test_mtp2_retransmissions_are_reported_once_by_ss7ani(tmp_path: Path) -> None:
    msu = writer.mtp3_msu(_itu_iam(), variant=Variant.ITU, opc=1, dpc=2, sls=0)
    unit = writer.mtp2_msu(msu, fsn=10)
    frames = [writer.LinkFrame(i, writer.LinkType.MTP2, unit) for i in range(3)]
    explained, theirs = _explained_by(_write(tmp_path / "pcr.pcap", frames, "pcap"))
    assert [t["mtp2_fsn"] for t in theirs] == [10, 10, 10]
    assert explained == Counter({"iam: retransmission": 2})


@pytest.mark.tshark
def test_sctp_retransmissions(tmp_path: Path) -> None:
    messages = [Message(0, _itu_iam(), Variant.ITU), Message(1, _itu_iam(), Variant.ITU)]
    first, second = Encapsulator().frames(messages)
    capture = _write(tmp_path / "sctp.pcap", [first, first, second, first], "pcap")
    # tshark's TSN analysis (on by default) skips retransmitted DATA as ss7ani does.
    assert _explained_by(capture)[0] == Counter()
    off = _explained_by(capture, ("-o", "sctp.tsn_analysis:FALSE"))[0]
    assert off == Counter({"iam: retransmission": 2})


@pytest.mark.tshark
def test_tshark_labels_that_differ_from_the_specs(tmp_path: Path) -> None:
    # Labels only: the values of these fields agree, tshark names them otherwise.
    iam = _ANSI_IAM[:-1] + bytes.fromhex("c0 07 01 71 15 21436587 00".replace(" ", ""))
    iam = iam.replace(bytes.fromhex("0313 7952552143"), bytes.fromhex("7310 7952552143"))
    capture = _one_capture(tmp_path, [(iam, Variant.ANSI)])
    assert _explained_by(capture)[0] == Counter()
    command = [need_tshark(), "-r", str(capture), "-o", "mtp3.standard:ANSI", "-V"]
    text = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    # OLI 62 (NANPA: wireless PCS type 2) gets a fixed note, not its meaning.
    assert "Originating line information : 62 (ANI II if < 51, reserved otherwise)" in text
    # ANSI calling NAI 115 (non-unique national number) and screening 0 (user provided, not
    # screened): tshark uses ITU tables.
    assert "Nature of address indicator: Unknown (115)" in text
    assert "Screening indicator: reserved (0)" in text
    # ANSI generic address (0xC0): ITU generic number names for type of address 1 (destination).
    assert "Generic number" in text
    assert "Number qualifier indicator: additional called number (national use) (0x01)" in text


# --- the harness itself -----------------------------------------------------------------------


@pytest.mark.tshark
def test_harness_reads_each_number_from_its_own_subtree() -> None:
    # MANIFEST: -T fields gives "1;0" for the presentation of this IAM's two numbers.
    capture = shared_capture("sample-captures__isup.cap")
    (iam,) = harness.tshark_iams(capture, SHARED_OPTIONS[capture.name], tshark=need_tshark())
    assert (iam["calling"]["digits"], iam["calling"]["presentation"]) == ("3933399708", 1)
    assert (iam["location"]["digits"], iam["location"]["presentation"]) == ("00600001", 0)
    assert (iam["opc"], iam["dpc"], iam["cic"]) == (11522, 12163, 213)


@pytest.mark.tshark
def test_harness_takes_text_that_is_not_utf8(tmp_path: Path) -> None:
    # ANSI generic name (0xC7) "\xef": tshark copies the octet into its JSON as it is.
    iam = _ANSI_IAM[:-1] + bytes.fromhex("c7 02 21 ef 00".replace(" ", ""))
    capture = _one_capture(tmp_path, [(iam, Variant.ANSI)])
    assert _explained_by(capture)[1][0]["parameters"][-1] == 0xC7


@pytest.mark.tshark
def test_compare_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    need_tshark()
    import compare_tshark  # noqa: PLC0415 - a script, imported only where tshark runs

    payloads = [(_ANSI_IAM_OCTET_1_CALLED, Variant.ANSI), (_itu_iam(), Variant.ITU)]
    capture = _one_capture(tmp_path, payloads)
    assert compare_tshark.main([str(capture)]) == 0
    out = capsys.readouterr().out
    assert "ss7ani 2 IAMs (1 ANSI), tshark 2 IAMs" in out
    assert "tshark-exception: 4" in out
    # Without the documented differences the same capture fails, and says where.
    known = harness.KNOWN
    harness.KNOWN = ()
    try:
        assert compare_tshark.main([str(capture), "--show", "1"]) == 1
    finally:
        harness.KNOWN = known
    assert "frame 1 cic 4660: oli ss7ani only: ss7ani 62, tshark None" in capsys.readouterr().out
    assert compare_tshark.main([str(tmp_path / "absent.pcap")]) == 2


def test_every_known_difference_is_documented() -> None:
    text = (ROOT / "docs" / "tshark-differences.md").read_text()
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in text.splitlines()
        if line.startswith("| `")
    }
    assert rows == {known.key for known in harness.KNOWN}
