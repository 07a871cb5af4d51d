"""Keep SQLCipher's own log lines out of the user's terminal.

SQLCipher (4.6 and later; the build bundled in sqlcipher3 is 4.12) writes lines such as
``ERROR CORE sqlcipher_page_cipher: hmac check failed for pgno=2`` to stderr by default (level
WARN), before our Italian message about a damaged or foreign database. Its log settings are
process-global pragmas. We set the level to NONE rather than pointing ``cipher_log`` at the
application's log: that log is a Python ``RotatingFileHandler`` which must be able to rename the
file it rotates (on Windows a file SQLCipher holds open cannot be renamed), the command line has
no log file at all, and every condition SQLCipher would log reaches us as an exception that is
already reported in Italian.
"""

from __future__ import annotations

import threading

import sqlcipher3.dbapi2 as sqlcipher

_lock = threading.Lock()
_done = False


def silence_sqlcipher_log() -> None:
    """Turn SQLCipher's logging off for this process (once; cheap on every later call)."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        conn = sqlcipher.connect(":memory:")
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
        finally:
            conn.close()
        _done = True
