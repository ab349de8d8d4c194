#!/bin/bash
# Builds and runs one libFuzzer target: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]
# Targets: quantity manifest csv prometheus public-traces space catalog state selector (see
# Tests/Fuzz/README.md).
#
# The modules are built optimised (-O, FUZZ_CONFIG=debug for -Onone) with
# -sanitize=fuzzer,address into .build-fuzz/; crashes are written to .build-fuzz/crashes/TARGET/
# and the corpus kept in .build-fuzz/corpus/TARGET/ (both outside git). Everything runs under
# `nice -n 19` (FUZZ_NICE to change) so the fuzzer only takes idle CPU on a shared machine.
# Stop after N executions with the libFuzzer flag -runs=N, e.g.
#   Scripts/fuzz.sh csv 7200 -runs=10000000
# Replay a crasher without fuzzing: Scripts/fuzz.sh csv 0 .build-fuzz/crashes/csv/crash-…
# Only build the binary (.build-fuzz/fuzz-TARGET-CONFIG): Scripts/fuzz.sh csv build
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]}
seconds=${2:?usage: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]}
shift 2
entry="Tests/Fuzz/$target.swift"
[ -f "$entry" ] || { echo "error: no fuzz target '$target' (no $entry)" >&2; exit 2; }
niceness=${FUZZ_NICE:-19}
config=${FUZZ_CONFIG:-release}
case "$config" in
  release) optimisation=-O ;;
  debug) optimisation=-Onone ;;
  *) echo "error: FUZZ_CONFIG must be release or debug, not '$config'" >&2; exit 2 ;;
esac

case "$target" in
  quantity) module=AutoscalingCore; modules=(AutoscalingCore) ;;
  catalog) module=NodeAutoscaling; modules=(AutoscalingCore NodeAutoscaling) ;;
  space|state) module=AutoscalingTuning
    modules=(AutoscalingCore HorizontalAutoscaling VerticalAutoscaling NodeAutoscaling
             AutoscalingTraces AutoscalingReplay AutoscalingTuning) ;;
  *) module=AutoscalingTraces
    modules=(AutoscalingCore HorizontalAutoscaling VerticalAutoscaling NodeAutoscaling
             AutoscalingTraces) ;;
esac

build=.build-fuzz
nice -n "$niceness" swift build -c "$config" --build-path "$build" --target "$module" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
objects=()
for m in "${modules[@]}"; do objects+=("$build/$config/$m.build/"*.o); done
binary="$build/fuzz-$target-$config"
nice -n "$niceness" swiftc "$optimisation" -sanitize=fuzzer,address -parse-as-library \
  -I "$build/$config/Modules" "$entry" "${objects[@]}" -o "$binary" \
  2> >(grep -v 'ld.gold: warning' >&2)
[ "$seconds" = build ] && exit 0

