"""ss7ani against tshark: both decodes of every ISUP IAM in one shape, compared field by field.

tshark's side is read from its JSON tree (``tshark -T json``), each value from inside its own
parameter subtree: flat ``-T fields`` output would mix the nature of address, presentation and
plan of the calling, location, generic and redirecting numbers in one column.  Every IAM of
either side becomes a dict with the keys and units of ss7ani's JSON Lines records
(``ss7ani.output``): coded fields are the integers on the wire, point codes plain integers (ANSI
``network << 16 | cluster << 8 | member``), digits one character per address signal.  Both also
carry ``parameters`` (the optional parameter codes in wire order); tshark's also ``malformed``,
``segmented`` and ``mtp2_fsn`` (over MTP2).

``compare`` pairs the IAMs of both sides and reports, per field, agreement, a difference, or a
difference that an entry of ``KNOWN`` explains (docs/tshark-differences.md is the same table,
with the spec clauses).  ``decode_both`` runs both decoders on a capture; tshark, which reads a
whole file as ITU or as ANSI, runs a second time with ``ANSI_PREFERENCE`` when ss7ani found
ANSI messages.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import ss7ani
from ss7ani.isup.codes import Variant
from ss7ani.isup.params import (
    CallingPartyNumber,
    CarrierIdentification,
    ChargeNumber,
    GenericAddress,
    GenericNumber,
    HopCounter,
    JurisdictionInformation,
    LocationNumber,
    OptionalForwardCallIndicators,
    OptionalParameter,
    OriginalCalledNumber,
    OriginatingLine,
    RawParameter,
    RedirectingNumber,
    RedirectionInformation,
)
from ss7ani.output import REVEAL, as_dict

#: One IAM in ss7ani's JSON Lines terms (``frame``, ``cic``, ``calling`` ...).
Fields = dict[str, Any]

#: The tshark preference that makes it read MTP3 and ISUP as ANSI, for the whole file.
ANSI_PREFERENCE = "mtp3.standard:ANSI"

# --- tshark's JSON tree -------------------------------------------------------------------------


class Node(dict[str, Any]):
    """A JSON object of tshark's tree that keeps every pair in order, repeated keys included."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        """Index the pairs (the last of a repeated key wins) and keep them all."""
        super().__init__(pairs)
        self.pairs = pairs

    def first(self, key: str) -> Any:  # noqa: ANN401 - a JSON value
        """The first value of ``key`` directly in this object, or None."""
        return next((value for name, value in self.pairs if name == key), None)

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
    """An integer as tshark prints it (decimal, or ``0x`` hex for BASE_HEX fields)."""
    if text is None:
        return None
    return int(text, 16) if text.startswith("0x") else int(text)


def _flag(text: str | None) -> bool | None:
    return None if text is None else text == "1"


_DAMAGED = (b"appears to have been cut short", b"appears to be damaged or corrupt")


def run_tshark(
    capture: str | Path, options: Sequence[str] = (), tshark: str = "tshark"
) -> list[Node]:
    """The JSON tree tshark gives for every frame of ``capture`` that holds an IAM."""
    command = [tshark, "-n", "-r", str(capture), *options]
    command += ["-Y", "isup.message_type == 1", "-T", "json"]
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603 - no shell
    # A capture cut short or damaged: tshark has still decoded every frame before the damage.
    damaged = any(words in done.stderr for words in _DAMAGED)
    if done.returncode != 0 and not damaged:
        msg = f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode().strip()}"
        raise RuntimeError(msg)
    if not done.stdout.strip():
        return []
    # Strings tshark copies from the capture (IA5 names ...) need not be valid UTF-8.
    text = done.stdout.decode("utf-8", "replace")
    frames: list[Node] = json.loads(text, object_pairs_hook=Node)
    return frames


def _digits(subtree: Node, field: str) -> str:
    """The address signals (tshark leaves the field out when there are none)."""
    found: str | None = subtree.first(field)
    return "" if found is None else found


def _nai(subtree: Node) -> int | None:
    for field in (
        "isup.calling_party_nature_of_address_indicator",
        "isup.called_party_nature_of_address_indicator",
        "isup.charge_number_nature_of_address_indicator",
    ):
        found = subtree.first(field)
        if found is not None:
            return _number(found)
    return None


