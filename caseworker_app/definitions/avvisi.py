"""Load and validate the avviso definitions (forms/avvisi/*.toml) into ``Avviso`` objects.

The files are data (style rule 13): nothing in them is evaluated. Every problem raises
``UserFacingError("definitions.invalid", file=..., key=..., what=...)`` with the file name, the
key path (``requirements[3].groups[0].maximum``, indexes from 0) and, in Italian, what is wrong
and what to do. The format is documented for administrators in ``forms/avvisi/README.md``.

Versions: a released file is immutable (a test pins its hash). A change is a new file with the
same ``id`` and the next ``version``, named ``<id>.v<version>.toml`` (version 1 is ``<id>.toml``);
:func:`load_avvisi` gives the newest version of each avviso, :func:`get_avviso` any version,
both with the definitions held in the store (``avviso_registry``: released editions at the
capofila, the ambito package's files at a comune) beside the shipped ones.

Templates (``template = true``) may leave required parameters out (ambito, allocation, budget,
ISEE maxima, caps, window); their key paths are listed in ``Avviso.unset`` and the engine refuses
to rank on such a definition.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from caseworker_app.definitions.ambiti import Ambito, load_ambiti
from caseworker_app.definitions.avviso_rankings import read_rankings
from caseworker_app.definitions.avviso_registry import held_all, held_versions
from caseworker_app.definitions.avviso_requirements import read_requirements
from caseworker_app.definitions.avviso_schema import (
    ANY_AMBITO,
    AVVISO_FORMAT,
    CANONICAL_DOCUMENTS,
    CANONICAL_IN_PLACE,
    EXCLUDED_KEYS,
    HOURS_BAND_KEYS,
    ID_PATTERN,
    INTERVENTION_KEYS,
    TOP_KEYS,
    TRANSMISSION_KEYS,
    VERSION_PATTERN,
    WINDOW_KEYS,
    Known,
    Reader,
    Table,
    codes_in,
    join,
    listed,
)
from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.comuni import is_known_code
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import (
    Allocation,
    Avviso,
    CapKind,
    ExcludedKind,
    HoursBand,
    Intervention,
    IseeReq,
    Window,
    WindowPolicy,
)

_AMOUNT_CAPS = (CapKind.PER_MONTH, CapKind.PER_DAY, CapKind.ONCE, CapKind.PER_YEAR)
Validity = tuple[date | None, date | None]


# -- interventions, excluded kinds, window --------------------------------------------------


def _hours_bands(r: Reader, t: Table, key: str) -> tuple[HoursBand, ...]:
    bands: list[HoursBand] = []
    for bkey, raw in r.tables(t, key, "bands"):
        b = r.table(raw, bkey, HOURS_BAND_KEYS)
        hours = r.number(b, bkey, "min_hours")
        if hours is None or hours < 0:
            r.fail(
                join(bkey, "min_hours"), "indica le ore settimanali minime della fascia (0 o più)"
            )
        if bands and hours <= bands[-1].min_hours:
            r.fail(
                join(bkey, "min_hours"),
                "le fasce vanno in ordine di ore crescenti, senza ripetizioni",
            )
        amount = r.money(b, bkey, "amount")
        if amount is None:
            r.fail(join(bkey, "amount"), 'indica l\'importo mensile della fascia, es. "400.00"')
        bands.append(HoursBand(hours, amount))
    if not bands:
        r.param_missing(join(key, "bands"), "l'elenco delle fasce di ore (bands)")
    return tuple(bands)


def _intervention(r: Reader, key: str, raw: object) -> Intervention:
    t = r.table(raw, key, INTERVENTION_KEYS)
    code, label, cite = r.code(t, key), r.text(t, key, "label"), r.text(t, key, "cite")
    cap = r.choice(t, key, "cap", CapKind, None)
    allowed = {"amount"} if cap in _AMOUNT_CAPS else set()
    allowed |= {"max_days"} if cap is CapKind.PER_DAY else set()
    allowed |= {"bands", "hours_field"} if cap is CapKind.PER_MONTH_BY_HOURS else set()
    for name in ("amount", "max_days", "bands", "hours_field"):
        if name in t and name not in allowed:
            r.fail(join(key, name), f'non si usa con cap = "{cap}": toglilo o cambia cap')
    if cap is not CapKind.PER_MONTH_BY_HOURS:
        amount = r.money(t, key, "amount", param=cap in _AMOUNT_CAPS)
        max_days = r.integer(t, key, "max_days", low=1, high=366)
        return Intervention(code, label, cap, cite, amount, max_days)
    hours_field = r.code(t, key, "hours_field")
    bands = _hours_bands(r, t, key)
    return Intervention(code, label, cap, cite, bands=bands, hours_field=hours_field)


def _interventions(r: Reader, data: Table) -> dict[str, Intervention]:
    items = r.tables(data, "", "interventions")
    if not items:
        r.fail("interventions", "manca l'elenco degli interventi: aggiungi [[interventions]]")
    found: dict[str, Intervention] = {}
    for key, raw in items:
        item = _intervention(r, key, raw)
        if item.code in found:
            r.fail(
                join(key, "code"), f"l'intervento «{item.code}» è elencato due volte: tienine uno"
            )
        found[item.code] = item
    return found


def _excluded(
    r: Reader, data: Table, interventions: Mapping[str, Intervention]
) -> dict[str, ExcludedKind]:
    found: dict[str, ExcludedKind] = {}
    for key, raw in r.tables(data, "", "excluded"):
        t = r.table(raw, key, EXCLUDED_KEYS)
        code = r.code(t, key)
        if code in interventions:
            r.fail(
                join(key, "code"),
                f"«{code}» è anche un intervento ammesso: una spesa non può "
                "essere insieme ammessa ed esclusa, togli uno dei due",
            )
        if code in found:
            r.fail(
                join(key, "code"), f"la spesa esclusa «{code}» è elencata due volte: tienine una"
            )
        found[code] = ExcludedKind(code, r.text(t, key, "reason"), r.text(t, key, "cite"))
    return found


def _window(r: Reader, data: Table) -> Window | None:
    if "window" not in data:
        r.param_missing("window", "il periodo ammesso degli interventi ([window])")
        return None
    t = r.table(data["window"], "window", WINDOW_KEYS)
    start, end = r.day(t, "window", "start"), r.day(t, "window", "end")
    if start is None:
        r.fail("window.start", "manca la data di inizio (AAAA-MM-GG, inclusa)")
    if end is None:
        r.fail("window.end", "manca la data di fine (AAAA-MM-GG, inclusa)")
    if end < start:
        r.fail("window.end", "la fine precede l'inizio: correggi le date")
    policy = r.choice(t, "window", "policy", WindowPolicy, None)
    return Window(start, end, policy, r.text(t, "window", "cite"))


def _transmission(r: Reader, data: Table, known: Known) -> tuple[frozenset[str], str]:
    """``[transmission]``: the measures in place whose istanze send the capofila no social
    evaluation, ADL/IADL sheets or PI, and where the avviso says so (absent: they always go)."""
    if "transmission" not in data:
        return frozenset(), ""
    key = "transmission"
    t = r.table(data[key], key, TRANSMISSION_KEYS)
    unless = r.texts(t, key, "evaluation_unless_in_place", codes=True)
    codes_in(r, join(key, "evaluation_unless_in_place"), unless, known.in_place, "misura")
    cite = t.get("cite")
    if cite is None and unless:
        r.fail(
            join(key, "cite"),
            "manca la citazione del punto dell'avviso che dice quali istanze non trasmettono "
            'valutazione, schede e progetto individuale: scrivila, es. cite = "avviso, art. 11"',
        )
    if cite is not None and (not isinstance(cite, str) or not cite.strip()):
        r.fail(join(key, "cite"), 'deve essere un testo tra virgolette, es. "avviso, art. 11"')
    return frozenset(unless), cite or ""


# -- the file -------------------------------------------------------------------------------


def _ambito(
    r: Reader, data: Table, ambiti: Mapping[str, Ambito]
) -> tuple[str, dict[str, Validity]]:
    """The ambito id and its comuni (optionally only those listed in ``comuni``)."""
    raw = data.get("ambito", ANY_AMBITO if r.template else None)
    if raw == ANY_AMBITO and r.template:
        if "comuni" in data:
            r.fail("comuni", 'un modello con ambito = "*" non può elencare comuni: toglili')
        r.unset.append("ambito")
        return ANY_AMBITO, {}
    name = r.text(data, "", "ambito")
    ambito = ambiti.get(name)
    if ambito is None:
        r.fail(
            "ambito",
            f"ambito «{name}» sconosciuto: usa l'id di un file in forms/ambiti "
            f'({listed(sorted(ambiti))}); "*" solo in un modello (template = true)',
        )
    members = {m.code: (m.valid_from, m.valid_to) for m in ambito.comuni}
    if "comuni" not in data:
        return name, members
    subset = r.texts(data, "", "comuni")
    if not subset:
        r.fail("comuni", "elenco vuoto: elenca i comuni coperti o togli la chiave (tutto l'ambito)")
    for i, code in enumerate(subset):
        if code not in members:
            what = (
                f"il comune {code} non fa parte dell'ambito {name}: toglilo"
                if is_known_code(code)
                else f"il codice {code} non corrisponde ad alcun comune: correggi il codice"
            )
            r.fail(f"comuni[{i}]", what)
    return name, {code: members[code] for code in subset}


def _header(r: Reader, data: Table) -> tuple[str, str, str, str, tuple[str, ...]]:
    fmt = data.get("format")
    if fmt != AVVISO_FORMAT:
        newer = isinstance(fmt, str) and fmt.startswith("caseworker.avviso/")
        r.fail(
            "format",
            f"formato «{fmt}» non gestito da questa versione del programma: "
            + ("aggiorna il programma" if newer else f'scrivi format = "{AVVISO_FORMAT}"'),
        )
    r.template = r.flag(data, "", "template", False)
    avviso_id, version = r.text(data, "", "id"), r.text(data, "", "version")
    if not ID_PATTERN.match(avviso_id):
        r.fail(
            "id",
            f"«{avviso_id}» non è un id valido: lettere minuscole, cifre e trattini "
            "(es. pavese-b2-2024-voucher)",
        )
    if not VERSION_PATTERN.match(version):
        r.fail(
            "version",
            f"«{version}» non è una versione valida: un numero intero tra "
            'virgolette, "1" per la prima, poi "2", "3"...',
        )
    measure = r.text(data, "", "measure")
    if not ID_PATTERN.match(measure):
        r.fail(
            "measure",
            f"«{measure}» non è un nome di misura valido: lettere minuscole, "
            "cifre e trattini (es. misura-sostegno)",
        )
    legal_basis = r.texts(data, "", "legal_basis")
    if not legal_basis:
        r.fail("legal_basis", 'indica almeno un atto, es. ["DGR XII/2033/2024"]')
    return avviso_id, version, r.text(data, "", "title"), measure, legal_basis


def load_avviso(path: Path, *, ambiti: Mapping[str, Ambito] | None = None) -> Avviso:
    """Read and validate one file; ``ambiti`` defaults to the shipped forms/ambiti."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        Reader(path).fail("", f"il file non si può leggere come TOML ({exc}): correggilo")
    return parse_avviso(content, file=path.name, ambiti=ambiti)