corpus="$build/corpus/$target"
crashes="$build/crashes/$target"
mkdir -p "$corpus" "$crashes"
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/" 2>/dev/null || true; done; }
case "$target" in
  quantity) for q in 500m 1.5Gi 2 1e3 -0.5 100Ki 1E 0.001n 9223372036854775807 1e29 \
      170141183460469231731687303715884105727.1n 16Ei; do
      printf '%s' "$q" > "$corpus/seed-$q"; done ;;
  catalog) # Heads of the shared catalogue (when present) and a few hand-written rows.
    [ -f ../shared/catalog/aws-instance-types.csv ] \
      && head -c 3000 ../shared/catalog/aws-instance-types.csv > "$corpus/seed-aws-head.csv"
    printf 'name,vcpu,memory_gib,architecture,on_demand_usd_per_hour_us_east_1\nt3.nano,2,0.5,amd64,0.0052\nx.big,4,1.5,arm64,0.1\n' \
      > "$corpus/seed-minimal.csv"
    printf 'name,vcpu,memory_gib,architecture,on_demand_usd_per_hour_us_east_1,gpu_count,gpu_model,gpu_manufacturer,gpu_memory_mib_per_gpu,karpenter_allocatable_cpu,karpenter_allocatable_memory,karpenter_max_pods,spot_usd_per_hour_z1\ng5.xlarge,4,16,amd64,1.006,1,A10G,NVIDIA,24576,3920m,14162Mi,58,0.4\n' \
      > "$corpus/seed-gpu.csv" ;;
  selector) # Even first byte: a label selector; odd: 8 bytes of instant, then a cron schedule.
    i=0
    for s in 'app=web' 'app in (web,api),tier!=db' '!canary, env notin (dev)' 'gen>3,x<10' \
      'k==v' ' '; do
      printf '\000%s' "$s" > "$corpus/seed-selector-$i"; i=$((i + 1))
    done
    for s in '0 9 * * 1-5' '*/15 * * * *' '@daily' '0 0 29 2 *' '5,35 8-18/2 1,15 * SUN' \
      '0 0 31 4 *'; do
      printf '\001\000\040\031\140\224\001\000\000%s' "$s" > "$corpus/seed-cron-$i"
      i=$((i + 1))
    done
    seed Tests/Fuzz/Seeds/selector/* ;;
  manifest) seed Traces/manifests/*.yaml Tests/AutoscalingTracesTests/Fixtures/*.yaml \
    Tests/AutoscalingTracesTests/Fixtures/*.json ../shared/manifests/*.yaml ;;
  csv) # The first byte picks the reader options (see Tests/Fuzz/csv.swift): every option set
    # gets each sample file.
    samples=(Traces/synthetic-7d-15s.csv Tests/AutoscalingReplayTests/Fixtures/*.csv)
    [ -d ../shared/traces ] && samples+=(../shared/traces/*/*.csv)
    for f in "${samples[@]}"; do
      [ -f "$f" ] || continue
      for option in 0 1 2 3 4 5 6 7 8 9 10 11; do
        { printf "\\$(printf '%03o' "$option")"; head -c 1500 "$f"; } \
          > "$corpus/$option-$(basename "$f")"
      done
    done ;;
  prometheus) # The first byte picks the reader options (see Tests/Fuzz/prometheus.swift).
    for f in Tests/AutoscalingTracesTests/Fixtures/*.json Tests/AutoscalingReplayTests/Fixtures/*.json; do
      [ -f "$f" ] || continue
      for option in 0 1 2 3 4 5; do
        { printf "\\$(printf '%03o' "$option")"; head -c 6000 "$f"; } \
          > "$corpus/$option-$(basename "$f")"
      done
    done ;;
  public-traces) # The first byte picks the reader (PublicTrace.allCases order, then the pod,
    # node and DLRM event readers); each seed is the head of a matching file from ../shared.
    index=0
    for f in alibaba-genai-2026/qps.csv alibaba-genai-2026/queue_size_raw_anon.csv \
      - azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv \
      datacenter-traces-datasets/alibaba2018_machine_usage_day_1_grouped_10_seconds.csv \
      datacenter-traces-datasets/google2019_instance_usage_grouped_300_seconds_month.csv \
      datacenter-traces-datasets/azure2019_vm_cpu_readings_month_aggregated_cpu_mem.csv \
      - nasa-http-1995/requests_per_minute.csv bitbrains-gwa-t-12/rnd_2013-7_vm1.csv \
      alibaba-2018-container-vasim/c_12104_cpu_usage.csv \
      alibaba-gpu-2023/openb_pod_list_default.csv alibaba-gpu-2023/openb_node_list_all_node.csv \
      alibaba-gpu-2025/disaggregated_DLRM_trace.csv; do
      path=../shared/traces/$f
      if [ -f "$path" ]; then
        { printf "\\$(printf '%03o' "$index")"; head -c 2000 "$path"; } > "$corpus/seed-$index"
      fi
      index=$((index + 1))
    done ;;
  space) printf '{"base":"hpa-behavior"}' > "$corpus/seed-default"
    printf '%s' '{"dimensions":[{"name":"scaleDown.stabilizationWindowSeconds","values":[0,60,300]},{"name":"scaleDown.policy.type","categories":["Percent"]},{"name":"scaleUp.tolerance","min":0,"max":0.2,"steps":5},{"name":"minReplicas","min":1,"max":4}],"exclude":["scaleUp.policy.periodSeconds"],"constraints":["minReplicas <= maxReplicas"]}' \
      > "$corpus/seed-readme"
    printf '%s' '{"base":"empty","dimensions":[{"name":"scaleUp.policy.value","min":1,"max":100,"step":7},{"name":"maxReplicas","values":[5,50]},{"name":"metrics.targetPercent","min":50,"max":120,"step":10,"kind":"integer"}]}' \
      > "$corpus/seed-empty"
    printf '%s' '{"base":"empty","dimensions":[{"name":"scaleUp.secondPolicy.type","categories":["None","Pods","Percent"]},{"name":"scaleUp.secondPolicy.value","values":[1,4,100]},{"name":"scaleDown.secondPolicy.periodSeconds","values":[15,1800]},{"name":"scaleDown.policy.value","values":[5]}]}' \
      > "$corpus/seed-second-policy" ;;
  state) # The first byte picks the reader (see Tests/Fuzz/state.swift); seeds in Tests/Fuzz/Seeds/state.
    seeds=Tests/Fuzz/Seeds/state
    { printf '\000'; cat "$seeds/cluster-state.json"; } > "$corpus/seed-cluster-state"
    { printf '\001'; cat "$seeds/checkpoint.json"; } > "$corpus/seed-checkpoint"
    { printf '\002'; cat "$seeds/tuning-result-0.json"; } > "$corpus/seed-result-0"
    { printf '\002'; cat "$seeds/tuning-result-0.json"; printf '\000'; cat "$seeds/tuning-result-1.json"; } \
      > "$corpus/seed-results-merged" ;;
esac

export SWIFT_BACKTRACE=enable=no   # let libFuzzer see the trap
if [ $# -gt 0 ] && [ -f "$1" ]; then   # replay the given inputs
  exec nice -n "$niceness" "./$binary" "$@"
fi
exec nice -n "$niceness" "./$binary" "$corpus" -max_total_time="$seconds" \
  -artifact_prefix="$crashes/" -print_final_stats=1 "$@"
