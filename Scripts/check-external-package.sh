#!/bin/bash
# Builds and runs the README's "Use it as a library" example in a fresh package OUTSIDE this
# repository that depends on it by path, as a user's package would.
#
# The example is taken from README.md between the markers
#   <!-- library-example:begin ... -->  and  <!-- library-example:end -->
# (the Swift code block inside them), so the README and this check cannot drift.
#
# Usage: Scripts/check-external-package.sh            (exit 0 when the example builds and runs)
# Environment: KEEP_EXTERNAL_PACKAGE=1 keeps the temporary package for inspection;
#              SWIFT overrides the `swift` executable.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
swift="${SWIFT:-swift}"
work="$(mktemp -d "${TMPDIR:-/tmp}/swift-autoscaling-external.XXXXXX")"
if [[ "${KEEP_EXTERNAL_PACKAGE:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

# 1. Extract the first ```swift block between the markers.
example="$(awk '
  /<!-- library-example:begin/ { inside = 1; next }
  /<!-- library-example:end -->/   { inside = 0 }
  inside && /^```swift/ && !done   { code = 1; next }
  inside && code && /^```/         { code = 0; done = 1; next }
  code                             { print }
' "$repo/README.md")"
if [[ -z "$example" ]]; then
  echo "error: no \`\`\`swift block between the library-example markers in README.md" >&2
  exit 1
fi

# 2. A fresh executable package that depends on this repository by path.
mkdir -p "$work/Consumer/Sources/Consumer"
cat >"$work/Consumer/Package.swift" <<MANIFEST
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Consumer",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "swift-autoscaling", path: "$repo")],
  targets: [
    .executableTarget(
      name: "Consumer",
      dependencies: [
        .product(name: "AutoscalingCore", package: "swift-autoscaling"),
        .product(name: "HorizontalAutoscaling", package: "swift-autoscaling"),
      ])
  ]
)
MANIFEST
printf '%s\n' "$example" >"$work/Consumer/Sources/Consumer/main.swift"

# 3. Build it and run it.
cd "$work/Consumer"
echo "building the README example in $work/Consumer" >&2
if ! "$swift" build >"$work/build.log" 2>&1; then
  grep -Ev '^\[[0-9]+/[0-9]+\]' "$work/build.log" >&2
  echo "error: the README example does not build against this package (see above)" >&2
  exit 1
fi
output="$("$swift" run --skip-build Consumer)"
printf '%s\n' "$output"

# 4. The README's "// Prints: ..." line, if any, must match what the example printed.
expected="$(printf '%s\n' "$example" | sed -n 's|^// Prints: ||p' | tail -1)"
if [[ -n "$expected" && "$output" != "$expected" ]]; then
  echo "error: README says the example prints \"$expected\", it printed \"$output\"" >&2
  exit 1
fi
echo "ok: the README example builds and runs outside the repository" >&2