def _common(subtree: Node, digits: str) -> Fields:
    """Digits, nature of address and numbering plan of a number parameter."""
    return {
        "digits": _digits(subtree, digits),
        "nai": _nai(subtree),
        "npi": _number(subtree.first("isup.numbering_plan_indicator")),
    }


def _presentation(subtree: Node) -> int | None:
    return _number(subtree.first("isup.address_presentation_restricted_indicator"))


def _called(subtree: Node) -> Fields:
    return {
        **_common(subtree, "isup.called"),
        "inn": _flag(subtree.first("isup.inn_indicator")),
    }


def _calling(subtree: Node) -> Fields:
    return {
        **_common(subtree, "isup.calling"),
        "presentation": _presentation(subtree),
        "screening": _number(subtree.first("isup.screening_indicator")),
        "incomplete": _flag(subtree.first("isup.ni_indicator")),
    }


def _location(subtree: Node) -> Fields:
    return {
        **_common(subtree, "isup.location_number"),
        "presentation": _presentation(subtree),
        "screening": _number(subtree.first("isup.screening_indicator")),
        "inn": _flag(subtree.first("isup.inn_indicator")),
    }


def _redirecting(subtree: Node) -> Fields:
    return {**_common(subtree, "isup.redirecting"), "presentation": _presentation(subtree)}


def _original_called(subtree: Node) -> Fields:
    return {
        **_common(subtree, "isup.original_called_number"),
        "presentation": _presentation(subtree),
    }


def _charge(subtree: Node) -> Fields:
    return _common(subtree, "isup.charge_number")


def _generic(subtree: Node, variant: Variant) -> Fields:
    """0xC0: ITU generic number, or ANSI generic address (tshark has only the ITU layout).

    tshark's number qualifier is then the type of address octet.
    """
    head = "type" if variant is Variant.ANSI else "qualifier"
    fields = {
        head: _number(subtree.first("isup.number_qualifier_indicator")),
        **_common(subtree, "isup.generic_number"),
        "presentation": _presentation(subtree),
    }
    if variant is Variant.ITU:
        fields["screening"] = _number(subtree.first("isup.screening_indicator_enhanced"))
        fields["incomplete"] = _flag(subtree.first("isup.ni_indicator"))
    return fields


def _oli(subtree: Node) -> int | None:
    return _number(subtree.first("isup.originating_line_info"))


def _jurisdiction(subtree: Node) -> str | None:
    found: str | None = subtree.first("isup.jurisdiction")
    return found


#: Optional parameters of the record but 0xC0: code -> (record key, reader of tshark's subtree).
_OPTIONAL: dict[int, tuple[str, Callable[[Node], Any]]] = {
    0x0A: ("calling", _calling),
    0x3F: ("location", _location),
    0x0B: ("redirecting", _redirecting),
    0x28: ("original_called", _original_called),
    0xEB: ("charge", _charge),
    0xEA: ("oli", _oli),
    0xC4: ("jurisdiction", _jurisdiction),
}


#: The fields of a parameter subtree that tshark gives to a parameter it does not decode.
_HEADER = frozenset({"isup.parameter_type", "isup.parameter_length", "isup.parameter_value"})


def _isup_fields(isup: Node, variant: Variant) -> Fields:
    """The record keys of an IAM from one ``isup`` subtree (of a repeated parameter, the first).

    0xC0 may repeat (Q.763 Table 32): every generic number is kept, in wire order.
    """
    fields: Fields = {
        "cic": _number(isup.first("isup.cic")),
        "cpc": None,
        "called": None,
        **{key: None for key, _ in _OPTIONAL.values()},
        "generic_numbers": [],
        "parameters": [],
    }
    for _, subtree in isup.pairs:
        code = _number(subtree.first("isup.parameter_type")) if isinstance(subtree, Node) else None
        if code is None:
            continue
        if subtree.first("isup.parameter_length") is None:  # mandatory fixed
            if code == 0x09:
                fields["cpc"] = _number(subtree.first("isup.calling_partys_category"))
        elif subtree.first("isup.mandatory_variable_parameter_pointer") is not None:
            if code == 0x04:
                fields["called"] = _called(subtree)
        else:
            fields["parameters"].append(code)
            if not any(name not in _HEADER for name, _ in subtree.pairs):
                continue  # not decoded: raw octets (ANSI 0xEB read as ITU ...), or none at all
            if code == 0xC0:
                fields["generic_numbers"].append(_generic(subtree, variant))
            elif code in _OPTIONAL:
                key, read = _OPTIONAL[code]
                if fields[key] is None:
                    fields[key] = read(subtree)
    return fields


