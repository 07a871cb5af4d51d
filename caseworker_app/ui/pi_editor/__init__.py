"""The Progetto Individuale editor of one istanza (see :class:`PiEditorView`)."""

from caseworker_app.ui.pi_editor.view import PiEditorView

__all__ = ["PiEditorView"]
