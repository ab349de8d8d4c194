#!/bin/bash
# Builds and runs one libFuzzer target: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]
# Targets: quantity manifest csv prometheus public-traces space (see Tests/Fuzz/README.md).
# The modules are built with -sanitize=fuzzer,address into .build-fuzz/; crashes are written
# to .build-fuzz/crashes/TARGET/ and the corpus kept in .build-fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]}
seconds=${2:?usage: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]}
shift 2
entry="Tests/Fuzz/$target.swift"
[ -f "$entry" ] || { echo "error: no fuzz target '$target' (no $entry)" >&2; exit 2; }

case "$target" in
  quantity) module=AutoscalingCore; modules=(AutoscalingCore) ;;
  space) module=AutoscalingTuning
    modules=(AutoscalingCore HorizontalAutoscaling VerticalAutoscaling NodeAutoscaling
             AutoscalingTraces AutoscalingReplay AutoscalingTuning) ;;
  *) module=AutoscalingTraces
    modules=(AutoscalingCore HorizontalAutoscaling VerticalAutoscaling NodeAutoscaling
             AutoscalingTraces) ;;
esac

build=.build-fuzz
swift build --build-path "$build" --target "$module" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
objects=()
for m in "${modules[@]}"; do objects+=("$build"/debug/"$m".build/*.o); done
binary="$build/fuzz-$target"
swiftc -sanitize=fuzzer,address -parse-as-library -I "$build/debug/Modules" \
  "$entry" "${objects[@]}" -o "$binary" 2> >(grep -v 'ld.gold: warning' >&2)

corpus="$build/corpus/$target"
crashes="$build/crashes/$target"
mkdir -p "$corpus" "$crashes"
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/" 2>/dev/null || true; done; }
case "$target" in
  quantity) for q in 500m 1.5Gi 2 1e3 -0.5 100Ki 1E 0.001n; do printf '%s' "$q" > "$corpus/seed-$q"; done ;;
  manifest) seed Traces/manifests/*.yaml Tests/AutoscalingTracesTests/Fixtures/*.yaml \
    Tests/AutoscalingTracesTests/Fixtures/*.json ;;
  csv) seed Tests/AutoscalingTracesTests/Fixtures/*.csv ;;
  prometheus) seed Tests/AutoscalingTracesTests/Fixtures/*.json ;;
  public-traces) for f in Tests/AutoscalingTracesTests/Fixtures/*.csv; do
      [ -f "$f" ] && { printf '\x00'; head -c 4000 "$f"; } > "$corpus/$(basename "$f")"; done ;;
  space) printf '{"base":"hpa-behavior"}' > "$corpus/seed-default" ;;
esac

export SWIFT_BACKTRACE=enable=no   # let libFuzzer see the trap
"./$binary" "$corpus" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
  -print_final_stats=1 "$@"
