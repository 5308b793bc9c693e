"""reportlab's document objects -> a PDF 1.5 file whose objects other than streams are
compressed into object streams, with a cross-reference stream: what qpdf's
object_stream_mode=generate made of the reports when pikepdf saved them, written as
reportlab formats the objects, a hundred at a time, so no second pass over the file is
needed. The structure tree of a long report is tens of thousands of small dictionaries:
written plainly, they made answers.pdf twice the size.

Usage: a canvas's document becomes one of these before it saves (`compact(canvas._doc)`).
Encrypted documents are left to reportlab's own writer."""

from __future__ import annotations

import re
import zlib
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDocument, PDFFile, PDFObject
from reportlab.pdfbase.pdfdoc import format as pdf_format

PER_STREAM = 100  # objects per object stream, as qpdf groups them


def compact(document: PDFDocument) -> None:
    """Make `document` write itself with object streams when saved."""
    document.__class__ = ObjectStreamDocument


class ObjectStreamDocument(PDFDocument):
    def format(self) -> bytes:
        self.encrypt.prepare(self)
        if self.encrypt.info():
            return super().format()
        catalog, info = self.Reference(self.Catalog), self.Reference(self.info)
        self._pdfVersion = max(self._pdfVersion, (1, 5))
        self.__accum__ = out = PDFFile(self._pdfVersion)
        where: dict[int, tuple[int, int, int]] = {}  # number -> xref entry (type, f2, f3)
        pending: list[tuple[int, bytes]] = []
        number_to_id, id_to_object = self.numberToId, self.idToObject

        def flush() -> None:
            holder = _ObjectStream(pending[:])
            stream_number = self.idToObjectNumberAndVersion[self.Reference(holder).name][0]
            for index, (number, _) in enumerate(pending):
                where[number] = (2, stream_number, index)
            pending.clear()

        number = 0
        while True:
            number += 1
            if number not in number_to_id:
                if not pending:
                    break
                flush()  # registers the stream as the next object: the loop writes it
                number -= 1
                continue
            oid = number_to_id[number]
            body = pdf_format(id_to_object[oid], self, toplevel=1)
            if body.rstrip().endswith(b"endstream"):  # a stream (an object stream too)
                offset = out.add(b"%d 0 obj\n%s%sendobj\n" % (
                    number, body, b"" if body.endswith(b"\n") else b"\n"))
                self.idToOffset[oid] = offset
                where[number] = (1, offset, 0)
            else:
                pending.append((number, body))
                if len(pending) == PER_STREAM:
                    flush()
        del self.__accum__
        size = number + 1  # the cross-reference stream is the last object
        where[number] = (1, out.offset, 0)
        rows = [b"\x00\x00\x00\x00\x00\xff\xff"]  # object 0: the head of the free list
        rows += [_xref_row(*where[n]) for n in range(1, size)]
        data = zlib.compress(b"".join(rows))
        ident = re.search(rb"\[[^\]]*\]", self.ID())
        out.add(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %s /Info %s%s "
                b"/Filter /FlateDecode /Length %d >>\nstream\n" % (
                    number, size, catalog.format(self), info.format(self),
                    b" /ID " + ident.group(0) if ident else b"", len(data))
                + data + b"\nendstream\nendobj\n")
        out.add(b"startxref\n%d\n%%%%EOF\n" % where[number][1])
        return out.format(self)


def _xref_row(kind: int, second: int, third: int) -> bytes:
    return bytes((kind,)) + second.to_bytes(4, "big") + third.to_bytes(2, "big")


class _ObjectStream(PDFObject):
    """An object stream holding up to PER_STREAM formatted objects, compressed."""

    def __init__(self, objects: list[tuple[int, bytes]]) -> None:
        head, offset = [], 0
        for number, body in objects:
            head.append(b"%d %d" % (number, offset))
            offset += len(body) + 1
        first = b" ".join(head) + b"\n"
        self.count, self.first = len(objects), len(first)
        self.data = zlib.compress(first + b"\n".join(body for _, body in objects) + b"\n")

    def format(self, document: Any) -> bytes:
        return (b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
                b"stream\n" % (self.count, self.first, len(self.data))
                + self.data + b"\nendstream")
