public import AutoscalingCore

/// The recommender's view of one running container: the last CPU sample time and the memory
/// peak of the current aggregation window (upstream `ContainerState`, `model/container.go`).
///
/// A container state forwards what it keeps to an aggregate (any ``ContainerUsageSink``):
/// every accepted CPU sample, and one memory peak per window, recorded at the window's end.
/// Windows are anchored at the container's first memory sample.
public struct ContainerState: Hashable, Sendable {
  /// The container's CPU request in millicores (used only when CPU samples are weighted by
  /// request, the pre-1.4.0 rule).
  public var cpuRequestMillicores: Int64
  /// The container's memory request in bytes (informational).
  public var memoryRequestBytes: Int64
  /// The start of the last accepted CPU sample.
  public private(set) var lastCPUSampleStart: Instant?
  /// The start of the last accepted memory sample (an OOM sample may move it backwards).
  public private(set) var lastMemorySampleStart: Instant?
  /// The end of the current memory window; `nil` before the first memory sample.
  public private(set) var windowEnd: Instant?
  /// The largest regular memory sample in the current window, in bytes.
  public private(set) var memoryPeak: Int64 = 0
  /// The OOM-derived peak in the current window, in bytes.
  public private(set) var oomPeak: Int64 = 0
  /// The aggregation settings (window length, OOM bump-up, CPU weighting).
  public let configuration: AggregationConfiguration

  /// Creates the state of a container that has not been sampled yet.
  ///
  /// - Parameters:
  ///   - cpuRequestMillicores: The CPU request in millicores.
  ///   - memoryRequestBytes: The memory request in bytes.
  ///   - configuration: Window length, OOM bump-up and CPU weighting.
  public init(
    cpuRequestMillicores: Int64 = 0, memoryRequestBytes: Int64 = 0,
    configuration: AggregationConfiguration = AggregationConfiguration()
  ) {
    self.cpuRequestMillicores = cpuRequestMillicores
    self.memoryRequestBytes = memoryRequestBytes
    self.configuration = configuration
  }

  /// The larger of the memory peak and the OOM peak of the current window, in bytes.
  public var maxMemoryPeak: Int64 { max(memoryPeak, oomPeak) }

  /// Records a usage sample, as upstream `AddSample`.
  ///
  /// CPU samples must be strictly after the previous CPU sample; memory samples must not be
  /// before the previous memory sample; negative usage is discarded. Discarded samples change
  /// nothing.
  ///
  /// - Parameters:
  ///   - sample: The measurement.
  ///   - sink: The aggregate that receives CPU samples and memory peaks.
  /// - Returns: Whether the sample was recorded, and why not.
  @discardableResult
  public mutating func addSample<Sink: ContainerUsageSink>(
    _ sample: ContainerUsageSample, to sink: inout Sink
  ) -> SampleOutcome {
    switch sample.resource {
    case .cpu: return addCPUSample(sample, to: &sink)
    case .memory: return addMemorySample(sample, isOOM: false, to: &sink)
    }
  }

  private mutating func addCPUSample<Sink: ContainerUsageSink>(
    _ sample: ContainerUsageSample, to sink: inout Sink
  ) -> SampleOutcome {
    guard sample.usage >= 0 else { return .rejectedNegativeUsage }
    if let last = lastCPUSampleStart, sample.measureStart <= last { return .rejectedOutOfOrder }
    let weight =
      configuration.weightsCPUSamplesByRequest
      ? max(
        ResourceAmount.cores(fromMillicores: cpuRequestMillicores), configuration.cpuSampleWeight)
      : configuration.cpuSampleWeight
    sink.addCPUUsage(
      cores: ResourceAmount.cores(fromMillicores: sample.usage), weight: weight,
      at: sample.measureStart)
    lastCPUSampleStart = sample.measureStart
    return .accepted
  }

