"""The ISUP layer: typed records, code tables, decoder and encoder (Q.763, T1.113)."""

from .codes import Variant
from .messages import FORMATS, InitialAddress, IsupMessage, OtherMessage, Release, decode, encode

__all__ = [
    "FORMATS",
    "InitialAddress",
    "IsupMessage",
    "OtherMessage",
    "Release",
    "Variant",
    "decode",
    "encode",
]
