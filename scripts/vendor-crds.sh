#!/usr/bin/env bash
# Refreshes schemas/crds/ from the upstream CRDs in ../shared/crds (verbatim copies; each folder's SOURCE.md names
# the upstream tag and path). The published package validates `dist/` against schemas/crds (`synth validate`),
# so it needs no ../shared at run time. test/lib/schema/vendored-crds.test.ts fails when the copy is stale.
# Usage: bash scripts/vendor-crds.sh   (CRDS_DIR=/path/to/crds to copy from elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="${CRDS_DIR:-../shared/crds}"
DEST=schemas/crds
if [ ! -d "$SRC" ]; then
  echo "vendor-crds: $SRC not found (set CRDS_DIR to the folder holding the upstream CRDs)" >&2
  exit 1
fi
tmp="$(mktemp -d schemas/.crds.next-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
# A verbatim copy: every folder and file (SOURCE.md included), bytes unchanged.
cp -R "$SRC"/. "$tmp"/
rm -rf "$DEST"
mv "$tmp" "$DEST"
trap - EXIT
find "$DEST" -type f | sort
