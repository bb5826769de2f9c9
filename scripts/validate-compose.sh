#!/usr/bin/env bash
# Validates docker-compose.yml (or the files given) with a real Compose implementation,
# without a Docker engine: `config` only parses, interpolates and checks the model.
#
#   scripts/validate-compose.sh [compose-file ...]
#
# Uses the first of:
#   1. `docker compose` (the Compose v2 CLI plugin), where it is installed;
#   2. `docker-compose` (Compose v1.29, Debian's `docker-compose` package), installed here with
#      apt-get when missing: no recommends, so no Docker engine comes with it.
# Variables come from `.env` as for `docker compose up`; on a clean clone (no `.env`, as in CI)
# from `.env.example`, so that required ones (${ADMIN_TOKEN:?…}) are set.
# Exits non-zero when a file is invalid or no validator can be had.
set -euo pipefail

cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(docker-compose.yml)

args=()
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "validate-compose: no such file: $f" >&2; exit 2; }
  args+=(-f "$f")
done

env_note=".env"
if [ ! -f .env ]; then
  [ -f .env.example ] || { echo "validate-compose: neither .env nor .env.example" >&2; exit 2; }
  args=(--env-file .env.example "${args[@]}")
  env_note=".env.example (no .env)"
fi

if docker compose version >/dev/null 2>&1; then
  validator=(docker compose)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "validate-compose: installing Debian's docker-compose (validator only)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1; then
      "${sudo[@]}" apt-get update -qq >/dev/null
      "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
    fi
  fi
  validator=(docker-compose)
fi

echo "validate-compose: $("${validator[@]}" version --short 2>/dev/null | head -n1) via '${validator[*]}': ${files[*]}, variables from ${env_note}"
"${validator[@]}" "${args[@]}" config -q
echo "validate-compose: OK"
