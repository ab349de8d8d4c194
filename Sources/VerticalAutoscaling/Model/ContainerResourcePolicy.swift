public import AutoscalingCore

/// Whether the autoscaler acts on a container (upstream `ContainerScalingMode`).
public enum ContainerScalingMode: String, Hashable, Sendable, Codable {
  /// Recommend and apply (default).
  case auto = "Auto"
  /// Neither recommend nor apply.
  case off = "Off"
}

/// Which of a container's values the autoscaler writes (upstream `ContainerControlledValues`).
public enum ContainerControlledValues: String, Hashable, Sendable, Codable {
  /// Requests, and limits scaled proportionally (default).
  case requestsAndLimits = "RequestsAndLimits"
  /// Requests only; recommendations are capped at the current limit.
  case requestsOnly = "RequestsOnly"
}

/// The policy for one container, or for all (`containerName` `*`) (upstream
/// `ContainerResourcePolicy`).
public struct ContainerResourcePolicy: Hashable, Sendable {
  /// The container's name, or `*` for every container without its own policy.
  public var containerName: String
  /// Auto or Off; `nil` means Auto.
  public var mode: ContainerScalingMode?
  /// The smallest recommendation allowed per resource (zero means no minimum).
  public var minAllowed: ResourceList
  /// The largest recommendation allowed per resource (zero means no maximum).
  public var maxAllowed: ResourceList
  /// The resources recommended; `nil` means cpu and memory, an empty list means none.
  public var controlledResources: [RecommendedResource]?
  /// Which values are written; `nil` means requests and limits.
  public var controlledValues: ContainerControlledValues?
  /// Per-VPA OOM bump-up ratio (only with the `PerVPAConfig` gate).
  public var oomBumpUpRatio: Double?
  /// Per-VPA minimum OOM bump-up (only with the `PerVPAConfig` gate).
  public var oomMinBumpUp: Quantity?
  /// Per-VPA memory aggregation interval in seconds (only with the `PerVPAConfig` gate).
  public var memoryAggregationIntervalSeconds: Int64?
  /// Per-VPA memory aggregation interval count (only with the `PerVPAConfig` gate).
  public var memoryAggregationIntervalCount: Int?

  /// Creates a container policy.
  ///
  /// - Parameters:
  ///   - containerName: The container's name or `*`.
  ///   - mode: Auto or Off.
  ///   - minAllowed: Per-resource minimum.
  ///   - maxAllowed: Per-resource maximum.
  ///   - controlledResources: The resources recommended.
  ///   - controlledValues: Which values are written.
  ///   - oomBumpUpRatio: Per-VPA OOM bump-up ratio.
  ///   - oomMinBumpUp: Per-VPA minimum OOM bump-up (bytes).
  ///   - memoryAggregationIntervalSeconds: Per-VPA memory window, in seconds.
  ///   - memoryAggregationIntervalCount: Per-VPA window count.
  public init(
    containerName: String, mode: ContainerScalingMode? = nil, minAllowed: ResourceList = [:],
    maxAllowed: ResourceList = [:], controlledResources: [RecommendedResource]? = nil,
    controlledValues: ContainerControlledValues? = nil, oomBumpUpRatio: Double? = nil,
    oomMinBumpUp: Quantity? = nil, memoryAggregationIntervalSeconds: Int64? = nil,
    memoryAggregationIntervalCount: Int? = nil
  ) {
    self.containerName = containerName
    self.mode = mode
    self.minAllowed = minAllowed
    self.maxAllowed = maxAllowed
    self.controlledResources = controlledResources
    self.controlledValues = controlledValues
    self.oomBumpUpRatio = oomBumpUpRatio
    self.oomMinBumpUp = oomMinBumpUp
    self.memoryAggregationIntervalSeconds = memoryAggregationIntervalSeconds
    self.memoryAggregationIntervalCount = memoryAggregationIntervalCount
  }

  /// Checks the policy: only cpu and memory bounds, and no minimum above its maximum.
  ///
  /// Upstream accepts such policies silently (maxAllowed then wins, since it is applied
  /// last); callers that want upstream's leniency may skip this check.
  ///
  /// - Throws: ``VerticalAutoscalingError/minAllowedAboveMaxAllowed(container:resource:)`` or
  ///   ``VerticalAutoscalingError/unsupportedResource(_:)``.
  public func validate() throws(VerticalAutoscalingError) {
    for name in minAllowed.names + maxAllowed.names { _ = try RecommendedResource(name) }
    for name in minAllowed.names {
      if let minimum = minAllowed[name], let maximum = maxAllowed[name], !maximum.isZero,
        minimum > maximum
      {
        throw .minAllowedAboveMaxAllowed(container: containerName, resource: name.rawValue)
      }
    }
  }
}

/// A VPA's resource policy: one entry per container, plus an optional `*` entry.
public struct PodResourcePolicy: Hashable, Sendable {
  /// The container policies.
  public var containerPolicies: [ContainerResourcePolicy]

  /// Creates a resource policy.
  ///
  /// - Parameter containerPolicies: The container policies.
  public init(containerPolicies: [ContainerResourcePolicy] = []) {
    self.containerPolicies = containerPolicies
  }

  /// The policy that applies to `containerName`: its own entry, else the `*` entry (upstream
  /// `GetContainerResourcePolicy`).
  ///
  /// - Parameter containerName: A container name.
  /// - Returns: The policy, or `nil`.
  public func policy(for containerName: String) -> ContainerResourcePolicy? {
    var wildcard: ContainerResourcePolicy?
    for policy in containerPolicies {
      if policy.containerName == containerName { return policy }
      if policy.containerName == "*" { wildcard = policy }
    }
    return wildcard
  }

  /// Checks every container policy (see ``ContainerResourcePolicy/validate()``).
  ///
  /// - Throws: The first policy's error.
  public func validate() throws(VerticalAutoscalingError) {
    for policy in containerPolicies { try policy.validate() }
  }
}
