#!/bin/bash
# Renders an `autoscale replay --report` HTML file in headless Chromium and saves a PNG, to check
# that the report displays in a real browser (inline SVG, no scripts, no network).
#
#   Scripts/report-screenshot.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]
#
# Needs Debian's chromium package: apt-get install -y chromium
set -euo pipefail
report=${1:?usage: Scripts/report-screenshot.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]}
out=${2:-${report%.html}.png}
width=${3:-1200}
height=${4:-2600}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "error: no Chromium found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
[ -f "$report" ] || { echo "error: $report does not exist" >&2; exit 1; }
absolute=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$width,$height" --screenshot="$out" "file://$absolute" >/dev/null 2>&1
[ -s "$out" ] || { echo "error: Chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
