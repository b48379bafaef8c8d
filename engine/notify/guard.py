"""The address guard: webhook URLs are user input, so Cueflow never posts into its own network.

A URL is refused when its scheme is not http(s), when it carries a user name or password, when
it is plain http to a public address (robot keys and run details travel in it), or when ANY
address its host resolves to is loopback, link-local, private, unique-local, shared (CGNAT),
multicast, reserved, unspecified or otherwise not public, including those addresses written
inside IPv6 (IPv4-mapped, 6to4, NAT64). An operator may allow networks or host names
(CUEFLOW_NOTIFY_ALLOW_NETWORKS); plain http is then allowed to them too.

The check runs when a channel is saved and again right before each send. The sender connects to
the very addresses this check approved (`Target.addresses`), never resolving the name a second
time, so a DNS answer that changes between check and connect (DNS rebinding) cannot slip past.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn
from urllib.parse import urlsplit

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.notify.channels import URL_FIELD, ChannelKind

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")


class Refusal(StrEnum):
    """Why a URL was refused; in the error's `extra["reason"]`."""

    SCHEME = "scheme"  # not http or https
    CREDENTIALS = "credentials"  # user:password@ in the URL
    NO_HOST = "no_host"
    UNRESOLVABLE = "unresolvable"  # the host name has no address (now)
    ADDRESS = "address"  # an address is not public and not allowed
    PLAIN_HTTP = "plain_http"  # http:// to a host the operator did not allow


@dataclass(frozen=True)
class Allowlist:
    """Networks and host names an operator lets notifications reach despite the guard."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        """From CIDRs ("10.0.0.0/8"), single addresses ("127.0.0.1") or host names."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for raw in entries:
            entry = raw.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if "/" in entry or not _looks_like_host(entry):
                    raise ValueError(f"Not a network or host name: {entry!r}") from None
                hosts.add(entry.lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows_address(self, address: IPAddress) -> bool:
        candidates = [address, *_embedded_ipv4(address)]
        return any(a in network for a in candidates for network in self.networks)

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts


def _looks_like_host(entry: str) -> bool:
    labels = entry.rstrip(".").split(".")
    return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels)


@dataclass(frozen=True)
class Target:
    """A URL the guard approved, and the addresses to connect to for it."""

    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def check_url(
    url: str, allow: Allowlist, *, field: str = "url", resolver: Resolver = resolve
) -> Target:
    """The URL's target, or CueflowError(NOTIFY_URL_REFUSED) naming `field` and the reason."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        _refuse(field, Refusal.SCHEME, "Only http and https addresses can receive notifications.")
    if parts.username is not None or parts.password is not None:
        _refuse(field, Refusal.CREDENTIALS, "The address may not contain a user name or password.")
    host = parts.hostname
    if not host:
        _refuse(field, Refusal.NO_HOST, "The address has no host.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        _refuse(field, Refusal.NO_HOST, "The address has an invalid port.")
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        _refuse(field, Refusal.UNRESOLVABLE, f"The host {host} could not be resolved.")
    host_allowed = allow.allows_host(host)
    every_allowed = host_allowed
    if not host_allowed:
        every_allowed = True
        for text in addresses:
            address = ipaddress.ip_address(text)
            if allow.allows_address(address):
                continue
            every_allowed = False
            reason = why_not_public(address)
            if reason:
                where = f"{host} resolves to {address}, which" if host != text else text
                _refuse(
                    field,
                    Refusal.ADDRESS,
                    f"{where} is not a public address ({reason}). Notifications only go to"
                    " public addresses unless an operator allows the network.",
                )
    if scheme == "http" and not every_allowed:
        _refuse(field, Refusal.PLAIN_HTTP, "Use an https:// address.")
    return Target(scheme, host, port, tuple(addresses))


def check_config(
    kind: ChannelKind | str,
    config: Mapping[str, Any],
    allow: Allowlist,
    *,
    resolver: Resolver = resolve,
) -> Target | None:
    """check_url on the channel's URL field (None for e-mail, which has no URL)."""
    name = URL_FIELD[ChannelKind(kind)]
    if name is None:
        return None
    return check_url(config[name], allow, field=f"config.{name}", resolver=resolver)


def why_not_public(address: IPAddress) -> str | None:
    """Which kind of non-public address this is, or None for a public one."""
    for embedded in _embedded_ipv4(address):
        reason = why_not_public(embedded)
        if reason:
            return f"{reason} (inside an IPv6 address)"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("unique-local", address in UNIQUE_LOCAL),
        ("private", address.is_private),
    )
    for name, hit in checks:
        if hit:
            return name
    if not address.is_global:
        return "non-public"
    return None


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    if address.version == 4:
        return []
    assert isinstance(address, ipaddress.IPv6Address)
    found = [address.ipv4_mapped, address.sixtofour]
    if address.teredo:
        found += list(address.teredo)
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def _refuse(field: str, reason: Refusal, message: str) -> NoReturn:
    raise CueflowError(
        ErrorCode.NOTIFY_URL_REFUSED,
        message,
        errors=[FieldError(field, message)],
        extra={"reason": str(reason)},
    )
