import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import VerticalAutoscaling

/// Vertical replays: the VPA recommender, updater and admission over container usage traces.
func verticalReplayBenchmarks() -> [Benchmark] {
  let days = 8
  let steps = days * 24 * 60  // one-minute steps, as VASIM's 8-day Alibaba traces
  guard let single = try? vasimLikeReplay(minutes: steps, replicas: 1, memory: false),
    let fleet = try? vasimLikeReplay(minutes: steps, replicas: 10, memory: true)
  else { return [] }
  return [
    Benchmark(
      name: "VerticalReplay.recreate/8 days 1m 1 pod cpu", operationsPerRun: steps,
      target: "≥ 100 × VASIM (≈ 850 trace minutes/s)"
    ) {
      blackHole(single.run())
    },
    Benchmark(
      name: "VerticalReplay.recreate/8 days 1m 10 pods cpu+memory", operationsPerRun: steps * 10
    ) {
      blackHole(fleet.run())
    },
  ] + verticalTuningBenchmarks(single)
}

/// The vertical tuner: 16 Latin-hypercube candidates over all recommender parameters on the
/// 8-day trace (no hold-out), on every core; operations are candidates.
private func verticalTuningBenchmarks(_ replay: VerticalReplay) -> [Benchmark] {
  guard let scenario = try? VerticalTuningScenario(name: "bench", replay: replay, holdOutFraction: 0),
    let space = try? ParameterSpace.vpaRecommenderDefault(),
    let evaluator = try? VerticalReplayEvaluator(space: space, scenarios: [scenario])
  else { return [] }
  let tuner = VerticalTuner(
    evaluator: evaluator,
    configuration: SearchConfiguration(strategy: .latinHypercube(seed: 1), budget: 16))
  return [
    Benchmark(
      name: "VerticalReplay.tune/16 recommender candidates × 8 days 1m, all cores", operationsPerRun: 16,
      target: "≈ one vertical replay per candidate"
    ) {
      blackHole(waitFor { try? await tuner.run().evaluated })
    }
  ]
}

/// A diurnal CPU trace between 5 and 20 cores (as the Alibaba containers VASIM ships), plus a
/// memory trace that grows and drops daily, with a Recreate VPA (minReplicas 1).
private func vasimLikeReplay(minutes: Int, replicas: Int, memory: Bool) throws -> VerticalReplay {
  var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  func unit() -> Double {  // xorshift, deterministic
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return Double(state >> 11) / Double(1 << 53)
  }
  let times = (0..<minutes).map { Int64($0) * 60_000 }
  let cpu = (0..<minutes).map { minute -> Double in
    let phase = Double(minute % 1440) / 1440 * 2 * Double.pi
    return 12.5 + 7.5 * diurnalSine(phase) * (0.8 + 0.4 * unit())
  }
  let gibibyte = 1_073_741_824.0
  let used = (0..<minutes).map { minute -> Double in
    (1 + Double(minute % 1440) / 1440) * gibibyte * (0.95 + 0.1 * unit())
  }
  let container = Container(
    name: "app", requests: [.cpu: Quantity(10), .memory: Quantity(2 * 1_073_741_824)],
    limits: memory ? [.memory: Quantity(3 * 1_073_741_824)] : [:])
  return try VerticalReplay(
    vpa: VerticalPodAutoscaler(
      name: "bench", updatePolicy: UpdatePolicy(updateMode: .recreate, minReplicas: 1)),
    containers: [
      VerticalContainerUsage(
        container: container,
        cpuCores: ReplaySeries(name: "cpu", timestampsMilliseconds: times, values: cpu),
        memoryBytes: memory
          ? ReplaySeries(name: "memory", timestampsMilliseconds: times, values: used) : nil)
    ], replicas: replicas)
}

/// A sine good enough for a synthetic daily cycle (Taylor series after range reduction).
private func diurnalSine(_ x: Double) -> Double {
  var y = x.truncatingRemainder(dividingBy: 2 * Double.pi)
  if y > Double.pi { y -= 2 * Double.pi }
  let y2 = y * y
  return y * (1 - y2 / 6 * (1 - y2 / 20 * (1 - y2 / 42 * (1 - y2 / 72 * (1 - y2 / 110)))))
}
