"""ITU or ANSI, decided per message from what the octets say (see docs/variant.md).

tshark applies one setting to a whole file.  Here every message is read both ways where the
answer is not yet known for its link: with the ITU routing label (4 octets) and ISUP layout (12-bit
CIC; IAM with TMR and two pointers) and with the ANSI ones (7-octet label; 14-bit CIC; IAM with
user service information and three pointers).  The evidence, strongest first:

1. only one reading decodes at all, or one with fewer problems, or only one is of a type
   whose layout was checked (not kept whole) (``layout``);
2. the ANSI reading carries an ANSI-only parameter: charge number, OLI, jurisdiction, carrier
   identification (``ansi-parameter``);
3. the CIC uses bits 13-14, spare in ITU (``cic``);
4. only one reading accounts for every octet: it re-encodes to exactly the message, or
   failing that to as many octets (``canonical``; an ANSI IAM read as ITU validates but skips
   its user service information);
5. both readings give the same content, as for most messages other than the IAM
   (``equivalent``: ITU is used, nothing is lost);
6. otherwise the message is ``ambiguous``: read as ITU, with an issue attached.

A decision from 1-4 is remembered for the link (MTP2 / MTP3 interface, M2PA / M2UA
association) or, on M3UA, the point-code pair, and later messages there are read that way
(``link``) unless they do not decode that way.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from .errors import DecodeError, DecodeIssue, Layer
from .isup import messages
from .isup.codes import MessageType, Variant
from .isup.params import (
    CarrierIdentification,
    ChargeNumber,
    JurisdictionInformation,
    OriginatingLine,
)
from .mtp3 import HEADER, label
from .records import VariantBasis

_ANSI_ONLY = (ChargeNumber, OriginatingLine, JurisdictionInformation, CarrierIdentification)
_CONFIDENT = frozenset(
    {VariantBasis.LAYOUT, VariantBasis.ANSI_PARAMETER, VariantBasis.CIC, VariantBasis.CANONICAL}
)
#: Links / point-code pairs whose variant is remembered at once (the oldest dropped).
MAX_LINKS = 65536
#: How many agreeing judgments a link's memory counts up to (contrary ones count it down).
FIRM = 8
# A first decision counts twice: one contrary message alone never turns a link over.
_FIRST = 2
_OTHER = {Variant.ITU: Variant.ANSI, Variant.ANSI: Variant.ITU}
# Message types each variant assigns: ITU lacks the ANSI-only types and the codes it reserves
# (used in 1984 / 1988 versions); ANSI T1.113 keeps those.
_ANSI_ONLY_TYPES = frozenset(
    {
        MessageType.CRA,
        MessageType.CRM,
        MessageType.CVR,
        MessageType.CVT,
        MessageType.EXM,
        MessageType.CMR,
        MessageType.CMC,
        MessageType.CMRJ,
        MessageType.FAD,
        MessageType.FAI,
        MessageType.CSVR,
        MessageType.CSVS,
        MessageType.DRS,
    }
)
ASSIGNED = {
    Variant.ITU: frozenset(MessageType) - _ANSI_ONLY_TYPES,
    Variant.ANSI: frozenset(MessageType),
}


class Reading(NamedTuple):
    """One way of reading a message: its routing, the decoded ISUP message or the error."""

    variant: Variant
    opc: int
    dpc: int
    sls: int
    start: int
    message: messages.IsupMessage | None
    error: DecodeError | None


def read(data: bytes, start: int, variant: Variant, *, labelled: bool, base: int = 0) -> Reading:
    """Decode the message at ``start`` one way (``labelled``: SIO and routing label first).

    ``base`` is the position of ``data`` in the frame; reported offsets include it.
    """
    opc = dpc = sls = -1
    isup_start = start
    try:
        if labelled:
            opc, dpc, sls = label(data, start, variant)
            isup_start = start + HEADER[variant]
        message = messages.decode(data[isup_start:], variant, base=base + isup_start)
    except DecodeError as error:
        return Reading(variant, opc, dpc, sls, isup_start, None, error)
    return Reading(variant, opc, dpc, sls, isup_start, message, None)


def _ansi_evidence(reading: Reading) -> bool:
    optional = getattr(reading.message, "optional", None) or ()
    return any(isinstance(p, _ANSI_ONLY) for p in optional)


def _coverage(reading: Reading, data: bytes) -> int:
    """How much of the octets a clean reading accounts for (2 all, 1 their count, 0 not).

    2: it re-encodes to exactly them; 1: to as many octets (spare bits or filler differ).
    Fewer: the ITU reading of an ANSI IAM skips the user service information; the ITU reading
    of an ANSI message over MTP3 may end at an end-of-optional-parameters octet in its middle.
    Octets after that octet are not reported as an issue (tshark is silent; some equipment
    appends them), so only this weighing sees them.
    """
    message = reading.message
    if message is None or message.issues:
        return 0
    try:
        octets = messages.encode(message)
    except ValueError:
        return 0
    body = data[reading.start :]
    return 2 if octets == body else int(len(octets) == len(body))


def _equivalent(itu: Reading, ansi: Reading) -> bool:
    a, b = itu.message, ansi.message
    return (
        a is not None
        and b is not None
        and not isinstance(a, messages.InitialAddress)
        and (itu.opc, itu.dpc, itu.sls) == (ansi.opc, ansi.dpc, ansi.sls)
        and a._replace(variant=Variant.ANSI) == b
    )


def _score(reading: Reading) -> int:
    """How well a reading decodes (0 not at all ... 4 cleanly, checked against its layout).

    1: an unassigned message type; 2: with issues; 3: cleanly but of a type kept whole (PAM,
    CRG, SDN ...: nothing in it was checked).
    Our reading, not stated by Q.763 or T1.113: a clean reading of a type kept whole proves
    nothing, so it does not tie with one checked against its layout.  Over MTP3 the ITU
    reading of an ANSI message takes the SLS octet for the message type: an ANSI IAM with SLS
    0x28, 0x31 or 0x43 read as an ITU PAM, CRG or SDN was otherwise "ambiguous" (read as ITU).
    """
    message = reading.message
    if message is None:
        return 0
    if message.message_type not in ASSIGNED[reading.variant]:
        return 1
    if message.issues:
        return 2
    return 3 if messages.kept_whole(message) else 4


def choose(itu: Reading, ansi: Reading, data: bytes) -> tuple[Reading, VariantBasis]:
    """Pick a reading by the evidence listed in the module docstring."""
    itu_score, ansi_score = _score(itu), _score(ansi)
    if itu_score != ansi_score:
        return (itu, VariantBasis.LAYOUT) if itu_score > ansi_score else (ansi, VariantBasis.LAYOUT)
    if itu.message is None:
        return itu, VariantBasis.AMBIGUOUS
    if _ansi_evidence(ansi):
        return ansi, VariantBasis.ANSI_PARAMETER
    if data[itu.start + 1] & 0xF0 and not data[ansi.start + 1] & 0xC0:
        return ansi, VariantBasis.CIC
    itu_coverage, ansi_coverage = _coverage(itu, data), _coverage(ansi, data)
    if itu_coverage != ansi_coverage:
        chosen = itu if itu_coverage > ansi_coverage else ansi
        return chosen, VariantBasis.CANONICAL
    if _equivalent(itu, ansi):
        return itu, VariantBasis.EQUIVALENT
    return itu, VariantBasis.AMBIGUOUS


def clean(message: messages.IsupMessage, variant: Variant) -> bool:
    """Whether a message read one way is beyond doubt: an assigned type and no issue."""
    return not message.issues and message.message_type in ASSIGNED[variant]


class VariantMemory:
    """What was decided per link or point-code pair, and how firmly (bounded: oldest dropped).

    Only a clean decision is remembered.  A link's variant is trusted for a message that reads
    cleanly that way (an assigned type, no issue, no octet left over), and each such message
    that tells the variants apart firms the memory up (to ``FIRM``).
    Any other message is read the other way too: if that reading is clean it decides the
    message and weakens the memory; the link changes variant only when its memory is used up,
    which takes at least two contrary messages.  So one corrupt message, even the first, does
    not re-decide a link for the messages after it.
    """

    def __init__(self, fixed: Variant | None = None) -> None:
        """``fixed`` overrides every decision (``variant="itu"`` / ``"ansi"`` for a run)."""
        self.fixed = fixed
        self._known: OrderedDict[object, list[Any]] = OrderedDict()
        self._basis = VariantBasis.LINK if fixed is None else VariantBasis.OVERRIDE

    def lookup(self, key: object) -> tuple[Variant | None, VariantBasis]:
        """The variant firmly known for ``key`` (or fixed for the run) and its basis.

        The hot path tries this first and keeps the message if it reads ``clean`` ly that
        way; otherwise (and while the memory is young, when ``decide`` still weighs each
        message both ways) it calls ``decide``.
        """
        if self.fixed is not None:
            return self.fixed, self._basis
        known = self._known.get(key)
        return (known[0] if known is not None and known[1] >= FIRM else None), self._basis

    def decide(
        self, key: object, data: bytes, *, labelled: bool, base: int = 0
    ) -> tuple[Reading, VariantBasis, DecodeIssue | None]:
        """Read one message; return the reading, its basis and an issue if it was a guess."""
        if self.fixed is not None:
            reading = read(data, 0, self.fixed, labelled=labelled, base=base)
            return reading, VariantBasis.OVERRIDE, None
        known = self._known.get(key)
        if known is not None:
            reading = read(data, 0, known[0], labelled=labelled, base=base)
            if reading.message is not None and clean(reading.message, known[0]):
                if known[1] >= FIRM:
                    return reading, VariantBasis.LINK, None
                return self._weigh(key, known, reading, data, labelled=labelled, base=base)
            other = read(data, 0, _OTHER[known[0]], labelled=labelled, base=base)
            if other.message is not None and clean(other.message, other.variant):
                self._learn(key, known, other.variant)  # evidence against the link's memory
                return other, VariantBasis.LAYOUT, None
            if reading.message is None and other.message is not None:
                return other, VariantBasis.LAYOUT, None
            return reading, VariantBasis.LINK, None
        reading, basis = choose(
            read(data, 0, Variant.ITU, labelled=labelled, base=base),
            read(data, 0, Variant.ANSI, labelled=labelled, base=base),
            data,
        )
        issue = None
        if basis in _CONFIDENT and reading.message is not None:
            if clean(reading.message, reading.variant):
                self._learn(key, None, reading.variant)
        elif basis is VariantBasis.AMBIGUOUS and reading.message is not None:
            issue = DecodeIssue(
                Layer.ISUP, base + reading.start, "ITU or ANSI cannot be told apart; read as ITU"
            )
        return reading, basis, issue

    def _weigh(
        self,
        key: object,
        known: list[Any],
        reading: Reading,
        data: bytes,
        *,
        labelled: bool,
        base: int,
    ) -> tuple[Reading, VariantBasis, DecodeIssue | None]:
        """Weigh a clean reading the link's way while the link's memory is not yet firm.

        If the other way does not read cleanly, it is: the memory firms up.  If both read
        cleanly, the evidence of ``choose`` decides (an ANSI-only parameter, the CIC, the
        canonical layout), and a confident contrary answer counts the memory down.
        """
        other = read(data, 0, _OTHER[known[0]], labelled=labelled, base=base)
        if other.message is None or not clean(other.message, other.variant):
            if (
                labelled
                or reading.message is None
                or reading.message.message_type == MessageType.IAM
            ):
                known[1] += 1
            return reading, VariantBasis.LINK, None
        itu, ansi = (reading, other) if known[0] is Variant.ITU else (other, reading)
        chosen, basis = choose(itu, ansi, data)
        if basis in _CONFIDENT and chosen.variant is not known[0]:
            self._learn(key, known, chosen.variant)
            return chosen, basis, None
        return reading, VariantBasis.LINK, None

    def _learn(self, key: object, known: list[Any] | None, variant: Variant) -> None:
        if known is None:
            self._known[key] = [variant, _FIRST]
            if len(self._known) > MAX_LINKS:
                self._known.popitem(last=False)
        elif known[0] is variant:
            known[1] = min(known[1] + 1, FIRM)
        else:
            known[1] -= 1
            if known[1] <= 0:
                known[0], known[1] = variant, _FIRST
