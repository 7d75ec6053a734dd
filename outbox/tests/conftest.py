"""Real mail servers for the outbox's tests: one that is down, and one that answers."""

import asyncio
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on: bound by the OS, then closed again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings


@pytest.fixture
def smtp_down(smtp_settings):
    """Django's SMTP backend pointed at a closed port: every connection is refused."""
    smtp_settings.EMAIL_PORT = free_port()
    return smtp_settings


class Recorder:
    """An SMTP server's handler that keeps what it accepts and refuses some addresses."""

    def __init__(self):
        self.refuse: set[str] = set()
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        # Set ``holding`` to keep the reply to the next email's content until it is set:
        # the server has the email, the sender does not know yet. With ``hold_at = "RCPT"``
        # the reply to the recipient is kept instead: the email has not been handed over.
        self.holding: threading.Event | None = None
        self.hold_at = "DATA"
        self.arrived = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_at == "RCPT":
            self.arrived.set()
            await self._hold()
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        if self.hold_at == "DATA":
            self.arrived.set()
            await self._hold()
        return "250 Message accepted for delivery"

    async def _hold(self):
        if holding := self.holding:
            self.holding = None
            await asyncio.get_running_loop().run_in_executor(None, holding.wait, 30)

    @property
    def recipients(self) -> list[str]:
        return sorted(address for rcpt_tos, _ in self.received for address in rcpt_tos)


@pytest.fixture
def smtp_server(smtp_settings):
    """A real SMTP server (aiosmtpd) on a free local port, with Django pointed at it."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings.EMAIL_PORT = controller.port
    yield recorder
    controller.stop()