_NO_ROUTING: Fields = dict.fromkeys(("opc", "dpc", "sls", "ni"))


def _routing(layer: str, node: Node) -> Fields | None:
    """OPC, DPC, SLS and NI of an ``mtp3`` layer or of an M3UA RFC Protocol Data parameter."""
    if layer == "mtp3":
        return {
            "opc": _number(node.find("mtp3.opc")),
            "dpc": _number(node.find("mtp3.dpc")),
            "sls": _number(node.find("mtp3.sls")),
            "ni": _number(node.find("mtp3.network_indicator")),
        }
    opc = node.find("m3ua.protocol_data_opc")
    if opc is None:
        return None  # draft M3UA: the MTP3 label is inside, the mtp3 layer follows
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
    """The decode tshark gives of every IAM in ``capture``, read with ``options``.

    ``variant`` is the one the options make tshark use (``ANSI_PREFERENCE``): it chooses the
    keys of 0xC0 and becomes each record's ``variant``.
    """
    found: list[Fields] = []
    for frame in run_tshark(capture, options, tshark):
        layers: Node = frame["_source"]["layers"]
        number = int(layers["frame"].first("frame.number"))
        fsn = _number(layers["mtp2"].find("mtp2.fsn")) if "mtp2" in layers else None
        routing = _NO_ROUTING
        previous: Fields | None = None  # the IAM of the layer just before, if it was one
        for layer, node in layers.pairs:
            if layer == "_ws.malformed":  # an exception cut the layer before it short
                if previous is not None:
                    previous["malformed"] = True
                continue
            previous = None
            if not isinstance(node, Node):
                continue
            if layer in ("mtp3", "m3ua"):
                routing = _routing(layer, node) or routing
            elif layer == "isup" and node.first("isup.message_type") == "1":
                previous = {
                    "frame": number,
                    "variant": variant.value,
                    **routing,
                    **_isup_fields(node, variant),
                    "malformed": False,
                    "segmented": _flag(node.find("isup.simple_segmentation_ind")) is True,
                    "mtp2_fsn": fsn,
                }
                found.append(previous)
    return found


# --- ss7ani's side ------------------------------------------------------------------------------

_CODES: dict[type[Any], int] = {
    CallingPartyNumber: 0x0A,
    LocationNumber: 0x3F,
    RedirectingNumber: 0x0B,
    OriginalCalledNumber: 0x28,
    GenericNumber: 0xC0,
    GenericAddress: 0xC0,
    ChargeNumber: 0xEB,
    OriginatingLine: 0xEA,
    JurisdictionInformation: 0xC4,
    CarrierIdentification: 0xC5,
    HopCounter: 0x3D,
    RedirectionInformation: 0x13,
    OptionalForwardCallIndicators: 0x08,
}


def _code(parameter: OptionalParameter) -> int:
    return parameter.code if isinstance(parameter, RawParameter) else _CODES[type(parameter)]


def ss7ani_iams(capture: str | Path) -> list[Fields]:
    """ss7ani's JSON Lines record of every IAM in ``capture`` (numbers revealed)."""
    return [
        {**as_dict(item, REVEAL), "parameters": [_code(p) for p in item.message.optional]}
        for item in ss7ani.read(capture)
        if isinstance(item, ss7ani.IsupRecord) and isinstance(item.message, ss7ani.InitialAddress)
    ]


def _fixed_standard(options: Sequence[str]) -> Variant | None:
    """The variant that an ``-o mtp3.standard:...`` among ``options`` fixes, if any."""
    values = [b for a, b in itertools.pairwise(options) if a == "-o"]
    values += [o[2:] for o in options if o.startswith("-o") and len(o) > 2]
    found = None
    for value in values:
        name, _, setting = value.partition(":")
        if name.strip() == "mtp3.standard":
            found = Variant.ANSI if setting.strip().upper() == "ANSI" else Variant.ITU
    return found


