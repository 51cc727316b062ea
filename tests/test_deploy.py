"""The SAM template: cfn-lint clean, wired as intended, and a built bundle that answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import tool

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, !GetAtt) read as plain values."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)  # type: ignore[arg-type]
    return {suffix: value}


_CfnLoader.add_multi_constructor("!", _tag)


def template() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)
    return data


def test_cfn_lint_is_clean() -> None:
    result = subprocess.run(
        [tool("cfn-lint"), str(TEMPLATE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_function_is_wired_to_the_skill_and_the_table() -> None:
    resources = template()["Resources"]
    function = resources["StretchCoachFunction"]["Properties"]
    assert function["Runtime"] == "python3.11"
    assert function["Handler"] == "lambda_function.lambda_handler"
    assert function["Timeout"] < 8  # Alexa's deadline
    assert function["Events"]["AlexaSkill"] == {
        "Type": "AlexaSkill",
        "Properties": {"SkillId": {"Ref": "SkillId"}},
    }
    env = function["Environment"]["Variables"]
    assert env["STRETCH_COACH_STORE"] == {"Sub": "dynamodb://${PeopleTable}"}
    [statement] = function["Policies"][0]["Statement"]
    assert sorted(statement["Action"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem",
                                           "dynamodb:PutItem"]  # fmt: skip
    assert statement["Resource"] == {"GetAtt": "PeopleTable.Arn"}


def test_table_is_on_demand_with_ttl_and_recovery() -> None:
    table = template()["Resources"]["PeopleTable"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_sam_build_makes_a_bundle_that_answers_a_launch_request(tmp_path: Path) -> None:
    build = tmp_path / "build"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "SAM_CLI_CONTACT_TRACKING": "0"}
    result = subprocess.run(
        [tool("sam"), "build", "--template", str(TEMPLATE), "--build-dir", str(build)],
        cwd=REPO, capture_output=True, text=True, check=False, env=env, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    bundle = build / "StretchCoachFunction"
    assert (bundle / "lambda_function.py").is_file()
    assert (bundle / "content" / "routines.yaml").is_file()
    assert (bundle / "content" / ".parsed.json").is_file()  # no YAML parsing at cold start
    assert (bundle / "skill" / "alexa" / "locale" / ".parsed.json").is_file()
    assert not (bundle / "tests").exists() and not (bundle / ".venv").exists()
    # Packaging and its imaging library stay on the deployer's machine.
    assert not (bundle / "skill" / "package").exists() and not (bundle / "PIL").exists()
    # Import the handler from the bundle alone: only boto3 comes from outside, as on Lambda.
    probe = f"""
import json, sys
sys.path.insert(0, {str(bundle)!r})
import lambda_function, skill, ask_sdk_core, yaml
for module in (skill, ask_sdk_core, yaml):
    assert module.__file__.startswith({str(bundle)!r}), module.__file__
event = json.load(open({str(REPO / "tests" / "envelopes" / "launch.json")!r}))
print(json.dumps(lambda_function.lambda_handler(event, None)))
"""
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
        check=False, env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
                          "STRETCH_COACH_STORE": "memory://"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    response = json.loads(run.stdout)["response"]
    assert "Welcome to Stretch Coach" in response["outputSpeech"]["ssml"]
    assert response["shouldEndSession"] is False
