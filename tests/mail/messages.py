"""Reply messages written the way real mail programs write them (MIME structure, header
style, how each names and encodes an attachment): Gmail, Outlook (also in rich text, with
winmail.dat), Apple Mail, Thunderbird forwarding a message as an attachment, a reply
without an attachment. Each function returns the message as bytes (CRLF line ends)."""

from __future__ import annotations

import base64
import email.utils
import hashlib
from datetime import datetime
from email.header import Header
from urllib.parse import quote


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def _id(*parts: object) -> str:
    """A stable Message-ID local part, like the hex strings real programs use."""
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def _date(moment: datetime) -> str:
    return email.utils.format_datetime(moment)


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _boundary(seed: str) -> str:
    return "000000000000" + hashlib.sha1(seed.encode()).hexdigest()[:16]


def _from(name: str, addr: str) -> str:
    if name.isascii():
        return f'"{name}" <{addr}>' if name else addr
    return f"{Header(name, 'utf-8').encode()} <{addr}>"


def gmail(name: str, addr: str, to: str, when: datetime, subject: str,
          attachments: list[tuple[str, bytes]], body: str = "Here is my guide.") -> bytes:
    """Gmail: multipart/mixed around multipart/alternative; attachment names as RFC 2047
    encoded-words when not ASCII; X-Attachment-Id."""
    b = _boundary(addr + subject + str(when))
    parts = []
    for i, (filename, data) in enumerate(attachments):
        shown = filename if filename.isascii() else Header(filename, "utf-8").encode()
        parts.append(f"--{b}\nContent-Type: application/pdf; name=\"{shown}\"\n"
                     f"Content-Disposition: attachment; filename=\"{shown}\"\n"
                     "Content-Transfer-Encoding: base64\n"
                     f"Content-ID: <f_m{i}abc{i}>\nX-Attachment-Id: f_m{i}abc{i}\n\n"
                     f"{_b64(data)}\n")
    text = (f"MIME-Version: 1.0\nDate: {_date(when)}\n"
            f"Message-ID: <CAF{_id(addr, when, subject)}@mail.gmail.com>\n"
            f"Subject: {subject}\nFrom: {_from(name, addr)}\nTo: {to}\n"
            f"Content-Type: multipart/mixed; boundary=\"{b}\"\n\n"
            f"--{b}\nContent-Type: multipart/alternative; boundary=\"{b}alt\"\n\n"
            f"--{b}alt\nContent-Type: text/plain; charset=\"UTF-8\"\n\n{body}\n\n"
            f"--{b}alt\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div dir=\"ltr\">{body}"
            f"</div>\n\n--{b}alt--\n" + "".join(parts) + f"--{b}--\n")
    return _crlf(text)


def outlook(name: str, addr: str, to: str, when: datetime, subject: str,
            attachments: list[tuple[str, bytes]], body: str = "Please find it attached.",
            rich_text: bool = False) -> bytes:
    """Outlook: Thread-Index, name= and filename= with size and dates; in rich-text mode
    the attachments are wrapped in one application/ms-tnef part called winmail.dat."""
    b = f"_004_{hashlib.sha1((addr + str(when)).encode()).hexdigest()[:20]}_"
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if rich_text:
        tnef = b"\x78\x9f\x3e\x22" + b"".join(data for _, data in attachments)  # TNEF magic
        parts = [f"--{b}\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
                 "Content-Disposition: attachment; filename=\"winmail.dat\"\n"
                 f"Content-Transfer-Encoding: base64\n\n{_b64(tnef)}\n"]
    else:
        parts = [f"--{b}\nContent-Type: application/pdf; name=\"{f}\"\n"
                 "Content-Description: " + f + "\n"
                 f"Content-Disposition: attachment; filename=\"{f}\"; size={len(d)};\n"
                 f"\tcreation-date=\"{stamp}\";\n\tmodification-date=\"{stamp}\"\n"
                 f"Content-Transfer-Encoding: base64\n\n{_b64(d)}\n" for f, d in attachments]
    text = (f"From: {_from(name, addr)}\nTo: {to}\nSubject: {subject}\n"
            "Thread-Topic: guide\nThread-Index: AQHaAbCdEfGhIjKlMnOpQrStUvWxYz==\n"
            f"Date: {_date(when)}\nMessage-ID: <DM6PR{_id(addr, subject, when).upper()}"
            "@DM6PR.namprd07.prod.outlook.com>\nAccept-Language: en-US\n"
            "Content-Language: en-US\nX-MS-Has-Attach: yes\n"
            f"Content-Type: multipart/mixed; boundary=\"{b}\"\nMIME-Version: 1.0\n\n"
            f"--{b}\nContent-Type: text/plain; charset=\"us-ascii\"\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{body}\n\n" + "".join(parts)
            + f"--{b}--\n")
    return _crlf(text)