def parse_avviso(
    content: bytes, *, file: str, ambiti: Mapping[str, Ambito] | None = None
) -> Avviso:
    """Validate the bytes of a definition file named ``file`` (the loader of ``forms/``, for
    a definition held in the store or being written)."""
    r = Reader(Path(file))
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        r.fail("", f"il file non si può leggere come TOML ({exc}): correggilo")
    data = r.table(raw, "", TOP_KEYS)
    avviso_id, version, title, measure, legal_basis = _header(r, data)
    extra = frozenset(r.texts(data, "", "extra_codes", codes=True))
    ambito, comuni = _ambito(r, data, load_ambiti() if ambiti is None else ambiti)
    allocation: Allocation | None = None
    if "allocation" in data or not r.template:
        allocation = r.choice(data, "", "allocation", Allocation, None)
    else:
        r.unset.append("allocation")
    interventions = _interventions(r, data)
    excluded = _excluded(r, data, interventions)
    known = Known(CANONICAL_IN_PLACE | extra, CANONICAL_DOCUMENTS | extra, frozenset(interventions))
    requirements = read_requirements(r, data, known)
    known = replace(known, has_isee=any(isinstance(q, IseeReq) for q in requirements))
    window = _window(r, data)
    total_cap = r.money(data, "", "total_cap")
    total_cap_cite = r.text(data, "", "total_cap_cite", required=total_cap is not None)
    if total_cap is None and total_cap_cite:
        r.fail("total_cap_cite", "c'è la citazione ma manca total_cap: aggiungilo o toglila")
    rankings = read_rankings(r, data, allocation, known)
    evaluation_unless, transmission_cite = _transmission(r, data, known)
    return Avviso(
        id=avviso_id,
        version=version,
        title=title,
        measure=measure,
        ambito=ambito,
        legal_basis=legal_basis,
        # A template without allocation gets a placeholder; "allocation" is in ``unset``.
        allocation=allocation or Allocation.SPORTELLO,
        comuni=comuni,
        extra_codes=extra,
        requirements=requirements,
        interventions=interventions,
        excluded=excluded,
        window=window,
        total_cap=total_cap,
        total_cap_cite=total_cap_cite,
        rankings=rankings,
        transmission_until=r.day(data, "", "transmission_until"),
        transmission_evaluation_unless=evaluation_unless,
        transmission_cite=transmission_cite,
        template=r.template,
        unset=tuple(r.unset),
    )


