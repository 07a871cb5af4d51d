"""The frozen one-folder build (caseworker.spec) checked against installer.iss, and proved.

``scripts/test.sh`` builds ``dist/caseworker/`` (``scripts/build-frozen.sh``) before pytest, on
Linux with the same spec the Windows installer packs; ``CASEWORKER_FROZEN_DIR`` points elsewhere.
Without a build the tests of the build are skipped outside CI, saying how to make one, and fail
in CI (as a missing tool does, tests/tools.py). The checks of installer.iss alone always run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PureWindowsPath

import pytest

import caseworker_app
from tests.e2e import inno

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer.iss"
EXE = ".exe" if sys.platform == "win32" else ""
GUID = re.compile(r"^\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")
APP_REF = re.compile(r"\{app\}\\([^;\"&|]+?)(?=$|[\"\s;&|])")


@pytest.fixture(scope="module")
def script() -> inno.Script:
    return inno.parse(ISS)


@pytest.fixture(scope="module")
def frozen() -> Path:
    """The frozen build's folder (holding caseworker-app and caseworker)."""
    folder = Path(os.environ.get("CASEWORKER_FROZEN_DIR") or ROOT / "dist" / "caseworker")
    if not (folder / f"caseworker{EXE}").is_file():
        why = f"no frozen build in {folder}: run bash scripts/build-frozen.sh"
        if os.environ.get("CI"):
            pytest.fail(why + " (scripts/test.sh runs it before pytest)")
        pytest.skip(why)
    return folder


def in_build(frozen: Path, windows_path: str) -> Path:
    """A path under {app} on Windows, in the build here (``x.exe`` is ``x`` off Windows)."""
    parts = PureWindowsPath(windows_path).parts
    target = frozen.joinpath(*parts)
    if not EXE and target.suffix == ".exe":
        target = target.with_suffix("")
    return target


def private_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The frozen programs run with their own home, settings and data folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip


# -- installer.iss on its own ---------------------------------------------------------------


def test_setup_is_per_user_with_a_fixed_app_id(script: inno.Script) -> None:
    setup = script.setup
    assert GUID.match(setup["appid"]), setup["appid"]
    assert setup["privilegesrequired"] == "lowest"
    assert setup["privilegesrequiredoverridesallowed"] == "dialog"
    assert setup["defaultdirname"] == r"{autopf}\caseworker"
    assert setup["appversion"] == script.defines["AppVersion"]
    assert (setup["compression"], setup["solidcompression"]) == ("lzma2/max", "yes")
    assert (setup["wizardstyle"], setup["closeapplications"]) == ("modern", "yes")
    assert setup["uninstalldisplayicon"] == r"{app}\caseworker-app.exe"
    assert (ROOT / PureWindowsPath(setup["setupiconfile"]).as_posix()).is_file()


def test_the_default_version_is_the_applications(script: inno.Script) -> None:
    assert script.defines["AppVersion"] == caseworker_app.__version__


def test_the_installer_speaks_italian(script: inno.Script) -> None:
    languages = script.section("Languages")
    assert [lang["messagesfile"] for lang in languages] == [r"compiler:Languages\Italian.isl"]


def test_the_start_menu_has_the_app_and_the_console_under_strumenti(script: inno.Script) -> None:
    icons = {icon["name"]: icon for icon in script.section("Icons")}
    assert icons[r"{group}\Caseworker"]["filename"] == r"{app}\caseworker-app.exe"
    tools = [icon for name, icon in icons.items() if name.startswith("{group}\\Strumenti\\")]
    consoles = [icon for icon in tools if "caseworker self-test" in icon.get("parameters", "")]
    assert consoles and consoles[0]["iconfilename"] == r"{app}\caseworker.exe"


def test_the_installer_never_touches_the_users_data(script: inno.Script) -> None:
    """Data live in the user profile; the installer writes, and deletes, only under {app}."""
    for section in ("Files", "Dirs", "InstallDelete", "UninstallDelete"):
        for entry in script.section(section):
            target = entry.get("destdir") or entry.get("name", "")
            assert target.startswith("{app}"), (section, entry)
    assert [e["name"] for e in script.section("InstallDelete")] == [r"{app}\_internal"]
    assert not script.section("UninstallDelete")
    # the uninstaller says where the data are
    assert "usPostUninstall" in script.code
    assert "%LOCALAPPDATA%\\caseworker" in script.code
    assert "ExpandConstant('{localappdata}\\caseworker')" in script.code


