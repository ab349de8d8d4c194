public import AutoscalingCore

/// The saved state of one container aggregate, in the JSON shape of upstream
/// `VerticalPodAutoscalerCheckpointStatus`.
public struct VerticalPodAutoscalerCheckpointStatus: Hashable, Sendable, Codable {
  /// When the checkpoint was written.
  public var lastUpdateTime: Instant?
  /// The format version (`v3`).
  public var version: String
  /// The CPU histogram (cores).
  public var cpuHistogram: HistogramCheckpoint
  /// The memory peaks histogram (bytes).
  public var memoryHistogram: HistogramCheckpoint
  /// The earliest CPU sample's start.
  public var firstSampleStart: Instant?
  /// The latest CPU sample's start.
  public var lastSampleStart: Instant?
  /// The number of CPU samples.
  public var totalSamplesCount: Int

  /// Creates a checkpoint status.
  ///
  /// - Parameters:
  ///   - lastUpdateTime: When it was written.
  ///   - version: The format version.
  ///   - cpuHistogram: The CPU histogram.
  ///   - memoryHistogram: The memory peaks histogram.
  ///   - firstSampleStart: The earliest CPU sample's start.
  ///   - lastSampleStart: The latest CPU sample's start.
  ///   - totalSamplesCount: The number of CPU samples.
  public init(
    lastUpdateTime: Instant? = nil,
    version: String = AggregateContainerState.supportedCheckpointVersion,
    cpuHistogram: HistogramCheckpoint = HistogramCheckpoint(),
    memoryHistogram: HistogramCheckpoint = HistogramCheckpoint(), firstSampleStart: Instant? = nil,
    lastSampleStart: Instant? = nil, totalSamplesCount: Int = 0
  ) {
    self.lastUpdateTime = lastUpdateTime
    self.version = version
    self.cpuHistogram = cpuHistogram
    self.memoryHistogram = memoryHistogram
    self.firstSampleStart = firstSampleStart
    self.lastSampleStart = lastSampleStart
    self.totalSamplesCount = totalSamplesCount
  }

  private enum CodingKeys: String, CodingKey {
    case lastUpdateTime, version, cpuHistogram, memoryHistogram, firstSampleStart,
      lastSampleStart, totalSamplesCount
  }

  /// Decodes the upstream JSON shape; missing fields take their zero values.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` for malformed fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    lastUpdateTime = try container.decodeTimestampIfPresent(forKey: .lastUpdateTime)
    version = try container.decodeIfPresent(String.self, forKey: .version) ?? ""
    cpuHistogram =
      try container.decodeIfPresent(HistogramCheckpoint.self, forKey: .cpuHistogram)
      ?? HistogramCheckpoint()
    memoryHistogram =
      try container.decodeIfPresent(HistogramCheckpoint.self, forKey: .memoryHistogram)
      ?? HistogramCheckpoint()
    firstSampleStart = try container.decodeTimestampIfPresent(forKey: .firstSampleStart)
    lastSampleStart = try container.decodeTimestampIfPresent(forKey: .lastSampleStart)
    totalSamplesCount = try container.decodeIfPresent(Int.self, forKey: .totalSamplesCount) ?? 0
  }

  /// Encodes the upstream JSON shape (times as RFC 3339, `null` when unset).
  ///
  /// - Parameter encoder: The encoder to write to.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeTimestamp(lastUpdateTime, forKey: .lastUpdateTime)
    try container.encode(version, forKey: .version)
    try container.encode(cpuHistogram, forKey: .cpuHistogram)
    try container.encode(memoryHistogram, forKey: .memoryHistogram)
    try container.encodeTimestamp(firstSampleStart, forKey: .firstSampleStart)
    try container.encodeTimestamp(lastSampleStart, forKey: .lastSampleStart)
    try container.encode(totalSamplesCount, forKey: .totalSamplesCount)
  }
}

/// A `VerticalPodAutoscalerCheckpoint` object (`autoscaling.k8s.io/v1`): one container's
/// saved history for one VPA.
public struct VerticalPodAutoscalerCheckpoint: Hashable, Sendable, Codable {
  /// Object metadata (name and namespace only).
  public struct Metadata: Hashable, Sendable, Codable {
    /// The object name (upstream uses `<vpa>-<container>`).
    public var name: String
    /// The namespace.
    public var namespace: String?

    /// Creates metadata.
    ///
    /// - Parameters:
    ///   - name: The object name.
    ///   - namespace: The namespace.
    public init(name: String, namespace: String? = nil) {
      self.name = name
      self.namespace = namespace
    }
  }

  /// Which VPA and container the checkpoint belongs to.
  public struct Spec: Hashable, Sendable, Codable {
    /// The VPA's name.
    public var vpaObjectName: String
    /// The container's name.
    public var containerName: String

    /// Creates a spec.
    ///
    /// - Parameters:
    ///   - vpaObjectName: The VPA's name.
    ///   - containerName: The container's name.
    public init(vpaObjectName: String, containerName: String) {
      self.vpaObjectName = vpaObjectName
      self.containerName = containerName
    }
  }

  /// `autoscaling.k8s.io/v1`.
  public var apiVersion: String = "autoscaling.k8s.io/v1"
  /// `VerticalPodAutoscalerCheckpoint`.
  public var kind: String = "VerticalPodAutoscalerCheckpoint"
  /// Object metadata.
  public var metadata: Metadata
  /// Which VPA and container.
  public var spec: Spec
  /// The saved state.
  public var status: VerticalPodAutoscalerCheckpointStatus

  /// Creates a checkpoint object.
  ///
  /// - Parameters:
  ///   - metadata: Object metadata.
  ///   - spec: Which VPA and container.
  ///   - status: The saved state.
  public init(metadata: Metadata, spec: Spec, status: VerticalPodAutoscalerCheckpointStatus) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}
