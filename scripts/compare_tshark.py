"""Where ss7ani and tshark agree and differ on the IAMs of a capture.

    python scripts/compare_tshark.py CAPTURE [-o PREF:VALUE ...] [-d DECODE_AS ...] [--show N]

``-o`` and ``-d`` go to tshark as they are (``-o mtp3.standard:ANSI``,
``-o "m3ua.version:Internet Draft version 6"``, ``-d sctp.port==9999,m3ua`` ...).  Without an
``mtp3.standard`` option tshark reads the file as ITU and, when ss7ani read messages as ANSI,
once more as ANSI for the frames that hold them (tshark cannot choose per message).

Prints, per field, how many IAMs agree, differ for a documented reason (the key names a row of
docs/tshark-differences.md), differ, or have the field on one side only; then the first
unexplained differences.  A number's own row (``calling``) counts the IAMs where a side has no
such number ("agree": neither has one); ``iam`` counts IAMs only one side reports.

Exit status: 0 if every difference is explained, 1 if not, 2 if the capture or tshark cannot
be run.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import ss7ani_tshark as harness

from ss7ani import CaptureError

_ROWS = [
    "iam",
    *harness.SCALARS,
    *(
        name
        for key, names in harness.NUMBERS.items()
        for name in (key, *(f"{key}.{inner}" for inner in names))
    ),
    "generic_numbers",
    *dict.fromkeys(f"generic_numbers.{n}" for names in harness.GENERIC.values() for n in names),
]


def _table(summary: dict[str, Counter[str]]) -> list[str]:
    columns = [str(column) for column in harness.COLUMNS]
    width = max(len(row) for row in _ROWS)
    lines = [f"{'field':<{width}}  " + "  ".join(f"{c:>11}" for c in columns)]
    lines.extend(
        f"{row:<{width}}  " + "  ".join(f"{summary[row][c]:>11}" for c in columns)
        for row in _ROWS
        if row in summary
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run both decoders on a capture and print the comparison; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("-o", dest="options", action="append", default=[], metavar="PREF:VALUE")
    parser.add_argument("-d", dest="decode_as", action="append", default=[], metavar="RULE")
    parser.add_argument("--show", type=int, default=20, metavar="N", help="differences to list")
    parser.add_argument("--tshark", default="tshark", help="the tshark to run")
    args = parser.parse_args(argv)
    options = [part for value in args.options for part in ("-o", value)]
    options += [part for value in args.decode_as for part in ("-d", value)]
    try:
        decodes = harness.decode_both(args.capture, options, args.tshark)
    except (CaptureError, OSError, RuntimeError) as error:
        print(f"compare_tshark: {error}", file=sys.stderr)
        return 2
    outcomes = harness.compare(decodes)
    ours, theirs = len(decodes.ours), len(decodes.theirs)
    ansi = sum(iam["variant"] == "ansi" for iam in decodes.ours)
    print(f"{args.capture}: ss7ani {ours} IAMs ({ansi} ANSI), tshark {theirs} IAMs")
    print("\n".join(_table(harness.summary(outcomes))))
    explained = Counter(o.known for o in outcomes if o.known is not None)
    if explained:
        print("\nexplained (docs/tshark-differences.md):")
        print("\n".join(f"  {key}: {count}" for key, count in explained.most_common()))
    unexplained = [o for o in outcomes if o.unexplained]
    if not unexplained:
        print("\nno unexplained difference")
        return 0
    print(f"\n{len(unexplained)} unexplained differences; the first {args.show}:")
    print("\n".join(f"  {harness.describe(o)}" for o in unexplained[: args.show]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
