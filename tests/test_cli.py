"""The ``ss7ani`` command line: formats, filters, privacy, exit codes, stdin, damaged inputs."""

from __future__ import annotations

import csv
import io
import json
import mmap
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

import jsonschema
import pytest

from conftest import ROOT, SHARED, shared_capture
from ss7ani.cli import main, point_code

SAMPLE = ROOT / "captures" / "sample.pcapng"
SCHEMA = json.loads((ROOT / "docs" / "records.schema.json").read_text())


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_entry_point_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ss7ani", "decode", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    records = _lines(done.stdout)  # jsonl when stdout is not a terminal
    assert len(records) == 9
    for record in records:
        jsonschema.validate(record, SCHEMA)


def test_stdin_is_read_with_a_dash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ss7ani", "decode", "-", "--format", "jsonl"],
        input=(ROOT / "captures" / "sample.pcapng.gz").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 9


def test_jsonl_fields_of_a_star_67_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["decode", str(SAMPLE), "--format", "jsonl", "--cic", "102"], capsys)
    assert code == 0
    (record,) = _lines(out)
    assert record["variant"] == "ansi"
    assert record["calling"] == {
        "digits": "9725550123", "nai": 3, "npi": 1, "presentation": 1, "screening": 3,
        "incomplete": False,
    }  # fmt: skip
    assert record["charge"] == {"digits": "9725550123", "nai": 3, "npi": 1}
    assert record["ani"] == "9725550123"
    assert record["oli"] == 0
    assert (record["opc"], record["dpc"]) == (0x0A0B01, 0x0A0C02)
    assert record["time"] == "2026-01-15T10:00:00.500000Z"


def test_table_masks_restricted_numbers_unless_revealed(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["decode", str(SAMPLE), "--format", "table"], capsys)
    assert "9725550123" in out  # the charge number is not presentation-restricted
    assert "********23" in out
    assert "2079460456" not in out
    assert "2079460457" not in out  # restricted generic number
    _, revealed, _ = _run(["decode", str(SAMPLE), "--format", "table", "--reveal"], capsys)
    assert "2079460456" in revealed


def test_redact_masks_restricted_numbers_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for output_format in ("jsonl", "csv"):
        _, out, _ = _run(["decode", str(SAMPLE), "--format", output_format, "--redact"], capsys)
        assert "2079460456" not in out
        assert "2079460457" not in out
        assert "5045550111" not in out
        assert "********11" in out
        assert "2125550142" in out  # presentation allowed


def test_pseudonymize_hides_every_number_consistently(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["decode", str(SAMPLE), "--format", "jsonl", "--pseudonymize", "k1"], capsys)
    records = _lines(out)
    text = out
    for digits in ("2125550142", "9725550123", "3105550199", "2079460123"):
        assert digits not in text
    by_cic = {r["cic"]: r for r in records}
    assert by_cic[101]["calling"]["digits"] == by_cic[101]["charge"]["digits"]  # same number
    assert by_cic[101]["calling"]["digits"].startswith("h")
    _, other, _ = _run(["decode", str(SAMPLE), "--format", "jsonl", "--pseudonymize", "k2"], capsys)
    assert _lines(other)[0]["calling"]["digits"] != by_cic[101]["calling"]["digits"]


@pytest.mark.parametrize(
    ("options", "cics"),
    [
        (["--cic", "101", "--cic", "13"], [101, 13]),
        (["--opc", "10-11-1"], [101, 102, 103, 104, 105, 106]),
        (["--dpc", "3002"], [11, 12, 13]),
        (["--number", "4155550100"], [103]),
        (["--number", "20794604*"], [12]),
        (["--number", "3105550*"], [101, 102]),
        (["--restricted"], [102, 12, 104, 105, 106]),
        (["--ani-mismatch"], [103, 104]),
        (["--restricted", "--ani-mismatch"], [104]),
    ],
)
def test_filters(options: list[str], cics: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["decode", str(SAMPLE), "--format", "jsonl", *options], capsys)
    assert code == 0
    assert [r["cic"] for r in _lines(out)] == sorted(
        cics, key=[101, 11, 102, 12, 103, 104, 13, 105, 106].index
    )


def test_all_gives_every_message(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["decode", str(SAMPLE), "--all", "--cic", "103"], capsys)
    records = _lines(out)
    assert [r["message"] for r in records] == ["IAM", "ACM", "REL", "RLC"]
    assert records[2]["cause"] == {"location": 2, "coding_standard": 2, "value": 17}
    for record in records:
        jsonschema.validate(record, SCHEMA)


