"""Ports on the loopback interface."""

import socket


def free_port() -> int:
    """A loopback port nothing listens on now: a server may bind it, and a client connecting to
    it meanwhile is refused (a service that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
