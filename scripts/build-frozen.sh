#!/usr/bin/env bash
# Build the frozen one-folder application (dist/caseworker/) with caseworker.spec, then prove it:
# the console command's self-test, and the desktop application started offscreen until its
# first window (the login window on an existing store, the setup wizard on none) is shown.
#   bash scripts/build-frozen.sh              set up (the "freeze" extra), build, check
#   bash scripts/build-frozen.sh --no-setup   the virtualenv is ready (scripts/test.sh)
# On Windows the same spec builds what installer.iss packs (see README, "Windows installer").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${1:-}" != "--no-setup" ]; then
  CASEWORKER_EXTRAS="${CASEWORKER_EXTRAS:-freeze}" bash scripts/setup-env.sh
fi
BIN="$ROOT/.venv/bin"
DIST="$ROOT/dist/caseworker"
LOG="$ROOT/build/pyinstaller.log"
mkdir -p "$ROOT/build"

echo ">> pyinstaller caseworker.spec (log: build/pyinstaller.log)"
started=$(date +%s)
if ! "$BIN/pyinstaller" --noconfirm --clean --log-level WARN caseworker.spec >"$LOG" 2>&1; then
  tail -n 60 "$LOG" >&2
  echo "!! the frozen build failed (whole log: build/pyinstaller.log)" >&2
  exit 1
fi
echo ">> built dist/caseworker in $(($(date +%s) - started)) s, $(du -sm "$DIST" | cut -f1) MiB"

# The checks run with a private home, settings and data folder: nothing of the user's is read
# or written, and the frozen folder itself must stay untouched (tests/e2e/test_frozen_build.py).
WORK="$(mktemp -d "${TMPDIR:-/tmp}/caseworker-frozen-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
export XDG_CACHE_HOME="$WORK/cache" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"
unset CASEWORKER_STORE CASEWORKER_PASSWORD CASEWORKER_OPERATOR CASEWORKER_FORMS \
  CASEWORKER_RESOURCES

echo ">> dist/caseworker/caseworker self-test"
if ! (cd "$WORK" && timeout 300 "$DIST/caseworker" self-test --json >"$WORK/self-test.json"); then
  cat "$WORK/self-test.json" >&2 || true
  echo "!! the frozen self-test failed" >&2
  exit 1
fi

echo ">> dist/caseworker/caseworker-app, offscreen: setup wizard, then login window"
CASEWORKER_PASSWORD="autodiagnosi-frozen-build" timeout 120 "$DIST/caseworker" init \
  --store "$WORK/store" --role comune --ambito abbiatense --comune A010 --operator prova \
  --keystore file --json >/dev/null
for store in "$WORK/no-store" "$WORK/store"; do
  shown=$(cd "$WORK" && CASEWORKER_EXIT_WHEN_SHOWN=1 timeout 120 \
    "$DIST/caseworker-app" --store "$store" 2>"$WORK/gui.err") || {
    cat "$WORK/gui.err" >&2
    echo "!! the frozen application did not start (store: ${store##*/})" >&2
    exit 1
  }
  if [ "$shown" != "shown" ]; then
    cat "$WORK/gui.err" >&2
    echo "!! the frozen application ended without showing its window: $shown" >&2
    exit 1
  fi
done
echo ">> the frozen build works: dist/caseworker/"
