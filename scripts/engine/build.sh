#!/usr/bin/env bash
# Builds the Pulumi engine from the Go module proxy into .cache/engine/bin (git-ignored):
# - the CLI, github.com/pulumi/pulumi/pkg/v3 at the version @pulumi/pulumi pins;
# - the Node.js language host from github.com/pulumi/pulumi/sdk/v3 v3.68.0, the last release
#   that kept it inside the SDK module: the proxy refuses its own module
#   (sdk/nodejs/cmd/pulumi-language-nodejs/v3, 403). It speaks the same gRPC protocol and runs
#   the pinned @pulumi/pulumi's own cmd/run, so programs run as under a matching host;
# - the dynamic-provider plugin, the script @pulumi/pulumi ships.
# The modules' go.mod and go.sum pin every version; a rebuild happens only when they or this change.
# A cold build downloads about 1.3 GB of modules and takes about 5 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/.cache/engine/bin"
stamp="$(cat "$0" "$here"/cli/go.{mod,sum} "$here"/language-host/go.{mod,sum} | sha256sum | cut -c1-16)"

pinned="$(node -p "require('$root/infra/package.json').dependencies['@pulumi/pulumi']")"
grep -q "github.com/pulumi/pulumi/pkg/v3 v$pinned\$" "$here/cli/go.mod" || {
  echo "engine: scripts/engine/cli/go.mod must require github.com/pulumi/pulumi/pkg/v3 v$pinned, as infra/package.json pins @pulumi/pulumi" >&2
  exit 1
}

command -v go >/dev/null || {
  echo "engine: Go 1.25.11 or newer is needed to build the Pulumi engine, and 'go' is not on PATH" >&2
  exit 1
}
if [[ "$(cat "$bin/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  exit 0
fi
echo "engine: building the Pulumi CLI $pinned and its Node.js language host"
rm -rf "$bin"
mkdir -p "$bin"
export GOFLAGS=-mod=readonly GOTOOLCHAIN=local
# Release builds stamp their version this way; without it the CLI reports none.
version_flag=-X=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
(cd "$here/cli" && go build -trimpath -ldflags "$version_flag=v$pinned" -o "$bin/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
(cd "$here/language-host" && go build -trimpath -ldflags "$version_flag=v3.68.0" \
  -o "$bin/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
cp "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/"
echo "$stamp" > "$bin/.stamp"
