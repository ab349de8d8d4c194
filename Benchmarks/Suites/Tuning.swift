import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import Dispatch
import Foundation
import HorizontalAutoscaling

/// Holds an async result until the waiting thread reads it (the semaphore orders the accesses).
private final class TuningResultBox<T>: @unchecked Sendable {
  var value: T?
}

/// Runs async work to completion from the synchronous harness.
private func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
  let box = TuningResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    box.value = await body()
    done.signal()
  }
  done.wait()
  return box.value
}

/// A closed-form evaluator: measures the engine's own overhead (planning, chunked parallel
/// evaluation, ordering, front and selection), not a replay.
private struct ClosedFormEvaluator: CandidateEvaluator {
  var scenarioIdentities: [String] { ["closed-form"] }
  var hasHoldOut: Bool { true }

  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    let a = Double(levels[0])
    let b = Double(levels[1])
    let c = Double(levels[2])
    return Objectives(
      replicaSeconds: 1_000 - 7 * a + 3 * c + b, underProvisionedTimeShare: (a * a + 1) / (1 + b),
      unservedDemand: a / (1 + c), scalingActions: 100 / (1 + c) + b)
  }
}

/// The tuning engine's overhead, and candidate behaviors replayed on a 30-day trace.
func tuningBenchmarks() -> [Benchmark] {
  var benchmarks: [Benchmark] = []
  if let space = try? ParameterSpace(
    dimensions: (0..<6).map { Dimension(name: "d\($0)", domain: .integers(Array(0..<40))) })
  {
    let engine = SearchEngine(
      space: space, evaluator: ClosedFormEvaluator(),
      configuration: SearchConfiguration(
        strategy: .latinHypercube(seed: 1), budget: 10_000,
        selection: Selection(maxUnderProvisionedTimeShare: 0.5)))
    benchmarks.append(
      Benchmark(
        name: "Tuning.engineOverhead/10,000 closed-form candidates", operationsPerRun: 10_000,
        target: "≪ one replay per candidate"
      ) {
        blackHole(runBlocking { try? await engine.run() }?.map(\.evaluations.count))
      })
  }
  return benchmarks + tuningReplayBenchmarks()
}

/// 30 days at 15 s (172,800 steps): a diurnal wave with a weekly dip and seeded jitter, in
/// requests per second.
private func monthOfDemand() -> ReplaySeries {
  let steps = 30 * 5_760
  var times: [Int64] = []
  var values: [Double] = []
  times.reserveCapacity(steps)
  values.reserveCapacity(steps)
  var state: UInt64 = 0x5EED
  for index in 0..<steps {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let jitter = Double(state >> 11) / Double(1 << 53) - 0.5
    let day = Double(index) / 5_760
    let diurnal = 0.5 + 0.5 * (1 - cos(2 * Double.pi * day.truncatingRemainder(dividingBy: 1)))
    let weekly = Int(day) % 7 >= 5 ? 0.6 : 1
    times.append(Int64(index) * 15_000)
    values.append(max(0, 800 * diurnal * weekly + 60 * jitter))
  }
  return ReplaySeries(name: "rps", timestampsMilliseconds: times, values: values)
}

/// Candidate configurations (the default HPA space, Latin hypercube) replayed over the tuning
/// 75 % of a 30-day, 15-second trace, plus the front on the held-out 25 %: 100 of them in
/// full, or 1,000 screened by successive halving on 1/9 and 1/3 prefixes (the best ninth in
/// full).
private func tuningReplayBenchmarks() -> [Benchmark] {
  let container = Container(name: "app", requests: [.cpu: Quantity(1)], limits: [.cpu: Quantity(2)])
  let workload = WorkloadModel(
    podTemplate: PodTemplate(labels: ["app": "web"], containers: [container]),
    capacityPerPod: 100,
    usage: [ResourceUsageModel(resource: .cpu, base: 0.05, perUnitOfDemand: 0.009, limit: 2)],
    imbalance: 0.05, noise: 0.02, initialReplicas: 4)
  guard
    let spec = try? HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(70))], minReplicas: 2, maxReplicas: 30,
      behavior: ScalingBehavior(
        scaleDown: ScalingRules(
          stabilizationWindow: .seconds(300), policies: [.percent(10, per: .seconds(60))]))),
    let scenario = try? TuningScenario(
      name: "synthetic-30d", autoscaler: spec, workload: workload, demand: monthOfDemand()),
    let grid = try? BehaviorTuner(
      scenarios: [scenario], strategy: .latinHypercube(seed: 1), budget: 100,
      maxUnderProvisionedTimeShare: 0.01),
    let halving = try? BehaviorTuner(
      scenarios: [scenario], strategy: .successiveHalving(seed: 1), budget: 1_000,
      maxUnderProvisionedTimeShare: 0.01)
  else { return [] }
  return [
    Benchmark(
      name: "Tuning.tune/100 behaviors × 30 d @ 15 s, all replayed (1,000 = 10 × this)",
      operationsPerRun: 100, target: "≤ 60 ms per candidate (1,000 in ≤ 60 s, 2 cores)"
    ) {
      blackHole(runBlocking { try? await grid.tune() }?.map(\.search.evaluations.count))
    },
    Benchmark(
      name: "Tuning.tuneHalving/1,000 behaviors × 30 d @ 15 s, halving ×3 on prefixes",
      operationsPerRun: 1_000, target: "≤ 60 ms per candidate (1,000 in ≤ 60 s, 2 cores)"
    ) {
      blackHole(runBlocking { try? await halving.tune() }?.map(\.search.evaluations.count))
    },
  ]
}
