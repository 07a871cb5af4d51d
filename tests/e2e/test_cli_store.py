"""The command-line contract on a local store (interchange.md §2, issue: store commands)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from caseworker_app import __version__

from .conftest import Run


def test_version(run: Run) -> None:
    done = run("--version")
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_init_prints_store_and_recovery_code(store: tuple[Path, str]) -> None:
    folder, code = store
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){5}", code)
    assert (folder / "caseworker.db").exists()


def test_init_human_output_names_the_key_store(tmp_path: Path, run: Run) -> None:
    done = run(
        "init",
        "--store",
        str(tmp_path / "s"),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "mrossi",
    )
    assert done.returncode == 0, done.stderr
    assert "CODICE DI RECUPERO" in done.stdout
    assert "portachiavi di sistema" in done.stdout or "file delle chiavi" in done.stdout


def test_init_reads_the_password_from_stdin(tmp_path: Path, run: Run) -> None:
    done = run(
        "init",
        "--store",
        str(tmp_path / "s"),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "mrossi",
        "--password-stdin",
        "--json",
        stdin="password-da-stdin\n",
        password=None,
    )
    assert done.returncode == 0, done.stderr
    listed = run("list", "--store", str(tmp_path / "s"), "--json", password="password-da-stdin")
    assert listed.returncode == 0, listed.stderr


def test_password_is_never_an_argument(tmp_path: Path, run: Run) -> None:
    done = run(
        "init",
        "--store",
        str(tmp_path / "s"),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "mrossi",
        "--password",
        "segreta-segreta",
    )
    assert done.returncode == 2
    assert not (tmp_path / "s").exists()


def test_init_without_password_is_bad_input(tmp_path: Path, run: Run) -> None:
    done = run(
        "init",
        "--store",
        str(tmp_path / "s"),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "mrossi",
        password=None,
    )
    assert done.returncode == 2
    assert "CASEWORKER_PASSWORD" in done.stderr
    assert not (tmp_path / "s").exists()


def test_init_with_a_comune_outside_the_ambito_is_bad_input(tmp_path: Path, run: Run) -> None:
    done = run(
        "init",
        "--store",
        str(tmp_path / "s"),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "E265",
        "--operator",
        "mrossi",
    )
    assert done.returncode == 2
    assert "E265" in done.stderr


def test_init_twice_refuses_to_overwrite(store: tuple[Path, str], run: Run) -> None:
    folder, _ = store
    before = (folder / "caseworker.db").read_bytes()
    done = run(
        "init",
        "--store",
        str(folder),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "altro",
    )
    assert done.returncode == 2
    assert "esiste già" in done.stderr
    assert (folder / "caseworker.db").read_bytes() == before


def test_demo_then_list_shows_istanze_in_every_state(store: tuple[Path, str], run: Run) -> None:
    folder, _ = store
    done = run("demo", "--store", str(folder), "--cases", "200", "--seed", "7")
    assert done.returncode == 0, done.stderr
    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    keys = {"comune", "id", "avviso", "state", "codice_fiscale", "transmission"}
    assert rows and all(set(r) == keys for r in rows)
    # at a comune each istanza says where it stands with the capofila: nothing was sent yet
    assert {r["transmission"] for r in rows} == {"da_inviare"}
    assert {r["state"] for r in rows} >= {
        "bozza",
        "presentata",
        "ammissibile",
        "in_erogazione",  # funded istanze are paid out: none is left at finanziata
        "non_ammissibile",
        "chiusa",
        "sospesa",
    }
    assert all(len(r["codice_fiscale"]) == 16 for r in rows)
    ids = [(r["comune"], r["id"]) for r in rows]
    assert len(ids) == len(set(ids))


def test_wrong_password_is_bad_input_and_names_no_data(store: tuple[Path, str], run: Run) -> None:
    folder, _ = store
    done = run("list", "--store", str(folder), "--json", password="non-e-questa")
    assert done.returncode == 2
    assert "password" in done.stderr.lower()


def test_missing_store_is_bad_input(tmp_path: Path, run: Run) -> None:
    done = run("list", "--store", str(tmp_path / "nessuno"), "--json")
    assert done.returncode == 2
    assert "nessuno" in done.stderr


def test_audit_verify_passes_then_detects_tampering(store: tuple[Path, str], run: Run) -> None:
    folder, _ = store
    run("demo", "--store", str(folder), "--cases", "5")
    done = run("audit", "verify", "--store", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    _tamper_second_event(folder)
    done = run("audit", "verify", "--store", str(folder), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert any(p["seq"] == 2 for p in report["problems"])


def _tamper_second_event(folder: Path) -> None:
    from caseworker_app.security.keys import unwrap_key
    from caseworker_app.store.engine import make_engine
    from caseworker_app.store.layout import StoreLayout

    from .conftest import PASSWORD

    layout = StoreLayout(folder)
    meta = layout.read_meta()
    blob = json.loads(layout.keyfile.read_text())["slots"]["operator:mrossi"]
    key = unwrap_key(blob, PASSWORD, store_id=meta.store_id, slot="operator:mrossi")
    assert key is not None
    engine = make_engine(layout.db, key, pooled=False)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.exec_driver_sql("UPDATE audit_events SET action = 'read' WHERE seq = 2")
    engine.dispose()


def test_backup_and_restore_on_another_machine(
    store: tuple[Path, str],
    run: Run,
    tmp_path: Path,
) -> None:
    folder, code = store
    run("demo", "--store", str(folder), "--cases", "50")
    usb = tmp_path / "usb"
    usb.mkdir()
    done = run("backup", "--store", str(folder), "--to", str(usb), "--json")
    assert done.returncode == 0, done.stderr
    archive = Path(json.loads(done.stdout)["backup"])
    assert archive.parent == usb
    other = tmp_path / "altro-pc" / "store"
    done = run(
        "restore",
        "--from",
        str(archive),
        "--store",
        str(other),
        env={"CASEWORKER_RECOVERY_CODE": code},
    )
    assert done.returncode == 0, done.stderr
    before = json.loads(run("list", "--store", str(folder), "--json").stdout)
    after = json.loads(run("list", "--store", str(other), "--json").stdout)
    assert after == before


def test_restore_reads_the_recovery_code_from_stdin(
    store: tuple[Path, str],
    run: Run,
    tmp_path: Path,
) -> None:
    folder, code = store
    run("backup", "--store", str(folder), "--to", str(tmp_path / "b.cwbak"))
    done = run(
        "restore",
        "--from",
        str(tmp_path / "b.cwbak"),
        "--store",
        str(tmp_path / "r"),
        "--recovery-stdin",
        stdin=code + "\n",
    )
    assert done.returncode == 0, done.stderr


def test_restore_with_a_wrong_code_is_bad_input(
    store: tuple[Path, str],
    run: Run,
    tmp_path: Path,
) -> None:
    folder, _ = store
    run("backup", "--store", str(folder), "--to", str(tmp_path / "b.cwbak"))
    done = run(
        "restore",
        "--from",
        str(tmp_path / "b.cwbak"),
        "--store",
        str(tmp_path / "r"),
        env={"CASEWORKER_RECOVERY_CODE": "A" * 30},
    )
    assert done.returncode == 2
    assert "codice di recupero" in done.stderr.lower()
    assert not (tmp_path / "r" / "caseworker.db").exists()


def test_admin_adds_an_operator_from_the_command_line(store: tuple[Path, str], run: Run) -> None:
    folder, _ = store
    done = run(
        "operator",
        "add",
        "--store",
        str(folder),
        "--username",
        "impiegata",
        "--full-name",
        "Carla Impiegata",
        "--role",
        "amministrativo",
        "--json",
        env={"CASEWORKER_NEW_PASSWORD": "password-impiegata"},
    )
    assert done.returncode == 0, done.stderr
    # with two operators, each command must say who is working
    done = run("list", "--store", str(folder), "--json")
    assert done.returncode == 2
    assert "--operator" in done.stderr
    done = run(
        "list",
        "--store",
        str(folder),
        "--operator",
        "impiegata",
        "--json",
        password="password-impiegata",
    )
    assert done.returncode == 0, done.stderr
    listed = run("operator", "list", "--store", str(folder), "--operator", "mrossi", "--json")
    roles = {o["username"]: o["roles"] for o in json.loads(listed.stdout)}
    assert roles == {"impiegata": ["amministrativo"], "mrossi": ["admin", "assistente_sociale"]}
    done = run(
        "operator",
        "disable",
        "--store",
        str(folder),
        "--operator",
        "mrossi",
        "--username",
        "impiegata",
    )
    assert done.returncode == 0, done.stderr
    done = run(
        "list",
        "--store",
        str(folder),
        "--operator",
        "impiegata",
        "--json",
        password="password-impiegata",
    )
    assert done.returncode == 2
