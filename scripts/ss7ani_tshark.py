"""ss7ani against tshark: both decodes of every ISUP IAM in one shape, compared field by field.

tshark's side is read from its JSON tree (``tshark -T json``), each value from inside its own
parameter subtree: flat ``-T fields`` output would mix the nature of address, presentation and
plan of the calling, location, generic and redirecting numbers in one column.  Every IAM
becomes a dict with the keys and units of ss7ani's JSON Lines records (``ss7ani.output``):
coded fields are the integers on the wire, point codes plain integers (ANSI ``network << 16 |
cluster << 8 | member``), digits one character per address signal.

``compare`` pairs the IAMs of both sides by frame and position in the frame and reports, per
field, agreement, difference, or a difference that ``KNOWN`` explains (a spec reason, or a
tshark limitation, with the clause; docs/tshark-differences.md is the same table in prose).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import ss7ani
from ss7ani.isup.codes import MessageType, Variant
from ss7ani.output import REVEAL, as_dict

#: One IAM in ss7ani's JSON Lines terms (``frame``, ``cic``, ``calling`` ...).
Fields = dict[str, Any]

#: tshark's preference that makes it read MTP3 and ISUP as ANSI for the whole file.
ANSI_PREFERENCE = "mtp3.standard:ANSI"

# --- tshark's JSON tree -------------------------------------------------------------------------


class Node(dict[str, Any]):
    """A JSON object of tshark's tree that keeps every pair in order, repeated keys included."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        """Index the pairs (the last of a repeated key wins) and keep them all."""
        super().__init__(pairs)
        self.pairs = pairs

    def all(self, key: str) -> Iterator[Any]:
        """Every value of ``key`` directly in this object, in order."""
        return (value for name, value in self.pairs if name == key)

    def first(self, key: str) -> Any:  # noqa: ANN401 - a JSON value
        """The first value of ``key`` directly in this object, or None."""
        return next(self.all(key), None)

    def find(self, key: str) -> Any:  # noqa: ANN401 - a JSON value
        """The first value of ``key`` here or in any subtree (depth first), or None."""
        for name, value in self.pairs:
            if name == key:
                return value
            if isinstance(value, Node):
                found = value.find(key)
                if found is not None:
                    return found
        return None


def _number(text: str | None) -> int | None:
    """tshark's rendering of an integer (decimal, or ``0x`` hex for BASE_HEX fields)."""
    if text is None:
        return None
    return int(text, 16) if text.startswith("0x") else int(text)


def _flag(text: str | None) -> bool | None:
    return None if text is None else text == "1"


def run_tshark(
    capture: str | Path, options: Sequence[str] = (), tshark: str = "tshark"
) -> list[Node]:
    """tshark's JSON tree of every frame of ``capture`` that holds an IAM."""
    command = [tshark, "-n", "-r", str(capture), *options]
    command += ["-Y", "isup.message_type == 1", "-T", "json"]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        msg = f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode().strip()}"
        raise RuntimeError(msg)
    if not done.stdout.strip():
        return []
    frames: list[Node] = json.loads(done.stdout, object_pairs_hook=Node)
    return frames


def _parameters(isup: Node) -> Iterator[tuple[int, Node]]:
    """(parameter code, subtree) of every parameter of one ISUP message, in wire order."""
    for _, value in isup.pairs:
        if isinstance(value, Node):
            code = _number(value.first("isup.parameter_type"))
            if code is not None:
                yield code, value


def _digits(subtree: Node, field: str) -> str:
    """The address signals (tshark leaves the field out when there are none)."""
    found: str | None = subtree.first(field)
    return "" if found is None else found


def _nai(subtree: Node) -> int | None:
    return _number(
        subtree.first("isup.calling_party_nature_of_address_indicator")
        or subtree.first("isup.called_party_nature_of_address_indicator")
        or subtree.first("isup.charge_number_nature_of_address_indicator")
    )


def _npi(subtree: Node) -> int | None:
    return _number(subtree.first("isup.numbering_plan_indicator"))


def _presentation(subtree: Node) -> int | None:
    return _number(subtree.first("isup.address_presentation_restricted_indicator"))


