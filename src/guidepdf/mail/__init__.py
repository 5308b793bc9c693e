"""A mailbox -> returned PDFs with their origin: mail files (.eml, .mbox) read as input,
`guidepdf fetch` from IMAP with a fetch journal. This package imports nothing heavy, so
the reader side (inputs, parse, origin) costs little; `fetch` needs imapclient."""

from guidepdf.mail.origin import Origin

__all__ = ["Origin"]
