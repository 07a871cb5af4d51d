"""The ``caseworker`` command line (interchange.md §2).

Exit codes: 0 the command did its job; 2 bad input (message on stderr naming what is wrong);
1 any other failure. Nothing partial is written on failure. Passwords are never taken from the
command line: ``CASEWORKER_PASSWORD`` or ``--password-stdin``.
"""

from caseworker_app.cli.main import console, main

__all__ = ["console", "main"]
