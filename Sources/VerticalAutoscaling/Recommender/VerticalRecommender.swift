public import AutoscalingCore

/// The recommender for one VPA, as a value a replay drives: usage samples and OOM kills in,
/// a recommendation out whenever asked (upstream's cluster model, `AggregateStateByContainerName`,
/// the recommender routine and its post-processors, restricted to one VPA).
///
/// All pods of one workload share their labels, so the containers of every pod feed one
/// aggregate per container name; each live pod container keeps its own memory window.
///
/// ```swift
/// var recommender = try VerticalRecommender()
/// recommender.addSample(.cpu(millicores: 250, at: t), pod: "web-1", container: "app")
/// recommender.addSample(.memory(bytes: 300 << 20, at: t), pod: "web-1", container: "app")
/// let recommendation = recommender.recommendation(for: vpa, at: t)
/// ```
public struct VerticalRecommender: Hashable, Sendable {
  /// Identifies one container of one pod.
  public struct ContainerID: Hashable, Sendable {
    /// The pod's name.
    public var pod: String
    /// The container's name.
    public var container: String

    /// Creates an identifier.
    ///
    /// - Parameters:
    ///   - pod: The pod's name.
    ///   - container: The container's name.
    public init(pod: String, container: String) {
      self.pod = pod
      self.container = container
    }
  }

  /// The recommender flags.
  public let configuration: RecommenderConfiguration
  /// Container name → aggregated history.
  public private(set) var aggregates: [String: AggregateContainerState] = [:]
  /// Live pod containers → their sampling state.
  public private(set) var containers: [ContainerID: ContainerState] = [:]
  private let recommender: PodResourceRecommender

  /// Creates a recommender with no history.
  ///
  /// - Parameter configuration: The recommender flags.
  /// - Throws: ``VerticalAutoscalingError/invalidConfiguration(_:)`` for out-of-range flags.
  public init(configuration: RecommenderConfiguration = RecommenderConfiguration())
    throws(VerticalAutoscalingError)
  {
    try configuration.validate()
    self.configuration = configuration
    recommender = PodResourceRecommender(configuration: configuration)
  }

  private mutating func withState<Result>(
    pod: String, container: String, at time: Instant,
    _ body: (inout ContainerState, inout AggregateContainerState) -> Result
  ) -> Result {
    let configuration = configuration.aggregation
    return body(
      &containers[
        ContainerID(pod: pod, container: container),
        default: ContainerState(configuration: configuration)],
      &aggregates[
        container,
        default: AggregateContainerState(configuration: configuration, creationTime: time)])
  }

  /// Records a usage sample of one pod container.
  ///
  /// - Parameters:
  ///   - sample: CPU in millicores or memory in bytes, with its start time.
  ///   - pod: The pod's name.
  ///   - container: The container's name.
  /// - Returns: Whether the sample was recorded (duplicates, out-of-order and negative
  ///   samples are discarded, as upstream).
  @discardableResult
  public mutating func addSample(_ sample: ContainerUsageSample, pod: String, container: String)
    -> SampleOutcome
  {
    withState(pod: pod, container: container, at: sample.measureStart) { state, aggregate in
      state.addSample(sample, to: &aggregate)
    }
  }

  /// Sets a pod container's requests (only used when CPU samples are weighted by request).
  ///
  /// - Parameters:
  ///   - pod: The pod's name.
  ///   - container: The container's name.
  ///   - cpuMillicores: The CPU request in millicores.
  ///   - memoryBytes: The memory request in bytes.
  public mutating func setRequests(
    pod: String, container: String, cpuMillicores: Int64, memoryBytes: Int64
  ) {
    let id = ContainerID(pod: pod, container: container)
    var state = containers[id] ?? ContainerState(configuration: configuration.aggregation)
    state.cpuRequestMillicores = cpuMillicores
    state.memoryRequestBytes = memoryBytes
    containers[id] = state
  }

  /// Records an OOM kill of one pod container (upstream `RecordOOM`).
  ///
  /// - Parameters:
  ///   - pod: The pod's name.
  ///   - container: The container's name.
  ///   - time: When the container was killed.
  ///   - requestedMemoryBytes: Its memory request at the kill, in bytes.
  /// - Throws: ``VerticalAutoscalingError/staleOutOfMemoryEvent(_:)`` when too old.
  public mutating func recordOOM(
    pod: String, container: String, at time: Instant, requestedMemoryBytes: Int64
  ) throws(VerticalAutoscalingError) {
    let error: VerticalAutoscalingError? = withState(pod: pod, container: container, at: time) {
      (state: inout ContainerState, aggregate: inout AggregateContainerState)
        -> VerticalAutoscalingError? in
      do throws(VerticalAutoscalingError) {
        try state.recordOOM(at: time, requestedMemoryBytes: requestedMemoryBytes, to: &aggregate)
        return nil
      } catch {
        return error
      }
    }
    if let error { throw error }
  }

