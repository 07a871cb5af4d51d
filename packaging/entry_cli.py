"""Entry script of the frozen ``caseworker`` command (console; see caseworker.spec)."""

import sys

from caseworker_app.cli import console

sys.exit(console())
