"""PDF pages are rendered from memory for the preview; a damaged file is said so."""

from __future__ import annotations

import pytest

from caseworker_app.documents.preview import PdfUnreadableError, render_pdf

ONE_PAGE = b"""%PDF-1.1
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 150]/Contents 4 0 R>>endobj
4 0 obj<</Length 20>>stream
0 0 1 rg 0 0 150 150 re f
endstream endobj
trailer<</Root 1 0 R>>
%%EOF"""


def test_a_page_is_rendered_to_the_requested_width_in_rgba() -> None:
    pages, total = render_pdf(ONE_PAGE, width=600)
    assert total == 1 and len(pages) == 1
    page = pages[0]
    assert (page.width, page.height) == (600, 300)
    assert len(page.pixels) == page.stride * page.height and page.stride >= 4 * page.width
    left = page.pixels[page.stride * 150 + 4 * 10 : page.stride * 150 + 4 * 10 + 4]
    right = page.pixels[page.stride * 150 + 4 * 590 : page.stride * 150 + 4 * 590 + 4]
    assert left[:3] == b"\x00\x00\xff" and right[:3] == b"\xff\xff\xff"  # blue square, white page


def test_bytes_that_are_not_a_pdf_are_reported_as_unreadable() -> None:
    with pytest.raises(PdfUnreadableError):
        render_pdf(b"%PDF-1.4 this is not really a pdf", width=100)
