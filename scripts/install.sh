#!/usr/bin/env bash
# Quick start, step one: everything NetDesk needs on a fresh Debian/Ubuntu machine with Node 20.19+.
set -euo pipefail
cd "$(dirname "$0")/.."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 19)) { console.error(`NetDesk needs Node 20.19 or newer (found ${process.versions.node})`); process.exit(1) }'
bash scripts/install-system-packages.sh
npm ci --no-audit --no-fund
npm run build --silent
