"""Read articles into `Document` records: the readers of every input format.

The work is done in `extract.readers` (one module per format); this module keeps the
import path that the rest of the project uses.
"""
from __future__ import annotations

from extract.readers import (EARLIEST_PUBLISHED, LATEST_PUBLISHED, MAX_DOCUMENT_CHARS, SUFFIXES,
                             Dateline, DocumentReader, ReaderError, ReaderOptions, check_inputs,
                             check_published, dateline_length, parse_date, parse_dateline,
                             read_documents)

__all__ = ["Dateline", "DocumentReader", "EARLIEST_PUBLISHED", "LATEST_PUBLISHED",
           "MAX_DOCUMENT_CHARS", "ReaderError", "ReaderOptions", "SUFFIXES", "check_inputs",
           "check_published", "dateline_length", "parse_date", "parse_dateline", "read_documents"]