  /// Forgets a pod's containers (their history stays in the aggregates).
  ///
  /// - Parameter pod: The pod's name.
  public mutating func removePod(_ pod: String) {
    for id in containers.keys where id.pod == pod { containers[id] = nil }
  }

  /// Drops aggregates whose history has expired (upstream garbage collection: an aggregate
  /// expires interval × count after its last CPU sample, or after its creation when it has
  /// none).
  ///
  /// - Parameter now: The evaluation instant.
  public mutating func removeExpiredAggregates(at now: Instant) {
    for (name, aggregate) in aggregates where aggregate.isExpired(at: now) {
      aggregates[name] = nil
    }
  }

  /// The VPA's recommendation now (upstream recommender routine): containers whose policy
  /// mode is Off are left out, the pod minimum is split across the rest, amounts are
  /// formatted, the integer-CPU post-processor runs when enabled, and the result is capped to
  /// the policy's minAllowed/maxAllowed and the global maximum.
  ///
  /// - Parameters:
  ///   - vpa: The VPA (its resource policy and annotations are read).
  ///   - now: The evaluation instant (recommendations depend only on history; `now` is kept
  ///     for symmetry with the replay loop).
  /// - Returns: One recommendation per container, sorted by name.
  public func recommendation(for vpa: VerticalPodAutoscaler, at now: Instant)
    -> [RecommendedContainerResources]
  {
    var selected: [String: AggregateContainerState] = [:]
    for (name, aggregate) in aggregates {
      let policy = vpa.resourcePolicy?.policy(for: name)
      if policy?.mode == .off { continue }
      var copy = aggregate
      copy.update(
        from: policy, defaults: configuration.aggregation, perVPAConfig: configuration.perVPAConfig)
      selected[name] = copy
    }
    var list = RecommendationFormatting.containerRecommendations(
      from: recommender.recommendedPodResources(for: selected),
      roundCPUMillicores: configuration.roundCPUMillicores,
      roundMemoryBytes: configuration.roundMemoryBytes, humanizeMemory: configuration.humanizeMemory
    )
    if configuration.cpuIntegerPostProcessorEnabled {
      list = RecommendationFormatting.integerCPU(list, annotations: vpa.annotations)
    }
    let globalMax = configuration.containerRecommendationMaxAllowed
    return CappingProcessor.applyVPAPolicy(
      list, policy: vpa.resourcePolicy, globalMaxAllowed: globalMax.isEmpty ? nil : globalMax)
      ?? list
  }

  /// Saves one container's aggregate as a checkpoint (upstream checkpoint writer), leaving
  /// out the peaks of live containers' ongoing windows.
  ///
  /// - Parameters:
  ///   - container: The container's name.
  ///   - now: The checkpoint time.
  /// - Returns: The checkpoint status, or `nil` when the container has no aggregate.
  public func checkpoint(container: String, at now: Instant)
    -> VerticalPodAutoscalerCheckpointStatus?
  {
    guard let aggregate = aggregates[container] else { return nil }
    let live = containers.filter { $0.key.container == container }.map(\.value)
    return aggregate.checkpoint(at: now, liveContainers: live)
  }

  /// Restores one container's history from a checkpoint (upstream `MergeCheckpointedState`).
  ///
  /// - Parameters:
  ///   - checkpoint: The saved aggregate.
  ///   - container: The container's name.
  ///   - now: When the restored aggregate is created.
  /// - Throws: ``VerticalAutoscalingError`` when the checkpoint cannot be loaded.
  public mutating func load(
    _ checkpoint: VerticalPodAutoscalerCheckpointStatus, container: String, at now: Instant
  ) throws(VerticalAutoscalingError) {
    var restored = AggregateContainerState(
      configuration: configuration.aggregation, creationTime: now)
    try restored.load(checkpoint)
    if var existing = aggregates[container] {
      try existing.merge(restored)
      aggregates[container] = existing
    } else {
      aggregates[container] = restored
    }
  }
}
