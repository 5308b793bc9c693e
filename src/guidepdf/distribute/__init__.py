"""A roster CSV -> personalized fillable guides -> email (.eml outbox or SMTP, journaled).

    roster.py       roster file -> Roster of Person rows + located problems
    filenames.py    people -> safe, unique, predictable file names
    personalize.py  content + person -> their personalized PDF (from a per-role template)
    incremental.py  changed and new PDF objects -> an incremental update (for personalize)
    copies.py       content + people -> their PDFs in a folder (in worker processes)
    mail.py         templates + person + PDF -> one RFC 5322 message
    outgoing.py     people + templates -> each person's PDF and message; -> .eml outbox
    journal.py      send outcomes <-> sent.jsonl (who already has which copy)
    send.py         messages -> SMTP (rate limit, retries with backoff, journaled)
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> the module it lives in, imported when first asked for: reading a roster
# (collect) must not load the PDF-making stack that personalizing needs
_WHERE = {
    "personalize_roster": "copies",
    "assign_filenames": "filenames",
    "Journal": "journal",
    "MailTemplate": "mail", "build_message": "mail",
    "Outgoing": "outgoing", "prepare_outgoing": "outgoing", "write_outbox": "outgoing",
    "Personalizer": "personalize", "cover_problems": "personalize",
    "Person": "roster", "Problem": "roster", "Roster": "roster", "read_roster": "roster",
    "read_roster_apart": "roster",
    "SendResult": "send", "SmtpSettings": "send", "send_all": "send",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "Journal",
    "MailTemplate",
    "Outgoing",
    "Person",
    "Personalizer",
    "Problem",
    "Roster",
    "SendResult",
    "SmtpSettings",
    "assign_filenames",
    "build_message",
    "cover_problems",
    "personalize_roster",
    "prepare_outgoing",
    "read_roster",
    "read_roster_apart",
    "send_all",
    "write_outbox",
]
