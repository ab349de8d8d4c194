import AutoscalingCore
import Foundation
import Testing
import VerticalAutoscaling
import _AutoscalingTestSupport

@Suite struct RecommendationPropertyTests {
  /// Random usage histories: the recommendation always satisfies lower ≤ target ≤ upper, for
  /// both resources, whatever the history length (including none).
  @Test func lowerTargetUpperAreOrdered() throws {
    var generator = SplitMix64(seed: 42)
    let recommender = PodResourceRecommender()
    for _ in 0..<300 {
      var aggregate = AggregateContainerState(creationTime: .seconds(0))
      var container = ContainerState()
      let samples = Int.random(in: 0..<200, using: &generator)
      let level = Double.random(in: 0.001...20, using: &generator)
      var time = Instant.seconds(1_600_000_000)
      for _ in 0..<samples {
        time = time + .seconds(Int64.random(in: 1...600, using: &generator))
        container.addSample(
          .cpu(
            millicores: Int64(level * 1000 * Double.random(in: 0...2, using: &generator)), at: time),
          to: &aggregate)
        container.addSample(
          .memory(
            bytes: Int64(level * 1e9 * Double.random(in: 0...2, using: &generator)), at: time),
          to: &aggregate)
        if Int.random(in: 0..<50, using: &generator) == 0 {
          try? container.recordOOM(
            at: time, requestedMemoryBytes: Int64(level * 5e8), to: &aggregate)
        }
      }
      let containers = Int.random(in: 1...4, using: &generator)
      let result = recommender.recommendedContainerResources(
        for: aggregate, minimum: recommender.minimumResources(containerCount: containers))
      let lower = try #require(result.lowerBound.cpuMillicores)
      let target = try #require(result.target.cpuMillicores)
      let upper = try #require(result.upperBound.cpuMillicores)
      #expect(lower <= target && target <= upper, "cpu \(lower) \(target) \(upper)")
      let lowerMemory = try #require(result.lowerBound.memoryBytes)
      let targetMemory = try #require(result.target.memoryBytes)
      let upperMemory = try #require(result.upperBound.memoryBytes)
      #expect(lowerMemory <= targetMemory && targetMemory <= upperMemory)
      #expect(lower >= 0 && upper <= ResourceAmount.maxAmount)
    }
  }

  /// Spec §8: with no history the bound estimators would compute 0 × ∞; the result is the
  /// pod minimum, never a trap or a negative number.
  @Test func noHistoryGivesThePodMinimum() {
    let result = PodResourceRecommender().recommendedPodResources(
      for: ["app": AggregateContainerState(creationTime: .seconds(0))])
    let expected = ResourceAmounts(cpuMillicores: 25, memoryBytes: 262_144_000)
    #expect(
      result["app"]
        == RecommendedAmounts(target: expected, lowerBound: expected, upperBound: expected))
  }
}

@Suite struct CappingPropertyTests {
  static func randomList(_ generator: inout SplitMix64, allowZero: Bool = true) -> ResourceList {
    var list = ResourceList()
    if Bool.random(using: &generator) {
      list[.cpu] = Quantity(
        milliValue: Int64.random(in: (allowZero ? 0 : 1)...100_000, using: &generator))
    }
    if Bool.random(using: &generator) {
      list[.memory] = Quantity(
        Int64.random(in: (allowZero ? 0 : 1)...(64 << 30), using: &generator))
    }
    return list
  }

  /// For any recommendation and any valid policy (min ≤ max), every capped value lies within
  /// the non-zero minAllowed and maxAllowed — on the recommender side and at admission.
  @Test func cappedValuesStayWithinPolicy() throws {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<2_000 {
      var minimum = Self.randomList(&generator)
      var maximum = Self.randomList(&generator)
      for name in minimum.names {
        if let low = minimum[name], let high = maximum[name], !high.isZero, low > high {
          (minimum[name], maximum[name]) = (high, low)
        }
      }
      let policy = PodResourcePolicy(containerPolicies: [
        ContainerResourcePolicy(
          containerName: Bool.random(using: &generator) ? "app" : "*", minAllowed: minimum,
          maxAllowed: maximum)
      ])
      try policy.validate()
      let recommendation = [
        RecommendedContainerResources(
          containerName: "app", target: Self.randomList(&generator, allowZero: false),
          lowerBound: Self.randomList(&generator, allowZero: false),
          upperBound: Self.randomList(&generator, allowZero: false))
      ]
      let pod = VPAPod(
        name: "p", containers: [PodContainer(name: "app", requests: Self.randomList(&generator))])
      let admitted = CappingProcessor.apply(
        recommendation: recommendation, policy: policy, pod: pod)
      let recommended = CappingProcessor.applyVPAPolicy(
        recommendation, policy: policy, globalMaxAllowed: nil)
      for capped in [admitted.recommendations, recommended] {
        let item = try #require(capped?.first)
        for field in RecommendationField.allCases {
          for (name, value) in item[field] {
            if let low = minimum[name], !low.isZero { #expect(value >= low, "\(field) \(name)") }
            if let high = maximum[name], !high.isZero { #expect(value <= high, "\(field) \(name)") }
          }
        }
      }
    }
  }

  @Test func invalidPoliciesAreRejected() {
    let inverted = ContainerResourcePolicy(
      containerName: "app", minAllowed: [.cpu: Quantity(milliValue: 500)],
      maxAllowed: [.cpu: Quantity(milliValue: 100)])
    #expect(
      throws: VerticalAutoscalingError.minAllowedAboveMaxAllowed(container: "app", resource: "cpu")
    ) {
      try inverted.validate()
    }
    let unknown = ContainerResourcePolicy(
      containerName: "app", minAllowed: ["nvidia.com/gpu": Quantity(1)])
    #expect(throws: VerticalAutoscalingError.unsupportedResource("nvidia.com/gpu")) {
      try unknown.validate()
    }
    #expect(throws: VerticalAutoscalingError.unsupportedResource("ephemeral-storage")) {
      try RecommendedResource(.ephemeralStorage)
    }
    // Upstream's handling of an inverted policy (no validation): maxAllowed is applied last.
    let capped = CappingProcessor.applyVPAPolicy(
      [
        RecommendedContainerResources(
          containerName: "app", target: [.cpu: Quantity(milliValue: 300)])
      ],
      policy: PodResourcePolicy(containerPolicies: [inverted]), globalMaxAllowed: nil)
    #expect(capped?.first?.target[.cpu] == Quantity(milliValue: 100))
  }
}

