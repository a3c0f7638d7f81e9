"""ss7ani: who is really calling - ISUP IAMs from SS7 / SIGTRAN captures.

import ss7ani
for record in ss7ani.iams("capture.pcap"):
    iam = record.message
    print(record.cic, iam.calling, iam.charge, iam.oli)
"""

__version__ = "0.1.0"

from .api import iams, read
from .errors import (
    BadLengthError,
    BadValueError,
    CaptureError,
    DecodeError,
    DecodeIssue,
    Layer,
    LimitExceededError,
    Ss7aniError,
    TruncatedError,
)
from .isup import InitialAddress, IsupMessage, OtherMessage, Release, Variant, decode, encode
from .records import Issue, IsupRecord, Transport, VariantBasis

__all__ = [
    "BadLengthError",
    "BadValueError",
    "CaptureError",
    "DecodeError",
    "DecodeIssue",
    "InitialAddress",
    "Issue",
    "IsupMessage",
    "IsupRecord",
    "Layer",
    "LimitExceededError",
    "OtherMessage",
    "Release",
    "Ss7aniError",
    "Transport",
    "TruncatedError",
    "Variant",
    "VariantBasis",
    "__version__",
    "decode",
    "encode",
    "iams",
    "read",
]
