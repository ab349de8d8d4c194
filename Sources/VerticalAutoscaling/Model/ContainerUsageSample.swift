public import AutoscalingCore

/// The two resources the vertical autoscaler recommends.
public enum RecommendedResource: String, Hashable, Sendable, Codable, CaseIterable {
  /// CPU, as millicores in amounts and cores in histograms.
  case cpu
  /// Memory, as bytes.
  case memory

  /// Maps a Kubernetes resource name onto a recommended resource.
  ///
  /// - Parameter name: A resource name.
  /// - Throws: ``VerticalAutoscalingError/unsupportedResource(_:)`` for anything but `cpu` and
  ///   `memory`.
  public init(_ name: ResourceName) throws(VerticalAutoscalingError) {
    switch name.rawValue {
    case "cpu": self = .cpu
    case "memory": self = .memory
    default: throw .unsupportedResource(name.rawValue)
    }
  }

  /// The Kubernetes resource name.
  public var resourceName: ResourceName { self == .cpu ? .cpu : .memory }
}

/// One usage measurement of one container (upstream `ContainerUsageSample`).
public struct ContainerUsageSample: Hashable, Sendable {
  /// When the measurement window started.
  public var measureStart: Instant
  /// Usage: millicores for CPU, bytes for memory.
  public var usage: Int64
  /// Which resource was measured.
  public var resource: RecommendedResource

  /// Creates a sample.
  ///
  /// - Parameters:
  ///   - measureStart: When the measurement window started.
  ///   - usage: Millicores (CPU) or bytes (memory).
  ///   - resource: The resource measured.
  public init(measureStart: Instant, usage: Int64, resource: RecommendedResource) {
    self.measureStart = measureStart
    self.usage = usage
    self.resource = resource
  }

  /// A CPU sample.
  ///
  /// - Parameters:
  ///   - millicores: CPU usage in millicores.
  ///   - time: When the measurement window started.
  /// - Returns: The sample.
  public static func cpu(millicores: Int64, at time: Instant) -> ContainerUsageSample {
    ContainerUsageSample(measureStart: time, usage: millicores, resource: .cpu)
  }

  /// A memory sample.
  ///
  /// - Parameters:
  ///   - bytes: Memory usage (working set) in bytes.
  ///   - time: When the measurement window started.
  /// - Returns: The sample.
  public static func memory(bytes: Int64, at time: Instant) -> ContainerUsageSample {
    ContainerUsageSample(measureStart: time, usage: bytes, resource: .memory)
  }
}

/// What became of a usage sample.
public enum SampleOutcome: Hashable, Sendable {
  /// The sample was recorded.
  case accepted
  /// The usage was negative (upstream discards it).
  case rejectedNegativeUsage
  /// A CPU sample not strictly after the previous CPU sample, or a memory sample before the
  /// previous memory sample (duplicates and out-of-order samples; upstream discards them).
  case rejectedOutOfOrder

  /// Whether the sample was recorded.
  public var isAccepted: Bool { self == .accepted }
}

/// Where a ``ContainerState`` sends what it keeps: CPU samples and memory window peaks.
///
/// ``AggregateContainerState`` is the real destination; tests record the calls instead,
/// as upstream's mocks do.
public protocol ContainerUsageSink {
  /// Records a CPU sample.
  ///
  /// - Parameters:
  ///   - cores: Usage in cores.
  ///   - weight: The sample weight.
  ///   - time: The sample's start time.
  mutating func addCPUUsage(cores: Double, weight: Double, at time: Instant)

  /// Records a memory peak.
  ///
  /// - Parameters:
  ///   - bytes: The peak in bytes.
  ///   - weight: The weight (1.0).
  ///   - time: The end of the peak's window.
  mutating func addMemoryPeak(bytes: Double, weight: Double, at time: Instant)

  /// Removes a memory peak recorded earlier.
  ///
  /// - Parameters:
  ///   - bytes: The peak in bytes.
  ///   - weight: The weight (1.0).
  ///   - time: The end of the peak's window.
  mutating func subtractMemoryPeak(bytes: Double, weight: Double, at time: Instant)
}
