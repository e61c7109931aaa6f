#!/usr/bin/env bash
# Installs Debian packages by name with apt-get (sudo when not root): `apt-install.sh PKG...`.
# Shared by the ensure-* scripts that .ci/run calls on a fresh machine.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
