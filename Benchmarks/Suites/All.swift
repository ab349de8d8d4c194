/// Every suite, in the order they are printed.
func allBenchmarks() -> [Benchmark] {
  var all = coreBenchmarks()
  all += hpaBenchmarks()
  all += vpaBenchmarks()
  all += nodeBenchmarks()
  all += replayBenchmarks()
  all += nodeReplayBenchmarks()
  all += verticalReplayBenchmarks()
  all += tuningBenchmarks()
  all += tracesBenchmarks()
  return all
}
