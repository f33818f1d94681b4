#!/usr/bin/env bash
# Install usmca with its test dependencies (and Debian's chromium for the browser test), check the
# architecture contracts and the formatting, then run the whole test suite. Used by the README's
# Quick start and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
bash .ci/install-browser.sh
# The layers and forbidden imports of docs/architecture.md ([tool.importlinter] in pyproject.toml).
.venv/bin/lint-imports
.venv/bin/ruff format --check src tests bench scripts
.venv/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