@Suite struct CheckpointPropertyTests {
  /// Histograms whose bucket weights are integers with a maximum dividing 10000 survive a
  /// checkpoint exactly, so every percentile is preserved — through JSON too.
  @Test func roundTripPreservesPercentiles() throws {
    var generator = SplitMix64(seed: 11)
    let percentiles = [0.0123, 0.25013, 0.50021, 0.7503, 0.9001, 0.95017, 0.99]
    let encoder = JSONEncoder()
    let decoder = JSONDecoder()
    for round in 0..<300 {
      let options: HistogramOptions = round % 2 == 0 ? .vpaCPU : .vpaMemory
      let first = options.bucketStart(1)
      var histogram = try DecayingHistogram(options: options, halfLife: .seconds(86_400))
      let time = Instant.seconds(1_600_000_000 + Int64(round) * 86_400)
      let maxCount = [1, 2, 4, 5, 8].randomElement(using: &generator) ?? 1
      var usedBuckets: Set<Int> = []
      for _ in 0..<Int.random(in: 1...30, using: &generator) {
        let value = first * Foundation.pow(1.05, Double.random(in: 0...170, using: &generator))
        let bucket = options.bucket(for: value)
        guard usedBuckets.insert(bucket).inserted else { continue }
        let count =
          usedBuckets.count == 1 ? maxCount : Int.random(in: 1...maxCount, using: &generator)
        try histogram.addSample(options.bucketStart(bucket), weight: Double(count), at: time)
      }
      let checkpoint = histogram.checkpoint()
      let json = try encoder.encode(checkpoint)
      let decoded = try decoder.decode(HistogramCheckpoint.self, from: json)
      #expect(decoded == checkpoint)
      var restored = try DecayingHistogram(options: options, halfLife: .seconds(86_400))
      try restored.load(decoded)
      #expect(restored.referenceTimestamp == histogram.referenceTimestamp)
      for p in percentiles { #expect(restored.percentile(p) == histogram.percentile(p), "p\(p)") }
    }
  }

  /// An aggregate's checkpoint round-trips through the upstream JSON shape.
  @Test func aggregateCheckpointJSON() throws {
    var aggregate = AggregateContainerState(creationTime: .seconds(0))
    var container = ContainerState()
    let start = try Timestamp.parse("2024-05-01T00:00:00Z")
    for minute in 0..<600 {
      let time = start + .seconds(60 * Int64(minute))
      container.addSample(.cpu(millicores: Int64(200 + minute % 50), at: time), to: &aggregate)
      container.addSample(
        .memory(bytes: Int64(300_000_000 + minute * 1000), at: time), to: &aggregate)
    }
    let now = start + .seconds(36_000)
    let status = aggregate.checkpoint(at: now)
    let object = VerticalPodAutoscalerCheckpoint(
      metadata: .init(name: "web-app", namespace: "default"),
      spec: .init(vpaObjectName: "web", containerName: "app"), status: status)
    let json = try JSONEncoder().encode(object)
    let text = try #require(String(data: json, encoding: .utf8))
    #expect(text.contains("\"version\":\"v3\""))
    #expect(text.contains("\"firstSampleStart\":\"2024-05-01T00:00:00Z\""))
    #expect(text.contains("\"kind\":\"VerticalPodAutoscalerCheckpoint\""))
    let decoded = try JSONDecoder().decode(VerticalPodAutoscalerCheckpoint.self, from: json)
    #expect(decoded == object)
    var restored = AggregateContainerState(creationTime: now)
    try restored.load(decoded.status)
    #expect(restored.totalSamplesCount == 600)
    for p in [0.5, 0.9, 0.95] {
      #expect(restored.cpuUsage.percentile(p) == aggregate.cpuUsage.percentile(p))
    }
    var wrongVersion = status
    wrongVersion.version = "v2"
    #expect(
      throws: VerticalAutoscalingError.unsupportedCheckpointVersion(found: "v2", supported: "v3")
    ) {
      try restored.load(wrongVersion)
    }
  }
}
