"""The newsletter: the period's digest as one multipart/alternative email
(text + HTML) to the channel's `to:`, `From:` its `from:`, by SMTP.

`HEARTH_<NAME>_SMTP_URL` is `smtp://user:password@host:port` (STARTTLS when
the server offers it; default port 587) or `smtps://…` (TLS from the first
byte; default port 465); user and password are URL-encoded. Certificates
are checked against the system's CAs, or the PEM file in
`HEARTH_SMTP_CA_FILE` (a private CA). A password is never sent over a
connection without TLS, except to a loopback address.
The `Message-ID` comes from the item's id and revision, so a resent
digest keeps it and a list server can drop the duplicate.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import smtplib
import socket
import ssl
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from .base import Outgoing, Remote, SendFailed, SendUncertain

CA_FILE_ENV = "HEARTH_SMTP_CA_FILE"


def message_id(item: Outgoing, sender: str) -> str:
    digest = hashlib.sha256(f"{item.id}\n{item.revision}".encode()).hexdigest()[:24]
    domain = sender.rsplit("@", 1)[-1]
    return f"<hearth.{digest}@{domain}>"


def build_message(item: Outgoing, sender: str, to: tuple[str, ...], now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = item.subject or item.parts[0]
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(item, sender)
    if item.lang:
        message["Content-Language"] = item.lang
    message.set_content(item.plain or item.parts[0])
    message.add_alternative(item.html or "", subtype="html")
    return message


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class SmtpSender:
    def __init__(self, url: str, sender: str, to: tuple[str, ...]):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SendFailed("the SMTP URL must look like smtp://user:password@host:587 "
                             "or smtps://user:password@host:465")
        self.implicit = parts.scheme == "smtps"
        self.host = parts.hostname
        try:
            self.port = parts.port or (465 if self.implicit else 587)
        except ValueError:
            raise SendFailed("the SMTP URL has a bad port") from None
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender, self.to = sender, to
        cafile = os.environ.get(CA_FILE_ENV) or None
        self.context = ssl.create_default_context(cafile=cafile)

    def _connect(self) -> smtplib.SMTP:
        timeout = float(os.environ.get("HEARTH_SEND_TIMEOUT", "30") or 30)
        if self.implicit:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=timeout,
                                                  context=self.context)
            smtp.ehlo()
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=timeout)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=self.context)
                smtp.ehlo()
            elif self.user and not _loopback(self.host):
                smtp.close()
                raise SendFailed(f"{self.host} offers no STARTTLS: the password is not sent "
                                 "in clear; use smtps:// or a server with TLS")
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, item: Outgoing, key: str) -> Remote:
        message = build_message(item, self.sender, self.to, datetime.now(timezone.utc))
        try:
            smtp = self._connect()
        except SendFailed:
            raise
        except smtplib.SMTPAuthenticationError as err:
            raise SendFailed(f"SMTP login refused: {err.smtp_code} {_words(err.smtp_error)}") from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as err:
            raise SendFailed(f"cannot reach the SMTP server: {_reason(err)}", retryable=True) from None
        try:
            refused = smtp.send_message(message, from_addr=self.sender, to_addrs=list(self.to))
        except smtplib.SMTPRecipientsRefused as err:
            words = "; ".join(f"{a}: {c} {_words(m)}" for a, (c, m) in err.recipients.items())
            raise SendFailed(f"SMTP refused every recipient: {words}") from None
        except smtplib.SMTPResponseException as err:
            raise SendFailed(f"SMTP: {err.smtp_code} {_words(err.smtp_error)}",
                             retryable=400 <= err.smtp_code < 500) from None
        except (smtplib.SMTPServerDisconnected, socket.timeout, OSError) as err:
            raise SendUncertain(f"the SMTP connection broke while sending ({_reason(err)})") from None
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
        if refused:
            words = "; ".join(f"{a}: {c} {_words(m)}" for a, (c, m) in refused.items())
            raise SendFailed(f"sent, but SMTP refused some recipients: {words}")
        return Remote((message["Message-ID"],), ("",), {"to": list(self.to)})

    def find(self, item: Outgoing, key: str) -> Remote | None:
        return None                 # a mail server cannot say what it delivered


def _words(raw: Any) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


def make_sender(channel: str, settings: Mapping[str, Any], secrets: Mapping[str, str]) -> SmtpSender:
    return SmtpSender(secrets["SMTP_URL"], settings["from"], tuple(settings["to"]))
