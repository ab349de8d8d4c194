#!/bin/sh
# Regenerates the "Results" section of README.md (between <!-- results:begin --> and
# <!-- results:end -->) from a run of the benchmark harness; nothing else in README.md changes.
#
#   swift run -c release AutoscalingBenchmarks all --json results.json --html scoreboard.html
#   Scripts/update-readme-results.sh results.json [README.md]
#
# When the markers are missing, a "## Results" section holding them is inserted before
# "## Project status" (or appended at the end).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 RUN.json [README.md]" >&2
  exit 2
fi
json=$1
readme=${2:-README.md}
[ -f "$json" ] || { echo "$0: $json not found; run AutoscalingBenchmarks all --json $json first" >&2; exit 2; }
[ -f "$readme" ] || { echo "$0: $readme not found" >&2; exit 2; }

section=$(mktemp)
output=$(mktemp)
trap 'rm -f "$section" "$output"' EXIT

# Rendering needs no speed: any build of the harness will do (AUTOSCALING_BENCHMARKS=path).
binary=${AUTOSCALING_BENCHMARKS:-.build/release/AutoscalingBenchmarks}
if [ ! -x "$binary" ]; then
  swift build -c release --product AutoscalingBenchmarks >&2
fi
"$binary" markdown "$json" > "$section"

if ! grep -q '<!-- results:begin -->' "$readme" || ! grep -q '<!-- results:end -->' "$readme"; then
  awk '
    !done && /^## Project status/ {
      print "## Results"; print ""; print "<!-- results:begin -->"; print "<!-- results:end -->"; print ""
      done = 1
    }
    { print }
    END {
      if (!done) { print ""; print "## Results"; print ""; print "<!-- results:begin -->"; print "<!-- results:end -->" }
    }' "$readme" > "$output"
  cp "$output" "$readme"
fi

awk -v section="$section" '
  /<!-- results:begin -->/ {
    print
    while ((getline line < section) > 0) print line
    skipping = 1
    next
  }
  /<!-- results:end -->/ { skipping = 0 }
  !skipping { print }' "$readme" > "$output"
cp "$output" "$readme"
echo "updated the Results section of $readme from $json"
