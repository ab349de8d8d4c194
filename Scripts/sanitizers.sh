#!/bin/bash
# Runs the test suite under AddressSanitizer and ThreadSanitizer:
#   Scripts/sanitizers.sh [address|thread ...] [-- swift test arguments…]
# With no sanitizer named, runs both (address, then thread). Each gets its own build
# directory (.build-asan, .build-tsan) so the ordinary .build stays untouched. Everything
# runs under `nice -n 19` (SANITIZER_NICE to change) so that a shared machine's other builds
# keep priority. Exit status: 0 when every run passed, 1 otherwise.
#
# Examples:
#   Scripts/sanitizers.sh                          # both, whole suite
#   Scripts/sanitizers.sh thread -- --filter AutoscalingTuningTests
set -uo pipefail
cd "$(dirname "$0")/.."
niceness=${SANITIZER_NICE:-19}

sanitizers=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    address|thread) sanitizers+=("$1") ;;
    *) echo "error: unknown sanitizer '$1' (use address or thread)" >&2; exit 2 ;;
  esac
  shift
done
[ "${1:-}" = "--" ] && shift
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(address thread)

# Sanitizer reports end the process with a summary line; make them easy to find, and let
# the Swift runtime's backtracer step aside so the sanitizer prints its own report.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

status=0
for sanitizer in "${sanitizers[@]}"; do
  case "$sanitizer" in
    address) build=.build-asan ;;
    thread) build=.build-tsan ;;
  esac
  echo "== $sanitizer: building into $build" >&2
  if ! nice -n "$niceness" swift build --build-tests --sanitize="$sanitizer" \
      --build-path "$build"; then
    echo "== $sanitizer: BUILD FAILED" >&2
    status=1
    continue
  fi
  echo "== $sanitizer: testing" >&2
  if nice -n "$niceness" swift test --skip-build --sanitize="$sanitizer" --build-path "$build" \
      "$@"; then
    echo "== $sanitizer: passed" >&2
  else
    echo "== $sanitizer: FAILED (see the report above)" >&2
    status=1
  fi
done
exit $status