def _called(subtree: Node) -> Fields:
    return {
        "digits": _digits(subtree, "isup.called"),
        "nai": _nai(subtree),
        "npi": _npi(subtree),
        "inn": _flag(subtree.first("isup.inn_indicator")),
    }


def _calling(subtree: Node) -> Fields:
    return {
        "digits": _digits(subtree, "isup.calling"),
        "nai": _nai(subtree),
        "npi": _npi(subtree),
        "presentation": _presentation(subtree),
        "screening": _number(subtree.first("isup.screening_indicator")),
        "incomplete": _flag(subtree.first("isup.ni_indicator")),
    }


def _location(subtree: Node) -> Fields:
    return {
        "digits": _digits(subtree, "isup.location_number"),
        "nai": _nai(subtree),
        "npi": _npi(subtree),
        "presentation": _presentation(subtree),
        "screening": _number(subtree.first("isup.screening_indicator")),
        "inn": _flag(subtree.first("isup.inn_indicator")),
    }


def _redirecting(field: str) -> Callable[[Node], Fields]:
    def number(subtree: Node) -> Fields:
        return {
            "digits": _digits(subtree, field),
            "nai": _nai(subtree),
            "npi": _npi(subtree),
            "presentation": _presentation(subtree),
        }

    return number


def _charge(subtree: Node) -> Fields:
    return {
        "digits": _digits(subtree, "isup.charge_number"),
        "nai": _nai(subtree),
        "npi": _npi(subtree),
    }


def _generic(variant: Variant) -> Callable[[Node], Fields]:
    """0xC0: ITU generic number; ANSI generic address, whose type of address octet tshark
    shows as the ITU number qualifier (it has no ANSI layout for 0xC0)."""

    def number(subtree: Node) -> Fields:
        head = "type" if variant is Variant.ANSI else "qualifier"
        fields = {
            head: _number(subtree.first("isup.number_qualifier_indicator")),
            "digits": _digits(subtree, "isup.generic_number"),
            "nai": _nai(subtree),
            "npi": _npi(subtree),
            "presentation": _presentation(subtree),
        }
        if variant is Variant.ITU:
            fields["screening"] = _number(subtree.first("isup.screening_indicator_enhanced"))
            fields["incomplete"] = _flag(subtree.first("isup.ni_indicator"))
        return fields

    return number


# Optional parameters in the record: code -> (record key, decoder of tshark's subtree).
_OPTIONAL: dict[int, tuple[str, Callable[[Node], Fields]]] = {
    0x0A: ("calling", _calling),
    0x3F: ("location", _location),
    0x0B: ("redirecting", _redirecting("isup.redirecting")),
    0x28: ("original_called", _redirecting("isup.original_called_number")),
    0xEB: ("charge", _charge),
}


def _isup_fields(isup: Node, variant: Variant) -> Fields:
    """The record keys ss7ani's JSON Lines has for an IAM, from one ``isup`` subtree."""
    fields: Fields = {
        "cic": _number(isup.first("isup.cic")),
        "cpc": None,
        "called": None,
        "generic_numbers": [],
        "oli": None,
        "jurisdiction": None,
        **{key: None for key, _ in _OPTIONAL.values()},
    }
    generic = _generic(variant)
    for code, subtree in _parameters(isup):
        mandatory = subtree.first("isup.parameter_length") is None or (
            subtree.first("isup.mandatory_variable_parameter_pointer") is not None
        )
        if code == 0x09 and mandatory:
            fields["cpc"] = _number(subtree.first("isup.calling_partys_category"))
        elif code == 0x04 and mandatory:
            fields["called"] = _called(subtree)
        elif mandatory:
            continue
        elif code == 0xC0:
            fields["generic_numbers"].append(generic(subtree))
        elif code == 0xEA:
            fields["oli"] = _number(subtree.first("isup.originating_line_info"))
        elif code == 0xC4:
            fields["jurisdiction"] = subtree.first("isup.jurisdiction")
        elif code in _OPTIONAL:
            key, decode = _OPTIONAL[code]
            if fields[key] is None:
                fields[key] = decode(subtree)
    return fields


