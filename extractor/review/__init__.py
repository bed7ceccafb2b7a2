"""HTML pages people read: a document with its extracted spans highlighted, the eval
report, and the comparison of two evals. Shared by the service (`GET /documents/{id}`),
`extractor view`, `extractor eval` and `extractor eval compare --html`.
"""

from extractor.review.compare_page import render_compare_page
from extractor.review.data import DocumentRecord, load_document
from extractor.review.document import render_document_page
from extractor.review.eval_report import render_eval_report
from extractor.review.page import STATIC_DIR

__all__ = [
    "STATIC_DIR",
    "DocumentRecord",
    "load_document",
    "render_compare_page",
    "render_document_page",
    "render_eval_report",
]
