#!/usr/bin/env bash
# Set up and run every quality gate and the whole test suite, headless.
#   bash scripts/test.sh            (extra arguments go to pytest)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# qpdf checks every generated PDF; poppler-utils renders pages to look at them; zbar-tools
# decodes the page QR codes from a rendered scan; softhsm2 is the software smart card the
# PKCS#11 signature tests sign with; age is the standard tool that must open our transfer files
# with the recipient's identity; LibreOffice (calc, headless) must read our spreadsheets.
# In CI a test whose tool is missing fails (tests/tools.py).
CASEWORKER_EXTRAS=dev,freeze CASEWORKER_APT_EXTRA="qpdf poppler-utils zbar-tools softhsm2 age libreoffice-calc-nogui" \
  bash scripts/setup-env.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
BIN="$ROOT/.venv/bin"

echo ">> ruff (lint and format)"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
echo ">> mypy --strict caseworker_app"
"$BIN/mypy" caseworker_app
echo ">> import contracts"
"$BIN/lint-imports"
# The frozen one-folder app (PyInstaller, the spec the Windows installer packs): built here
# and proved by its own self-test and a start of its window; tests/e2e/test_frozen_build.py
# then checks it against installer.iss, and the benchmarks time its start.
echo ">> frozen build (scripts/build-frozen.sh)"
bash scripts/build-frozen.sh --no-setup
echo ">> pytest"
"$BIN/pytest" "$@"
echo ">> benchmarks (quick run, so they cannot rot)"
"$BIN/python" bench/run.py --quick --json
