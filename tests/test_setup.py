"""scripts/setup.sh: what it installs for speech, run with stand-ins for the system's tools."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[1] / "scripts" / "setup.sh"


def install_speech(tmp_path: Path, have: list[str], apt_fails: bool = False) -> tuple[str, str]:
    """Run setup.sh's install_speech as root with only `have` installed; (apt calls, said)."""
    text = SETUP.read_text(encoding="utf-8")
    match = re.search(r"^install_speech\(\) \{.*?^\}", text, re.S | re.M)
    assert match, "setup.sh has no install_speech function"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    stubs = {"id": "echo 0", "apt-get": f'echo "$@" >> {calls}; exit {int(apt_fails)}'}
    stubs |= {name: "true" for name in have}
    for name, body in stubs.items():
        stub = bin_dir / name
        stub.write_text(f"#!/bin/bash\n{body}\n")
        stub.chmod(0o755)
    script = f'say() {{ echo "$*" >&2; }}\n{match.group(0)}\ninstall_speech\n'
    done = subprocess.run(["/bin/bash", "-c", script], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (calls.read_text() if calls.exists() else ""), done.stderr


@pytest.mark.parametrize(
    ("have", "installs"),
    [([], ["espeak-ng", "alsa-utils"]), (["espeak-ng"], ["alsa-utils"]),
     (["aplay"], ["espeak-ng"]), (["espeak-ng", "aplay"], [])],
)  # fmt: skip
def test_setup_installs_aplay_where_it_installs_espeak(
    tmp_path: Path, have: list[str], installs: list[str]
) -> None:
    calls, _ = install_speech(tmp_path, have)
    installed = [line for line in calls.splitlines() if line.startswith("install")]
    if installs:
        assert installed == [f"install -y -qq {' '.join(installs)}"]
    else:
        assert calls == ""


def test_a_failed_speech_install_does_not_stop_the_setup(tmp_path: Path) -> None:
    _, said = install_speech(tmp_path, [], apt_fails=True)
    assert "could not install espeak-ng alsa-utils" in said