def test_csv_has_the_flattened_fields(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["decode", str(SAMPLE), "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9
    first = rows[0]
    assert first["calling_digits"] == "2125550142"
    assert first["calling_presentation"] == "0"
    assert first["charge_digits"] == "2125550142"
    assert first["oli"] == "0"


def test_output_file_and_several_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.jsonl"
    other = ROOT / "captures" / "itu_mtp2_fcs.pcap"
    code, out, _ = _run(["decode", str(SAMPLE), str(other), "-o", str(target)], capsys)
    assert code == 0
    assert out == ""
    records = _lines(target.read_text())
    assert len(records) == 12
    assert {r["file"] for r in records} == {str(SAMPLE), str(other)}


def test_truncated_file_reports_the_issue_and_strict_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    damaged = str(ROOT / "captures" / "truncated.pcap")
    code, out, err = _run(["decode", damaged], capsys)
    assert code == 0
    assert len(_lines(out)) == 6
    assert err.count("\n") == 1
    assert "frame 30: capture@" in err
    assert "file ends inside" in err
    code, _, _ = _run(["decode", damaged, "--strict"], capsys)
    assert code == 1


def test_issue_lines_are_capped_with_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ss7ani.writer import PcapWriter  # noqa: PLC0415

    path = tmp_path / "junk.pcap"
    with path.open("wb") as stream:
        writer = PcapWriter(stream, 141)
        for index in range(30):
            writer.write(index, b"\x85\x01\x00\x00\x00\x05\x00\x01")
    code, _, err = _run(["decode", str(path), "--max-issues", "5"], capsys)
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 6
    assert lines[-1] == "ss7ani: ... 25 more issues (30 in all)"


@pytest.mark.parametrize("kind", ["missing", "directory", "not-a-capture"])
def test_unreadable_inputs_exit_3_without_traceback(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = {
        "missing": tmp_path / "nope.pcap",
        "directory": tmp_path,
        "not-a-capture": tmp_path / "x.pcap",
    }[kind]
    if kind == "not-a-capture":
        path.write_text("hello")
    code, _, err = _run(["decode", str(path), str(SAMPLE)], capsys)
    assert code == 3
    assert "Traceback" not in err
    assert err.startswith(f"ss7ani: {path}: ")
    assert err.count("\n") == 1


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["decode"], capsys)[0] == 2
    assert _run(["decode", str(SAMPLE), "--format", "xml"], capsys)[0] == 2
    assert _run(["decode", str(SAMPLE), "--opc", "1-2"], capsys)[0] == 2
    assert _run(["decode", str(SAMPLE), "--number", "12*34"], capsys)[0] == 2
    assert _run(["frobnicate"], capsys)[0] == 2
    assert _run(["--version"], capsys)[0] == 0


def test_point_codes() -> None:
    assert point_code("11522") == 11522
    assert point_code("0x2d02") == 0x2D02
    assert point_code("10-11-1") == 0x0A0B01


def test_stats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["stats", str(SAMPLE)], capsys)
    assert code == 0
    rows = {tuple(line.split()) for line in out.splitlines()}
    assert ("IAM", "9") in rows
    assert ("ANM", "6") in rows
    assert ("ansi", "6") in rows
    assert ("m2pa", "3") in rows
    assert ("restricted", "3", "33.3", "%") in rows
    assert ("ansi:", "network", "provided", "5", "55.6", "%") in rows
    assert ("********23", "1") in rows  # top calling numbers stay masked
    assert ("9725550123", "1") in rows  # charge numbers are not restricted
    assert "2079460456" not in out


def test_every_shared_capture_gives_schema_valid_jsonl_agreeing_with_the_oracle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared_capture("MANIFEST.md")
    for oracle in sorted((SHARED / "oracle").glob("*.jsonl")):
        capture = SHARED / oracle.name.removesuffix(".iam.jsonl")
        code, out, _ = _run(["decode", str(capture), "--format", "jsonl"], capsys)
        assert code == 0
        expected = {
            line["frame"]: line for line in map(json.loads, oracle.read_text().splitlines())
        }
        for record in _lines(out):
            jsonschema.validate(record, SCHEMA)
            line = expected[record["frame"]]
            assert str(record["cic"]) == line["cic"]
            assert record["called"]["digits"] == line["called"]["digits"]
            if "calling" in line:
                assert record["calling"]["digits"] == line["calling"]["digits"]
                assert str(record["calling"]["presentation"]) == line["calling"]["apri"]
                assert str(record["calling"]["screening"]) == line["calling"]["si"]
                assert str(record["calling"]["nai"]) == line["calling"]["nai"]


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    script = shutil.which("script")
    if script is None:
        pytest.skip("util-linux script(1) is needed to give the command a terminal")
    log = tmp_path / "tty.log"
    command = f"{sys.executable} -m ss7ani decode {SAMPLE} -o {tmp_path / 'out.jsonl'}"
    subprocess.run([script, "-qc", command, str(log)], capture_output=True, check=True)
    assert "records" in log.read_text(errors="replace")  # rich's bar, on the terminal's stderr
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 9


@pytest.mark.parametrize("slot", [None, mmap.PAGESIZE])
def test_parallel_decode_writes_what_one_process_writes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    slot: int | None,
) -> None:
    """Spans decoded by workers, their text handed over in shared memory or (a piece too big
    for its slot) through the pool's pipe, give the one-process output."""
    from ss7ani import capture, cli  # noqa: PLC0415

    monkeypatch.setattr(cli, "PARALLEL_MIN_SIZE", 0)
    if slot is not None:
        monkeypatch.setattr(cli._Shared, "SLOT", slot)
    handed: Counter[str] = Counter()
    real_write = cli._write

    def write(target: IO[str], data: bytes | memoryview) -> None:
        handed[type(data).__name__] += 1
        real_write(target, data)

    monkeypatch.setattr(cli, "_write", write)
    real_spans = capture.spans
    monkeypatch.setattr(cli, "spans", lambda path: real_spans(path, size=1500, warmup=64))
    inputs = [
        str(SAMPLE),
        str(ROOT / "captures" / "truncated.pcap"),
        str(ROOT / "captures" / "sample.pcapng.gz"),
    ]
    for output_format in ("jsonl", "csv", "table"):
        single = tmp_path / f"single.{output_format}"
        double = tmp_path / f"double.{output_format}"
        assert (
            main(
                [
                    "decode",
                    *inputs,
                    "--all",
                    "--format",
                    output_format,
                    "--jobs",
                    "1",
                    "-o",
                    str(single),
                ]
            )
            == 0
        )
        first_err = capsys.readouterr().err
        assert (
            main(
                [
                    "decode",
                    *inputs,
                    "--all",
                    "--format",
                    output_format,
                    "--jobs",
                    "2",
                    "-o",
                    str(double),
                ]
            )
            == 0
        )
        assert double.read_text() == single.read_text()
        assert capsys.readouterr().err == first_err
    assert handed["memoryview"] > 0
    assert (handed["bytes"] > 0) == (slot is not None)


