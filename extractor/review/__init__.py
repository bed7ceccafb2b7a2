"""HTML pages people read: a document with its extracted spans highlighted, and the eval
report. Shared by the service (`GET /documents/{id}`), `extractor view` and `extractor eval`.
"""

from extractor.review.data import DocumentRecord, load_document
from extractor.review.document import render_document_page
from extractor.review.eval_report import render_eval_report
from extractor.review.page import STATIC_DIR

__all__ = [
    "STATIC_DIR",
    "DocumentRecord",
    "load_document",
    "render_document_page",
    "render_eval_report",
]
