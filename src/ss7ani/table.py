"""The table view: one fixed-width line per record, streamed (no buffering of the capture).

Restricted numbers are masked unless the privacy mode reveals them (docs/privacy.md).
"""

from __future__ import annotations

from typing import IO

from .isup.codes import AddressPresentation, OriginatingLineInformation, Variant
from .isup.messages import InitialAddress, Release
from .output import Privacy, iso_time
from .records import IsupRecord

_PRESENTATION = {
    AddressPresentation.ALLOWED: "allowed",
    AddressPresentation.RESTRICTED: "RESTRICTED",
    AddressPresentation.ADDRESS_NOT_AVAILABLE: "n/a",
    AddressPresentation.RESERVED_RESTRICTION_BY_NETWORK: "reserved",
}
_SCREENING = {
    Variant.ANSI: ("user-unscreened", "user-passed", "user-failed", "network"),
    Variant.ITU: ("reserved (0)", "user-passed", "reserved (2)", "network"),
}
_COLUMNS = (
    ("FRAME", 7), ("TIME (UTC)", 27), ("VAR", 4), ("TRANSPORT", 9), ("OPC>DPC", 19),
    ("CIC", 5), ("MSG", 4), ("CALLING", 16), ("PRES", 10), ("SCREENING", 15),
    ("CHARGE (ANI)", 14), ("OLI", 22), ("CALLED", 0),
)  # fmt: skip


def point_code(value: int, variant: Variant) -> str:
    """A point code as engineers write it: ANSI network-cluster-member, ITU as an integer."""
    if variant is Variant.ANSI:
        return f"{value >> 16}-{(value >> 8) & 0xFF}-{value & 0xFF}"
    return str(value)


def _oli(value: OriginatingLineInformation | None) -> str:
    if value is None:
        return ""
    return f"{int(value):02d} {value.label}"[:22]


class TableWriter:
    """Writes a header, then one line per record."""

    def __init__(self, stream: IO[str], privacy: Privacy, *, header: bool = True) -> None:
        """Write the header line (if ``header``)."""
        self._stream = stream
        self._privacy = privacy
        if header:
            stream.write(self._line([name for name, _ in _COLUMNS]))

    @staticmethod
    def _line(cells: list[str]) -> str:
        parts = [
            f"{cell:<{width}}" if width else cell
            for cell, (_, width) in zip(cells, _COLUMNS, strict=True)
        ]
        return " ".join(parts).rstrip() + "\n"

    def write(self, record: IsupRecord) -> None:
        """Write one record."""
        message = record.message
        cells = [
            str(record.frame),
            iso_time(record.ts_ns),
            record.variant.value,
            record.transport.value,
            f"{point_code(record.opc, record.variant)}>{point_code(record.dpc, record.variant)}",
            str(record.cic),
            message.message_type.name,
        ]
        if isinstance(message, InitialAddress):
            calling, charge = message.calling, message.charge
            privacy = self._privacy
            cells += [
                ""
                if calling is None
                else privacy.number(calling.digits, calling.presentation) or "-",
                "" if calling is None else _PRESENTATION[calling.presentation],
                "" if calling is None else _SCREENING[record.variant][calling.screening],
                "" if charge is None else privacy.number(charge.digits),
                _oli(message.oli),
                privacy.number(message.called.digits) or "-",
            ]
        elif isinstance(message, Release):
            cells += [
                "",
                "",
                "",
                "",
                "",
                f"cause {int(message.cause.value)} {message.cause.value.label}",
            ]
        else:
            cells += [""] * 6
        self._stream.write(self._line(cells))
