"""``python -m caseworker_app`` runs the desktop application."""

from caseworker_app.app import main

raise SystemExit(main())
