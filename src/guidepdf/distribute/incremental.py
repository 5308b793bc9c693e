"""Replaced and new PDF objects -> the bytes of an incremental update to append to a base
PDF that ends in a cross-reference stream: the objects (all but streams packed in one
compressed object stream), then a cross-reference stream whose /Prev points at the base's.
The base is never parsed again, so a copy costs a memcpy of the base plus its changes.

Objects may come from another pikepdf.Pdf (`put_foreign`): they are renumbered into the
update, with everything they reference, in the order they are met, so that the same
input always gives the same bytes."""

from __future__ import annotations

import hashlib
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pikepdf


@dataclass(frozen=True)
class Base:
    """What an update must know about the PDF it is appended to."""

    length: int  # bytes, including the final %%EOF line
    startxref: int  # offset of its (last) cross-reference stream
    size: int  # its trailer /Size: the first free object number
    root: bytes  # "n g R" of the catalog
    info: bytes  # "n g R" of the document information dictionary
    first_id: bytes  # the first /ID string, kept by every update

    @classmethod
    def of(cls, pdf: bytes, doc: pikepdf.Pdf) -> Base:
        """Read from the bytes of a PDF and the same PDF opened with pikepdf."""
        tail = pdf[-64:]
        startxref = int(tail[tail.rindex(b"startxref") + len(b"startxref"):].split()[0])
        if b"/XRef" not in pdf[startxref:startxref + 2048]:
            raise ValueError("the base PDF must end in a cross-reference stream")
        return cls(len(pdf), startxref, int(doc.trailer.Size), ref(doc.trailer.Root),
                   ref(doc.trailer.Info), bytes(doc.trailer.ID[0]))


def ref(obj: pikepdf.Object) -> bytes:
    number, generation = obj.objgen
    return b"%d %d R" % (number, generation)


def unparse(value: Any, reference: Callable[[pikepdf.Object], bytes] = ref) -> bytes:
    """A PDF object as PDF syntax; indirect objects it holds are written by `reference`."""
    if isinstance(value, pikepdf.Object):
        if value.is_indirect:
            return reference(value)
        if isinstance(value, (pikepdf.Array, pikepdf.Dictionary)):
            text = value.unparse()
            if b" R" not in text:  # holds no reference: pikepdf's text is already right
                return text
            if isinstance(value, pikepdf.Array):
                return b"[ " + b" ".join(unparse(v, reference) for v in value) + b" ]"
            return dictionary({k: unparse(v, reference) for k, v in value.items()})
        return value.unparse()
    if isinstance(value, bool):  # pikepdf hands out PDF scalars as Python values
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal):
        return format(value, "f").encode()
    if value is None:
        return b"null"
    raise TypeError(f"cannot write {type(value).__name__} as a PDF object")


def dictionary(entries: Mapping[str, bytes]) -> bytes:
    """`entries` (key such as "/Type" -> its value already written) as a PDF dictionary."""
    return b"<< " + b" ".join(pikepdf.Name(key).unparse() + b" " + entries[key]
                              for key in sorted(entries)) + b" >>"


