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

from guidepdf.distribute.copies import personalize_roster
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.journal import Journal
from guidepdf.distribute.mail import MailTemplate, build_message
from guidepdf.distribute.outgoing import Outgoing, prepare_outgoing, write_outbox
from guidepdf.distribute.personalize import Personalizer, cover_problems
from guidepdf.distribute.roster import Person, Problem, Roster, read_roster
from guidepdf.distribute.send import SendResult, SmtpSettings, send_all

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
    "send_all",
    "write_outbox",
]
