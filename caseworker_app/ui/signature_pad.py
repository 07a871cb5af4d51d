"""The signature pad: a signatory signs on the screen with a pen, a finger or the mouse.

Strokes are kept as points (with the pen's pressure) and drawn as smooth curves through the
midpoints. :meth:`SignaturePad.png_bytes` exports them on a transparent background, cropped to
the ink and at twice the screen resolution, for the signature block of the printed PI; the pad
reports how the signature was captured ("penna", "tocco" or "mouse"). The image only ever goes
to the encrypted store, never to a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

PEN = "penna"
TOUCH = "tocco"
MOUSE = "mouse"
INK = QColor(18, 38, 110)  # blue-black, like a ballpoint pen
BASE_WIDTH = 2.6
EXPORT_SCALE = 2.0
MIN_STEP = 1.2  # points closer than this (pixels) to the last one are skipped


@dataclass
class Stroke:
    method: str
    points: list[QPointF] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    def add(self, point: QPointF, width: float) -> None:
        if self.points:
            last = self.points[-1]
            if abs(point.x() - last.x()) + abs(point.y() - last.y()) < MIN_STEP:
                return
        self.points.append(QPointF(point))
        self.widths.append(width)

    def bounds(self) -> QRectF:
        xs = [p.x() for p in self.points]
        ys = [p.y() for p in self.points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _method_of(device: QInputDevice | None) -> str:
    kind = device.type() if device is not None else QInputDevice.DeviceType.Mouse
    if kind in (QInputDevice.DeviceType.Stylus, QInputDevice.DeviceType.Airbrush,
                QInputDevice.DeviceType.Puck):  # fmt: skip
        return PEN
    if kind in (QInputDevice.DeviceType.TouchScreen, QInputDevice.DeviceType.TouchPad):
        return TOUCH
    return MOUSE


def _pressure_width(pressure: float) -> float:
    return BASE_WIDTH * (0.45 + 1.1 * max(0.0, min(1.0, pressure)))


def draw_strokes(painter: QPainter, strokes: list[Stroke]) -> None:
    """Each stroke as quadratic curves through the midpoints of its points (smooth ink)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for stroke in strokes:
        pts, widths = stroke.points, stroke.widths
        if not pts:
            continue
        if len(pts) == 1:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            radius = widths[0] / 2
            painter.drawEllipse(pts[0], radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            continue
        start = pts[0]
        for i in range(1, len(pts)):
            end = (pts[i] + pts[i + 1]) / 2 if i + 1 < len(pts) else pts[i]
            piece = QPainterPath(start)
            piece.quadTo(pts[i], end)
            pen = QPen(INK, (widths[i - 1] + widths[i]) / 2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(piece)
            start = end


class SignatureCanvas(QWidget):
    """The surface the signatory draws on (mouse, touch and pen)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(QSize(520, 220))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Area della firma"))
        self.setAccessibleDescription(
            self.tr("Firma qui con la penna, con il dito o tenendo premuto il mouse.")
        )

    # -- strokes ---------------------------------------------------------------------------

    def _begin(self, method: str, point: QPointF, width: float) -> None:
        self._current = Stroke(method)
        self._current.add(point, width)
        self.strokes.append(self._current)
        self.update()

    def _extend(self, point: QPointF, width: float) -> None:
        if self._current is not None:
            self._current.add(point, width)
            self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    def clear(self) -> None:
        self.strokes.clear()
        self._current = None
        self.update()
        self.changed.emit()

    def is_empty(self) -> bool:
        return not any(s.points for s in self.strokes)

    def method(self) -> str:
        """How the signature was captured: the pen wins over touch, touch over the mouse."""
        used = {s.method for s in self.strokes if s.points}
        return PEN if PEN in used else TOUCH if TOUCH in used else MOUSE

    # -- input -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is None:
            self._begin(_method_of(event.pointingDevice()), event.position(), BASE_WIDTH)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None and self._current.method == _method_of(event.pointingDevice()):
            self._extend(event.position(), BASE_WIDTH)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend(event.position(), BASE_WIDTH)
            self._end()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        width = _pressure_width(event.pressure())
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(PEN, event.position(), width)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), width)
        elif kind == QEvent.Type.TabletRelease:
            self._extend(event.position(), width)
            self._end()
        event.accept()  # no mouse event is synthesized from an accepted tablet event

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel) and isinstance(event, QTouchEvent):  # fmt: skip
            points = event.points()
            if points:
                where = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(TOUCH, where, BASE_WIDTH * 1.15)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(where, BASE_WIDTH * 1.15)
                else:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # -- output ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        line_y = self.height() - 48
        painter.setPen(QPen(QColor(150, 150, 150), 1, Qt.PenStyle.DashLine))
        painter.drawLine(24, line_y, self.width() - 24, line_y)
        if self.is_empty():
            painter.setPen(QColor(120, 120, 120))
            painter.drawText(QRectF(24, line_y + 6, self.width() - 48, 30),
                             int(Qt.AlignmentFlag.AlignLeft), self.tr("Firma qui"))  # fmt: skip
        painter.setPen(QPen(QColor(170, 170, 170), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        draw_strokes(painter, self.strokes)
        painter.end()

    def png_bytes(self, scale: float = EXPORT_SCALE) -> bytes:
        """The ink on a transparent background, cropped with a small margin ("" when empty)."""
        drawn = [s for s in self.strokes if s.points]
        if not drawn:
            return b""
        bounds = drawn[0].bounds()
        for stroke in drawn[1:]:
            bounds = bounds.united(stroke.bounds())
        margin = max(w for s in drawn for w in s.widths) + 4
        area = bounds.adjusted(-margin, -margin, margin, margin)
        image = QImage(max(1, round(area.width() * scale)), max(1, round(area.height() * scale)),
                       QImage.Format.Format_ARGB32_Premultiplied)  # fmt: skip
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.scale(scale, scale)
        painter.translate(-area.topLeft())
        draw_strokes(painter, drawn)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        QImageWriter(buffer, QByteArray(b"PNG")).write(image)
        buffer.close()
        return bytes(data.data())


class SignaturePad(QWidget):
    """The canvas with "Cancella" and "Conferma"; ``signature_confirmed(png, method)``."""

    signature_confirmed = Signal(bytes, str)
    cleared = Signal()

    def __init__(self, prompt: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.prompt.setVisible(bool(prompt))
        layout.addWidget(self.prompt)
        self.canvas = SignatureCanvas(self)
        layout.addWidget(self.canvas, 1)
        buttons = QHBoxLayout()
        self.buttons = buttons  # the row of buttons (a dialog may add its own)
        self.clear_button = QPushButton(self.tr("Cancella"))
        self.clear_button.setAccessibleName(self.tr("Cancella la firma e ricomincia"))
        self.confirm_button = QPushButton(self.tr("Conferma"))
        self.confirm_button.setAccessibleName(self.tr("Conferma la firma"))
        self.confirm_button.setDefault(True)
        for button in (self.clear_button, self.confirm_button):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.clear_button.clicked.connect(self.on_clear_clicked)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.canvas.changed.connect(self.on_canvas_changed)
        self.on_canvas_changed()

    def is_empty(self) -> bool:
        return self.canvas.is_empty()

    def method(self) -> str:
        return self.canvas.method()

    def png_bytes(self) -> bytes:
        return self.canvas.png_bytes()

    def on_canvas_changed(self) -> None:
        empty = self.canvas.is_empty()
        self.confirm_button.setEnabled(not empty)
        self.clear_button.setEnabled(not empty)

    def on_clear_clicked(self) -> None:
        self.canvas.clear()
        self.cleared.emit()

    def on_confirm_clicked(self) -> None:
        if not self.canvas.is_empty():
            self.signature_confirmed.emit(self.canvas.png_bytes(), self.canvas.method())


class SignaturePadDialog(QDialog):
    """The pad in its own window: accepted with :attr:`png` and :attr:`method` once confirmed."""

    def __init__(self, *, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.png = b""
        self.method = MOUSE
        layout = QVBoxLayout(self)
        self.pad = SignaturePad(prompt, self)
        layout.addWidget(self.pad)
        self.cancel_button = QPushButton(self.tr("Annulla"))
        self.cancel_button.setAccessibleName(self.tr("Annulla senza salvare la firma"))
        self.pad.buttons.insertWidget(0, self.cancel_button)
        self.cancel_button.clicked.connect(self.reject)
        self.pad.signature_confirmed.connect(self.on_signature_confirmed)
        self.resize(720, 380)

    def on_signature_confirmed(self, png: bytes, method: str) -> None:
        self.png, self.method = png, method
        self.accept()
