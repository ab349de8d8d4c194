public import AutoscalingCore

/// Usage history of all containers sharing a name (and pod labels): a decaying CPU histogram,
/// a decaying histogram of memory window peaks, and sample bookkeeping (upstream
/// `AggregateContainerState`, `model/aggregate_container_state.go`).
///
/// Only CPU samples count toward ``firstSampleStart``, ``lastSampleStart`` and
/// ``totalSamplesCount``, so memory confidence also depends on CPU history, as upstream.
public struct AggregateContainerState: Hashable, Sendable, ContainerUsageSink {
  /// CPU usage in cores, each sample weighted 0.1 and decayed.
  public private(set) var cpuUsage: DecayingHistogram
  /// Memory window peaks in bytes, each weighted 1.0 and decayed.
  public private(set) var memoryPeaks: DecayingHistogram
  /// The start of the earliest CPU sample.
  public private(set) var firstSampleStart: Instant?
  /// The start of the latest CPU sample.
  public private(set) var lastSampleStart: Instant?
  /// The number of CPU samples.
  public private(set) var totalSamplesCount: Int = 0
  /// When the aggregate was created (for the expiry of aggregates without samples).
  public var creationTime: Instant
  /// The container's scaling mode from its policy (``ContainerScalingMode/auto`` by default).
  public private(set) var scalingMode: ContainerScalingMode = .auto
  /// The resources recommended for this container (`[cpu, memory]` by default).
  public private(set) var controlledResources: [RecommendedResource] = [.cpu, .memory]
  /// The aggregation settings, including per-VPA overrides once applied.
  public private(set) var configuration: AggregationConfiguration

  /// Creates an empty aggregate.
  ///
  /// - Parameters:
  ///   - configuration: Histogram schemes, half-lives, window length and OOM bump-up; must be
  ///     valid (see ``AggregationConfiguration/validate()``), else half-lives below 1 ms are
  ///     raised to 1 ms.
  ///   - creationTime: When the aggregate was created.
  public init(
    configuration: AggregationConfiguration = AggregationConfiguration(), creationTime: Instant
  ) {
    self.configuration = configuration
    self.creationTime = creationTime
    cpuUsage = DecayingHistogram(
      options: configuration.cpuHistogramOptions,
      halfLifeMilliseconds: configuration.cpuHistogramDecayHalfLife.wholeMilliseconds)
    memoryPeaks = DecayingHistogram(
      options: configuration.memoryHistogramOptions,
      halfLifeMilliseconds: configuration.memoryHistogramDecayHalfLife.wholeMilliseconds)
  }

  /// Records a CPU sample (upstream `addCPUSample`): adds it to the CPU histogram and updates
  /// the first and last sample times and the count.
  ///
  /// - Parameters:
  ///   - cores: Usage in cores (NaN is ignored, negative lands in the first bucket).
  ///   - weight: The sample weight (negative or NaN is ignored).
  ///   - time: The sample's start time.
  public mutating func addCPUUsage(cores: Double, weight: Double, at time: Instant) {
    guard weight >= 0, weight.isFinite, !cores.isNaN else { return }
    cpuUsage.addValidated(cores, weight: weight, at: time)
    if lastSampleStart.map({ time > $0 }) ?? true { lastSampleStart = time }
    if firstSampleStart.map({ time < $0 }) ?? true { firstSampleStart = time }
    totalSamplesCount += 1
  }

  /// Records a memory window peak.
  ///
  /// - Parameters:
  ///   - bytes: The peak in bytes (NaN is ignored).
  ///   - weight: The weight, 1.0 for peaks (negative or NaN is ignored).
  ///   - time: The end of the peak's window.
  public mutating func addMemoryPeak(bytes: Double, weight: Double, at time: Instant) {
    guard weight >= 0, weight.isFinite, !bytes.isNaN else { return }
    memoryPeaks.addValidated(bytes, weight: weight, at: time)
  }

  /// Removes a memory window peak recorded earlier.
  ///
  /// - Parameters:
  ///   - bytes: The peak in bytes (NaN is ignored).
  ///   - weight: The weight, 1.0 for peaks (negative or NaN is ignored).
  ///   - time: The end of the peak's window.
  public mutating func subtractMemoryPeak(bytes: Double, weight: Double, at time: Instant) {
    guard weight >= 0, weight.isFinite, !bytes.isNaN else { return }
    memoryPeaks.subtractValidated(bytes, weight: weight, at: time)
  }

  /// Merges another aggregate into this one (upstream `MergeContainerState`): histograms are
  /// merged, the earliest first and latest last sample times kept, counts added.
  ///
  /// - Parameter other: An aggregate built with the same histogram schemes and half-lives.
  /// - Throws: ``VerticalAutoscalingError/histogramOptionsMismatch`` otherwise.
  public mutating func merge(_ other: AggregateContainerState) throws(VerticalAutoscalingError) {
    try cpuUsage.merge(other.cpuUsage)
    try memoryPeaks.merge(other.memoryPeaks)
    if let otherFirst = other.firstSampleStart, firstSampleStart.map({ otherFirst < $0 }) ?? true {
      firstSampleStart = otherFirst
    }
    if let otherLast = other.lastSampleStart, lastSampleStart.map({ otherLast > $0 }) ?? true {
      lastSampleStart = otherLast
    }
    totalSamplesCount += other.totalSamplesCount
  }

