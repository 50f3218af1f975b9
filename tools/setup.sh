#!/usr/bin/env bash
# Installs what the build, the demo and the tests need on a fresh machine: Debian's Gradle and
# mariadb client, the Rust components rustfmt and clippy, and the jars of the Flink distribution
# (from PyPI).
# Idempotent; prints nothing when everything is there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

for tool in cargo java python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup: '$tool' is required but not installed" >&2
    exit 1
  fi
done

# Debian packages: Gradle for the build, the mariadb client for the emulator's MySQL tests.
missing=()
command -v gradle >/dev/null 2>&1 || missing+=(gradle)
command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (Debian packages)..." >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "setup: installing rust component $component..." >&2
    rustup component add "$component" >&2
  fi
done

"$root/tools/fetch-flink.sh" "${FLINK_VERSION:-1.18.1}" >/dev/null
