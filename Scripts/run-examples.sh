#!/bin/bash
# Builds and runs every program under Examples/ (debug), failing if one fails.
# Each directory Examples/<Name> is the executable target <Name>Example in Package.swift.
#
# Usage: Scripts/run-examples.sh [--skip-build]   (prints each example's output)
set -euo pipefail
cd "$(dirname "$0")/.."

skip_build=0
[[ "${1:-}" == "--skip-build" ]] && skip_build=1   # when `swift build` already built them

for directory in Examples/*/; do
  target="$(basename "$directory")Example"
  if [[ $skip_build == 0 ]] && ! log="$(swift build --product "$target" 2>&1)"; then
    printf '%s\n' "$log" >&2; echo "error: $target does not build" >&2; exit 1
  fi
  [[ $skip_build == 0 ]] && { printf '%s\n' "$log" | grep -E 'warning: ' >&2 || true; }
  echo "== swift run $target"
  swift run --skip-build "$target" || { echo "error: $target failed" >&2; exit 1; }
done
