#!/usr/bin/env bash
# The Python test and lint tools (zizmor, huggingface_hub) in .cache/python, from the pinned,
# hashed scripts/python/requirements.txt; a second run with the same file does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=scripts/python/requirements.txt
venv=.cache/python
stamp="$venv/requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)

if [[ -x $venv/bin/python && -f $stamp && $(<"$stamp") == "$want" ]]; then
  exit 0
fi
echo "setup: Python tools into $venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
  --only-binary=:all: -r "$requirements"
echo "$want" >"$stamp"
