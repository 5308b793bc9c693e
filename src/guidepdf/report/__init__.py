"""Many returned forms -> a summary people want to read: PDF with charts, CSV/XLSX, JSON.

    reconcile.py     who sent each form -> roster matches, duplicates, missing people
    terms.py         answer text -> frequent terms (stop words removed)
    themes.py        answers -> themes: phrases the most people used, with people and quotes
    aggregate.py     outcomes + roster + content -> Summary (model.py)
    summary_json.py  Summary <-> summary.json (schema in summary.schema.json)
    tables.py        Summary -> responses.csv, ic_levels.csv, rejected.csv; the workbook's rows
    xlsx.py          Summary -> responses.xlsx (XlsxWriter, constant memory, printable)
    charts.py        numbers -> reportlab.graphics drawings
    pdfparts.py      small platypus pieces; icpages.py the IC map pages;
    answerrows.py    WHO | REFLECTIONS | FIRST STEPS rows that say which question runs on
    summary_pdf.py   Summary -> summary.pdf
    outputs.py       output writers -> run side by side in forked processes
    collect.py       folder + roster -> every output file, written atomically
"""

from guidepdf.report.collect import CollectResult, collect, write_outputs
from guidepdf.report.model import Summary

__all__ = ["CollectResult", "Summary", "collect", "write_outputs"]
