#!/usr/bin/env bash
# Set up (once) and run the whole test suite: ruff, mypy and pytest; arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXTRAS="dev,listen"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
# pytest exits 5 when it collects nothing; that is a failure here, as any non-zero exit is.
exec "$VENV/bin/python" -m pytest "$@"