def _routing(layer: str, node: Node) -> Fields | None:
    """OPC, DPC, SLS and NI from an ``mtp3`` layer or an M3UA RFC Protocol Data parameter."""
    if layer == "mtp3":
        if _number(node.find("mtp3.service_indicator")) not in (5, None):
            return None
        return {
            "opc": _number(node.find("mtp3.opc")),
            "dpc": _number(node.find("mtp3.dpc")),
            "sls": _number(node.find("mtp3.sls")),
            "ni": _number(node.find("mtp3.network_indicator")),
        }
    opc = node.find("m3ua.protocol_data_opc")
    if opc is None:
        return None  # a draft M3UA with the MTP3 label inside: the mtp3 layer follows
    return {
        "opc": _number(opc),
        "dpc": _number(node.find("m3ua.protocol_data_dpc")),
        "sls": _number(node.find("m3ua.protocol_data_sls")),
        "ni": _number(node.find("m3ua.protocol_data_ni")),
    }


def tshark_iams(
    capture: str | Path,
    options: Sequence[str] = (),
    variant: Variant = Variant.ITU,
    tshark: str = "tshark",
) -> list[Fields]:
    """tshark's decode of every IAM in ``capture``, read with ``options``.

    ``variant`` is the one the options make tshark use (``ANSI_PREFERENCE``); it picks the
    field names for 0xC0 and is recorded as the record's ``variant``.  Besides the record keys
    each IAM has ``index`` (its place among the IAMs of its frame), ``segmented`` (the simple
    segmentation indicator) and, over MTP2, ``mtp2_fsn``.
    """
    found: list[Fields] = []
    for frame in run_tshark(capture, options, tshark):
        layers: Node = frame["_source"]["layers"]
        number = int(layers["frame"].first("frame.number"))
        fsn = _number(layers["mtp2"].find("mtp2.fsn")) if "mtp2" in layers else None
        routing: Fields = dict.fromkeys(("opc", "dpc", "sls", "ni"))
        index = 0
        for layer, node in layers.pairs:
            if not isinstance(node, Node):
                continue
            if layer in ("mtp3", "m3ua"):
                routing = _routing(layer, node) or routing
            elif layer == "isup" and node.first("isup.message_type") == "1":
                head = {"frame": number, "index": index, "variant": variant.value}
                segmented = _flag(node.find("isup.simple_segmentation_ind")) or False
                found.append({**head, **routing, **_isup_fields(node, variant)})
                found[-1]["segmented"] = segmented
                if fsn is not None:
                    found[-1]["mtp2_fsn"] = fsn
                index += 1
    return found


# --- ss7ani's side ------------------------------------------------------------------------------


def ss7ani_iams(capture: str | Path) -> list[Fields]:
    """ss7ani's JSON Lines record of every IAM in ``capture`` (numbers revealed), with an
    ``index``: its place among the IAMs of its frame."""
    found: list[Fields] = []
    seen: Counter[int] = Counter()
    for item in ss7ani.read(capture):
        if isinstance(item, ss7ani.IsupRecord) and item.message.message_type == MessageType.IAM:
            found.append({**as_dict(item, REVEAL), "index": seen[item.frame]})
            seen[item.frame] += 1
    return found


# --- comparing ----------------------------------------------------------------------------------


class Status(StrEnum):
    """How one field of one IAM compares."""

    AGREE = "agree"
    DIFFER = "differ"
    SS7ANI_ONLY = "ss7ani only"
    TSHARK_ONLY = "tshark only"


#: The top-level record keys compared, and the keys compared inside each number object.
SCALARS = ("cic", "opc", "dpc", "sls", "ni", "cpc", "oli", "jurisdiction")
NUMBERS: dict[str, tuple[str, ...]] = {
    "called": ("digits", "nai", "npi", "inn"),
    "calling": ("digits", "nai", "npi", "presentation", "screening", "incomplete"),
    "charge": ("digits", "nai", "npi"),
    "location": ("digits", "nai", "npi", "presentation", "screening", "inn"),
    "redirecting": ("digits", "nai", "npi", "presentation"),
    "original_called": ("digits", "nai", "npi", "presentation"),
}
GENERIC: dict[Variant, tuple[str, ...]] = {
    Variant.ITU: ("qualifier", "digits", "nai", "npi", "presentation", "screening", "incomplete"),
    Variant.ANSI: ("type", "digits", "nai", "npi", "presentation"),
}


