#!/usr/bin/env bash
# Fetches the jars of a Flink distribution (from PyPI's apache-flink-libraries, which carries
# deps/lib, deps/opt and deps/bin of the binary distribution) and prints the directory that holds
# lib/, opt/ and bin/. Downloads are cached in ~/.cache/starrocks-flink.
#
#   tools/fetch-flink.sh [version]        default 1.18.1; result: build/flink/<version>
set -euo pipefail

version=${1:-1.18.1}
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/build/flink/$version"
if [ -f "$dest/.complete" ]; then
  echo "$dest"
  exit 0
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/starrocks-flink"
mkdir -p "$cache"
tarball="$cache/apache-flink-libraries-$version.tar.gz"
if [ ! -s "$tarball" ]; then
  echo "fetching Flink $version jars from PyPI (apache-flink-libraries, ~230 MB)..." >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --no-binary :all: \
    "apache-flink-libraries==$version" -d "$tmp" >&2
  mv "$tmp"/apache[-_]flink[-_]libraries-"$version".tar.gz "$tarball"
fi

rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest" --strip-components=2 \
  "apache-flink-libraries-$version/deps/lib" \
  "apache-flink-libraries-$version/deps/opt" \
  "apache-flink-libraries-$version/deps/bin"
touch "$dest/.complete"
echo "$dest"