class Decodes(NamedTuple):
    """Both sides' IAMs of one capture, and how tshark read each frame.

    ``fixed`` is the variant tshark's options fixed for the whole file; without one tshark read
    the ``ansi_frames`` as ANSI and the others as ITU.
    """

    ours: list[Fields]
    theirs: list[Fields]
    fixed: Variant | None = None
    ansi_frames: frozenset[int] = frozenset()

    def tshark_variant(self, frame: int) -> Variant:
        """The variant tshark read ``frame`` as."""
        if self.fixed is not None:
            return self.fixed
        return Variant.ANSI if frame in self.ansi_frames else Variant.ITU


def decode_both(
    capture: str | Path, options: Sequence[str] = (), tshark: str = "tshark"
) -> Decodes:
    """ss7ani's and tshark's IAMs of ``capture``; ``options`` go to tshark.

    Unless the options fix ``mtp3.standard``, tshark runs as ITU and, if ss7ani read some
    messages as ANSI, once more as ANSI; the frames with an ANSI IAM take the second run.
    """
    ours = ss7ani_iams(capture)
    fixed = _fixed_standard(options)
    if fixed is not None:
        return Decodes(ours, tshark_iams(capture, options, fixed, tshark), fixed)
    theirs = tshark_iams(capture, options, Variant.ITU, tshark)
    ansi_frames = frozenset(iam["frame"] for iam in ours if iam["variant"] == Variant.ANSI)
    if ansi_frames:
        ansi = tshark_iams(capture, [*options, "-o", ANSI_PREFERENCE], Variant.ANSI, tshark)
        theirs = [iam for iam in theirs if iam["frame"] not in ansi_frames]
        theirs += [iam for iam in ansi if iam["frame"] in ansi_frames]
        theirs.sort(key=lambda iam: iam["frame"])  # stable: a frame's IAMs keep their order
    return Decodes(ours, theirs, None, ansi_frames)


# --- comparing ----------------------------------------------------------------------------------


class Status(StrEnum):
    """How one field of one IAM compares."""

    AGREE = "agree"
    DIFFER = "differ"
    SS7ANI_ONLY = "ss7ani only"
    TSHARK_ONLY = "tshark only"


#: The top-level keys compared, the keys compared inside each number, and those of 0xC0.
SCALARS = ("cic", "opc", "dpc", "sls", "ni", "cpc", "oli", "jurisdiction")
NUMBERS: dict[str, tuple[str, ...]] = {
    "called": ("digits", "nai", "npi", "inn"),
    "calling": ("digits", "nai", "npi", "presentation", "screening", "incomplete"),
    "charge": ("digits", "nai", "npi"),
    "location": ("digits", "nai", "npi", "presentation", "screening", "inn"),
    "redirecting": ("digits", "nai", "npi", "presentation"),
    "original_called": ("digits", "nai", "npi", "presentation"),
}
GENERIC: dict[str, tuple[str, ...]] = {
    Variant.ITU: ("qualifier", "digits", "nai", "npi", "presentation", "screening", "incomplete"),
    Variant.ANSI: ("type", "digits", "nai", "npi", "presentation"),
}
#: The optional parameter each record key comes from.
PARAMETER_OF = {
    "calling": 0x0A,
    "location": 0x3F,
    "redirecting": 0x0B,
    "original_called": 0x28,
    "charge": 0xEB,
    "oli": 0xEA,
    "jurisdiction": 0xC4,
    "generic_numbers": 0xC0,
}
#: Optional parameters that may occur more than once in a message (isup-messages.md §3).
REPEATABLE = frozenset({0xC0, 0xC1, 0x2C})


