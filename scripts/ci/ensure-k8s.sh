#!/usr/bin/env bash
# Builds (once) and caches the real Kubernetes control plane the consumer tests run against
# (test/support/k8s): kube-apiserver and etcd, compiled from their published Go modules, plus the small
# Go program in test/consumers/flux that runs Flux's own kustomize generator and server-side-apply code.
#
#   .cache/k8s/kube-apiserver-v<K8S_VERSION>/kube-apiserver
#   .cache/k8s/etcd-v<ETCD_VERSION>/etcd
#   .cache/k8s/flux-consumer-<sha of its go.mod, go.sum, *.go>/flux-consumer
#
# A cached binary is reused; a missing one is built into a temporary folder and renamed into place, so an
# interrupted build never leaves a half-written binary. Needs only `go` (1.26+, which fluxcd/pkg requires) and the Go
# module proxy. Cold (empty Go caches): measured 49 min on 2 cores shared with 7 other builds (etcd 267 s, kube-apiserver
# 2145 s, Flux program 531 s); on 2 idle cores about 10-15 min; warm: 0.5 s.
#
# kube-apiserver: k8s.io/kubernetes is not meant to be a dependency (its go.mod replaces every
# k8s.io/* staging module with ./staging/src/...), so a scratch module requires it and replaces each of
# those staging modules with its published v0.<minor>.<patch> tag. The version variables of
# k8s.io/component-base are set with -ldflags as the upstream build (hack/lib/version.sh) does; without them
# the server reports v0.0.0 and kubectl cannot parse its version.
# etcd: go.etcd.io/etcd/server/v3 is etcd's main package; its sibling modules (api, client, pkg) are
# required at the same published version instead of its ../api-style replaces.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
K8S_VERSION="${K8S_VERSION:-$(node -p "require('./test/support/k8s/versions.json').kubernetes" 2>/dev/null || echo 1.34.4)}"
ETCD_VERSION="${ETCD_VERSION:-$(node -p "require('./test/support/k8s/versions.json').etcd" 2>/dev/null || echo 3.6.16)}"
CACHE="${K8S_HARNESS_CACHE_DIR:-$ROOT/.cache/k8s}"
mkdir -p "$CACHE"
# One build at a time (test workers may call this script side by side): the others wait, then find the binaries.
exec 9>"$CACHE/.lock"
flock 9
command -v go >/dev/null || { echo "ensure-k8s: go 1.26+ is required on the PATH (fluxcd/pkg v1.41/v0.78 need it)"; exit 1; }
# The harness makes its throwaway CA and certificates with openssl.
command -v openssl >/dev/null || bash "$ROOT/scripts/ci/apt-install.sh" openssl
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=mod"
export CGO_ENABLED=0

log() { echo "ensure-k8s: $*"; }

# build_into <final-dir> <binary-name> <function that fills $work and builds $work/out/<binary>>
build_into() {
  local final="$1" bin="$2" fn="$3"
  if [ -x "$final/$bin" ]; then log "$bin cached at ${final#$ROOT/}"; return 0; fi
  local work
  work="$(mktemp -d "$CACHE/.build-$bin-XXXXXX")"
  local start=$SECONDS
  log "building $bin into ${final#$ROOT/} (cold: several minutes)"
  ( cd "$work" && "$fn" )
  mkdir -p "$work/final" && mv "$work/out/$bin" "$work/final/$bin"
  rm -rf "$final" && mv "$work/final" "$final"
  rm -rf "$work"
  log "built $bin in $((SECONDS - start)) s"
}

build_apiserver() {
  local minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
  local major="${K8S_VERSION%%.*}"
  local staging="0.${K8S_VERSION#*.}"
  go mod init k8s-harness-apiserver >/dev/null 2>&1
  go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" > dl.json
  local gomod
  gomod="$(node -p "require('./dl.json').GoMod")"
  # Every `k8s.io/X => ./staging/src/k8s.io/X` replace of k8s.io/kubernetes becomes `k8s.io/X => k8s.io/X v0.N.P`.
  local replaces
  replaces="$(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" | awk '{print $1}')"
  [ -n "$replaces" ] || { log "no staging replaces found in $gomod"; exit 1; }
  for m in $replaces; do go mod edit -replace "$m=$m@v$staging"; done
  go mod edit -require "k8s.io/kubernetes@v$K8S_VERSION"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >/dev/null 2>&1 || go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION"
  local pkg=k8s.io/component-base/version
  go build -trimpath -o out/kube-apiserver -ldflags "-s -w -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" k8s.io/kubernetes/cmd/kube-apiserver
}

build_etcd() {
  go mod init k8s-harness-etcd >/dev/null 2>&1
  local v="v$ETCD_VERSION"
  for m in go.etcd.io/etcd/server/v3 go.etcd.io/etcd/api/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/client/pkg/v3 go.etcd.io/etcd/pkg/v3; do
    go mod edit -require "$m@$v"
  done
  go get "go.etcd.io/etcd/server/v3@$v" >/dev/null 2>&1 || go get "go.etcd.io/etcd/server/v3@$v"
  go build -trimpath -o out/etcd -ldflags "-s -w" go.etcd.io/etcd/server/v3
}

FLUX_SRC="$ROOT/test/consumers/flux"
build_flux_consumer() {
  cp "$FLUX_SRC"/go.mod "$FLUX_SRC"/go.sum "$FLUX_SRC"/*.go .
  go build -trimpath -o out/flux-consumer -ldflags "-s -w" .
}

build_into "$CACHE/etcd-v$ETCD_VERSION" etcd build_etcd
build_into "$CACHE/kube-apiserver-v$K8S_VERSION" kube-apiserver build_apiserver
if [ -f "$FLUX_SRC/go.mod" ]; then
  FLUX_KEY="$(cat "$FLUX_SRC"/go.mod "$FLUX_SRC"/go.sum "$FLUX_SRC"/*.go | sha256sum | cut -c1-16)"
  build_into "$CACHE/flux-consumer-$FLUX_KEY" flux-consumer build_flux_consumer
fi
"$CACHE/kube-apiserver-v$K8S_VERSION/kube-apiserver" --version
"$CACHE/etcd-v$ETCD_VERSION/etcd" --version | head -n1
