#!/usr/bin/env bash
# Makes sure Debian's chromium exists for the lineage-page test (test/lib/graph/html.test.ts drives it with
# playwright-core). Installs it with apt-get when missing (needs root, as on CI); does nothing otherwise.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "ensure-chromium: $(chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
echo "ensure-chromium: installing chromium"
bash "$(dirname "$0")/apt-install.sh" chromium
chromium --version | head -n1
