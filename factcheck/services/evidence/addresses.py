"""Which addresses a fetch may reach (the contract's "Fetching safely", first half): the
name resolved within the deadline, every address checked, IPv4 inside IPv6 included, and
the caps of one fetch. Nothing here connects anywhere; fetch.py does, to the addresses
this module let through."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(Exception):
    """A refused or failed fetch. ``kind``: ``refused`` (our safety rules), ``gone``
    (404, 410, a name that does not resolve), ``blocked`` (401, 403, 429), ``http`` (another
    error status), ``timeout``, ``too_large``, ``type`` (a kind of document not kept),
    ``network`` (no connection)."""

    def __init__(self, reason: str, *, kind: str, status: int | None = None, url: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.status = status
        self.url = url


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 15.0
    max_redirects: int = 5
    allowed_networks: tuple[Network, ...] = ()

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(
            max_bytes=int(config["FETCH_MAX_BYTES"]),
            timeout=float(config["FETCH_TIMEOUT"]),
            max_redirects=int(config["FETCH_MAX_REDIRECTS"]),
            allowed_networks=parse_networks(config["FETCH_ALLOWED_NETWORKS"]),
        )


def parse_networks(value: str | Iterable[str] | None) -> tuple[Network, ...]:
    """``"127.0.0.0/8, ::1/128"`` (or a list of CIDRs) as networks."""
    if not value:
        return ()
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in parts if p.strip())


# --- addresses -------------------------------------------------------------------------


def _embedded(ip: Address) -> list[Address]:
    """``ip`` and the IPv4 addresses an IPv6 one carries (mapped, 6to4, Teredo, NAT64)."""
    found: list[Address] = [ip]
    if ip.version == 6:
        found += [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
        if ip.teredo:
            found += list(ip.teredo)
        if ip in _NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _kind_of(ip: Address) -> str | None:
    """Why ``ip`` is not a public address, or None."""
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "on this machine (loopback)"
    if ip.is_link_local:
        return "link-local (such as a cloud's metadata service)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address, not a public one"
    if ip.is_private:
        return "on a private network"
    if not ip.is_global:
        return "not a public one"
    return None


def refusal(ip: Address, allowed: Iterable[Network] = ()) -> str | None:
    """Why a fetch may not connect to ``ip`` (a sentence), or None when it may."""
    candidates = _embedded(ip)
    for network in allowed:
        if any(c.version == network.version and c in network for c in candidates[:2]):
            return None
    for candidate in candidates[1:] + candidates[:1]:  # the IPv4 inside says most
        kind = _kind_of(candidate)
        if kind:
            return f"this address is {kind}: factcheck fetches only public addresses"
    return None


Resolver = Callable[..., list]


def _lookup(resolver: Resolver, host: str, port: int, seconds: float) -> list:
    """``resolver``'s answer within ``seconds`` (getaddrinfo has no timeout of its own: it
    runs in a thread that is left behind when it is late)."""
    answer: dict = {}

    def run() -> None:
        try:
            answer["infos"] = resolver(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError) as error:
            answer["error"] = error

    thread = threading.Thread(target=run, daemon=True, name=f"resolve {host}")
    thread.start()
    thread.join(max(seconds, 0.01))
    if thread.is_alive():
        raise FetchError(f"the name {host} took too long to resolve", kind="timeout")
    if "error" in answer:
        raise FetchError(f"the name {host} does not resolve", kind="gone")
    return answer["infos"]


def resolve(
    host: str,
    port: int,
    limits: Limits,
    resolver: Resolver | None = None,
    seconds: float | None = None,
):
    """Every address ``host`` resolves to, each checked; a FetchError names the first
    refused (one bad address refuses the name: a later lookup could return it)."""
    try:
        addresses = [ipaddress.ip_address(host)]
        why = refusal(addresses[0], limits.allowed_networks)
        if why:
            raise FetchError(why, kind="refused")
    except ValueError:
        infos = _lookup(
            resolver or socket.getaddrinfo,
            host,
            port,
            limits.timeout if seconds is None else seconds,
        )
        addresses = []
        for info in infos:
            ip = ipaddress.ip_address(info[4][0].split("%")[0])
            if ip not in addresses:
                addresses.append(ip)
    if not addresses:
        raise FetchError(f"the name {host} does not resolve", kind="gone")
    for ip in addresses:
        why = refusal(ip, limits.allowed_networks)
        if why:
            raise FetchError(f"{host} leads to {ip}; {why}", kind="refused")
    return addresses
