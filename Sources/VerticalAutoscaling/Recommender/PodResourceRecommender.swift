import AutoscalingCore

/// Computes target, lower and upper bound for the containers of one VPA (upstream
/// `podResourceRecommender`, `recommender/logic/recommender.go`).
///
/// The pod-wide minimum (25 millicores and 250 MiB by default) is split evenly across the
/// containers recommended together, and applied last, outside the estimator chains.
public struct PodResourceRecommender: Hashable, Sendable {
  /// The target chain (before the minimum).
  public var targetEstimator: ResourceEstimator
  /// The lower-bound chain (before the minimum).
  public var lowerBoundEstimator: ResourceEstimator
  /// The upper-bound chain (before the minimum).
  public var upperBoundEstimator: ResourceEstimator
  /// The pod minimum CPU, in millicores.
  public var podMinCPUMillicores: Double
  /// The pod minimum memory, in MiB.
  public var podMinMemoryMiB: Double

  /// Creates the recommender upstream builds from its flags.
  ///
  /// - Parameter configuration: The recommender flags.
  public init(configuration: RecommenderConfiguration = RecommenderConfiguration()) {
    targetEstimator = configuration.targetEstimator
    lowerBoundEstimator = configuration.lowerBoundEstimator
    upperBoundEstimator = configuration.upperBoundEstimator
    podMinCPUMillicores = configuration.podMinCPUMillicores
    podMinMemoryMiB = configuration.podMinMemoryMiB
  }

  /// Creates a recommender from explicit estimator chains.
  ///
  /// - Parameters:
  ///   - targetEstimator: The target chain.
  ///   - lowerBoundEstimator: The lower-bound chain.
  ///   - upperBoundEstimator: The upper-bound chain.
  ///   - podMinCPUMillicores: The pod minimum CPU, in millicores.
  ///   - podMinMemoryMiB: The pod minimum memory, in MiB.
  public init(
    targetEstimator: ResourceEstimator, lowerBoundEstimator: ResourceEstimator,
    upperBoundEstimator: ResourceEstimator, podMinCPUMillicores: Double = 25,
    podMinMemoryMiB: Double = 250
  ) {
    self.targetEstimator = targetEstimator
    self.lowerBoundEstimator = lowerBoundEstimator
    self.upperBoundEstimator = upperBoundEstimator
    self.podMinCPUMillicores = podMinCPUMillicores
    self.podMinMemoryMiB = podMinMemoryMiB
  }

  /// The per-container minimum when `containerCount` containers share the pod minimum.
  ///
  /// - Parameter containerCount: The number of containers recommended together (≥ 1).
  /// - Returns: CPU in millicores and memory in bytes, each truncated.
  public func minimumResources(containerCount: Int) -> ResourceEstimate {
    let fraction = 1 / Double(max(1, containerCount))
    return ResourceEstimate(
      cpuMillicores: ResourceAmount.scaled(
        ResourceAmount.cpu(fromCores: podMinCPUMillicores * 0.001), by: fraction),
      memoryBytes: ResourceAmount.scaled(
        ResourceAmount.memory(fromBytes: podMinMemoryMiB * 1024 * 1024), by: fraction))
  }

  /// Recommends resources for every container of a VPA (upstream
  /// `GetRecommendedPodResources`).
  ///
  /// - Parameter aggregates: Container name → aggregate, Off containers already removed.
  /// - Returns: Container name → estimates, keeping each aggregate's controlled resources.
  /// - Complexity: O(containers × buckets).
  public func recommendedPodResources(for aggregates: [String: AggregateContainerState])
    -> [String: RecommendedAmounts]
  {
    let minimum = minimumResources(containerCount: aggregates.count)
    var result: [String: RecommendedAmounts] = [:]
    result.reserveCapacity(aggregates.count)
    for (name, state) in aggregates {
      result[name] = recommendedContainerResources(for: state, minimum: minimum)
    }
    return result
  }

  /// Recommends resources for one container given its share of the pod minimum.
  ///
  /// - Parameters:
  ///   - state: The container's aggregate.
  ///   - minimum: Its share of the pod minimum (see ``minimumResources(containerCount:)``).
  /// - Returns: Target, lower and upper bound, keeping the controlled resources.
  public func recommendedContainerResources(
    for state: AggregateContainerState, minimum: ResourceEstimate
  ) -> RecommendedAmounts {
    func clamped(_ estimator: ResourceEstimator) -> ResourceAmounts {
      let value = estimator.estimate(state)
      let estimate = ResourceEstimate(
        cpuMillicores: max(value.cpuMillicores, minimum.cpuMillicores),
        memoryBytes: max(value.memoryBytes, minimum.memoryBytes))
      return ResourceAmounts(estimate, controlled: state.controlledResources)
    }
    return RecommendedAmounts(
      target: clamped(targetEstimator), lowerBound: clamped(lowerBoundEstimator),
      upperBound: clamped(upperBoundEstimator))
  }
}
