/// Every suite, in the order they are printed.
func allBenchmarks() -> [Benchmark] {
  coreBenchmarks()
    + tracesBenchmarks()
}