  private mutating func addMemorySample<Sink: ContainerUsageSink>(
    _ sample: ContainerUsageSample, isOOM: Bool, to sink: inout Sink
  ) -> SampleOutcome {
    let time = sample.measureStart
    guard sample.usage >= 0 else { return .rejectedNegativeUsage }
    if !isOOM, let last = lastMemorySampleStart, time < last { return .rejectedOutOfOrder }
    lastMemorySampleStart = time
    let currentEnd = windowEnd ?? time
    var addNewPeak = false
    if time < currentEnd {
      let oldPeak = maxMemoryPeak
      if oldPeak != 0 && sample.usage > oldPeak {
        sink.subtractMemoryPeak(bytes: Double(oldPeak), weight: 1, at: currentEnd)
        addNewPeak = true
      }
      windowEnd = currentEnd
    } else {
      // Move to the window containing `time`: whole intervals past the end, plus one.
      let interval = max(1, configuration.memoryAggregationInterval.wholeMilliseconds)
      let behind = DecayingHistogram.saturatingDifference(time, currentEnd)
      let (shift, overflow) = (behind / interval).multipliedReportingOverflow(by: interval)
      let end = currentEnd.millisecondsSinceEpoch &+ (overflow ? 0 : shift) &+ interval
      windowEnd = Instant(millisecondsSinceEpoch: end)
      memoryPeak = 0
      oomPeak = 0
      addNewPeak = true
    }
    if addNewPeak, let end = windowEnd {
      sink.addMemoryPeak(bytes: Double(sample.usage), weight: 1, at: end)
      if isOOM { oomPeak = sample.usage } else { memoryPeak = sample.usage }
    }
    return .accepted
  }

  /// Records an OOM kill as an artificial memory peak, as upstream `RecordOOM`.
  ///
  /// The peak is `max(used + oomMinBumpUp, used · oomBumpUpRatio)` with
  /// `used = max(requestedMemory, memoryPeak)`; the previous OOM peak is deliberately ignored
  /// so repeated OOMs do not ratchet.
  ///
  /// - Parameters:
  ///   - time: When the container was killed (its `finishedAt`, or the event time).
  ///   - requestedMemoryBytes: The container's memory request at the kill, in bytes.
  ///   - sink: The aggregate that receives the peak.
  /// - Throws: ``VerticalAutoscalingError/staleOutOfMemoryEvent(_:)`` when the event is older
  ///   than the memory history allows (see ``AggregationConfiguration/OOMStalenessRule``).
  public mutating func recordOOM<Sink: ContainerUsageSink>(
    at time: Instant, requestedMemoryBytes: Int64, to sink: inout Sink
  ) throws(VerticalAutoscalingError) {
    let interval = configuration.memoryAggregationInterval
    switch configuration.oomStalenessRule {
    case .windowEnd:
      // Go's zero WindowEnd minus the interval is far in the past: nothing is stale then.
      if let end = windowEnd, time < end - interval {
        throw .staleOutOfMemoryEvent(
          "it is too old (\(Timestamp.format(time)) is before the current window end "
            + "\(Timestamp.format(end)) minus one aggregation interval)")
      }
    case .lastMemorySample:
      if let last = lastMemorySampleStart, time < last - interval {
        throw .staleOutOfMemoryEvent(
          "it is too old (\(Timestamp.format(time)) is more than one aggregation interval "
            + "before the last memory sample at \(Timestamp.format(last)))")
      }
    }
    let used = max(requestedMemoryBytes, memoryPeak)
    let bumped = used.addingReportingOverflow(
      ResourceAmount.memory(fromBytes: configuration.oomMinBumpUpBytes))
    let needed = max(
      bumped.overflow ? .max : bumped.partialValue,
      ResourceAmount.scaled(used, by: configuration.oomBumpUpRatio))
    let oomSample = ContainerUsageSample.memory(bytes: needed, at: time)
    guard addMemorySample(oomSample, isOOM: true, to: &sink) == .accepted else {
      throw .staleOutOfMemoryEvent("adding the OOM sample failed (negative memory request)")
    }
  }
}