def file_name(avviso_id: str, version: str) -> str:
    """The file name of a version: ``<id>.toml`` for version 1, else ``<id>.v<version>.toml``."""
    return f"{avviso_id}.toml" if version == "1" else f"{avviso_id}.v{version}.toml"


@cache
def _all_versions(folder: Path | None) -> dict[str, dict[str, Avviso]]:
    root = folder or forms_dir()
    ambiti = load_ambiti(folder)
    found: dict[str, dict[str, Avviso]] = {}
    for path in sorted((root / "avvisi").glob("*.toml")):
        avviso = load_avviso(path, ambiti=ambiti)
        expected = file_name(avviso.id, avviso.version)
        if path.name != expected:
            raise UserFacingError(
                "definitions.invalid",
                file=path.name,
                key="id",
                what=(
                    f"id e versione chiedono il nome {expected}: rinomina il file o correggi "
                    "id/version (una nuova versione è un nuovo file, il vecchio resta)"
                ),
            )
        found.setdefault(avviso.id, {})[avviso.version] = avviso
    return found


def load_avvisi(folder: Path | None = None) -> dict[str, Avviso]:
    """The newest version of each avviso under ``<folder or forms>/avvisi``, by id; without
    ``folder``, with the definitions held in the store (``avviso_registry``) too."""
    found = {k: dict(v) for k, v in _all_versions(folder).items()}
    if folder is None:
        for held in held_all():
            found.setdefault(held.avviso.id, {})[held.avviso.version] = held.avviso
    return {avviso_id: versions[max(versions, key=int)] for avviso_id, versions in found.items()}


