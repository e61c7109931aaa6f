#!/usr/bin/env bash
# The Kyverno CLI (kubectl-kyverno) built from the Go module proxy, cached under .cache/kyverno/<version>/; prints the
# binary's path. test/lib/policy/kyverno-cli.test.ts runs `kyverno apply` with the ClusterPolicies we emit.
# `go install github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno@<v>` is refused ("The go.mod file for the module
# providing named packages contains one or more replace directives"), so the build runs in a scratch module whose
# go.mod is Kyverno's own (the same requirements and replace directive) plus a requirement on Kyverno itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION="${KYVERNO_VERSION:-v1.19.1}"
DIR="$PWD/.cache/kyverno/$VERSION"
BIN="$DIR/kyverno"
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "go is required to build the Kyverno CLI" >&2; exit 1; }
  mkdir -p "$DIR/src"
  cd "$DIR/src"
  MOD="$(go mod download -json "github.com/kyverno/kyverno@$VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$MOD" ] || { echo "could not download github.com/kyverno/kyverno@$VERSION" >&2; exit 1; }
  sed -e 's#^module .*#module scratch/kyverno-cli#' "$MOD" > go.mod
  echo "require github.com/kyverno/kyverno $VERSION" >> go.mod
  # Cold: long (hundreds of packages: sigstore, cloud SDKs); bounded so a stuck build does not hang CI.
  GOFLAGS=-mod=mod timeout "${KYVERNO_BUILD_TIMEOUT:-3600}" go build -ldflags "-s -w" -o "$BIN.tmp" github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno >&2
  mv "$BIN.tmp" "$BIN"
fi
echo "$BIN"
