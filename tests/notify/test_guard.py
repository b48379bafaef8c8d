"""The address guard refuses URLs into private networks unless an operator allows them."""

from __future__ import annotations

import pytest

from engine.errors import CueflowError, ErrorCode
from engine.notify.channels import ChannelKind
from engine.notify.guard import Allowlist, Refusal, check_config, check_url, why_not_public

NOBODY = Allowlist()


def refusal(url: str, allow: Allowlist = NOBODY, **kwargs) -> CueflowError:
    with pytest.raises(CueflowError) as caught:
        check_url(url, allow, **kwargs)
    error = caught.value
    assert error.code is ErrorCode.NOTIFY_URL_REFUSED and error.status == 422
    return error


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://127.0.0.1/hook", "loopback"),
        ("https://127.9.9.9/hook", "loopback"),
        ("https://10.1.2.3/hook", "private"),
        ("https://172.16.0.5/hook", "private"),
        ("https://192.168.1.1/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::1]/hook", "loopback"),
        ("https://[fd00::1]/hook", "unique-local"),
        ("https://[fe80::1]/hook", "link-local"),
        ("https://0.0.0.0/hook", "unspecified"),
        ("https://[::]/hook", "unspecified"),
        ("https://224.0.0.251/hook", "multicast"),
        ("https://100.64.0.1/hook", "non-public"),
        ("https://240.0.0.1/hook", "reserved"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback (inside an IPv6 address)"),
        ("https://[::ffff:10.0.0.1]/hook", "private (inside an IPv6 address)"),
        ("https://[2002:a9fe:a9fe::1]/hook", "link-local (inside an IPv6 address)"),
        ("https://[64:ff9b::7f00:1]/hook", "loopback (inside an IPv6 address)"),
        ("https://2130706433/hook", "loopback"),  # 127.0.0.1 written as one number
        ("https://localhost/hook", "loopback"),  # a name that resolves to loopback
    ],
)
def test_non_public_addresses_are_refused(url, kind):
    error = refusal(url, field="config.webhook_url")
    assert error.extra == {"reason": Refusal.ADDRESS}
    assert error.errors[0].field == "config.webhook_url"
    assert f"({kind})" in error.errors[0].message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", Refusal.SCHEME),
        ("gopher://example.com/", Refusal.SCHEME),
        ("ftp://93.184.216.34/", Refusal.SCHEME),
        ("http://user:pass@93.184.216.34/hook", Refusal.CREDENTIALS),
        ("https://token@93.184.216.34/hook", Refusal.CREDENTIALS),
        ("https:///nohost", Refusal.NO_HOST),
        ("https://93.184.216.34:99999/", Refusal.NO_HOST),
        ("http://93.184.216.34/hook", Refusal.PLAIN_HTTP),
    ],
)
def test_bad_urls_are_refused_with_their_reason(url, reason):
    assert refusal(url).extra["reason"] == reason


def test_a_public_https_address_passes_and_is_pinned():
    target = check_url("https://93.184.216.34:8443/hook?key=k", NOBODY)
    assert (target.scheme, target.host, target.port) == ("https", "93.184.216.34", 8443)
    assert target.addresses == ("93.184.216.34",)


def test_every_resolved_address_must_be_public():
    def resolver(host, port):
        return ["93.184.216.34", "10.0.0.7"]  # one public answer does not excuse a private one

    error = refusal("https://hooks.example.com/in", resolver=resolver)
    assert "hooks.example.com resolves to 10.0.0.7" in error.detail


def test_a_name_that_does_not_resolve_is_refused_as_unresolvable():
    def resolver(host, port):
        raise OSError("Name or service not known")

    assert refusal("https://nowhere.invalid/x", resolver=resolver).extra["reason"] == "unresolvable"


def test_an_operator_can_allow_a_network_and_then_plain_http_too():
    allow = Allowlist.parse(["127.0.0.1/32", "fd00::/8"])
    assert check_url("http://127.0.0.1:8080/hook", allow).addresses == ("127.0.0.1",)
    assert check_url("https://[fd00::5]/hook", allow).port == 443
    refusal("http://127.0.0.2/hook", allow)  # only what was allowed


def test_an_operator_can_allow_a_host_name():
    allow = Allowlist.parse(["localhost"])
    target = check_url("http://LOCALHOST:9000/hook", allow)
    assert target.host == "localhost" and target.addresses


def test_allowlist_refuses_entries_that_are_neither_networks_nor_names():
    with pytest.raises(ValueError, match="Not a network or host name"):
        Allowlist.parse(["10.0.0.0/33"])
    with pytest.raises(ValueError):
        Allowlist.parse(["http://x"])
    assert Allowlist.parse([" ", ""]) == Allowlist()


def test_check_config_names_the_channel_url_field():
    error = None
    with pytest.raises(CueflowError) as caught:
        check_config(ChannelKind.WEBHOOK, {"url": "https://10.0.0.1/x", "secret": "s"}, NOBODY)
    error = caught.value
    assert error.errors[0].field == "config.url"
    assert check_config(ChannelKind.EMAIL, {"to": ["a@example.com"]}, NOBODY) is None


def test_public_addresses_are_public():
    import ipaddress

    for text in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "2002:5db8:d822::1"):
        assert why_not_public(ipaddress.ip_address(text)) is None
