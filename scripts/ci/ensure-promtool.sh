#!/usr/bin/env bash
# Makes sure Prometheus's `promtool` exists for the alert-rule tests (test/constructs/monitoring): they run
# `promtool check rules` and `promtool test rules` on the PrometheusRule objects our constructs generate.
#
# promtool is built from source through the Go module proxy (github.com/prometheus/prometheus/cmd/promtool,
# module version v0.3XX.Y = Prometheus v3.XX.Y) and cached in .cache/promtool/<module version>/promtool,
# like the Kafka jars in .cache/kafka/<version>/. Prints the binary's path on its last line of stdout.
# A second run finds the cached binary and does nothing. `.ci/run` calls this script before the tests.
#
#   PROMTOOL_VERSION   module version to build (default below; keep test/support/promtool.ts in step)
set -euo pipefail
cd "$(dirname "$0")/../.."

version="${PROMTOOL_VERSION:-v0.316.0}"
dir=".cache/promtool/${version}"
bin="${dir}/promtool"

if [ -x "$bin" ]; then
  echo "ensure-promtool: promtool ${version} (module version; go install leaves the binary's --version blank) cached in ${dir}" >&2
  echo "$PWD/$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  # Debian's Go; its `go` fetches the toolchain Prometheus's go.mod asks for from the module proxy (GOTOOLCHAIN=auto).
  echo "ensure-promtool: installing golang-go" >&2
  bash scripts/ci/apt-install.sh golang-go ca-certificates
fi

echo "ensure-promtool: building promtool ${version} with $(go version) (takes a few minutes once)" >&2
tmp="$(mktemp -d "${TMPDIR:-/tmp}/promtool-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
# CGO off: a static binary that does not depend on the build machine's libc. -trimpath: no local paths inside.
CGO_ENABLED=0 GOBIN="$tmp" GOFLAGS=-mod=mod go install -trimpath \
  "github.com/prometheus/prometheus/cmd/promtool@${version}" >&2
mkdir -p "$dir"
mv "$tmp/promtool" "$bin.partial"   # same filesystem as $bin: the rename below is atomic
mv "$bin.partial" "$bin"
echo "ensure-promtool: built promtool ${version} in $(( $(date +%s) - start ))s" >&2
echo "$PWD/$bin"
