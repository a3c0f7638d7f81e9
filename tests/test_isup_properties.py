"""Properties of the ISUP codec over generated records (ss7ani.strategies) and random bytes."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ss7ani import strategies
from ss7ani.errors import DecodeError
from ss7ani.isup import InitialAddress, IsupMessage, Release, decode, encode, layouts
from ss7ani.isup.codes import Variant
from ss7ani.isup.messages import _LAYOUTS, encode_parameter
from ss7ani.isup.params import OPTIONAL_DECODERS, OptionalParameter, RawParameter

_BULK = settings(max_examples=400, deadline=None)


@_BULK
@given(strategies.isup_messages())
def test_decode_inverts_encode(message: IsupMessage) -> None:
    octets = encode(message)
    assert decode(octets, message.variant, strict=True) == message
    assert decode(octets, message.variant) == message


@_BULK
@given(strategies.isup_messages())
def test_encode_inverts_decode_of_canonical_octets(message: IsupMessage) -> None:
    octets = encode(message)
    assert encode(decode(octets, message.variant)) == octets


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        strategies.initial_address_messages(), strategies.variants().flatmap(strategies.releases)
    )
)
def test_every_strict_prefix_is_a_decode_error(message: InitialAddress | Release) -> None:
    octets = encode(message)
    for cut in range(len(octets)):
        prefix = octets[:cut]
        try:
            decode(prefix, message.variant, strict=True)
        except DecodeError as error:
            assert 0 <= error.offset <= cut, (cut, error)
        else:
            raise AssertionError(f"prefix of {cut} octets decoded: {prefix.hex()}")


@settings(max_examples=150, deadline=None)
@given(strategies.initial_address_messages())
def test_lenient_prefix_keeps_what_it_read(message: InitialAddress) -> None:
    octets = encode(message)
    for cut in range(len(octets)):
        try:
            salvaged = decode(octets[:cut], message.variant)
        except DecodeError:
            continue
        assert isinstance(salvaged, InitialAddress)
        assert salvaged.issues, "a truncated optional part must be reported"
        assert salvaged.called == message.called


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=80), strategies.variants(), st.booleans())
@example(b"\x00\x00\x01" + bytes(8), Variant.ITU, False)  # noqa: FBT003
def test_random_bytes_give_a_message_or_a_decode_error(
    data: bytes, variant: Variant, strict: bool
) -> None:
    try:
        decode(data, variant, strict=strict)
    except DecodeError as error:
        assert 0 <= error.offset <= len(data)


@settings(max_examples=800, deadline=None)
@given(
    strategies.variants().flatmap(
        lambda v: st.tuples(st.just(v), strategies.optional_parameters(v))
    )
)
def test_construct_layout_and_fast_decoder_agree(case: tuple[Variant, OptionalParameter]) -> None:
    variant, parameter = case
    if isinstance(parameter, RawParameter):
        return
    wire = encode_parameter(parameter, variant)
    code, value = wire[0], wire[2:]
    assert OPTIONAL_DECODERS[variant][code](value) == parameter
    parsed: dict[str, Any] = dict(layouts.parse(_LAYOUTS[type(parameter)][1], value))
    for field, expected in parameter._asdict().items():
        assert parsed[field] == expected, field


def test_raw_parameter_code_zero_is_refused() -> None:
    try:
        encode_parameter(RawParameter(0, b""), Variant.ITU)
    except ValueError:
        return
    raise AssertionError("code 0 must not encode as a parameter")
