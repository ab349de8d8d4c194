// Replays a CSV trace through an HPA built in code and prints the scorecard, then asks a
// what-if: the same HPA with a shorter scale-down stabilization window.
//
//   swift run TraceReplayExample

import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import HorizontalAutoscaling

// Requests per second every 10 minutes over three hours: a quiet start, a peak, a decline.
// (Any CSV a user has works the same: `TraceReader.readCSV(path:)` streams a file.)
let csv = """
  timestamp,requests_per_second
  2026-01-05T09:00:00Z,120
  2026-01-05T09:10:00Z,130
  2026-01-05T09:20:00Z,180
  2026-01-05T09:30:00Z,420
  2026-01-05T09:40:00Z,760
  2026-01-05T09:50:00Z,900
  2026-01-05T10:00:00Z,880
  2026-01-05T10:10:00Z,940
  2026-01-05T10:20:00Z,700
  2026-01-05T10:30:00Z,500
  2026-01-05T10:40:00Z,310
  2026-01-05T10:50:00Z,200
  2026-01-05T11:00:00Z,150
  2026-01-05T11:10:00Z,140
  2026-01-05T11:20:00Z,380
  2026-01-05T11:30:00Z,160
  2026-01-05T11:40:00Z,130
  2026-01-05T11:50:00Z,120
  """
let trace = try TraceReader.readCSV(
  lines: csv.split(separator: "\n").map(String.init), file: "inline.csv")
struct MissingColumn: Error { var name: String }
guard let column = trace.column(named: "requests_per_second") else {
  throw MissingColumn(name: "requests_per_second")
}
let demand = ReplaySeries(
  name: column.name, timestampsMilliseconds: trace.timestamps, values: column.values)

// The HPA: CPU at 70 % of requests, 2–20 replicas, upstream's default behavior.
let hpa = try HorizontalPodAutoscalerSpec(
  metrics: [.resource(.cpu, target: .utilization(70))], minReplicas: 2, maxReplicas: 20,
  behavior: ScalingBehavior())

// The workload: each pod requests 500 millicores and serves up to 120 requests/s; CPU use
// is 50 millicores plus 4 millicores per request/s, with a start-up burst.
let template = PodTemplate(containers: [
  Container(name: "app", requests: [.cpu: Quantity(milliValue: 500), .memory: Quantity(512 << 20)])
])
let workload = WorkloadModel(
  podTemplate: template, capacityPerPod: 120,
  usage: [
    ResourceUsageModel(
      resource: .cpu, base: 0.05, perUnitOfDemand: 0.004, startupUsage: 0.8, limit: 1)
  ],
  imbalance: 0.1, noise: 0.05, initialReplicas: 2)

var replay = try Replay(
  autoscaler: hpa, workload: workload, demand: demand,
  lifecycle: PodLifecycle(startupMilliseconds: 45_000), seed: 42)

func show(_ title: String, _ card: Scorecard) {
  func percent(_ x: Double) -> String { "\((x * 1000).rounded() / 10) %" }
  print(title)
  print("  under-provisioned time (τU)  \(percent(card.underProvisionedTimeShare))")
  print("  over-provisioning (θO)       \(percent(card.overProvisioningAccuracy))")
  print("  unserved demand              \(Int(card.unservedDemand.rounded())) requests")
  print("  replica-hours                \((card.replicaSeconds / 36).rounded() / 100)")
  print(
    "  mean / max replicas          \((card.meanReplicas * 10).rounded() / 10) / \(card.maxReplicas)"
  )
  print("  scaling actions (reversals)  \(card.scalingActions) (\(card.directionReversals))")
  print(
    "  time to scale p50 / p95      \(card.timeToScaleP50Seconds) s / \(card.timeToScaleP95Seconds) s"
  )
}

print("\(replay.stepCount) steps of 15 s")
show("default behavior", replay.run())

// What-if: a copy of the replay with a 60-second scale-down window instead of 300 seconds.
try replay.replaceBehavior(
  ScalingBehavior(scaleDown: ScalingRules(stabilizationWindow: .seconds(60))))
show("scale-down window 60 s", replay.run())
