#!/usr/bin/env bash
# Makes sure Debian's chromium exists for the lineage-page test (test/lib/graph/html.test.ts drives it with
# playwright-core). Installs it with apt-get when missing (needs root, as on CI); does nothing otherwise.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "ensure-chromium: $(chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
echo "ensure-chromium: installing chromium"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version | head -n1
