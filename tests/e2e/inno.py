"""A reader of the parts of an Inno Setup script that name files: enough for installer.iss.

Sections are ``[Name]`` lines; ``;`` starts a comment line; ``#`` lines are the preprocessor's
(only ``#define NAME "value"`` is read, to expand ``{#NAME}``). ``[Setup]`` holds
``Directive=value`` lines; the other sections hold entries of ``Param: value`` pairs separated by
``;``, a value in double quotes doubling its own quotes. ``[Code]`` (Pascal) is kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SECTION = re.compile(r"^\[(\w+)\]\s*$")
_DEFINE = re.compile(r'^#define\s+(\w+)\s+"([^"]*)"\s*$')
_INLINE = re.compile(r"\{#(\w+)\}")


@dataclass
class Script:
    setup: dict[str, str] = field(default_factory=dict)
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    defines: dict[str, str] = field(default_factory=dict)
    code: str = ""

    def section(self, name: str) -> list[dict[str, str]]:
        return self.entries.get(name.lower(), [])


def parse_entry(line: str) -> dict[str, str]:
    """One entry line as its parameters, keys lowered: ``Name: "a ""b"" c"; Flags: x y`` gives
    ``{"name": 'a "b" c', "flags": "x y"}``."""
    params: dict[str, str] = {}
    i, n = 0, len(line)
    while i < n:
        colon = line.index(":", i)
        key = line[i:colon].strip().lower()
        i = colon + 1
        while i < n and line[i] == " ":
            i += 1
        if i < n and line[i] == '"':
            i += 1
            value = []
            while True:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                value.append(line[i])
                i += 1
            text = "".join(value)
            semicolon = line.find(";", i)
            i = n if semicolon < 0 else semicolon + 1
        else:
            semicolon = line.find(";", i)
            end = n if semicolon < 0 else semicolon
            text = line[i:end].strip()
            i = end + 1
        params[key] = text
        while i < n and line[i] == " ":
            i += 1
    return params


def parse(path: Path) -> Script:
    script = Script()
    section = ""
    code: list[str] = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        found = _SECTION.match(line)
        if found and section != "code":
            section = found.group(1).lower()
            continue
        if section == "code":
            code.append(raw)
            continue
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            define = _DEFINE.match(line)
            if define:
                script.defines[define.group(1)] = define.group(2)
            continue
        line = _INLINE.sub(lambda m: script.defines[m.group(1)], line)
        if section == "setup":
            key, _, value = line.partition("=")
            script.setup[key.strip().lower()] = value.strip()
        elif section:
            script.entries.setdefault(section, []).append(parse_entry(line))
    script.code = "\n".join(code)
    return script
