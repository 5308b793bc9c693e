"""Interop tests: independent form fillers (PDFium, pdf.js, pdf-lib, pdftk, pypdf)."""
