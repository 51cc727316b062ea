#!/usr/bin/env bash
# Set up a fresh machine for Stretch Coach: espeak-ng for speech, a virtual environment,
# and the package. Sourced by run.sh and test.sh; EXTRAS picks the optional dependencies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${STRETCH_COACH_VENV:-$ROOT/.venv}"
EXTRAS="${EXTRAS:-}"

say() { printf 'stretch-coach setup: %s\n' "$*" >&2; }

install_speech() {
    # espeak-ng synthesises; aplay (alsa-utils) plays what it says aloud on Linux.
    local missing=()
    command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
    command -v aplay >/dev/null 2>&1 || missing+=(alsa-utils)
    [ "${#missing[@]}" -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            say "${missing[*]} missing and I cannot install without root."
            say "Install yourself (Debian/Ubuntu: sudo apt-get install ${missing[*]}) for spoken output."
            return 0
        fi
    fi
    if command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]} (local speech) with apt-get"
        # Speech is optional: a failed install (no network) must not stop the setup.
        { $sudo apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
            say "could not install ${missing[*]}; the coach runs, but without speaking aloud"
    else
        say "${missing[*]} missing; install with your package manager for spoken output."
    fi
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    say "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11"
    return 1
}

install_package() {
    local python
    python="$(find_python)"
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating a virtual environment in $VENV"
        "$python" -m venv "$VENV"
    fi
    # Reinstall only when pyproject.toml changes or an extra not yet installed is wanted, so
    # a second run of either command starts at once (the test setup's extras cover run's).
    local stamp="$VENV/.stretch-coach-installed"
    local hash
    hash="$(cksum < "$ROOT/pyproject.toml" | cut -d" " -f1)"
    local have
    have="$(cat "$stamp" 2>/dev/null || true)"
    local missing="" extra
    [ "${have%%-*}" = "$hash" ] || missing="yes"
    for extra in ${EXTRAS//,/ }; do
        case ",${have#*-}," in *",$extra,"*) ;; *) missing="yes" ;; esac
    done
    if [ -n "$missing" ]; then
        # Keep what an earlier run installed: pip adds extras, it never takes them away.
        local all="$EXTRAS"
        if [ "${have%%-*}" = "$hash" ]; then
            all="$(echo "${have#*-},$EXTRAS" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)"
        fi
        say "installing Stretch Coach${all:+ with [$all]}"
        "$VENV/bin/python" -m pip install -qq --upgrade pip
        "$VENV/bin/python" -m pip install -qq -e "$ROOT${all:+[$all]}" 2> >(grep -v -e '^WARNING: Location' >&2)
        echo "$hash-$all" > "$stamp"
    fi
}

install_speech
install_package
