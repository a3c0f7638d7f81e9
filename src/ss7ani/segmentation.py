"""Joining a segmented IAM with its SGM (Q.763 §3.38 simple segmentation; Q.764 §2.1.12).

An IAM too long for one MTP message says so in its optional forward call indicators (bit C,
simple segmentation) and the rest of its optional parameters follow in a Segmentation message
(SGM, type 0x38) sent straight after it on the same circuit.  The IAM is held until that SGM
arrives (same OPC, DPC and CIC), then emitted once, whole, as of the SGM's frame.  An IAM whose
SGM does not come within ``WINDOW`` frames (or by the end of the capture) is emitted alone,
with an issue.
"""

from __future__ import annotations

from collections import OrderedDict

from .errors import DecodeIssue, Layer
from .isup.codes import MessageType
from .isup.messages import InitialAddress, IsupMessage, OtherMessage
from .isup.params import OptionalForwardCallIndicators
from .records import Issue, IsupRecord

#: Frames an IAM waits for its SGM before it is emitted alone.
WINDOW = 256
#: Segmented IAMs held at once (the oldest is emitted alone beyond it).
MAX_PENDING = 4096


def announces_segmentation(message: IsupMessage) -> bool:
    """Whether an IAM says a segmentation message follows (OFCI bit C, Q.763 §3.38)."""
    if type(message) is not InitialAddress:
        return False
    for parameter in message.optional:
        if type(parameter) is OptionalForwardCallIndicators:
            return parameter.simple_segmentation
    return False


class SegmentJoiner:
    """Holds segmented IAMs until their SGM arrives."""

    def __init__(self) -> None:
        """Hold nothing."""
        #: The IAMs waiting for their SGM, by (OPC, DPC, CIC); while any waits, SGMs matter.
        self.held: OrderedDict[tuple[int, int, int], IsupRecord] = OrderedDict()

    def offer(self, record: IsupRecord, out: list[IsupRecord | Issue]) -> bool:
        """Take a record; return False if the caller should emit it as it is.

        Any message other than the SGM on a circuit whose IAM is held means the SGM will not
        come (it follows its IAM immediately): the IAM is emitted alone first.
        """
        message = record.message
        key = (record.opc, record.dpc, record.cic)
        if self.held and key in self.held and message.message_type != MessageType.SGM:
            out.append(self._alone(self.held.pop(key)))
        if isinstance(message, InitialAddress) and announces_segmentation(message):
            if len(self.held) >= MAX_PENDING:
                out.append(self._alone(self.held.popitem(last=False)[1]))
            self.held[key] = record
            return True
        if isinstance(message, OtherMessage) and message.message_type == MessageType.SGM:
            held = self.held.pop(key, None)
            if held is not None:
                iam = held.message
                assert isinstance(iam, InitialAddress)
                joined = iam._replace(
                    optional=iam.optional + (message.optional or ()),
                    issues=iam.issues + message.issues,
                )
                out.append(held._replace(frame=record.frame, ts_ns=record.ts_ns, message=joined))
        return False

    def expire(self, frame: int, out: list[IsupRecord | Issue]) -> None:
        """Emit alone every held IAM older than ``WINDOW`` frames."""
        while self.held:
            oldest = next(iter(self.held.values()))
            if frame - oldest.frame <= WINDOW:
                return
            self.held.popitem(last=False)
            out.append(self._alone(oldest))

    def flush(self, out: list[IsupRecord | Issue]) -> None:
        """Emit every held IAM alone (end of the capture)."""
        while self.held:
            out.append(self._alone(self.held.popitem(last=False)[1]))

    @staticmethod
    def _alone(record: IsupRecord) -> IsupRecord:
        message = record.message
        issue = DecodeIssue(Layer.ISUP, 0, "IAM announced segmentation but no SGM followed")
        return record._replace(message=message._replace(issues=(*message.issues, issue)))
