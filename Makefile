# Builds the Lambda bundle for `sam build` (template.yaml: BuildMethod makefile): the
# handler, the skill package and the catalogue, plus the few packages Lambda lacks.
build-StretchCoachFunction:
	cp lambda/lambda_function.py "$(ARTIFACTS_DIR)/"
	cp -r skill content "$(ARTIFACTS_DIR)/"
	rm -rf "$(ARTIFACTS_DIR)/skill/__pycache__" "$(ARTIFACTS_DIR)"/skill/*/__pycache__
	python3 -m pip install --quiet --disable-pip-version-check --no-compile \
		--platform manylinux2014_x86_64 --implementation cp --python-version 3.11 \
		--only-binary=:all: --target "$(ARTIFACTS_DIR)" -r lambda/requirements.txt