class Case(NamedTuple):
    """One field of one IAM on both sides (a side without the IAM or the field has None).

    ``field`` is the summary name (``calling.screening``, ``generic_numbers.digits``, or
    ``iam`` for a message only one side has); ``tshark_variant`` is how tshark read the frame;
    ``repeat`` says tshark showed an IAM identical to its one (all but the frame number)
    earlier in the capture.
    """

    field: str
    ours: Any
    theirs: Any
    our_iam: Fields | None
    their_iam: Fields | None
    tshark_variant: Variant
    repeat: bool

    @property
    def parameter(self) -> int | None:
        """The optional parameter code the field comes from (None for the mandatory part)."""
        return PARAMETER_OF.get(self.field.partition(".")[0])


class Known(NamedTuple):
    """A documented difference: its key, the fields it shows in, and when it applies.

    The key names the row of docs/tshark-differences.md that gives the reason.
    """

    key: str
    fields: frozenset[str]
    applies: Callable[[Case], bool]


class Outcome(NamedTuple):
    """One field of one IAM compared; ``known`` is the key of the explanation, if any."""

    case: Case
    status: Status
    known: str | None

    @property
    def unexplained(self) -> bool:
        """A difference that no entry of ``KNOWN`` accounts for."""
        return self.status is not Status.AGREE and self.known is None


def _after_tshark_stopped(case: Case) -> bool:
    """Whether the field's parameter comes where tshark had stopped.

    That is: tshark's optional parameters are a prefix of ss7ani's, and the field's parameter
    comes at or after the last one tshark shows (tshark may have thrown inside that one).
    """
    ours, theirs = case.our_iam, case.their_iam
    if ours is None or theirs is None or case.parameter is None:
        return False
    shown = theirs["parameters"]
    if ours["parameters"][: len(shown)] != shown:
        return False
    return case.parameter in ours["parameters"][max(len(shown) - 1, 0) :]


def _tshark_exception(case: Case) -> bool:
    theirs = case.their_iam
    return theirs is not None and theirs["malformed"] and _after_tshark_stopped(case)


def _segment_joined(case: Case) -> bool:
    ours, theirs = case.our_iam, case.their_iam
    return (
        ours is not None
        and theirs is not None
        and theirs["segmented"]
        and ours["frame"] > theirs["frame"]
        and _after_tshark_stopped(case)
    )


def _retransmission(case: Case) -> bool:
    return case.our_iam is None and case.repeat


def _other_variant(case: Case) -> bool:
    return case.our_iam is not None and case.our_iam["variant"] != case.tshark_variant


_ANY = frozenset(
    [*SCALARS, *NUMBERS, "generic_numbers", "iam"]
    + [f"{key}.{name}" for key, names in NUMBERS.items() for name in names]
    + [f"generic_numbers.{name}" for names in GENERIC.values() for name in names]
)
_OPTIONAL_FIELDS = frozenset(f for f in _ANY if f.partition(".")[0] in PARAMETER_OF)

#: Every difference ss7ani and tshark 4.0 are known to have, with its condition; the reasons
#: and spec clauses are in docs/tshark-differences.md under the same keys.
KNOWN: tuple[Known, ...] = (
    Known("per-file-variant", _ANY, _other_variant),
    Known("tshark-exception", _OPTIONAL_FIELDS, _tshark_exception),
    Known("segmentation", _OPTIONAL_FIELDS, _segment_joined),
    Known("retransmission", frozenset({"iam"}), _retransmission),
)


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


def _cases(
    ours: Fields | None, theirs: Fields | None, variant: Variant, repeat: bool
) -> Iterator[Case]:
    """Every compared field of one IAM; a number one side lacks is one case, not one per key."""
    if ours is None or theirs is None:
        yield Case("iam", ours, theirs, ours, theirs, variant, repeat)
        return

    def case(field: str, mine: Any, other: Any) -> Case:  # noqa: ANN401 - JSON values
        return Case(field, mine, other, ours, theirs, variant, repeat)

    for key in SCALARS:
        yield case(key, ours[key], theirs[key])
    for key, names in NUMBERS.items():
        mine, other = ours[key], theirs[key]
        if mine is None or other is None:
            yield case(key, mine, other)
        else:
            yield from (case(f"{key}.{name}", mine[name], other[name]) for name in names)
    mine_list, other_list = ours["generic_numbers"], theirs["generic_numbers"]
    for index in range(max(len(mine_list), len(other_list))):
        mine = mine_list[index] if index < len(mine_list) else None
        other = other_list[index] if index < len(other_list) else None
        if mine is None or other is None:
            yield case("generic_numbers", mine, other)
        else:
            names = GENERIC[ours["variant"]]
            yield from (
                case(f"generic_numbers.{name}", mine.get(name), other.get(name)) for name in names
            )


