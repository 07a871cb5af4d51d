"""The signature pad and the signatures dialog, as a social worker uses them at home visits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.pi import PiContent, PiStatus
from caseworker_app.services import pi, signatures
from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog
from caseworker_app.ui.session import Session
from caseworker_app.ui.signature_pad import SignatureCanvas, SignaturePad, SignaturePadDialog
from tests.integration.pi_typist import NOW, seed_case
from tests.ui.conftest import wait_idle

SHOTS = Path("/tmp/shots")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"sign_{name}.png"))


def draw_with_mouse(canvas: SignatureCanvas, start: tuple[int, int] = (40, 120)) -> None:
    """A signature-like zigzag with the left button held down."""
    x, y = start
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, y))  # fmt: skip
    for i in range(1, 45):
        QTest.mouseMove(canvas, QPoint(x + i * 9, y + (22 if i % 4 < 2 else -18) + i // 3))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(x + 45 * 9, y + 10))  # fmt: skip


def draw_with_pen(canvas: SignatureCanvas) -> None:
    stylus = QPointingDevice(
        "penna di prova", 7, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3,
    )  # fmt: skip

    def send(kind: QEvent.Type, x: float, y: float, pressure: float) -> None:
        pos = QPointF(x, y)
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else (
            Qt.MouseButton.LeftButton)  # fmt: skip
        event = QTabletEvent(kind, stylus, pos, QPointF(canvas.mapToGlobal(pos)), pressure, 0.0,
                             0.0, 0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                             Qt.MouseButton.LeftButton, held)  # fmt: skip
        QApplication.sendEvent(canvas, event)

    send(QEvent.Type.TabletPress, 60, 80, 0.2)
    for i in range(30):
        send(QEvent.Type.TabletMove, 60 + i * 7, 80 + (i % 5) * 6, 0.2 + i / 40)
    send(QEvent.Type.TabletRelease, 270, 100, 0.1)


def test_signatory_signs_with_the_mouse_and_confirms(qtbot: QtBot) -> None:
    pad = SignaturePad("Ada Prova (Beneficiario): firma nel riquadro.")
    qtbot.addWidget(pad)
    pad.resize(640, 320)
    pad.show()
    qtbot.waitExposed(pad)
    assert not pad.confirm_button.isEnabled()  # nothing to confirm yet
    shot(pad, "pad_empty")
    draw_with_mouse(pad.canvas)
    assert pad.confirm_button.isEnabled() and pad.method() == "mouse"
    shot(pad, "pad_signed")
    with qtbot.waitSignal(pad.signature_confirmed) as confirmed:
        qtbot.mouseClick(pad.confirm_button, Qt.MouseButton.LeftButton)
    png, method = confirmed.args
    (SHOTS / "sign_exported.png").write_bytes(png)  # what goes into the signature block
    assert method == "mouse" and png.startswith(b"\x89PNG")
    image = QImage.fromData(png)
    # cropped to the ink (at twice the resolution), on a transparent background
    assert 0 < image.height() < 2 * pad.canvas.height() and image.width() > image.height()
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0
    assert any(image.pixelColor(x, image.height() // 2).alpha() > 0
               for x in range(image.width()))  # fmt: skip
    # "Cancella" empties the pad; the buttons are reachable from the keyboard
    pad.clear_button.setFocus()
    qtbot.keyClick(pad.clear_button, Qt.Key.Key_Space)
    assert pad.is_empty() and not pad.confirm_button.isEnabled()
    assert pad.clear_button.accessibleName() and pad.confirm_button.accessibleName()
    assert pad.canvas.accessibleName() == "Area della firma"


def test_a_pen_stroke_is_reported_as_signed_with_the_pen(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(640, 320)
    pad.show()
    draw_with_mouse(pad.canvas, (300, 200))
    assert pad.method() == "mouse"
    draw_with_pen(pad.canvas)
    assert pad.method() == "penna"
    widths = pad.canvas.strokes[-1].widths
    assert max(widths) > min(widths)  # the pressure shapes the line


def test_a_finger_stroke_is_reported_as_touch(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(640, 320)
    pad.show()
    qtbot.waitExposed(pad)
    touch = QTest.createTouchDevice()
    QTest.touchEvent(pad.canvas, touch).press(0, QPoint(100, 80)).commit()
    for i in range(1, 15):
        QTest.touchEvent(pad.canvas, touch).move(0, QPoint(100 + i * 12, 80 + i * 4)).commit()
    QTest.touchEvent(pad.canvas, touch).release(0, QPoint(280, 140)).commit()
    assert [s.method for s in pad.canvas.strokes] == ["tocco"]
    assert pad.method() == "tocco"


def test_social_worker_collects_signatures_and_attaches_the_signed_scan(
    session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = session.workspace
    _case, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    people = [(s.role.value, s.name) for s in PiContent.from_data(version.content).signatories]
    dialog = SignaturesDialog(session, version_id=version.id, signatories=people)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, session.tasks)
    assert [label.text() for label in dialog.state_labels] == ["Non firmato", "Non firmato"]
    assert all(b.isEnabled() for b in dialog.sign_buttons)

    # the beneficiary signs on the tablet
    qtbot.mouseClick(dialog.sign_buttons[0], Qt.MouseButton.LeftButton)
    pad_dialog = dialog.pad_dialog
    assert isinstance(pad_dialog, SignaturePadDialog)
    qtbot.waitExposed(pad_dialog)
    draw_with_mouse(pad_dialog.pad.canvas)
    shot(pad_dialog, "pad_dialog")
    with qtbot.waitSignal(dialog.signatures_changed):
        qtbot.mouseClick(pad_dialog.pad.confirm_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    assert dialog.state_labels[0].text().startswith("Firma grafica acquisita il ")
    assert "con il mouse" in dialog.state_labels[0].text()
    assert dialog.state_labels[1].text() == "Non firmato"
    [stored] = signatures.graphic_signatures(ws.uow_factory(), actor=ws.actor,
                                             version_id=version.id)  # fmt: skip
    assert (stored.role, stored.method) == ("beneficiario", "mouse")
    assert stored.png.startswith(b"\x89PNG")
    shot(dialog, "dialog_graphic")

    # then the printed copy signed by hand is scanned and attached
    scan = tmp_path / "scansione.pdf"
    scan.write_bytes(b"%PDF-1.4\n% copia firmata\n")
    with qtbot.waitSignal(dialog.version_signed) as signed:
        dialog.attach_scan_file(str(scan), place="Abbiategrasso", signed_on=date(2023, 11, 24))
    assert signed.args == [version.id]
    wait_idle(qtbot, session.tasks)
    assert all(t.startswith("Firmato a mano (scansione allegata il ")
               for t in (label.text() for label in dialog.state_labels))  # fmt: skip
    assert not any(b.isEnabled() for b in (*dialog.sign_buttons, dialog.scan_button,
                                          dialog.pdf_button))  # fmt: skip
    [frozen] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                           now=datetime(2023, 11, 25))  # fmt: skip
    assert frozen.status is PiStatus.FIRMATA
    shot(dialog, "dialog_signed")
