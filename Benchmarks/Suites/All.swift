/// Every suite: its name prefix (`Area.`) and a function that builds its benchmarks.
///
/// Building a suite does its set-up work (some build clusters of thousands of pods), so the
/// harness builds only the suites a filter can select.
func allSuites() -> [(prefix: String, make: () -> [Benchmark])] {
  [
    ("Core.", coreBenchmarks),
    ("HPA.", hpaBenchmarks),
    ("VPA.", vpaBenchmarks),
    ("Nodes.", nodeBenchmarks),
    ("Replay.", replayBenchmarks),
    ("NodeReplay.", nodeReplayBenchmarks),
    ("VerticalReplay.", verticalReplayBenchmarks),
    ("Tuning.", tuningBenchmarks),
    ("Traces.", tracesBenchmarks),
  ]
}

/// The benchmarks whose names contain `filter` (all of them when `filter` is `nil`), building
/// only the suites that can hold such a name.
///
/// - Parameter filter: A substring of benchmark names, or `nil`.
/// - Returns: The matching benchmarks, in suite order.
func allBenchmarks(matching filter: String? = nil) -> [Benchmark] {
  var all: [Benchmark] = []
  let suites = allSuites()
  for suite in suites {
    // A filter can only match a suite's names if it overlaps the suite's prefix or goes past it.
    if let filter, !filter.isEmpty {
      let couldMatch =
        suite.prefix.contains(filter) || filter.hasPrefix(suite.prefix)
        || !suites.contains { filter.hasPrefix($0.prefix) || $0.prefix.contains(filter) }
      if !couldMatch { continue }
    }
    all += suite.make().filter { filter.map($0.name.contains) ?? true }
  }
  return all
}
