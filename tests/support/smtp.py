"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts, for tests and benchmarks.

`hold()` makes it keep the client waiting after the message's data, before its answer, until
`release()`: a worker killed meanwhile never got the "250 accepted", so the message is not
counted (aiosmtpd cancels the handler when the connection is lost). `delay` slows every answer.
"""

import asyncio
import threading
import time
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller

from tests.support.network import free_port


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        with sink.lock:
            sink.held_now += 1
        try:
            while sink.holding:
                await asyncio.sleep(0.05)
            if sink.delay:
                await asyncio.sleep(sink.delay)
        finally:
            with sink.lock:
                sink.held_now -= 1
        with sink.lock:
            sink.messages.append(message_from_bytes(envelope.original_content or b""))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None, delay: float = 0.0):
        self.port = port or free_port()
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[Message] = []
        self.holding = False
        self.held_now = 0
        self._controller: Controller | None = None

    def start(self) -> "SmtpSink":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.holding = False

    def wait_until_held(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.held_now:
                return True
            time.sleep(0.05)
        return False

    def received(self, subject_contains: str = "") -> list[Message]:
        with self.lock:
            return [m for m in self.messages if subject_contains in str(m["Subject"] or "")]
