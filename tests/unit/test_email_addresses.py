"""The Email type: what it accepts is what SES (and moto's SES) delivers to."""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from pydantic import TypeAdapter, ValidationError

from chalicelib.errors import InvalidInput
from chalicelib.models import Email, StaffCreate
from chalicelib.payloads import validate

EMAIL = TypeAdapter(Email)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Kim.Lee+desk@Example.COM", "kim.lee+desk@example.com"),
        ("  o'neil@mail.example.io ", "o'neil@mail.example.io"),
        ("a{b}|c=d?@x-y.co.kr", "a{b}|c=d?@x-y.co.kr"),
        ("user@예시.한국", "user@xn--vv4b11d.xn--3e0b707e"),
    ],
)
def test_deliverable_addresses_are_kept_lower_case_with_idna_domains(given, stored):
    assert EMAIL.validate_python(given) == stored
    # What is stored parses back to itself, as moto's SES and the mail libraries read it.
    assert parseaddr(stored)[1] == stored


@pytest.mark.parametrize(
    "given",
    [
        "홍길동@example.com",  # a non-ASCII local part needs SMTPUTF8, which SES does not take
        "a,b@example.com",
        "a>b@example.com",
        "a b@example.com",
        "a..b@example.com",
        ".a@example.com",
        "a@example",
        "a@-example.com",
        "a@exa_mple.com",
        "a\x00@example.com",
        "a@b@example.com",
        "user@" + "예" * 70 + ".한국",  # a label IDNA cannot encode
    ],
)
def test_undeliverable_addresses_are_refused(given):
    with pytest.raises(ValidationError):
        EMAIL.validate_python(given)


def test_the_error_says_what_an_address_must_be_not_the_regex():
    with pytest.raises(InvalidInput) as refused:
        validate(StaffCreate, {"email": "홍길동@example.com"})
    message = str(refused.value)
    assert "email: must be an email address such as name@example.com" in message
    assert "[A-Za-z" not in message
