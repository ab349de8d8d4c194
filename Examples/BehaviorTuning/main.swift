// Tunes an HPA's scale-down behavior and CPU target on two days of traffic: every candidate
// of a small grid is replayed, the cheapest one that is never under-provisioned more than
// the current HPA on any of three windows is chosen, checked on a held-out last quarter, and
// printed as a `behavior` block — with the reason nothing cheaper was taken.
//
//   swift run BehaviorTuningExample

import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling

// Two days of requests per second at 1-minute steps: a daily wave between 150 and 850,
// with a 20-minute burst every afternoon. Generated here so the example needs no file; a
// CSV or Prometheus export reads into the same `ReplaySeries` through AutoscalingTraces.
let start: Int64 = 1_767_571_200_000  // 2026-01-05T00:00:00Z, milliseconds
var timestamps: [Int64] = []
var requests: [Double] = []
for minute in 0..<(2 * 24 * 60) {
  let hourOfDay = Double(minute % (24 * 60)) / 60
  // A wave with its trough at 02:00 and its crest at 14:00 (cosine of the hour).
  var rate = 500 - 350 * cos(2 * Double.pi * (hourOfDay - 2) / 24)
  // The burst: 40 requests/s more each minute for 10 minutes from 15:00, held 20 minutes.
  let burstMinute = minute % (24 * 60) - 15 * 60
  if (0..<30).contains(burstMinute) { rate += 40 * Double(min(burstMinute + 1, 10)) }
  timestamps.append(start + Int64(minute) * 60_000)
  requests.append(rate.rounded())
}
let demand = ReplaySeries(
  name: "requests_per_second", timestampsMilliseconds: timestamps, values: requests)

// The current HPA: CPU at 50 % of requests, 2–30 replicas, and the cautious scale-down
// many teams start with: a 600 s stabilization window and at most 10 % of pods per minute.
let hpa = try HorizontalPodAutoscalerSpec(
  metrics: [.resource(.cpu, target: .utilization(50))], minReplicas: 2, maxReplicas: 30,
  behavior: ScalingBehavior(
    scaleDown: ScalingRules(
      stabilizationWindow: .seconds(600), policies: [.percent(10, per: .seconds(60))])))

// Each pod requests 500 millicores and serves up to 60 requests/s; CPU use is 20 millicores
// plus 8 millicores per request/s.
let template = PodTemplate(containers: [
  Container(name: "app", requests: [.cpu: Quantity(milliValue: 500), .memory: Quantity(512 << 20)])
])
let workload = WorkloadModel(
  podTemplate: template, capacityPerPod: 60,
  usage: [ResourceUsageModel(resource: .cpu, base: 0.02, perUnitOfDemand: 0.008, limit: 1)],
  initialReplicas: 4)
let scenario = try TuningScenario(
  name: "two-days", autoscaler: hpa, workload: workload, demand: demand,
  lifecycle: PodLifecycle(startupMilliseconds: 30_000))

// The space: 5 scale-down windows × 3 scale-down Percent values (per 60 s, the HPA's
// period) × 5 CPU targets = 75 candidates.
let space = try ParameterSpace(dimensions: [
  Dimension(
    name: "scaleDown.stabilizationWindowSeconds", domain: .integers([0, 60, 120, 300, 600])),
  Dimension(name: "scaleDown.policy.value", domain: .integers([10, 50, 100])),
  Dimension(name: "metrics.cpu.averageUtilization", domain: .integers([50, 60, 70, 80, 90])),
])

// Every candidate (grid), tuned on the first 75 % with an SLO: under-provisioned at most
// 0.5 % of the time on each of 3 windows of it; the last 25 % validates.
let tuner = try BehaviorTuner(
  scenarios: [scenario], space: space, strategy: .grid, budget: 75,
  maxUnderProvisionedTimeShare: 0.005, robustness: WindowRobustness(windows: 3),
  holdOutFraction: 0.25)
let result = try await tuner.tune()

print("Current vs chosen (tuning part, held-out part, each window of the tuning part):")
print(result.comparisonTable())
print("Why nothing cheaper: " + result.alternativesTable())
if result.currentIsPreferred {
  print("Nothing evaluated is preferable to the current HPA within the bounds: keep it.")
} else if let chosen = result.chosen {
  print("Chosen: " + chosen.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
  print(chosen.behavior?.yaml() ?? "(the HPA's behavior unchanged)")
}
