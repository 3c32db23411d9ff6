"""Which addresses are refused (the one rule, at creation and delivery) and how URLs are parsed."""

from __future__ import annotations

import pytest

from c360.webhooks import ssrf
from c360.webhooks.errors import InvalidEndpointUrl


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.1", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "fe80::1",
        "fd00:ec2::254", "100.100.100.200", "0.0.0.0", "::", "224.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "2002:7f00:1::", "255.255.255.255", "198.18.0.1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert ssrf.refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert ssrf.refusal(address) is None


def test_urls_are_parsed_with_their_default_ports() -> None:
    assert ssrf.parse("https://Hooks.Example.com/a?b=1") == ssrf.Target(
        "https://Hooks.Example.com/a?b=1", "https", "hooks.example.com", 443
    )
    assert ssrf.parse("http://127.0.0.1:8080").port == 8080
    with pytest.raises(InvalidEndpointUrl, match="port from 1 to 65535"):
        ssrf.parse("https://example.com:70000/")


def test_private_urls_pass_only_when_allowed() -> None:
    assert ssrf.check_url("http://127.0.0.1:9/hook", allow_private=True).host == "127.0.0.1"
    with pytest.raises(InvalidEndpointUrl, match="must use https"):
        ssrf.check_url("http://127.0.0.1:9/hook", allow_private=False)
