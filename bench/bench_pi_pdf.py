"""pi_pdf_ms and pi_pdf_ratio: print a typical Progetto Individuale to a PDF file.

The PI is the fictional sample of ``caseworker_app.documents.pi_sample`` (every section filled,
six interventions, three signatories: 4–6 pages), rendered by ``render_pi`` and written to a
file under the run's directory, as the "Salva PDF" action does. The floor, measured in the same
run, is a bare reportlab document with the same number of pages of plain text: a
``SimpleDocTemplate`` of Helvetica paragraphs (no embedded font, no tables, header, footer or QR
code), written to a file as well. The figures are the median time and its ratio to the floor's.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
from timing import Benchmark, BenchResult, Config, Target, log, median, ms, now, summary_ms

from caseworker_app.documents.pi_document import render_pi
from caseworker_app.documents.pi_sample import (
    SAMPLE_ISTANZA,
    SAMPLE_LETTERHEAD,
    sample_content,
    sample_version,
)

LINE = (
    "Testo semplice per la misura di riferimento: una riga di parole comuni, senza tabelle, "
    "senza immagini e senza caratteri incorporati, ripetuta per riempire le pagine. "
)


def _render_pi(target: Path) -> int:
    pdf = render_pi(
        letterhead=SAMPLE_LETTERHEAD,
        content=sample_content(),
        version=sample_version(),
        istanza_ref=SAMPLE_ISTANZA,
    )
    target.write_bytes(pdf)
    return len(pdf)


def _bare(paragraphs: int) -> bytes:
    buffer = BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    doc.build([Paragraph(f"{n}. {LINE * 3}", style) for n in range(paragraphs)])
    return buffer.getvalue()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def _bare_paragraphs(pages: int) -> int:
    """The number of plain paragraphs that fills exactly ``pages`` pages."""
    per_page = 1
    while _pages(_bare(per_page * 10)) <= 10:  # estimate the paragraphs per page
        per_page += 1
    count = max(1, (pages - 1) * per_page + per_page // 2)
    while _pages(_bare(count)) < pages:
        count += 1
    while count > 1 and _pages(_bare(count)) > pages:
        count -= 1
    return count


def run(config: Config) -> BenchResult:
    reps = 3 if config.quick else 11
    target = config.workdir / "pi.pdf"
    floor_target = config.workdir / "bare.pdf"
    size = _render_pi(target)  # warm-up: fonts registered, modules imported
    pages = _pages(target.read_bytes())
    paragraphs = _bare_paragraphs(pages)
    floor_target.write_bytes(_bare(paragraphs))
    pi_samples: list[float] = []
    bare_samples: list[float] = []
    for _ in range(reps):  # interleaved, so both see the same machine load
        start = now()
        _render_pi(target)
        pi_samples.append(now() - start)
        start = now()
        floor_target.write_bytes(_bare(paragraphs))
        bare_samples.append(now() - start)
    pi_ms, bare_ms = ms(median(pi_samples)), ms(median(bare_samples))
    log(f"pi_pdf: {pages} pages, median {pi_ms} ms (bare reportlab {bare_ms} ms)")
    figures = {"pi_pdf_ms": pi_ms, "pi_pdf_ratio": round(pi_ms / bare_ms, 2)}
    details = {
        "pages": pages,
        "bytes": size,
        "bare_paragraphs": paragraphs,
        "bare_pages": _pages(floor_target.read_bytes()),
        "repetitions": reps,
        "pi": summary_ms(pi_samples),
        "bare": summary_ms(bare_samples),
    }
    return BenchResult(figures, details)


BENCHMARK = Benchmark(
    name="pi_pdf",
    summary="print a typical Progetto Individuale (4–6 pages) to a PDF file",
    targets={"pi_pdf_ms": Target(max=300.0), "pi_pdf_ratio": Target(max=4.0)},
    run=run,
)
