#!/usr/bin/env bash
# Set up (once) and run the coach on its embedded defaults: the skill endpoint on
# http://127.0.0.1:8080/ with the SQLite store, for trying locally (curl, `chat`): loopback
# only, without Alexa request verification, which needs SKILL_ID and a public HTTPS proxy.
# Any arguments go to stretch-coach instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXTRAS="listen"
source "$ROOT/scripts/setup.sh"
if [ "$#" -eq 0 ]; then
    "$VENV/bin/stretch-coach" routines
    set -- serve --no-verify --host 127.0.0.1
fi
exec "$VENV/bin/stretch-coach" "$@"
