// A dependency-free benchmark harness in package-benchmark's shape: named benchmarks
// (`Suite.operation/scale`), warm-up, median of samples, throughput. Run it in release:
//   swift run -c release AutoscalingBenchmarks [filter]

/// One named benchmark.
struct Benchmark {
  /// `Suite.operation/scale`, e.g. `HPA.decision/10 pods`.
  var name: String
  /// Operations performed by one call of `body`, for throughput.
  var operationsPerRun: Int
  /// The target, printed beside the figure (for example `≥ 5,000,000 ops/s`).
  var target: String = ""
  /// The work measured.
  var body: () -> Void
}

/// Consumes a value so the optimizer cannot delete the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
  withUnsafePointer(to: value) { pointer in
    _blackHoleSink = UnsafeRawPointer(pointer).load(as: UInt8.self) &+ _blackHoleSink
  }
}

nonisolated(unsafe) var _blackHoleSink: UInt8 = 0

/// One benchmark's result.
struct Measurement {
  var name: String
  var medianSeconds: Double
  var operationsPerSecond: Double
  var target: String
}

func measure(_ benchmark: Benchmark, samples: Int, warmUp: Int) -> Measurement {
  let clock = ContinuousClock()
  for _ in 0..<warmUp { benchmark.body() }
  var durations: [Double] = []
  for _ in 0..<samples {
    let elapsed = clock.measure(benchmark.body)
    let (seconds, attoseconds) = elapsed.components
    durations.append(Double(seconds) + Double(attoseconds) * 1e-18)
  }
  let median = durations.sorted()[samples / 2]
  return Measurement(
    name: benchmark.name, medianSeconds: median,
    operationsPerSecond: Double(benchmark.operationsPerRun) / max(median, 1e-12),
    target: benchmark.target)
}

func formatted(_ value: Double) -> String {
  if value >= 1e6 { return "\(Int(value / 1e3) * 1_000)" }
  if value >= 100 { return "\(Int(value))" }
  return "\((value * 100).rounded() / 100)"
}

func perOperation(_ m: Measurement, operations: Int) -> String {
  let seconds = m.medianSeconds / Double(max(operations, 1))
  if seconds < 1e-6 { return "\((seconds * 1e9 * 10).rounded() / 10) ns" }
  if seconds < 1e-3 { return "\((seconds * 1e6 * 100).rounded() / 100) µs" }
  return "\((seconds * 1e3 * 100).rounded() / 100) ms"
}

@main
enum BenchmarkMain {
  static func main() {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var samples = 15
    if let index = arguments.firstIndex(of: "--quick") {
      arguments.remove(at: index)
      samples = 3
    }
    let filter = arguments.first
    #if DEBUG
      print(
        "warning: debug build; figures are meaningless. Run: swift run -c release AutoscalingBenchmarks"
      )
    #endif
    let all = allBenchmarks()
    print("benchmark\tmedian per op\tthroughput\ttarget")
    for benchmark in all where filter.map(benchmark.name.contains) ?? true {
      let m = measure(benchmark, samples: samples, warmUp: samples == 3 ? 1 : 3)
      print(
        "\(m.name)\t\(perOperation(m, operations: benchmark.operationsPerRun))\t"
          + "\(formatted(m.operationsPerSecond)) ops/s\t\(m.target)")
    }
  }
}
