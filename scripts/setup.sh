#!/usr/bin/env bash
# Everything the tests need on a fresh Debian 12 machine: system packages, the npm workspaces,
# then the Python lint and test tools, the real Kokoro weights and the Pulumi engine built from
# its Go modules (.cache/, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql-15 postgresql-15-cron chromium python3-venv)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# .npmrc says the same; the variable also works where npm stops passing unknown .npmrc keys.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
bash scripts/python-env.sh
bash scripts/kokoro-weights.sh
bash scripts/engine/build.sh
