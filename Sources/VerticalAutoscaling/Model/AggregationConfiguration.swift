import AutoscalingCore

/// How usage is aggregated per container: histogram schemes, half-lives, the memory peak
/// window and the OOM bump-up (upstream `AggregationsConfig`, `model/aggregations_config.go`).
///
/// Defaults are upstream's flag defaults.
public struct AggregationConfiguration: Hashable, Sendable {
  /// The length of one memory-peak window (`--memory-aggregation-interval`, default 24 h).
  public var memoryAggregationInterval: Duration = .seconds(86_400)
  /// Windows kept before an idle aggregate expires (`--memory-aggregation-interval-count`,
  /// default 8, so 8 days).
  public var memoryAggregationIntervalCount: Int = 8
  /// CPU sample half-life (`--cpu-histogram-decay-half-life`, default 24 h).
  public var cpuHistogramDecayHalfLife: Duration = .seconds(86_400)
  /// Memory peak half-life (`--memory-histogram-decay-half-life`, default 24 h).
  public var memoryHistogramDecayHalfLife: Duration = .seconds(86_400)
  /// Factor applied to the memory in use at an OOM kill (`--oom-bump-up-ratio`, default 1.2).
  public var oomBumpUpRatio: Double = 1.2
  /// Bytes added at least at an OOM kill (`--oom-min-bump-up-bytes`, default 100 MiB).
  public var oomMinBumpUpBytes: Double = 104_857_600
  /// The CPU histogram scheme, in cores.
  public var cpuHistogramOptions: HistogramOptions = .vpaCPU
  /// The memory histogram scheme, in bytes.
  public var memoryHistogramOptions: HistogramOptions = .vpaMemory
  /// The weight of every CPU sample (upstream `minSampleWeight`, 0.1).
  public var cpuSampleWeight: Double = 0.1
  /// Before 1.4.0 CPU samples were weighted by the container's CPU request in cores (at least
  /// ``cpuSampleWeight``); set this to reproduce that.
  public var weightsCPUSamplesByRequest: Bool = false
  /// Which OOM staleness rule applies (1.7.1 by default).
  public var oomStalenessRule: OOMStalenessRule = .windowEnd

  /// How `RecordOOM` decides that an OOM event is too old to record.
  public enum OOMStalenessRule: Hashable, Sendable {
    /// 1.7.1 and earlier: stale when before `windowEnd − interval`.
    case windowEnd
    /// After 1.7.1 (fix for upstream issue 8548): stale when a memory sample was seen and the
    /// OOM is before `lastMemorySampleStart − interval`.
    case lastMemorySample
  }

  /// Creates the default configuration.
  public init() {}

  /// The history an aggregate keeps before it expires: interval × count (default 8 days),
  /// saturating instead of overflowing.
  public var maxAggregationWindow: Duration {
    .milliseconds(maxAggregationWindowMilliseconds)
  }

  /// ``maxAggregationWindow`` in whole milliseconds, saturating at `Int64.max`.
  var maxAggregationWindowMilliseconds: Int64 {
    let (product, overflow) = memoryAggregationInterval.wholeMilliseconds
      .multipliedReportingOverflow(by: Int64(clamping: memoryAggregationIntervalCount))
    return overflow ? .max : product
  }

  /// Checks every value against upstream's expectations.
  ///
  /// - Throws: ``VerticalAutoscalingError/invalidConfiguration(_:)`` naming the flag.
  public func validate() throws(VerticalAutoscalingError) {
    guard memoryAggregationInterval.wholeMilliseconds > 0 else {
      throw .invalidConfiguration("memory-aggregation-interval must be positive")
    }
    guard memoryAggregationIntervalCount > 0 else {
      throw .invalidConfiguration("memory-aggregation-interval-count must be at least 1")
    }
    guard cpuHistogramDecayHalfLife.wholeMilliseconds > 0,
      memoryHistogramDecayHalfLife.wholeMilliseconds > 0
    else { throw .invalidConfiguration("histogram decay half-lives must be positive") }
    guard oomBumpUpRatio >= 1, oomBumpUpRatio.isFinite else {
      throw .invalidConfiguration(
        "oom-bump-up-ratio must be a finite number ≥ 1, got \(oomBumpUpRatio)")
    }
    guard oomMinBumpUpBytes >= 0, oomMinBumpUpBytes.isFinite else {
      throw .invalidConfiguration("oom-min-bump-up-bytes must be ≥ 0, got \(oomMinBumpUpBytes)")
    }
    guard cpuSampleWeight > 0, cpuSampleWeight.isFinite else {
      throw .invalidConfiguration("the CPU sample weight must be positive")
    }
  }
}
