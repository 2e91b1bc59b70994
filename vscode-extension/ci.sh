#!/usr/bin/env bash
# CI for the VS Code extension: install from the lock file, build, test (incl. packaging the .vsix).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
npm run compile
npm test
