# Builds the Lambda bundle for `sam build` (template.yaml: BuildMethod makefile): the
# handler, the skill package and the catalogue, plus the few packages Lambda lacks.
build-StretchCoachFunction:
	cp lambda/lambda_function.py "$(ARTIFACTS_DIR)/"
	cp -r skill content "$(ARTIFACTS_DIR)/"
	find "$(ARTIFACTS_DIR)/skill" "$(ARTIFACTS_DIR)/content" \
		\( -name __pycache__ -o -name '.parsed*' \) -prune -exec rm -rf {} +
	# Packaging the skill (and Pillow, which it needs) happens on a deployer's machine.
	rm -rf "$(ARTIFACTS_DIR)/skill/package"
	python3 -m pip install --quiet --disable-pip-version-check --no-compile \
		--platform manylinux2014_x86_64 --implementation cp --python-version 3.11 \
		--only-binary=:all: --target "$(ARTIFACTS_DIR)" -r lambda/requirements.txt
	# Parse the YAML once here, so a cold start reads JSON and never loads a YAML parser.
	cd "$(ARTIFACTS_DIR)" && PYTHONPATH=. python3 -c \
		"from skill.content import load_catalogue; from skill.alexa.prompts import prompts_for; load_catalogue(); prompts_for('en')"
	test -f "$(ARTIFACTS_DIR)/content/.parsed.json"
