import AutoscalingCore
import AutoscalingReplay
import HorizontalAutoscaling

/// End-to-end replays: the HPA driven by a month-long trace.
func replayBenchmarks() -> [Benchmark] {
  let steps = 30 * 24 * 240  // 30 days at 15 s
  guard let replay = try? monthReplay(steps: steps) else { return [] }
  return [
    Benchmark(
      name: "Replay.hpa/30 days 15s", operationsPerRun: steps, target: "≥ 1,700,000 steps/s"
    ) {
      blackHole(replay.run())
    }
  ]
}

/// The ml-model HPA (cpu 70 %, memory 80 %, 100 requests/s per pod) over a daily cycle of
/// demand between 100 and 1,300 requests/s, with 5 % noise and 10 % imbalance.
private func monthReplay(steps: Int) throws -> Replay {
  let gibibyte = 1_073_741_824.0
  let spec = try HorizontalPodAutoscalerSpec(
    metrics: [
      .resource(.cpu, target: .utilization(70)),
      .resource(.memory, target: .utilization(80)),
      .pods("requests_per_second", target: .averageValue(Quantity(100))),
    ],
    minReplicas: 2, maxReplicas: 20,
    behavior: ScalingBehavior(
      scaleUp: ScalingRules(
        stabilizationWindow: .seconds(0), policies: [.percent(100, per: .seconds(15))]),
      scaleDown: ScalingRules(
        stabilizationWindow: .seconds(300), policies: [.percent(10, per: .seconds(60))])))
  let container = Container(
    name: "model", requests: [.cpu: Quantity(1), .memory: Quantity(2 * 1_073_741_824)])
  let workload = WorkloadModel(
    podTemplate: PodTemplate(containers: [container]), capacityPerPod: 120,
    usage: [
      ResourceUsageModel(resource: .cpu, base: 0.1, perUnitOfDemand: 0.006, limit: 2),
      ResourceUsageModel(
        resource: .memory, base: 0.8 * gibibyte, perUnitOfDemand: 0.008 * gibibyte),
    ],
    imbalance: 0.1, noise: 0.05, initialReplicas: 3)
  var times: [Int64] = []
  var values: [Double] = []
  times.reserveCapacity(steps)
  values.reserveCapacity(steps)
  for index in 0..<steps {
    // A triangle wave with a 24-hour period: 100 at midnight, 1,300 at noon.
    let phase = Double(index % 5_760) / 5_760
    values.append(100 + 1_200 * (1 - abs(2 * phase - 1)))
    times.append(Int64(index) * 15_000)
  }
  return try Replay(
    autoscaler: spec, workload: workload,
    demand: ReplaySeries(name: "rps", timestampsMilliseconds: times, values: values), seed: 1)
}
