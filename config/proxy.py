"""The client's address and scheme behind a load balancer, believed only from trusted proxies.

Every proxy appends the address it received the request from to X-Forwarded-For, so the list
is read from the right: addresses of our own proxies are skipped, and the first one that is
not ours is the client (anything to its left was written by the client and proves nothing).
From a peer that is not a trusted proxy, both headers are dropped: REMOTE_ADDR stays the
peer's address and the request is as secure as its own connection. Everything downstream
(the sign-in lockout through `security.client_address`, DRF's throttles, HTTPS redirects,
secure cookies, the request log) then reads the one answer from REMOTE_ADDR and is_secure().
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """'10.0.0.0/8', '192.0.2.7' or '::1' into networks; a bad entry is a configuration error."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an address or network") from error
    return tuple(networks)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = _address(address)
    return ip is not None and any(ip in network for network in networks)


def client_from_forwarded_for(header: str, networks: tuple[Network, ...]) -> str | None:
    """The rightmost address that is not a trusted proxy; None if the header holds nothing
    usable (the peer's own address then stands)."""
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _address(hop)
        if ip is None:
            return None  # garbage from here leftwards: trust nothing further
        if not any(ip in network for network in networks):
            return str(ip)
    return str(_address(hops[0])) if hops else None  # every hop is ours: the first one is it


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        if self.networks and is_trusted(meta.get("REMOTE_ADDR", ""), self.networks):
            forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
            client = client_from_forwarded_for(forwarded, self.networks) if forwarded else None
            if client:
                meta["REMOTE_ADDR"] = client
        else:
            # Written by the client itself: neither header may change what we believe.
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
