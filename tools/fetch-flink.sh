#!/usr/bin/env bash
# Fetches the jars of a Flink distribution (from PyPI's apache-flink-libraries, which carries
# lib/, opt/ and bin/ of the binary distribution: deps/ in the sdists, pyflink/ in the wheels that
# newer releases ship) and prints the directory that holds lib/, opt/ and bin/. Downloads are
# cached in ~/.cache/starrocks-flink.
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

cache="${XDG_CACHE_HOME:-$HOME/.cache}/starrocks-flink/$version"
mkdir -p "$cache"
archive=$(ls "$cache"/apache[-_]flink[-_]libraries-"$version"[.-]* 2>/dev/null | head -n 1 || true)
if [ -z "$archive" ]; then
  echo "fetching Flink $version jars from PyPI (apache-flink-libraries, ~300 MB)..." >&2
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps "apache-flink-libraries==$version" -d "$tmp" >&2
  file=$(ls "$tmp"/apache[-_]flink[-_]libraries-"$version"[.-]*)
  mv "$file" "$cache/"
  rm -rf "$tmp"
  archive="$cache/$(basename "$file")"
fi

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
case "$archive" in
  *.whl) python3 -m zipfile -e "$archive" "$unpacked" ;;
  *.tar.gz) tar -xzf "$archive" -C "$unpacked" ;;
  *) echo "fetch-flink: unexpected archive $archive" >&2; exit 1 ;;
esac
lib=$(find "$unpacked" -type d \( -path '*/deps/lib' -o -path '*/pyflink/lib' \) | head -n 1)
if [ -z "$lib" ] || ! ls "$lib"/flink-dist-*.jar >/dev/null 2>&1; then
  echo "fetch-flink: no lib/flink-dist-*.jar in $archive" >&2
  exit 1
fi
home=$(dirname "$lib")
rm -rf "$dest"
mkdir -p "$dest"
for d in lib opt bin; do
  cp -r "$home/$d" "$dest/$d"
done
touch "$dest/.complete"
echo "$dest"