def test_the_data_folder_named_is_where_the_app_keeps_its_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Windows the app's store is %LOCALAPPDATA%\\caseworker\\store (platformdirs), the
    folder the uninstaller names."""
    import platformdirs
    import platformdirs.windows

    local = r"C:\Users\mario\AppData\Local"
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: {
        "CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": r"C:\Users\mario\AppData\Roaming",
    }[csidl])  # fmt: skip
    windows = platformdirs.windows.Windows
    monkeypatch.setattr(platformdirs, "user_data_dir",
                        lambda *a, **k: windows(*a, **k).user_data_dir)  # fmt: skip
    monkeypatch.delenv("CASEWORKER_STORE", raising=False)
    from caseworker_app.app import default_store_dir

    class NoSettings:
        def value(self, key: str) -> None:
            return None

    store = default_store_dir(NoSettings())  # type: ignore[arg-type]
    assert PureWindowsPath(str(store)) == PureWindowsPath(local, "caseworker", "store")


# -- the frozen build against installer.iss ---------------------------------------------------


def app_references(script: inno.Script) -> set[str]:
    """Every ``{app}\\...`` path the script names outside [Files] and [InstallDelete]."""
    texts = list(script.setup.values())
    for section in ("Icons", "Run", "UninstallRun", "Registry"):
        for entry in script.section(section):
            texts += entry.values()
    return {m.group(1).strip() for text in texts for m in APP_REF.finditer(text)}


def test_every_file_the_installer_names_is_in_the_build(script: inno.Script, frozen: Path) -> None:
    named = app_references(script)
    assert {"caseworker-app.exe", "caseworker.exe"} <= named, named
    missing = sorted(name for name in named if not in_build(frozen, name).exists())
    assert not missing, f"named by installer.iss, absent from {frozen}: {missing}"
    for entry in script.section("InstallDelete"):
        # what an upgrade clears first is the build's own folder of libraries
        assert in_build(frozen, entry["name"].removeprefix("{app}\\")).is_dir(), entry
    for entry in script.section("Files"):
        assert entry["destdir"] == "{app}", entry
        assert "recursesubdirs" in entry["flags"].split(), entry
        source = PureWindowsPath(entry["source"]).as_posix()
        build = "dist/caseworker/"
        base = frozen if source.startswith(build) else ROOT
        matched = list(base.glob(source.removeprefix(build)))
        assert matched, f"[Files] {entry['source']} matches nothing"
    # the console entries put {app} on PATH and run `caseworker`
    for entry in script.section("Icons"):
        command = re.search(r"&\s*(\S+)", entry.get("parameters", ""))
        if command:
            assert (frozen / f"{command.group(1)}{EXE}").is_file(), entry


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_build_carries_every_definition_resource_and_migration(frozen: Path) -> None:
    """forms/, resources/ and the Alembic scripts, byte for byte (a stale build fails too)."""
    internal = frozen / "_internal"
    migrations = ROOT / "caseworker_app" / "store" / "migrations"
    wanted = [p for top in ("forms", "resources") for p in (ROOT / top).rglob("*") if p.is_file()]
    wanted += [migrations / "env.py", migrations / "script.py.mako"]
    wanted += sorted((migrations / "versions").glob("*.py"))
    assert len(list((migrations / "versions").glob("0*.py"))) >= 11
    different = [
        str(p.relative_to(ROOT))
        for p in wanted
        if not (internal / p.relative_to(ROOT)).is_file()
        or sha256(internal / p.relative_to(ROOT)) != sha256(p)
    ]
    assert not different, f"missing or stale in the frozen build: {different}"
    # python-codicefiscale's tables, where the frozen library reads them (beside the programs)
    assert (frozen / "data" / "municipalities.json").is_file()


def test_every_module_of_the_app_is_in_the_build(frozen: Path) -> None:
    """All of caseworker_app is collected (handlers named by strings, modules imported only
    when a window opens), as bytecode; the migration scripts are shipped as sources."""
    package = ROOT / "caseworker_app"
    internal = frozen / "_internal"
    missing = []
    for source in package.rglob("*.py"):
        rel = source.relative_to(ROOT)
        if "migrations" in rel.parts or source.name == "__main__.py":
            continue
        if not (internal / rel.with_suffix(".pyc")).is_file():
            missing.append(str(rel))
    assert not missing, f"modules absent from the frozen build: {sorted(missing)}"


def test_the_build_speaks_italian_only(frozen: Path) -> None:
    internal = frozen / "_internal"
    catalogs = sorted(p.name for p in internal.rglob("*.qm") if "PySide6" in p.parts)
    assert "qtbase_it.qm" in catalogs, catalogs
    assert all(name.endswith("_it.qm") for name in catalogs), catalogs
    assert (internal / "pycountry" / "locales" / "it").is_dir()


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}  # fmt: skip


@pytest.fixture(scope="module")
def untouched(frozen: Path) -> Iterator[Callable[[], None]]:
    """Call it at the end of a test: the frozen folder is as it was before the module's runs
    (the programs never write where they are installed)."""
    before = snapshot(frozen)

    def check() -> None:
        after = snapshot(frozen)
        assert after == before, {
            "added": sorted(set(after) - set(before))[:20],
            "changed": sorted(k for k in before if k in after and after[k] != before[k])[:20],
        }

    yield check


def test_the_frozen_command_passes_its_self_test(
    frozen: Path, tmp_path: Path, untouched: Callable[[], None]
) -> None:
    version = run([str(frozen / f"caseworker{EXE}"), "--version"], private_env(tmp_path), tmp_path)
    assert version.returncode == 0, version.stderr
    assert caseworker_app.__version__ in version.stdout
    done = run([str(frozen / f"caseworker{EXE}"), "self-test", "--json"], private_env(tmp_path),
               tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["ok"] is True, report
    assert all(step["ok"] for step in report["steps"]), report
    untouched()


def test_the_frozen_app_shows_its_first_window_offscreen(
    frozen: Path, tmp_path: Path, untouched: Callable[[], None]
) -> None:
    """The setup wizard with no store, the login window on a store made by the frozen init."""
    env = private_env(tmp_path, CASEWORKER_PASSWORD="password-frozen-lunga")
    made = run([str(frozen / f"caseworker{EXE}"), "init", "--store", str(tmp_path / "store"),
                "--role", "comune", "--ambito", "abbiatense", "--comune", "A010",
                "--operator", "prova", "--keystore", "file", "--json"], env, tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    for store in (tmp_path / "no-store", tmp_path / "store"):
        shown = run([str(frozen / f"caseworker-app{EXE}"), "--store", str(store)],
                    private_env(tmp_path, CASEWORKER_EXIT_WHEN_SHOWN="1"), tmp_path)  # fmt: skip
        assert shown.returncode == 0, shown.stderr[-3000:]
        # a windowed Windows executable may have no standard output at all (as pythonw.exe)
        assert shown.stdout.strip() in (("shown", "") if EXE else ("shown",)), shown.stdout
    assert not (tmp_path / "no-store").exists()  # showing the wizard creates nothing
    untouched()
