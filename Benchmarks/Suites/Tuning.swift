import AutoscalingTuning
import Dispatch

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

/// The tuning engine and, once replay lands, 1,000 candidate behaviors on a 30-day trace.
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
  return benchmarks
}