@cache
def _versions_of(avviso_id: str) -> dict[str, Avviso]:
    """Only the files of one avviso (``<id>.toml``, ``<id>.v<N>.toml``): a command about one
    avviso does not read and validate every other definition."""
    root = forms_dir() / "avvisi"
    paths = [root / f"{avviso_id}.toml", *sorted(root.glob(f"{avviso_id}.v*.toml"))]
    found: dict[str, Avviso] = {}
    for path in paths:
        if not path.is_file():
            continue
        avviso = load_avviso(path, ambiti=load_ambiti(None))
        if avviso.id == avviso_id and path.name == file_name(avviso.id, avviso.version):
            found[avviso.version] = avviso
    return found


def get_avviso(avviso_id: str, version: str | None = None) -> Avviso:
    """The newest version of an avviso, or the given one (to re-render an old evaluation)."""
    versions = _versions_of(avviso_id) if "/" not in avviso_id and avviso_id else {}
    held = held_versions(avviso_id)
    if not versions and not held:  # misnamed files and unknown ids: the full scan says why
        versions = _all_versions(None).get(avviso_id, {})
    versions = {**versions, **{v: h.avviso for v, h in held.items()}}
    if version is None:
        avviso = versions[max(versions, key=int)] if versions else None
    else:
        avviso = versions.get(version)
    if avviso is None:
        shown = avviso_id if version is None else f"{avviso_id}, versione {version}"
        raise UserFacingError("definitions.unknown_avviso", avviso=shown)
    return avviso