class Case(NamedTuple):
    """One field of one IAM on both sides (a side without the IAM or the field has None).

    ``field`` is the summary name (``calling.screening``, ``generic_numbers.digits``, ``iam``
    for the whole message); ``earlier`` holds tshark's IAMs of the capture before this one.
    """

    field: str
    ours: Any
    theirs: Any
    our_iam: Fields | None
    their_iam: Fields | None
    earlier: Sequence[Fields]


class Known(NamedTuple):
    """A documented difference: where it shows, when it applies, and why."""

    key: str
    fields: tuple[str, ...]
    applies: Callable[[Case], bool]
    reason: str


class Outcome(NamedTuple):
    """The comparison of one field of one IAM; ``known`` names the explanation, if any."""

    case: Case
    status: Status
    known: str | None

    @property
    def unexplained(self) -> bool:
        """A difference no entry of ``KNOWN`` accounts for."""
        return self.status is not Status.AGREE and self.known is None


KNOWN: tuple[Known, ...] = ()


def _judge(case: Case) -> Outcome:
    if case.ours == case.theirs:
        return Outcome(case, Status.AGREE, None)
    if case.ours is None:
        status = Status.TSHARK_ONLY
    elif case.theirs is None:
        status = Status.SS7ANI_ONLY
    else:
        status = Status.DIFFER
    for known in KNOWN:
        if case.field in known.fields and known.applies(case):
            return Outcome(case, status, known.key)
    return Outcome(case, status, None)


def _cases(ours: Fields | None, theirs: Fields | None, earlier: Sequence[Fields]) -> Iterator[Case]:
    """Every compared field of one IAM: whole numbers first where a side lacks one."""
    if ours is None or theirs is None:
        yield Case("iam", ours, theirs, ours, theirs, earlier)
        return
    for key in SCALARS:
        yield Case(key, ours[key], theirs[key], ours, theirs, earlier)
    for key, inner in NUMBERS.items():
        mine, other = ours[key], theirs[key]
        if mine is None or other is None:
            yield Case(key, mine, other, ours, theirs, earlier)
            continue
        for name in inner:
            yield Case(f"{key}.{name}", mine[name], other[name], ours, theirs, earlier)
    mine_list, other_list = ours["generic_numbers"], theirs["generic_numbers"]
    inner = GENERIC[Variant(ours["variant"])]
    for index in range(max(len(mine_list), len(other_list))):
        mine = mine_list[index] if index < len(mine_list) else None
        other = other_list[index] if index < len(other_list) else None
        if mine is None or other is None:
            yield Case("generic_numbers", mine, other, ours, theirs, earlier)
            continue
        for name in inner:
            yield Case(f"generic_numbers.{name}", mine.get(name), other.get(name), ours, theirs, earlier)


def pair(ours: Iterable[Fields], theirs: Iterable[Fields]) -> list[tuple[Fields | None, Fields | None]]:
    """Pair the IAMs of both sides: same frame and place in it; the rest alone, in frame order."""
    mine = {(iam["frame"], iam["index"]): iam for iam in ours}
    other = {(iam["frame"], iam["index"]): iam for iam in theirs}
    return [(mine.get(key), other.get(key)) for key in sorted(mine.keys() | other.keys())]


def compare(ours: Iterable[Fields], theirs: Iterable[Fields]) -> list[Outcome]:
    """Compare both sides' IAMs of one capture, every field of every IAM."""
    outcomes: list[Outcome] = []
    earlier: list[Fields] = []
    for mine, other in pair(ours, theirs):
        outcomes.extend(_judge(case) for case in _cases(mine, other, tuple(earlier)))
        if other is not None:
            earlier.append(other)
    return outcomes
