"""Vietnamese documents of the appraisal as PDF (reportlab) and Excel (openpyxl).

``render`` turns the documents' data (``reports.document_data``, gathered by ``services.report_data``)
into finished PDF bytes: Times New Roman or Liberation Serif embedded (``reports.fonts``), the Decree
30/2020 header and sizes, page numbers from page 2, empty signature fields in the signature blocks and the
JSON attachment with the data shown. Signing is ``evaluator.signing``.
"""

from evaluator.reports.pdf import ATTACHMENT_NAME, RenderedPdf, read_attachment, render

__all__ = ["ATTACHMENT_NAME", "RenderedPdf", "read_attachment", "render"]
