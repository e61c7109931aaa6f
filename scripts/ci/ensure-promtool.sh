#!/usr/bin/env bash
# Makes sure Prometheus's `promtool` (and, with the argument `amtool`, Alertmanager's `amtool`) exists for the alert
# tests (test/constructs/kafka, test/constructs/monitoring): they run `promtool check rules` and `promtool test rules`
# on the PrometheusRule objects our constructs generate, and `amtool config routes test` on the Alertmanager routing
# tree the Prometheus Operator builds from our AlertmanagerConfigs.
#
# Each tool is built from source through the Go module proxy and cached in .cache/<tool>/<module version>/<tool>, like
# the Kafka jars in .cache/kafka/<version>/:
#   promtool  github.com/prometheus/prometheus/cmd/promtool  (module version v0.3XX.Y = Prometheus v3.XX.Y)
#   amtool    github.com/prometheus/alertmanager/cmd/amtool
# Prints the binary's path on its last line of stdout. A second run finds the cached binary and does nothing.
# `.ci/run` calls this script before the tests.
#
#   ensure-promtool.sh [promtool|amtool]
#   PROMTOOL_VERSION / AMTOOL_VERSION   module versions to build (defaults below; keep test/support/promtool.ts in step)
set -euo pipefail
cd "$(dirname "$0")/../.."

tool="${1:-promtool}"
case "$tool" in
  promtool) version="${PROMTOOL_VERSION:-v0.316.0}"; pkg="github.com/prometheus/prometheus/cmd/promtool" ;;
  amtool)   version="${AMTOOL_VERSION:-v0.34.1}";    pkg="github.com/prometheus/alertmanager/cmd/amtool" ;;
  *) echo "ensure-promtool: unknown tool '$tool' (promtool or amtool)" >&2; exit 2 ;;
esac
dir=".cache/${tool}/${version}"
bin="${dir}/${tool}"

if [ -x "$bin" ]; then
  echo "ensure-promtool: ${tool} ${version} (module version; go install leaves the binary's --version blank) cached in ${dir}" >&2
  echo "$PWD/$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  # Debian's Go; its `go` fetches the toolchain Prometheus's go.mod asks for from the module proxy (GOTOOLCHAIN=auto).
  echo "ensure-promtool: installing golang-go" >&2
  bash scripts/ci/apt-install.sh golang-go ca-certificates
fi

echo "ensure-promtool: building ${tool} ${version} with $(go version) (takes a few minutes once)" >&2
tmp="$(mktemp -d "${TMPDIR:-/tmp}/${tool}-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
# CGO off: a static binary that does not depend on the build machine's libc. -trimpath: no local paths inside.
CGO_ENABLED=0 GOBIN="$tmp" GOFLAGS=-mod=mod go install -trimpath \
  "${pkg}@${version}" >&2
mkdir -p "$dir"
mv "$tmp/${tool}" "$bin.partial"   # same filesystem as $bin: the rename below is atomic
mv "$bin.partial" "$bin"
echo "ensure-promtool: built ${tool} ${version} in $(( $(date +%s) - start ))s" >&2
echo "$PWD/$bin"
