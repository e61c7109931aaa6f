#!/usr/bin/env bash
# Makes sure `java` (17+) and `mvn` exist for the Kafka test harness (test/support/kafka).
# The harness runs a real Apache Kafka broker from the official jars, which it resolves with
# Maven by artifact coordinates into .cache/kafka/<version>/. `.ci/run` should call this script
# before the tests. Installs Debian's openjdk-17-jre-headless and maven with apt-get when either
# tool is missing (needs root, as on CI); does nothing when both are present.
set -euo pipefail

java_ok() {
  command -v java >/dev/null 2>&1 || return 1
  # `java -version` prints e.g. 'openjdk version "17.0.15"' (or "1.8.0_x" for old ones) on stderr.
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1)"
  [ -n "$v" ] && [ "$v" -ge 17 ]
}

missing=()
java_ok || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-java: java and mvn present ($(java -version 2>&1 | head -n1); $(mvn -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g'))"
  exit 0
fi

echo "ensure-java: installing ${missing[*]}"
bash "$(dirname "$0")/../ci/apt-install.sh" "${missing[@]}"
java -version 2>&1 | head -n1
mvn -v 2>/dev/null | head -n1
