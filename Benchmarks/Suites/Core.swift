import AutoscalingCore

/// Quantity parsing and formatting.
func coreBenchmarks() -> [Benchmark] {
  let texts = ["500m", "1.5Gi", "2", "100Mi", "1e3", "250m", "4Gi", "0.5"]
  return [
    Benchmark(name: "Core.parseQuantity/8 forms", operationsPerRun: 80_000) {
      for _ in 0..<10_000 {
        for text in texts { blackHole(try? Quantity(parsing: text)) }
      }
    }
  ]
}
