import AutoscalingCore
import VerticalAutoscaling

/// Vertical Pod Autoscaler: samples into decaying histograms, and recommendations.
func vpaBenchmarks() -> [Benchmark] {
  // A deterministic usage series: one sample per 15 s per container, CPU in 0–4 cores,
  // memory in 100 MiB–4 GiB (a linear congruential generator; no Foundation, no randomness).
  let sampleCount = 1_000_000
  var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  func next() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }
  let start = Instant.seconds(1_700_000_000)
  let cores = (0..<sampleCount).map { _ in next() * 4 }
  let bytes = (0..<sampleCount).map { _ in 104_857_600 + next() * 4_190_000_000 }
  let times = (0..<sampleCount).map { start + .seconds(15 * $0) }
  let halfLife = Duration.seconds(86_400)
  func histogramBenchmark(
    _ resource: String, options: HistogramOptions, values: [Double], weight: Double
  ) -> Benchmark {
    Benchmark(
      name: "VPA.addSample/decaying \(resource) histogram, 1M samples",
      operationsPerRun: sampleCount,
      target: "≥ 20,000,000 samples/s"
    ) {
      guard var histogram = try? DecayingHistogram(options: options, halfLife: halfLife) else {
        return
      }
      // Columnar input, as a replay holds it; the figure is the histogram's cost.
      values.withUnsafeBufferPointer { values in
        times.withUnsafeBufferPointer { times in
          for index in 0..<values.count {
            try? histogram.addSample(values[index], weight: weight, at: times[index])
          }
        }
      }
      blackHole(histogram.percentile(0.9))
    }
  }

  // 10,000 containers of one VPA with a day of per-minute history each.
  let containerCount = 10_000
  var recommender: VerticalRecommender?
  do {
    var built = try VerticalRecommender()
    for container in 0..<containerCount {
      let name = "c\(container)"
      let scale = 0.05 + Double(container % 100) / 25
      for minute in 0..<120 {
        let time = start + .seconds(720 * minute)
        built.addSample(
          .cpu(millicores: Int64(scale * 1000 * (0.5 + next())), at: time), pod: "pod",
          container: name)
        built.addSample(
          .memory(bytes: Int64(scale * 5e8 * (0.5 + next())), at: time), pod: "pod", container: name
        )
      }
    }
    recommender = built
  } catch {
    print("VPA benchmark setup failed: \(error)")
  }
  let vpa = VerticalPodAutoscaler(name: "bench")
  let now = start + .seconds(86_400)

  return [
    histogramBenchmark("CPU", options: .vpaCPU, values: cores, weight: 0.1),
    histogramBenchmark("memory", options: .vpaMemory, values: bytes, weight: 1),
    Benchmark(
      name: "VPA.addSample/container state → aggregate (CPU + memory), 1M",
      operationsPerRun: 2 * sampleCount
    ) {
      var aggregate = AggregateContainerState(creationTime: start)
      var container = ContainerState()
      for index in 0..<sampleCount {
        container.addSample(
          .cpu(millicores: Int64(cores[index] * 1000), at: times[index]), to: &aggregate)
        container.addSample(.memory(bytes: Int64(bytes[index]), at: times[index]), to: &aggregate)
      }
      blackHole(aggregate.totalSamplesCount)
    },
    Benchmark(name: "VPA.recommend/10000 containers", operationsPerRun: containerCount) {
      guard let recommender else { return }
      blackHole(recommender.recommendation(for: vpa, at: now).count)
    },
    Benchmark(
      name: "VPA.recommend/10000 containers, amounts only (no API formatting)",
      operationsPerRun: containerCount
    ) {
      guard let recommender else { return }
      let podRecommender = PodResourceRecommender()
      let minimum = podRecommender.minimumResources(containerCount: containerCount)
      var total: Int64 = 0
      for aggregate in recommender.aggregates.values {
        let amounts = podRecommender.recommendedContainerResources(for: aggregate, minimum: minimum)
        total &+= amounts.target.cpuMillicores ?? 0
      }
      blackHole(total)
    },
  ]
}
