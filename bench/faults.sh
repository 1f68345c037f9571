#!/usr/bin/env bash
# Fault test: restart a throwaway PostgreSQL (port 5544, never the shared one) under load and
# show that the site answers 503 meanwhile and recovers by itself. Details: bench/faults.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "No .venv: run 'make install' first."; exit 1; }
exec .venv/bin/python bench/faults.py "$@"
