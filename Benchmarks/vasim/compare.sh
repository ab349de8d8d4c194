#!/usr/bin/env bash
# VASIM (PyPI vasim, Microsoft's vertical autoscaling simulator) side by side with our vertical
# replay (`autoscale recommend`, release build) on the same Alibaba 2018 container CPU traces.
# Not run in CI: it needs PyPI (pip install) and takes about a minute per trace for VASIM.
#
# Usage: Benchmarks/vasim/compare.sh [TRACE_DIR]
#   TRACE_DIR defaults to ../shared/traces/alibaba-2018-container-vasim next to the repository.
# Environment: VASIM_VENV (default $TMPDIR/vasim-venv) — created with python3 -m venv when absent;
#   VASIM_PEER (default ../shared/peers/vasim) — holds run_one.py and metadata.json;
#   VASIM_ALGORITHM (default additive).
#
# Both tools start at 10 cores. VASIM uses its shipped configuration (decisions every 10 trace
# minutes over a 20-minute window, limits 1…25 cores, additive addend 2). Ours is the upstream
# VPA recommender (defaults: P90 × 1.15, 24 h half-life) with Recreate updates, minReplicas 1,
# minAllowed 1 and maxAllowed 25 cores, one step per trace minute. The trace's CPU unit is read as
# cores by both. Figures: trace minutes replayed per wall-clock second (whole run, including
# reading the CSV), VASIM's loop-only rate, and both tools' slack and insufficient CPU with the
# same formulas (slack = Σ(limit − usage)⁺ / Σ limit; insufficient = share of minutes with usage
# above the limit; our "limit" is the request the VPA sets).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
traces="${1:-$repo/../shared/traces/alibaba-2018-container-vasim}"
peer="${VASIM_PEER:-$repo/../shared/peers/vasim}"
venv="${VASIM_VENV:-${TMPDIR:-/tmp}/vasim-venv}"
algorithm="${VASIM_ALGORITHM:-additive}"
work="$(mktemp -d "${TMPDIR:-/tmp}/vasim-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for needed in "$traces" "$peer/run_one.py" "$peer/metadata.json"; do
  [ -e "$needed" ] || { echo "error: $needed not found" >&2; exit 1; }
done

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import vasim" 2>/dev/null; then
  echo "creating $venv and installing vasim 0.1.4 (PyPI)…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet vasim==0.1.4
fi

echo "building autoscale (release)…" >&2
(cd "$repo" && swift build -c release --product autoscale >&2)
autoscale="$repo/.build/release/autoscale"

cat > "$work/vpa.yaml" <<'YAML'
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: container
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: container}
  updatePolicy: {updateMode: Recreate, minReplicas: 1}
  resourcePolicy:
    containerPolicies:
    - containerName: app
      controlledResources: ["cpu"]
      minAllowed: {cpu: "1"}
      maxAllowed: {cpu: "25"}
YAML

# Bash's own clock: timing with a python3 call would add its ~0.1 s start-up to our figure.
now() { echo "$EPOCHREALTIME"; }

printf '%-9s | %-40s | %-40s | %s\n' "trace" \
  "VASIM ($algorithm): min/s (loop dec/s) slack insuf" \
  "ours (VPA Recreate): min/s slack insuf" "speed-up"
for csv in "$traces"/*_cpu_usage.csv; do
  name="$(basename "$csv" _cpu_usage.csv)"
  rows=$(( $(wc -l < "$csv") - 1 ))
  data="$work/$name-data"
  mkdir -p "$data"
  cp "$csv" "$data/${name}_perf_event_log.csv"
  cp "$peer/metadata.json" "$data/metadata.json"

  # VASIM: one fresh process, timed inside (init + run_simulation) by run_one.py.
  "$venv/bin/python" "$peer/run_one.py" --data-dir "$data" --config "$data/metadata.json" \
    --algorithm "$algorithm" --initial-cpu-limit 10 --out-dir "$work/$name-out" \
    --result-json "$work/$name-vasim.json" > "$work/$name-vasim.log" 2>&1 \
    || { cat "$work/$name-vasim.log" >&2; exit 1; }
  read -r v_rate v_loop v_slack v_insuf < <(python3 - "$work/$name-vasim.json" "$rows" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); rows = int(sys.argv[2]); m = r["metrics"]
print(f'{rows / r["t_init_plus_run_s"]:.1f} {r["steps_per_s_loop"]:.1f} '
      f'{m["slack_percentage"]:.2f} {m["insufficient_observations_percentage"]:.2f}')
PY
)

  # Ours: the whole CLI process (read CSV, replay, print JSON), wall clock.
  start=$(now)
  "$autoscale" recommend --vpa "$work/vpa.yaml" --trace "$csv" --container app \
    --cpu-request 10 --json > "$work/$name-ours.json"
  end=$(now)
  read -r o_rate o_slack o_insuf < <(python3 - "$work/$name-ours.json" "$rows" "$start" "$end" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["scorecard"]; rows = int(sys.argv[2])
seconds = float(sys.argv[4]) - float(sys.argv[3])
print(f'{rows / seconds:.0f} {c["slackPercent"]:.2f} {c["insufficientCpuTimePercent"]:.2f}')
PY
)
  speedup=$(python3 -c "print(f'{$o_rate / $v_rate:.0f}x')")
  printf '%-9s | %8s (%6s) %6s%% %6s%%         | %10s %6s%% %6s%%               | %s\n' \
    "$name" "$v_rate" "$v_loop" "$v_slack" "$v_insuf" "$o_rate" "$o_slack" "$o_insuf" "$speedup"
done
echo "min/s = trace minutes replayed per wall-clock second; insuf = % of minutes with usage above the limit (ours: the request)."
