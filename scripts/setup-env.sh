#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment and install caseworker into it.
# Sourced by start.sh and test.sh; needs only Python >= 3.11 with pip and venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
VENV="$ROOT/.venv"

# Debian packages the Qt libraries load at run time (present on most desktops). Installed only
# when missing, and only when we are root with apt-get (a CI or fresh container).
apt_install_missing() {
  local missing=()
  command -v dpkg-query >/dev/null 2>&1 || return 0
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo ">> installing Debian packages: ${missing[*]}" >&2
    # Wait (up to 10 minutes) for the package manager's lock when the system is updating
    # itself, instead of failing at once.
    local lock=(-o DPkg::Lock::Timeout=600)
    DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo ">> note: these system packages may be needed: ${missing[*]} (install them as root)" >&2
  fi
}

# shellcheck disable=SC2086  # CASEWORKER_APT_EXTRA is a list of package names
apt_install_missing libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
  ${CASEWORKER_APT_EXTRA:-}

if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating virtual environment in .venv" >&2
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
echo ">> installing caseworker and its dependencies" >&2
"$VENV/bin/python" -m pip install --quiet -e "$ROOT[${CASEWORKER_EXTRAS:-dev}]"