def _circuit(iam: Fields) -> tuple[int, int, int]:
    return iam["opc"], iam["dpc"], iam["cic"]


def pair(
    ours: Iterable[Fields], theirs: Iterable[Fields]
) -> list[tuple[Fields | None, Fields | None]]:
    """Pair the IAMs of both sides, in frame order.

    In each frame the IAMs pair by circuit (OPC, DPC, CIC), the rest by their order (ss7ani
    emits a segmented IAM that gets no SGM later than the messages after it, with its own frame
    number).  An IAM ss7ani joined with its SGM (reported at the SGM's frame) pairs with the
    segmented IAM tshark shows alone earlier.
    """
    by_frame: defaultdict[int, tuple[list[Fields], list[Fields]]] = defaultdict(lambda: ([], []))
    for iam in ours:
        by_frame[iam["frame"]][0].append(iam)
    for iam in theirs:
        by_frame[iam["frame"]][1].append(iam)
    pairs: list[tuple[Fields | None, Fields | None]] = []
    for frame in sorted(by_frame):
        mine, other = by_frame[frame]
        for iam in list(mine):
            match = next((o for o in other if _circuit(o) == _circuit(iam)), None)
            if match is not None:
                pairs.append((iam, match))
                mine.remove(iam)
                other.remove(match)
        pairs.extend(zip(mine, other, strict=False))
        rest = len(min(mine, other, key=len))
        pairs.extend((iam, None) for iam in mine[rest:])
        pairs.extend((None, iam) for iam in other[rest:])
    return _join_segments(pairs)


def _join_segments(
    pairs: list[tuple[Fields | None, Fields | None]],
) -> list[tuple[Fields | None, Fields | None]]:
    waiting: dict[tuple[int, int, int], int] = {}  # (opc, dpc, cic) -> place of tshark's IAM
    joined: list[tuple[Fields | None, Fields | None]] = []
    for mine, other in pairs:
        if mine is None and other is not None and other["segmented"]:
            waiting[_circuit(other)] = len(joined)
        elif other is None and mine is not None:
            place = waiting.pop(_circuit(mine), None)
            if place is not None:
                joined[place] = (mine, joined[place][1])
                continue
        joined.append((mine, other))
    return joined


def compare(decodes: Decodes) -> list[Outcome]:
    """Compare both sides' IAMs of one capture, every field of every IAM."""
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for mine, other in pair(decodes.ours, decodes.theirs):
        repeat = False
        if other is not None:
            content = {k: v for k, v in other.items() if k != "frame"}
            fingerprint = json.dumps(content, sort_keys=True)
            repeat = fingerprint in seen
            seen.add(fingerprint)
        frame = (mine or other or {})["frame"]
        cases = _cases(mine, other, decodes.tshark_variant(frame), repeat)
        outcomes.extend(_judge(case) for case in cases)
    return outcomes


def describe(outcome: Outcome) -> str:
    """One line for a difference: the IAM, the field and both values."""
    case = outcome.case
    iam = case.our_iam or case.their_iam or {}
    where = f"frame {iam.get('frame')} cic {iam.get('cic')}"
    if case.field == "iam":
        return f"{where}: IAM only in {'ss7ani' if case.our_iam else 'tshark'}'s output"
    return f"{where}: {case.field} {outcome.status}: ss7ani {case.ours!r}, tshark {case.theirs!r}"


#: Columns of ``summary``: agreement, explained differences, then the unexplained kinds.
COLUMNS = ("agree", "explained", Status.DIFFER, Status.SS7ANI_ONLY, Status.TSHARK_ONLY)


def summary(outcomes: Iterable[Outcome]) -> dict[str, Counter[str]]:
    """Per field, how many IAMs fall in each of ``COLUMNS``."""
    table: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        column = "explained" if outcome.known is not None else str(outcome.status)
        table[outcome.case.field][column] += 1
    return dict(table)