def test_ctrl_c_ends_the_command_with_one_line_and_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ss7ani import cli  # noqa: PLC0415

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_decode", interrupted)
    assert main(["decode", str(SAMPLE)]) == 130
    assert capsys.readouterr().err == "ss7ani: interrupted\n"


def test_workers_leave_ctrl_c_to_the_parent() -> None:
    """The pool's initializer makes a worker ignore SIGINT (the parent stops the pool)."""
    import signal  # noqa: PLC0415

    from ss7ani import cli  # noqa: PLC0415

    before = signal.getsignal(signal.SIGINT)
    try:
        cli._start_worker(None)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
        cli._WORKER_SHARED[0] = None


def test_parallel_stats_count_what_one_process_counts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``stats --jobs 2``: each worker counts its spans, the parent adds the counts up."""
    from ss7ani import capture, cli  # noqa: PLC0415

    monkeypatch.setattr(cli, "PARALLEL_MIN_SIZE", 0)
    real_spans = capture.spans
    monkeypatch.setattr(cli, "spans", lambda path: real_spans(path, size=1500, warmup=64))
    parallel = cli._decode_parallel
    runs: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> None:
        runs.append(1)
        parallel(*args, **kwargs)

    monkeypatch.setattr(cli, "_decode_parallel", counted)
    inputs = [str(SAMPLE), str(ROOT / "captures" / "truncated.pcap")]
    outputs = []
    for jobs in ("1", "2"):
        assert main(["stats", *inputs, "--top", "3", "--jobs", jobs]) == 0
        outputs.append(capsys.readouterr())
    assert runs == [1]  # only --jobs 2 went to the workers
    assert outputs[0] == outputs[1]
    assert "IAMs per variant" in outputs[0].out
    assert "********" in outputs[0].out  # restricted callers masked in the top list