def apple_mail(name: str, addr: str, to: str, when: datetime, subject: str,
               attachments: list[tuple[str, bytes]], body: str = "Attached.") -> bytes:
    """Apple Mail: Apple-Mail boundaries, the PDF shown inline (Content-Disposition:
    inline), x-unix-mode, non-ASCII names as RFC 2231 (filename*=utf-8''...)."""
    b = f"Apple-Mail={hashlib.sha1((addr + str(when)).encode()).hexdigest()[:8].upper()}-1"
    parts = []
    for filename, data in attachments:
        if filename.isascii():
            disp, ctn = f"filename=\"{filename}\"", f"name=\"{filename}\""
        else:
            enc = quote(filename.encode("utf-8"), safe="")
            disp, ctn = f"filename*=utf-8''{enc}", f"name*=utf-8''{enc}"
        parts.append(f"--{b}\nContent-Disposition: inline;\n\t{disp}\n"
                     f"Content-Type: application/pdf;\n\tx-unix-mode=0644;\n\t{ctn}\n"
                     f"Content-Transfer-Encoding: base64\n\n{_b64(data)}\n")
    text = (f"From: {_from(name, addr)}\nContent-Type: multipart/mixed;\n\tboundary=\"{b}\"\n"
            "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))\n"
            f"Subject: {subject}\nMessage-Id: <{_id(addr, when, subject).upper()}@example.mac>\n"
            f"Date: {_date(when)}\nTo: {to}\nX-Mailer: Apple Mail (2.3774.600.62)\n\n"
            f"--{b}\nContent-Transfer-Encoding: 7bit\nContent-Type: text/plain;\n"
            f"\tcharset=us-ascii\n\n{body}\n\n" + "".join(parts) + f"--{b}--\n")
    return _crlf(text)


def octet_stream(name: str, addr: str, to: str, when: datetime, subject: str,
                 attachments: list[tuple[str, bytes]]) -> bytes:
    """A webmail or phone app that sends the PDF as application/octet-stream, named only
    in Content-Type (no Content-Disposition)."""
    b = _boundary("oct" + addr + str(when))
    parts = [f"--{b}\nContent-Type: application/octet-stream; name=\"{f}\"\n"
             f"Content-Transfer-Encoding: base64\n\n{_b64(d)}\n" for f, d in attachments]
    text = (f"From: {_from(name, addr)}\nTo: {to}\nSubject: {subject}\nDate: {_date(when)}\n"
            f"Message-ID: <{_id('o', addr, when)}@phone>\n"
            f"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"{b}\"\n\n"
            f"--{b}\nContent-Type: text/plain; charset=utf-8\n\nSent from my phone\n\n"
            + "".join(parts) + f"--{b}--\n")
    return _crlf(text)


def thunderbird_forward(name: str, addr: str, to: str, when: datetime, subject: str,
                        forwarded: bytes) -> bytes:
    """Thunderbird's Forward As Attachment: the original message as a message/rfc822 part
    named after its subject."""
    b = f"------------{hashlib.sha1((addr + str(when)).encode()).hexdigest()[:24]}"
    inner = forwarded.decode("utf-8")
    text = (f"Message-ID: <{_id('f', addr, when)}@district.test>\n"
            f"Date: {_date(when)}\nMIME-Version: 1.0\n"
            "User-Agent: Mozilla Thunderbird\nContent-Language: en-US\n"
            f"To: {to}\nFrom: {_from(name, addr)}\nSubject: Fwd: {subject}\n"
            f"Content-Type: multipart/mixed; boundary=\"{b}\"\n\n"
            f"This is a multi-part message in MIME format.\n--{b}\n"
            "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
            "Content-Transfer-Encoding: 7bit\n\nForwarding this one for my colleague.\n\n"
            f"--{b}\nContent-Type: message/rfc822; name=\"{subject}.eml\"\n"
            f"Content-Disposition: attachment; filename=\"{subject}.eml\"\n\n"
            f"{inner}\n--{b}--\n")
    return _crlf(text)


def no_attachment(name: str, addr: str, to: str, when: datetime, subject: str,
                  body: str = "I will send my guide by Friday.") -> bytes:
    """A plain-text reply with nothing attached."""
    text = (f"From: {_from(name, addr)}\nTo: {to}\nSubject: {subject}\nDate: {_date(when)}\n"
            f"Message-ID: <{_id('n', addr, when)}@mail.test>\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
    return _crlf(text)


STYLES = (gmail, outlook, apple_mail, octet_stream)
