#!/usr/bin/env bash
# Deno for the edge functions: runs in supabase/functions (its deno.json and lock file) and keeps
# the npm packages it fetches under .cache/deno (git-ignored), never in the user's home.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/supabase/functions"
DENO_DIR="$root/.cache/deno" exec "$root/node_modules/.bin/deno" "$@"
