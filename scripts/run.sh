#!/usr/bin/env bash
# Set up (once) and run the coach on its embedded defaults; any arguments go to stretch-coach.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXTRAS=""
source "$ROOT/scripts/setup.sh"
if [ "$#" -eq 0 ]; then
    set -- routines
fi
exec "$VENV/bin/stretch-coach" "$@"
