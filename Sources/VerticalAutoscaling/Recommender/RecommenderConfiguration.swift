public import AutoscalingCore

/// The recommender's flags that shape a recommendation, with upstream's defaults
/// (`recommender/config/config.go`, VPA 1.7).
public struct RecommenderConfiguration: Hashable, Sendable {
  /// `--target-cpu-percentile` (0.9).
  public var targetCPUPercentile: Double = 0.9
  /// `--target-memory-percentile` (0.9).
  public var targetMemoryPercentile: Double = 0.9
  /// `--recommendation-lower-bound-cpu-percentile` (0.5).
  public var lowerBoundCPUPercentile: Double = 0.5
  /// `--recommendation-upper-bound-cpu-percentile` (0.95).
  public var upperBoundCPUPercentile: Double = 0.95
  /// `--recommendation-lower-bound-memory-percentile` (0.5).
  public var lowerBoundMemoryPercentile: Double = 0.5
  /// `--recommendation-upper-bound-memory-percentile` (0.95).
  public var upperBoundMemoryPercentile: Double = 0.95
  /// `--confidence-interval-cpu` (24 h).
  public var cpuConfidenceInterval: Duration = .seconds(86_400)
  /// `--confidence-interval-memory` (24 h).
  public var memoryConfidenceInterval: Duration = .seconds(86_400)
  /// `--recommendation-margin-fraction` (0.15).
  public var safetyMarginFraction: Double = 0.15
  /// `--pod-recommendation-min-cpu-millicores` (25), split evenly across containers.
  public var podMinCPUMillicores: Double = 25
  /// `--pod-recommendation-min-memory-mb` (250; really MiB), split evenly across containers.
  public var podMinMemoryMiB: Double = 250
  /// `--round-cpu-millicores` (1): CPU is rounded up to a multiple of this.
  public var roundCPUMillicores: Int64 = 1
  /// `--round-memory-bytes` (1): memory is rounded up to a multiple of this.
  public var roundMemoryBytes: Int64 = 1
  /// `--humanize-memory` (false, deprecated): memory re-expressed as `800.61Mi`.
  public var humanizeMemory: Bool = false
  /// `--cpu-integer-post-processor-enabled` (false).
  public var cpuIntegerPostProcessorEnabled: Bool = false
  /// `--container-recommendation-max-allowed-cpu`/`-memory` (unset): a global maximum that
  /// fills in resources a VPA's own `maxAllowed` leaves unset.
  public var containerRecommendationMaxAllowed: ResourceList = [:]
  /// The `PerVPAConfig` feature gate (alpha, off by default).
  public var perVPAConfig: Bool = false
  /// Aggregation: histogram schemes, half-lives, memory window, OOM bump-up.
  public var aggregation: AggregationConfiguration = AggregationConfiguration()
  /// `--recommender-interval` (1 min): how often a replay should ask for recommendations.
  public var recommenderInterval: Duration = .seconds(60)

  /// Creates the default configuration.
  public init() {}

  /// Checks every flag against upstream's expectations.
  ///
  /// - Throws: ``VerticalAutoscalingError/invalidConfiguration(_:)`` naming the flag.
  public func validate() throws(VerticalAutoscalingError) {
    let percentiles: [(String, Double)] = [
      ("target-cpu-percentile", targetCPUPercentile),
      ("target-memory-percentile", targetMemoryPercentile),
      ("recommendation-lower-bound-cpu-percentile", lowerBoundCPUPercentile),
      ("recommendation-upper-bound-cpu-percentile", upperBoundCPUPercentile),
      ("recommendation-lower-bound-memory-percentile", lowerBoundMemoryPercentile),
      ("recommendation-upper-bound-memory-percentile", upperBoundMemoryPercentile),
    ]
    for (flag, value) in percentiles where !(0...1).contains(value) {
      throw .invalidConfiguration("\(flag) must lie in 0...1, got \(value)")
    }
    guard safetyMarginFraction >= 0, safetyMarginFraction.isFinite else {
      throw .invalidConfiguration(
        "recommendation-margin-fraction must be ≥ 0, got \(safetyMarginFraction)")
    }
    guard podMinCPUMillicores >= 0, podMinCPUMillicores.isFinite, podMinMemoryMiB >= 0,
      podMinMemoryMiB.isFinite
    else {
      throw .invalidConfiguration(
        "pod-recommendation-min-cpu-millicores and -memory-mb must be ≥ 0")
    }
    guard roundCPUMillicores > 0 else {
      throw .invalidConfiguration("round-cpu-millicores must be ≥ 1")
    }
    guard roundMemoryBytes > 0 else {
      throw .invalidConfiguration("round-memory-bytes must be ≥ 1")
    }
    guard cpuConfidenceInterval > .zero, memoryConfidenceInterval > .zero else {
      throw .invalidConfiguration("confidence intervals must be positive")
    }
    for name in containerRecommendationMaxAllowed.names { _ = try RecommendedResource(name) }
    try aggregation.validate()
  }

  /// The estimator chain for the target (upstream `CreatePodResourceRecommender`):
  /// percentile, then margin.
  public var targetEstimator: ResourceEstimator {
    .margin(
      fraction: safetyMarginFraction,
      base: .percentile(cpu: targetCPUPercentile, memory: targetMemoryPercentile))
  }

  /// The estimator chain for the lower bound: percentile, margin, then
  /// `× (1 + 0.001/confidence)^-2`.
  public var lowerBoundEstimator: ResourceEstimator {
    .confidenceMultiplier(
      multiplier: 0.001, exponent: -2, cpuInterval: cpuConfidenceInterval,
      memoryInterval: memoryConfidenceInterval,
      base: .margin(
        fraction: safetyMarginFraction,
        base: .percentile(cpu: lowerBoundCPUPercentile, memory: lowerBoundMemoryPercentile)))
  }

  /// The estimator chain for the upper bound: percentile, margin, then
  /// `× (1 + 1/confidence)^1`.
  public var upperBoundEstimator: ResourceEstimator {
    .confidenceMultiplier(
      multiplier: 1, exponent: 1, cpuInterval: cpuConfidenceInterval,
      memoryInterval: memoryConfidenceInterval,
      base: .margin(
        fraction: safetyMarginFraction,
        base: .percentile(cpu: upperBoundCPUPercentile, memory: upperBoundMemoryPercentile)))
  }
}
