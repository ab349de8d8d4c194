import AutoscalingCore

/// A CPU and memory amount produced by an estimator: millicores and bytes.
public struct ResourceEstimate: Hashable, Sendable {
  /// CPU in millicores.
  public var cpuMillicores: Int64
  /// Memory in bytes.
  public var memoryBytes: Int64

  /// Creates an estimate.
  ///
  /// - Parameters:
  ///   - cpuMillicores: CPU in millicores.
  ///   - memoryBytes: Memory in bytes.
  public init(cpuMillicores: Int64, memoryBytes: Int64) {
    self.cpuMillicores = cpuMillicores
    self.memoryBytes = memoryBytes
  }
}

/// A composable resource estimator (upstream `ResourceEstimator` and its decorators,
/// `recommender/logic/estimator.go`).
///
/// Each decorator truncates to whole millicores and bytes, as upstream does.
public indirect enum ResourceEstimator: Hashable, Sendable {
  /// A fixed estimate (upstream's test helper `constEstimator`).
  case constant(ResourceEstimate)
  /// The CPU and memory-peak percentiles (upstream `NewPercentileEstimator`).
  case percentile(cpu: Double, memory: Double)
  /// `base + base·fraction` per resource, each term truncated (upstream `WithMargin`).
  case margin(fraction: Double, base: ResourceEstimator)
  /// `base · (1 + multiplier/confidence)^exponent`, with confidence measured over separate
  /// CPU and memory intervals (upstream `WithConfidenceMultiplier`).
  case confidenceMultiplier(
    multiplier: Double, exponent: Double, cpuInterval: Duration, memoryInterval: Duration,
    base: ResourceEstimator)
  /// `max(base, minimum)` per resource (upstream `WithMinResources`).
  case minimum(ResourceEstimate, base: ResourceEstimator)

  /// Estimates the resources of one aggregate.
  ///
  /// - Parameter state: The container aggregate.
  /// - Returns: CPU in millicores and memory in bytes, each within `0...1e14`.
  public func estimate(_ state: AggregateContainerState) -> ResourceEstimate {
    switch self {
    case .constant(let value):
      return value
    case .percentile(let cpu, let memory):
      return ResourceEstimate(
        cpuMillicores: ResourceAmount.cpu(fromCores: state.cpuUsage.percentile(cpu)),
        memoryBytes: ResourceAmount.memory(fromBytes: state.memoryPeaks.percentile(memory)))
    case .margin(let fraction, let base):
      let value = base.estimate(state)
      return ResourceEstimate(
        cpuMillicores: value.cpuMillicores
          + ResourceAmount.scaled(value.cpuMillicores, by: fraction),
        memoryBytes: value.memoryBytes + ResourceAmount.scaled(value.memoryBytes, by: fraction))
    case .confidenceMultiplier(
      let multiplier, let exponent, let cpuInterval, let memoryInterval, let base):
      let value = base.estimate(state)
      let cpuFactor = GoMath.pow(
        1 + multiplier / Self.confidence(of: state, interval: cpuInterval), exponent)
      let memoryFactor = GoMath.pow(
        1 + multiplier / Self.confidence(of: state, interval: memoryInterval), exponent)
      return ResourceEstimate(
        cpuMillicores: ResourceAmount.scaled(value.cpuMillicores, by: cpuFactor),
        memoryBytes: ResourceAmount.scaled(value.memoryBytes, by: memoryFactor))
    case .minimum(let minimum, let base):
      let value = base.estimate(state)
      return ResourceEstimate(
        cpuMillicores: max(value.cpuMillicores, minimum.cpuMillicores),
        memoryBytes: max(value.memoryBytes, minimum.memoryBytes))
    }
  }

  /// How much history an aggregate has, in units of `interval` (upstream `getConfidence`):
  /// the smaller of the CPU sample lifespan and the CPU sample count per minute of interval.
  ///
  /// With one sample per minute over N intervals the confidence is N; with no samples it is 0.
  ///
  /// - Parameters:
  ///   - state: The aggregate.
  ///   - interval: The confidence interval (default 24 h).
  /// - Returns: The confidence, ≥ 0 (0 also for a non-positive interval).
  public static func confidence(of state: AggregateContainerState, interval: Duration) -> Double {
    let intervalMilliseconds = Double(interval.wholeMilliseconds)
    guard intervalMilliseconds > 0 else { return 0 }
    var lifespan = 0.0
    if let first = state.firstSampleStart, let last = state.lastSampleStart {
      lifespan = Double(DecayingHistogram.saturatingDifference(last, first)) / intervalMilliseconds
    }
    let samples = Double(state.totalSamplesCount) / (intervalMilliseconds / 60_000)
    return min(lifespan, samples)
  }
}
