#!/bin/bash
# Lists the public symbols of the library modules that have no `///` doc comment.
#
# It asks the compiler, not a regex: `swift package dump-symbol-graph` builds the package and
# writes one symbol graph per module (every public declaration, including members of public
# extensions and enum cases, with its doc comment). Underscored declarations are not API and
# are skipped; so are members synthesized by the compiler, and protocol requirements' witnesses
# that inherit the protocol's documentation (`description`, `==`, `hash(into:)`, ...).
#
# Usage: Scripts/check-docs.sh [--warnings]
#   Exit status 1 when a public symbol has no doc comment. With --warnings it also lists
#   summaries that do not end in a period and parameters missing from `- Parameters:`.
# Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."

modules="AutoscalingCore HorizontalAutoscaling VerticalAutoscaling NodeAutoscaling AutoscalingTraces AutoscalingReplay AutoscalingTuning Autoscaling"
warnings=0
[[ "${1:-}" == "--warnings" ]] && warnings=1

# dump-symbol-graph also tries the synthesized test module and fails on it (SwiftPM 6.3);
# what counts is that every library module's graph is written afresh.
dir="$(swift build --show-bin-path)/../symbolgraph"
rm -rf "$dir"
out="$(swift package dump-symbol-graph --skip-synthesized-members 2>&1)" || true
for module in $modules; do
  [[ -f "$dir/$module.symbols.json" ]] || {
    printf '%s\n' "$out" >&2; echo "error: no symbol graph for $module" >&2; exit 1; }
done

python3 - "$dir" "$warnings" $modules <<'PY'
import json, os, re, sys

directory, warnings, modules = sys.argv[1], sys.argv[2] == "1", set(sys.argv[3:])
root = os.getcwd() + "/"
missing, unpunctuated, undocumented_parameters = [], [], []
total = 0

for name in sorted(os.listdir(directory)):
    if not name.endswith(".symbols.json") or name.split(".")[0].split("@")[0] not in modules:
        continue
    graph = json.load(open(os.path.join(directory, name)))
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        path = symbol["pathComponents"]
        if any(component.startswith("_") for component in path):
            continue
        location = symbol.get("location")
        if location is None:
            continue  # synthesized
        file = location["uri"].removeprefix("file://").removeprefix(root)
        line = location["position"]["line"] + 1
        where = f"{file}:{line}: {graph['module']['name']}.{'.'.join(path)}"
        total += 1
        doc = symbol.get("docComment")
        if doc is None:
            missing.append(where)
            continue
        if "module" in doc and doc["module"] != graph["module"]["name"]:
            continue  # a protocol requirement's witness, documented by the protocol
        lines = [l["text"] for l in doc.get("lines", [])]
        summary = []
        for text in lines:
            if not text.strip():
                break
            summary.append(text.strip())
        summary_text = " ".join(summary)
        if summary_text and not re.search(r"[.!?:]\)?`?$", summary_text):
            unpunctuated.append(f"{where}: \"{summary_text[:70]}\"")
        parameters = symbol.get("functionSignature", {}).get("parameters", [])
        body = "\n".join(lines)
        if parameters and not path[-1].startswith(tuple("=<>+-*/!&|^%")):
            for parameter in parameters:
                names = {parameter.get("name"), parameter.get("internalName")} - {None, "_"}
                if not any(re.search(rf"-\s+(Parameter\s+)?{re.escape(n)}\s*:", body) for n in names):
                    undocumented_parameters.append(f"{where}: parameter '{parameter.get('name')}'")
                    break

def report(title, items):
    if items:
        print(f"{title} ({len(items)}):")
        for item in items:
            print(f"  {item}")

report("public symbols without a doc comment", missing)
if warnings:
    report("summaries not ending in a period", unpunctuated)
    report("functions with an undocumented parameter", undocumented_parameters)
print(f"{total} public symbols checked; {len(missing)} without a doc comment"
      + (f", {len(unpunctuated)} summaries without a period, {len(undocumented_parameters)}"
         " functions with undocumented parameters" if warnings else ""))
sys.exit(1 if missing else 0)
PY
