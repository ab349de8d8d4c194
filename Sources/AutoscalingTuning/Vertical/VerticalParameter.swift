public import VerticalAutoscaling

/// A recommender flag the vertical tuner can search, by its dimension name.
///
/// Each parameter maps one numeric level onto ``RecommenderConfiguration`` (upstream
/// `recommender/config/config.go` flags, VPA 1.7). Units are in the names: hours, MiB,
/// millicores; percentiles and the margin are fractions.
public enum VerticalParameter: String, Sendable, Hashable, CaseIterable, Codable {
  /// `--target-cpu-percentile`, a fraction in (0, 1]. When it exceeds the upper-bound
  /// percentile (0.95) the upper bound follows it; below the lower-bound percentile (0.5) the
  /// lower bound follows it, so the band always contains the target.
  case targetCPUPercentile
  /// `--target-memory-percentile`, a fraction in (0, 1]; bounds follow as for CPU.
  case targetMemoryPercentile
  /// `--recommendation-margin-fraction`, a fraction ≥ 0.
  case safetyMarginFraction
  /// `--cpu-histogram-decay-half-life`, hours > 0.
  case cpuHalfLifeHours
  /// `--memory-histogram-decay-half-life`, hours > 0.
  case memoryHalfLifeHours
  /// `--oom-bump-up-ratio`, ≥ 1.
  case oomBumpUpRatio
  /// `--oom-min-bump-up-bytes`, in MiB ≥ 0.
  case oomMinBumpUpMiB
  /// `--confidence-interval-cpu` and `--confidence-interval-memory` together, hours > 0.
  case confidenceIntervalHours
  /// `--pod-recommendation-min-cpu-millicores`, millicores ≥ 0.
  case podMinCPUMillicores
  /// `--pod-recommendation-min-memory-mb` (MiB upstream), MiB ≥ 0.
  case podMinMemoryMiB

  /// The parameter's value in a configuration (the inverse of ``apply(_:to:)``).
  ///
  /// - Parameter configuration: The recommender flags.
  /// - Returns: The value in this parameter's unit.
  public func value(in configuration: RecommenderConfiguration) -> Double {
    switch self {
    case .targetCPUPercentile: configuration.targetCPUPercentile
    case .targetMemoryPercentile: configuration.targetMemoryPercentile
    case .safetyMarginFraction: configuration.safetyMarginFraction
    case .cpuHalfLifeHours: Self.hours(configuration.aggregation.cpuHistogramDecayHalfLife)
    case .memoryHalfLifeHours:
      Self.hours(configuration.aggregation.memoryHistogramDecayHalfLife)
    case .oomBumpUpRatio: configuration.aggregation.oomBumpUpRatio
    case .oomMinBumpUpMiB: configuration.aggregation.oomMinBumpUpBytes / 1_048_576
    case .confidenceIntervalHours: Self.hours(configuration.cpuConfidenceInterval)
    case .podMinCPUMillicores: configuration.podMinCPUMillicores
    case .podMinMemoryMiB: configuration.podMinMemoryMiB
    }
  }

  /// Sets the parameter in a configuration.
  ///
  /// Values are not range-checked here: ``RecommenderConfiguration/validate()`` (called when
  /// a replay builds its recommender) rejects out-of-range flags with their upstream names.
  ///
  /// - Parameters:
  ///   - value: The value in this parameter's unit (hours, MiB, millicores or a fraction).
  ///   - configuration: The flags to change.
  public func apply(_ value: Double, to configuration: inout RecommenderConfiguration) {
    switch self {
    case .targetCPUPercentile:
      configuration.targetCPUPercentile = value
      configuration.upperBoundCPUPercentile = max(configuration.upperBoundCPUPercentile, value)
      configuration.lowerBoundCPUPercentile = min(configuration.lowerBoundCPUPercentile, value)
    case .targetMemoryPercentile:
      configuration.targetMemoryPercentile = value
      configuration.upperBoundMemoryPercentile = max(
        configuration.upperBoundMemoryPercentile, value)
      configuration.lowerBoundMemoryPercentile = min(
        configuration.lowerBoundMemoryPercentile, value)
    case .safetyMarginFraction: configuration.safetyMarginFraction = value
    case .cpuHalfLifeHours:
      configuration.aggregation.cpuHistogramDecayHalfLife = Self.duration(hours: value)
    case .memoryHalfLifeHours:
      configuration.aggregation.memoryHistogramDecayHalfLife = Self.duration(hours: value)
    case .oomBumpUpRatio: configuration.aggregation.oomBumpUpRatio = value
    case .oomMinBumpUpMiB: configuration.aggregation.oomMinBumpUpBytes = value * 1_048_576
    case .confidenceIntervalHours:
      configuration.cpuConfidenceInterval = Self.duration(hours: value)
      configuration.memoryConfidenceInterval = Self.duration(hours: value)
    case .podMinCPUMillicores: configuration.podMinCPUMillicores = value
    case .podMinMemoryMiB: configuration.podMinMemoryMiB = value
    }
  }

  /// The levels the default space gives this parameter; each list contains upstream's
  /// default (the seed).
  public var defaultLevels: [Double] {
    switch self {
    case .targetCPUPercentile: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99]
    case .targetMemoryPercentile: [0.8, 0.9, 0.95, 0.99, 1.0]
    case .safetyMarginFraction: [0, 0.05, 0.1, 0.15, 0.2, 0.3]
    case .cpuHalfLifeHours: [1, 6, 12, 24, 48, 96]
    case .memoryHalfLifeHours: [6, 12, 24, 48, 96]
    case .oomBumpUpRatio: [1.1, 1.2, 1.5, 2]
    case .oomMinBumpUpMiB: [0, 50, 100, 250]
    case .confidenceIntervalHours: [1, 6, 24, 72]
    case .podMinCPUMillicores: [10, 25, 100]
    case .podMinMemoryMiB: [64, 250, 512]
    }
  }

  /// Whole milliseconds of `hours`, saturating; non-finite or negative hours give zero (which
  /// the configuration's validation then rejects by name).
  static func duration(hours: Double) -> Duration {
    let milliseconds = hours * 3_600_000
    guard milliseconds.isFinite, milliseconds > 0 else { return .zero }
    guard milliseconds < 9.2e18 else { return .milliseconds(Int64.max) }
    return .milliseconds(Int64(milliseconds.rounded()))
  }

  /// A duration in hours.
  static func hours(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return (Double(seconds) + Double(attoseconds) / 1e18) / 3600
  }
}

extension ParameterSpace {
  /// The vertical tuner's default space: the given ``VerticalParameter``s with their
  /// ``VerticalParameter/defaultLevels`` (all ten span about 1.7 million combinations: use a
  /// sampling or adaptive strategy).
  ///
  /// - Parameter parameters: The parameters to search, in dimension order (all by default).
  /// - Returns: The space (dimension names are the parameters' raw values).
  /// - Throws: ``TuningError/duplicateDimension(name:)`` when a parameter is listed twice.
  public static func vpaRecommenderDefault(
    _ parameters: [VerticalParameter] = VerticalParameter.allCases
  ) throws(TuningError) -> ParameterSpace {
    try ParameterSpace(
      dimensions: parameters.map {
        Dimension(name: $0.rawValue, domain: .reals($0.defaultLevels))
      })
  }
}
