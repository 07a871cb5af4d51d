#!/usr/bin/env bash
# Set up and start the application. On first start a wizard creates the encrypted local store.
#   bash scripts/start.sh                 your store (default location, see README)
#   bash scripts/start.sh --demo          a demo store with synthetic cases in ./data/demo-store
# Other arguments go to caseworker-app (e.g. --store DIR).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CASEWORKER_EXTRAS=dev bash scripts/setup-env.sh
BIN="$ROOT/.venv/bin"

args=()
if [ "${1:-}" = "--demo" ]; then
  shift
  DEMO="$ROOT/data/demo-store"
  export CASEWORKER_PASSWORD="${CASEWORKER_PASSWORD:-demo-caseworker}"
  if [ ! -f "$DEMO/store.json" ]; then
    "$BIN/caseworker" init --store "$DEMO" --role comune --ambito abbiatense --comune A010 \
      --operator demo --full-name "Operatore dimostrativo" >/dev/null
    "$BIN/caseworker" demo --store "$DEMO" --cases 500 --seed 1
  fi
  echo ">> demo store: $DEMO  (utente: demo, password: $CASEWORKER_PASSWORD)"
  unset CASEWORKER_PASSWORD
  args+=(--store "$DEMO" --operator demo)
fi

# A Linux machine without a screen (a container, a server): run the window on a virtual one.
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
   && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && ! command -v xvfb-run >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends xvfb xauth \
      libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 \
      libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 >/dev/null
  fi
  if command -v xvfb-run >/dev/null 2>&1; then
    echo ">> no screen found: starting on a virtual screen (xvfb-run)" >&2
    exec xvfb-run -a -s "-screen 0 1366x768x24" "$BIN/caseworker-app" "${args[@]}" "$@"
  fi
  echo ">> no screen found and xvfb-run is not available: starting offscreen" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec "$BIN/caseworker-app" "${args[@]}" "$@"
