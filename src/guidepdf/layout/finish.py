"""reportlab's PDF bytes -> the delivered PDF (pikepdf): the manifest copied into the document
information, tab order by structure on pages with fields, deterministic output."""

from __future__ import annotations

import io

import pikepdf

from guidepdf import formspec
from guidepdf.content.model import Content, Role


def finish(pdf: bytes, content: Content, role: Role,
           manifest: formspec.Manifest | None) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if manifest is not None:
            doc.docinfo[formspec.MANIFEST_INFO_KEY] = pikepdf.String(manifest.to_json())
            for page in doc.pages:
                if "/Annots" in page.obj:
                    page.obj.Tabs = pikepdf.Name.S
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
