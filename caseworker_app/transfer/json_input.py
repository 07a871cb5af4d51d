"""The one reader of JSON input files: every command that reads a JSON file uses it.

Limits (interchange.md §2; the README's command-line section repeats them):

- only a regular file is read (a FIFO, a device, a socket is refused without waiting on it), of
  at most :data:`MAX_FILE_BYTES` (16 MiB; a larger batch of istanze goes in a folder of files);
- UTF-8 (a byte order mark is allowed);
- no key twice in one object (the second would silently win);
- no integer of more than :data:`MAX_INT_DIGITS` digits (no field needs them; Python would
  refuse to convert more than 4,300), no ``NaN``/``Infinity``;
- no nesting deeper than :data:`MAX_DEPTH` arrays and objects (the formats need fewer than 10).

The last three are the rules of the application's one strict decoder,
:mod:`caseworker_app.domain.strict_json` (the store's JSON blobs are read through it too); this
module adds the file, size and encoding rules around it.

A problem raises :class:`JsonInputError`: a ``json.*`` message code (a fragment, in
``caseworker_app/messages/rules.py``) with its parameters and the JSON path of the field (``""``
for the whole file). Callers restate it with their own code and the file name. No value of the
file is ever repeated: only positions, counts and key names.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from caseworker_app.domain import strict_json
from caseworker_app.messages import render

MAX_FILE_MIB = 16
MAX_FILE_BYTES = MAX_FILE_MIB * 1024 * 1024
MAX_INT_DIGITS = strict_json.MAX_INT_DIGITS
MAX_DEPTH = strict_json.MAX_DEPTH


class JsonInputError(Exception):
    """A JSON input file is unusable: ``code`` (``json.*``), ``params``, ``field`` (JSON path,
    ``""`` for the whole file). :meth:`what` is the Italian fragment."""

    def __init__(self, code: str, *, field: str = "", **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def what(self) -> str:
        return render(self.code, self.params)


# -- bytes ---------------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The content of ``path``: a regular file of at most :data:`MAX_FILE_BYTES`.

    Opened without blocking (a FIFO with no writer would wait forever) and checked with
    ``fstat`` on the open descriptor, so what is read is what was checked."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise JsonInputError("json.not_found") from None
    except IsADirectoryError:
        raise JsonInputError("json.is_folder") from None
    except PermissionError:
        raise JsonInputError("json.no_permission") from None
    except (OSError, ValueError):  # ValueError: a NUL byte in the name
        raise JsonInputError("json.unreadable") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise JsonInputError("json.is_folder")
        if not stat.S_ISREG(info.st_mode):
            raise JsonInputError("json.not_regular")
        if info.st_size > MAX_FILE_BYTES:
            raise JsonInputError("json.too_large", limit=MAX_FILE_MIB)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise JsonInputError("json.too_large", limit=MAX_FILE_MIB)
        return b"".join(chunks)
    except OSError:
        raise JsonInputError("json.unreadable") from None
    finally:
        os.close(fd)


# -- decoding ------------------------------------------------------------------------------------


def decode(raw: bytes) -> object:
    """The JSON value in ``raw`` (UTF-8, a byte order mark allowed), within the limits of the
    one strict decoder (:mod:`caseworker_app.domain.strict_json`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise JsonInputError("json.not_utf8", line=line) from None
    try:
        return strict_json.loads(text)
    except strict_json.StrictJsonError as exc:
        params = dict(exc.params)
        if exc.code == "json.syntax":
            params["reason"] = render(str(params["reason"]))
        raise JsonInputError(exc.code, field=exc.field, **params) from None


def load(path: Path) -> object:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path))
