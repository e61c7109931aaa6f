#!/usr/bin/env bash
# Checkov from PyPI in .venv-checkov (gitignored): test/examples/checkov.test.ts scans every example's dist with the real
# scanner (no failed check without an acknowledgement). Prints the path of the checkov binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION="${CHECKOV_VERSION:-3.3.30}"
if [ ! -x .venv-checkov/bin/checkov ] || [ "$(.venv-checkov/bin/checkov --version 2>/dev/null)" != "$VERSION" ]; then
  python3 -m venv .venv-checkov
  .venv-checkov/bin/pip install -q --disable-pip-version-check "checkov==$VERSION" >&2
fi
echo "$PWD/.venv-checkov/bin/checkov"
