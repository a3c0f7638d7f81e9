"""Records as JSON Lines, CSV rows and table lines, with the privacy modes (docs/records.md).

JSON Lines is the contract other tools parse: coded fields are the integers on the wire, keys
are stable.  The serializer is written for this one schema (no ``json.dumps`` of nested dicts
per record): digit strings hold only 0-9 and A-F and need no escaping.

Privacy (docs/privacy.md): a number whose address presentation restricted indicator is not
"allowed" is masked, keeping its last two digits (``*******34``), unless ``reveal``; with a
pseudonymization key every number is replaced by a keyed hash (HMAC-SHA-256), so analysts can
count and join without seeing digits.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from datetime import UTC, datetime
from enum import Enum
from typing import IO, Any, NamedTuple

from .isup.codes import AddressPresentation, MessageType
from .isup.messages import InitialAddress, Release
from .isup.params import (
    CalledPartyNumber,
    CallingPartyNumber,
    ChargeNumber,
    GenericAddress,
    GenericNumber,
    JurisdictionInformation,
    LocationNumber,
    OriginalCalledNumber,
    OriginatingLine,
    RedirectingNumber,
)
from .records import IsupRecord

_ALLOWED = AddressPresentation.ALLOWED


class Privacy(NamedTuple):
    """What the output may show: restricted numbers (``reveal``) or only keyed hashes."""

    reveal: bool = False
    pseudonym_key: bytes | None = None

    def number(self, digits: str, presentation: int = _ALLOWED) -> str:
        """The digits as this output may show them."""
        if self.pseudonym_key is not None:
            if not digits:
                return digits
            mac = hmac.new(self.pseudonym_key, digits.encode(), hashlib.sha256)
            return "h" + mac.hexdigest()[:16]
        if presentation == _ALLOWED or self.reveal:
            return digits
        return mask(digits)


REVEAL = Privacy(reveal=True)
REDACT = Privacy()


def mask(digits: str) -> str:
    """Hide all but the last two address signals (all of them when there are two or fewer)."""
    if len(digits) <= 2:
        return "*" * len(digits)
    return "*" * (len(digits) - 2) + digits[-2:]


_SECOND: list[tuple[int, str]] = [(-1, "")]


def iso_time(ts_ns: int) -> str:
    """ISO 8601 UTC with microseconds (``2014-03-18T09:12:44.123456Z``)."""
    seconds, nanoseconds = divmod(ts_ns, 1_000_000_000)
    last_second, prefix = _SECOND[0]
    if seconds != last_second:  # consecutive records mostly share the second: format it once
        prefix = datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _SECOND[0] = (seconds, prefix)
    return "%s.%06dZ" % (prefix, nanoseconds // 1000)  # noqa: UP031 - quicker than an f-string


# The serializers below write each code (an IntEnum of at most 8 bits) as the text of its
# value from ``_TEXT``: indexing a tuple with an IntEnum is C speed, where an f-string with
# ":d" goes through Enum.__format__ and %d copies the int first.  The line and the IAM keys
# are f-strings (a % format is parsed on every call: 0.1 µs more for the line's 15 fields).
_TEXT = tuple(str(value) for value in range(256))
_CALLED = '{"digits":"%s","nai":%s,"npi":%s,"inn":%s}'
_REDIRECTING = '{"digits":"%s","nai":%s,"npi":%s,"presentation":%s}'
_GENERIC_NUMBER = (
    '{"qualifier":%s,"digits":"%s","nai":%s,"npi":%s,"presentation":%s,"screening":%s,'
    '"incomplete":%s}'
)
_GENERIC_ADDRESS = '{"type":%s,"digits":"%s","nai":%s,"npi":%s,"presentation":%s}'
_CAUSE = '{"location":%s,"coding_standard":%s,"value":%s}'
_BOOL = ("false", "true")


def _called(number: CalledPartyNumber, privacy: Privacy) -> str:
    plan = number.numbering_plan
    if plan is None:  # ANSI NAI 116 / 117 sent as octet 1 alone
        nai = _TEXT[number.nature_of_address]
        return _CALLED % (privacy.number(number.digits), nai, "null", "null")
    return _CALLED % (
        privacy.number(number.digits),
        _TEXT[number.nature_of_address],
        _TEXT[plan],
        _BOOL[number.internal_network_number],
    )


def _calling(number: CallingPartyNumber | LocationNumber, digits: str) -> str:
    """A calling or location number, ``digits`` as the output may show them."""
    _, nai, plan, presentation, screening, flag = number
    text = _TEXT
    return (
        f'{{"digits":"{digits}","nai":{text[nai]},"npi":{text[plan]},'
        f'"presentation":{text[presentation]},"screening":{text[screening]},'
        f'"{"incomplete" if type(number) is CallingPartyNumber else "inn"}":{_BOOL[flag]}}}'
    )


def _location(number: LocationNumber, privacy: Privacy) -> str:
    return _calling(number, privacy.number(number.digits, number.presentation))


def _redirecting(number: RedirectingNumber | OriginalCalledNumber, privacy: Privacy) -> str:
    digits, nai, plan, presentation = number
    return _REDIRECTING % (
        privacy.number(digits, presentation),
        _TEXT[nai],
        _TEXT[plan],
        _TEXT[presentation],
    )


def _generic(number: GenericNumber | GenericAddress, privacy: Privacy) -> str:
    digits = privacy.number(number.digits, number.presentation)
    if type(number) is GenericNumber:
        return _GENERIC_NUMBER % (
            _TEXT[number.qualifier],
            digits,
            _TEXT[number.nature_of_address],
            _TEXT[number.numbering_plan],
            _TEXT[number.presentation],
            _TEXT[number.screening],
            _BOOL[number.incomplete],
        )
    assert isinstance(number, GenericAddress)
    return _GENERIC_ADDRESS % (
        _TEXT[number.address_type],
        digits,
        _TEXT[number.nature_of_address],
        _TEXT[number.numbering_plan],
        _TEXT[number.presentation],
    )


# The parameters the schema names once each, and their slot; the first of a repeated one counts
# (as for InitialAddress's properties and tshark): only generic numbers may repeat (Q.763
# Table 32), and those are all kept.
_SLOTS: dict[type, int] = {
    CallingPartyNumber: 0,
    ChargeNumber: 1,
    OriginatingLine: 2,
    JurisdictionInformation: 3,
    LocationNumber: 4,
    RedirectingNumber: 5,
    OriginalCalledNumber: 6,
    GenericNumber: 7,
    GenericAddress: 7,
}
_GENERIC = 7


def _iam_body(message: InitialAddress, privacy: Privacy) -> str:
    """The IAM keys of a record: the optional part walked once, each named parameter written."""
    first: list[Any] = [None] * 7
    generic: list[str] = []
    for parameter in message.optional:
        slot = _SLOTS.get(type(parameter))
        if slot is None:
            continue
        if slot == _GENERIC:
            generic.append(_generic(parameter, privacy))  # type: ignore[arg-type]
        elif first[slot] is None:
            first[slot] = parameter
    calling, charge, oli, jurisdiction, location, redirecting, original = first
    text = _TEXT
    if calling is None:
        calling_text = ani = "null"
    else:
        digits, presentation = calling.digits, calling.presentation
        if presentation or privacy.pseudonym_key is not None:  # an allowed number is shown
            digits = privacy.number(digits, presentation)
        ani = f'"{digits}"'
        calling_text = _calling(calling, digits)
    if charge is None:
        charge_text = "null"
    else:
        digits = privacy.number(charge.digits)
        ani = f'"{digits}"'
        charge_text = (
            f'{{"digits":"{digits}","nai":{text[charge.nature_of_address]},'
            f'"npi":{text[charge.numbering_plan]}}}'
        )
    return (
        f',"cpc":{text[message.calling_party_category]},'
        f'"called":{_called(message.called, privacy)},'
        f'"calling":{calling_text},"charge":{charge_text},'
        f'"oli":{"null" if oli is None else text[oli.ani_ii]},'
        f'"jurisdiction":{"null" if jurisdiction is None else json.dumps(jurisdiction.digits)},'
        f'"generic_numbers":[{",".join(generic)}],'
        f'"location":{"null" if location is None else _location(location, privacy)},'
        f'"redirecting":{"null" if redirecting is None else _redirecting(redirecting, privacy)},'
        f'"original_called":{"null" if original is None else _redirecting(original, privacy)},'
        f'"ani":{ani}'
    )


def _issues(record: IsupRecord) -> str:
    issues = record.message.issues
    if not issues:
        return "[]"
    return json.dumps(
        [{"layer": str(i.layer), "offset": i.offset, "reason": i.reason} for i in issues]
    )


# The IAM keys of a record that is not an IAM: the same keys on every line.
_NOT_IAM = (
    ',"cpc":null,"called":null,"calling":null,"charge":null,"oli":null,"jurisdiction":null,'
    '"generic_numbers":[],"location":null,"redirecting":null,"original_called":null,"ani":null'
)


_HOW: dict[tuple[object, object, object], str] = {}
_NAMES: dict[int, str] = {}


def json_line(record: IsupRecord, privacy: Privacy, file: str | None = None) -> str:
    """One record as a JSON object on one line (the schema of docs/records.md)."""
    frame, ts_ns, interface, transport, opc, dpc, ni, sls, cic, variant, basis, message = record
    kind = (transport, variant, basis)
    how = _HOW.get(kind)
    if how is None:  # enum .value is a slow descriptor: format each combination once
        how = _HOW[kind] = (
            f'"transport":"{transport.value}","variant":"{variant.value}",'
            f'"variant_basis":"{basis.value}"'
        )
    cause = "null"
    if type(message) is InitialAddress:
        name = "IAM"
        body = _iam_body(message, privacy)
    else:
        name = _NAMES.get(message.message_type) or _name(message.message_type)
        body = _NOT_IAM
        if type(message) is Release:
            value = message.cause
            cause = _CAUSE % (
                _TEXT[value.location],
                _TEXT[value.coding_standard],
                _TEXT[value.value],
            )
    issues = "[]" if not message.issues else _issues(record)
    where = "" if file is None else f',"file":{json.dumps(file)}'
    return (
        f'{{"frame":{frame},"ts_ns":{ts_ns},"time":"{iso_time(ts_ns)}","interface":{interface},'
        f'{how},"opc":{opc},"dpc":{dpc},"ni":{ni},"sls":{sls},"cic":{cic},"message":"{name}"'
        f'{body},"cause":{cause}{where},"issues":{issues}}}'
    )


def _name(message_type: MessageType) -> str:
    found = _NAMES[message_type] = message_type.name
    return found


def as_dict(record: IsupRecord, privacy: Privacy, file: str | None = None) -> dict[str, Any]:
    """The JSON Lines object of a record as a Python dict (for CSV, tests and notebooks)."""
    parsed: dict[str, Any] = json.loads(json_line(record, privacy, file))
    return parsed


#: CSV columns: the JSON Lines fields, number objects flattened as ``<name>_<field>``.
CSV_COLUMNS = [
    "file", "frame", "ts_ns", "time", "interface", "transport", "variant", "variant_basis",
    "opc", "dpc", "ni", "sls", "cic", "message", "cpc",
    "called_digits", "called_nai", "called_npi", "called_inn",
    "calling_digits", "calling_nai", "calling_npi", "calling_presentation",
    "calling_screening", "calling_incomplete",
    "charge_digits", "charge_nai", "charge_npi", "oli", "jurisdiction",
    "generic_numbers",
    "location_digits", "location_nai", "location_npi", "location_presentation",
    "location_screening", "location_inn",
    "redirecting_digits", "redirecting_nai", "redirecting_npi", "redirecting_presentation",
    "original_called_digits", "original_called_nai", "original_called_npi",
    "original_called_presentation",
    "ani", "cause_location", "cause_coding_standard", "cause_value", "issues",
]  # fmt: skip


def csv_row(record: IsupRecord, privacy: Privacy, file: str | None = None) -> dict[str, object]:
    """One record flattened for ``csv.DictWriter`` with ``CSV_COLUMNS``."""
    data = as_dict(record, privacy, file)
    row: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for inner, item in value.items():
                row[f"{key}_{inner}"] = item
        elif key in ("generic_numbers", "issues"):
            row[key] = json.dumps(value) if value else ""
        else:
            row[key] = value
    return row


def csv_writer(stream: IO[str], *, header: bool = True) -> csv.DictWriter[str]:
    """A CSV writer with ``CSV_COLUMNS``, the header line already written if ``header``."""
    writer = csv.DictWriter(stream, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    if header:
        writer.writeheader()
    return writer


def enum_name(value: object) -> str:
    """A code's name in words, for the table view."""
    return value.name.replace("_", " ").lower() if isinstance(value, Enum) else str(value)
