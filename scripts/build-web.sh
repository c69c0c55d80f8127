#!/usr/bin/env bash
# Builds the web UI (web/) into web/dist, which the server serves at /: installs the UI packages
# with `npm ci` from the committed lock file when it changed, and rebuilds when a source changed.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "building the web UI needs Node.js >= 20 with npm (https://nodejs.org); not found" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if ((major < 20)); then
  echo "building the web UI needs Node.js >= 20; found $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "installing the web UI's packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

sources=$(find src index.html package-lock.json tsconfig.json vite.config.ts -type f -newer dist/index.html 2> /dev/null | head -1 || true)
if [[ ! -f dist/index.html || -n $sources ]]; then
  echo "building the web UI (web/dist)"
  npm run --silent build > /dev/null
fi