  /// Whether the aggregate has no CPU samples.
  public var isEmpty: Bool { totalSamplesCount == 0 }

  /// Whether the aggregate should be garbage-collected (upstream `isExpired`): with samples,
  /// when the last sample is at least interval × count old; without, when the aggregate is.
  ///
  /// - Parameter now: The evaluation instant.
  /// - Returns: Whether the aggregate has expired.
  public func isExpired(at now: Instant) -> Bool {
    let window = configuration.maxAggregationWindowMilliseconds
    let since = isEmpty ? creationTime : (lastSampleStart ?? creationTime)
    return DecayingHistogram.saturatingDifference(now, since) >= window
  }

  /// Applies a container policy (upstream `UpdateFromPolicy`): scaling mode (default Auto),
  /// controlled resources (default cpu and memory; an explicit empty list stays empty) and,
  /// only when `perVPAConfig` is on, the per-VPA OOM and window overrides.
  ///
  /// - Parameters:
  ///   - policy: The container's policy, or `nil`.
  ///   - defaults: The recommender-wide aggregation settings the overrides replace.
  ///   - perVPAConfig: Whether the `PerVPAConfig` feature gate (alpha, off by default) is on.
  public mutating func update(
    from policy: ContainerResourcePolicy?, defaults: AggregationConfiguration,
    perVPAConfig: Bool = false
  ) {
    scalingMode = policy?.mode ?? .auto
    controlledResources = policy?.controlledResources ?? [.cpu, .memory]
    var effective = configuration
    effective.oomBumpUpRatio = defaults.oomBumpUpRatio
    effective.oomMinBumpUpBytes = defaults.oomMinBumpUpBytes
    effective.memoryAggregationInterval = defaults.memoryAggregationInterval
    effective.memoryAggregationIntervalCount = defaults.memoryAggregationIntervalCount
    if perVPAConfig, let policy {
      if let ratio = policy.oomBumpUpRatio, ratio >= 1, ratio.isFinite {
        effective.oomBumpUpRatio = ratio
      }
      if let minimum = policy.oomMinBumpUp {
        effective.oomMinBumpUpBytes = Double(minimum.milliValue) / 1000
      }
      if let seconds = policy.memoryAggregationIntervalSeconds, seconds > 0 {
        effective.memoryAggregationInterval = .seconds(seconds)
      }
      if let count = policy.memoryAggregationIntervalCount, count > 0 {
        effective.memoryAggregationIntervalCount = count
      }
    }
    configuration = effective
  }

  /// The checkpoint format version this recommender reads and writes
  /// (upstream `SupportedCheckpointVersion`).
  public static let supportedCheckpointVersion = "v3"

  /// Saves the aggregate (upstream `SaveToCheckpoint`).
  ///
  /// - Parameters:
  ///   - now: The checkpoint's `lastUpdateTime`.
  ///   - liveContainers: Live containers contributing to this aggregate; the peak of each one's
  ///     ongoing window is left out of the saved memory histogram, as upstream's checkpoint
  ///     writer does (`subtractCurrentContainerMemoryPeak`), so a restore does not count it
  ///     twice.
  /// - Returns: The checkpoint status.
  public func checkpoint(at now: Instant, liveContainers: [ContainerState] = [])
    -> VerticalPodAutoscalerCheckpointStatus
  {
    var memory = memoryPeaks
    for container in liveContainers {
      if let end = container.windowEnd, now < end {
        memory.subtractValidated(Double(container.maxMemoryPeak), weight: 1, at: end)
      }
    }
    return VerticalPodAutoscalerCheckpointStatus(
      lastUpdateTime: now, version: Self.supportedCheckpointVersion,
      cpuHistogram: cpuUsage.checkpoint(), memoryHistogram: memory.checkpoint(),
      firstSampleStart: firstSampleStart, lastSampleStart: lastSampleStart,
      totalSamplesCount: totalSamplesCount)
  }

  /// Restores counters, times and both histograms from a checkpoint (upstream
  /// `LoadFromCheckpoint`); histogram buckets are added to what is already there.
  ///
  /// - Parameter checkpoint: A saved aggregate.
  /// - Throws: ``VerticalAutoscalingError/unsupportedCheckpointVersion(found:supported:)`` for
  ///   a version other than `v3`; ``VerticalAutoscalingError/invalidCheckpoint(_:)`` for bad
  ///   histogram data or a negative sample count.
  public mutating func load(_ checkpoint: VerticalPodAutoscalerCheckpointStatus)
    throws(VerticalAutoscalingError)
  {
    guard checkpoint.version == Self.supportedCheckpointVersion else {
      throw .unsupportedCheckpointVersion(
        found: checkpoint.version, supported: Self.supportedCheckpointVersion)
    }
    guard checkpoint.totalSamplesCount >= 0 else {
      throw .invalidCheckpoint(
        "totalSamplesCount must be ≥ 0, found \(checkpoint.totalSamplesCount)")
    }
    var restored = self
    restored.totalSamplesCount = checkpoint.totalSamplesCount
    restored.firstSampleStart = checkpoint.firstSampleStart
    restored.lastSampleStart = checkpoint.lastSampleStart
    try restored.memoryPeaks.load(checkpoint.memoryHistogram)
    try restored.cpuUsage.load(checkpoint.cpuHistogram)
    self = restored
  }
}
