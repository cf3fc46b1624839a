"""Faults made for real: a network link to the S3 emulator that goes down or breaks mid-transfer."""

import contextlib
import socket
import threading

import pytest


class S3Link:
    """A TCP relay between the platform and the S3 emulator that fails the way a network does:
    refusing connections, or cutting one after a number of bytes in either direction."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._state = ("up", None, None)  # mode, cut after bytes sent, cut after bytes received
        self.cuts = 0  # connections cut in the middle of a transfer
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        self._switch(("up", None, None))

    def down(self) -> None:
        self._switch(("down", None, None))

    def cut_uploads_after(self, size: int) -> None:
        self._switch(("up", size, None))

    def cut_downloads_after(self, size: int) -> None:
        self._switch(("up", None, size))

    def close(self) -> None:
        self._listener.close()
        self._switch(("down", None, None))

    def _switch(self, state) -> None:
        with self._lock:
            self._state = state
            connections, self._open = self._open, set()
        for connection in connections:  # pooled keep-alive connections do not survive a change
            _reset(connection)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                mode, cut_up, cut_down = self._state
            if mode == "down":
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, server))
            pair = (client, server)
            threading.Thread(
                target=self._pump, args=(client, server, cut_up, pair), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(server, client, cut_down, pair), daemon=True
            ).start()

    def _pump(self, source, target, cut_after, pair) -> None:
        relayed = 0
        try:
            while chunk := source.recv(65536):
                if cut_after is not None and relayed + len(chunk) > cut_after:
                    target.sendall(chunk[: max(cut_after - relayed, 0)])
                    self.cuts += 1
                    break
                target.sendall(chunk)
                relayed += len(chunk)
        except OSError:
            pass
        for connection in pair:
            _reset(connection)


def _reset(connection: socket.socket) -> None:
    # shutdown() first: it also wakes the relay thread blocked reading this socket.
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()


@pytest.fixture
def s3_link(s3, settings, moto_endpoint):
    """The `s3` fixture's bucket, with the platform reaching the emulator through an S3Link;
    the returned boto3 client still talks to the emulator directly, whatever the link does."""
    host, port = moto_endpoint.removeprefix("http://").rsplit(":", 1)
    link = S3Link((host, int(port)))
    settings.AWS_S3_ENDPOINT_URL = link.url
    settings.STORAGES = {**settings.STORAGES}  # a fresh default storage, built on the link
    s3.link = link
    yield s3
    link.close()