class Update:
    """The objects of one incremental update, numbered from the base's /Size on."""

    def __init__(self, base: Base) -> None:
        self.base = base
        self._next = base.size
        self._objects: dict[int, bytes] = {}  # number -> a non-stream object (generation 0)
        self._streams: dict[int, bytes] = {}  # number -> "<< … >> stream … endstream"
        self._copied: dict[tuple[int, int], int] = {}  # objgen in the other Pdf -> number
        self._source: pikepdf.Object | None = None  # an object of that other Pdf

    def put(self, number: int, body: bytes) -> None:
        """Replace (or add) object `number` (generation 0, not a stream) with `body`."""
        self._objects[number] = body

    def put_foreign(self, obj: pikepdf.Object, number: int | None = None) -> int:
        """Copy an indirect object of another Pdf, and all it references, into the update;
        as object `number` (replacing the base's) or as a new one. Returns its number.
        Objects already copied are referred to, not copied again; so all the objects an
        update copies must come from one Pdf."""
        if not obj.is_indirect:
            raise ValueError("put_foreign copies indirect objects only")
        if self._source is None:
            self._source = obj
        elif not obj.same_owner_as(self._source):
            raise ValueError("an update copies objects from one other Pdf only")
        numbers = self._copied

        def reference(other: pikepdf.Object) -> bytes:
            if other.objgen not in numbers:
                numbers[other.objgen] = self._new()
                queue.append(other)
            return b"%d 0 R" % numbers[other.objgen]

        numbers[obj.objgen] = self._new() if number is None else number
        queue = deque([obj])
        while queue:
            item = queue.popleft()
            target = numbers[item.objgen]
            if isinstance(item, pikepdf.Stream):
                self._streams[target] = _stream(item, reference)
            elif isinstance(item, pikepdf.Dictionary):
                self._objects[target] = dictionary(
                    {k: unparse(v, reference) for k, v in item.items()})
            elif isinstance(item, pikepdf.Array):
                self._objects[target] = \
                    b"[ " + b" ".join(unparse(v, reference) for v in item) + b" ]"
            else:
                self._objects[target] = item.unparse(resolved=True)
        return numbers[obj.objgen]

    def finish(self) -> bytes:
        """The update's bytes, to be appended to the base's (call once, at the end)."""
        out = bytearray()
        where: dict[int, tuple[int, int, int]] = {}  # number -> cross-reference entry
        for number in sorted(self._streams):
            where[number] = (1, self.base.length + len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, self._streams[number])
        if self._objects:
            packed = self._new()
            header, bodies, offset = [], [], 0
            for index, number in enumerate(sorted(self._objects)):
                header.append(b"%d %d" % (number, offset))
                bodies.append(self._objects[number] + b"\n")
                offset += len(bodies[-1])
                where[number] = (2, packed, index)
            head = b" ".join(header) + b"\n"
            data = zlib.compress(head + b"".join(bodies))
            where[packed] = (1, self.base.length + len(out), 0)
            out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode " \
                   b"/Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
                       packed, len(header), len(head), len(data), data)
        xref = self._new()
        where[xref] = (1, self.base.length + len(out), 0)
        offset_bytes = max(4, (where[xref][1].bit_length() + 7) // 8)
        rows = b"".join(bytes([kind]) + a.to_bytes(offset_bytes, "big") + b.to_bytes(2, "big")
                        for kind, a, b in (where[n] for n in sorted(where)))
        data = zlib.compress(rows)
        later_id = hashlib.md5(self.base.first_id + bytes(out), usedforsecurity=False).digest()
        out += (b"%d 0 obj\n<< /Type /XRef /Size %d /Index [ %s ] /W [ 1 %d 2 ] /Root %s "
                b"/Info %s /ID [ <%s> <%s> ] /Prev %d /Filter /FlateDecode /Length %d >>\n"
                b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n") % (
            xref, self._next, _index(sorted(where)), offset_bytes, self.base.root,
            self.base.info, self.base.first_id.hex().encode(), later_id.hex().encode(),
            self.base.startxref, len(data), data, where[xref][1])
        return bytes(out)

    def _new(self) -> int:
        self._next += 1
        return self._next - 1


def _stream(obj: pikepdf.Stream, reference: Callable[[pikepdf.Object], bytes]) -> bytes:
    """A stream object's dictionary and data; uncompressed data is compressed here."""
    data = obj.read_raw_bytes()
    entries = {k: unparse(v, reference) for k, v in obj.stream_dict.items()
               if k != "/Length"}
    if "/Filter" not in entries:
        data = zlib.compress(data)
        entries["/Filter"] = b"/FlateDecode"
    entries["/Length"] = b"%d" % len(data)
    return dictionary(entries) + b"\nstream\n" + data + b"\nendstream"


def _index(numbers: list[int]) -> bytes:
    """The /Index of a cross-reference stream: [first count …] for each run of numbers."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][0] + runs[-1][1] == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    return b" ".join(b"%d %d" % (first, count) for first, count in runs)
