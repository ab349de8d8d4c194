public import AutoscalingCore

/// When and how the VPA applies recommendations (upstream `UpdateMode`).
public enum UpdateMode: String, Hashable, Sendable, Codable, CaseIterable {
  /// Recommend only; nothing is applied.
  case off = "Off"
  /// Apply at pod creation only; never evict.
  case initial = "Initial"
  /// Apply at creation and evict pods whose requests are off (the default since 1.6.0).
  case recreate = "Recreate"
  /// Deprecated; behaves as ``recreate``.
  case auto = "Auto"
  /// Resize in place, falling back to eviction.
  case inPlaceOrRecreate = "InPlaceOrRecreate"
  /// Resize in place only (needs the alpha `InPlace` feature gate).
  case inPlace = "InPlace"

  /// Whether the updater acts on pods in this mode (Recreate, Auto, InPlaceOrRecreate, and
  /// InPlace when its gate is on).
  ///
  /// - Parameter inPlaceFeatureGate: Whether the `InPlace` feature gate is on.
  /// - Returns: Whether the updater considers the VPA.
  public func isUpdatedByUpdater(inPlaceFeatureGate: Bool = false) -> Bool {
    switch self {
    case .off, .initial: return false
    case .recreate, .auto, .inPlaceOrRecreate: return true
    case .inPlace: return inPlaceFeatureGate
    }
  }
}

/// A direction in which a target must differ from the request for an eviction.
public enum EvictionChangeRequirement: String, Hashable, Sendable, Codable {
  /// Target above the request.
  case targetHigherThanRequests = "TargetHigherThanRequests"
  /// Target below the request.
  case targetLowerThanRequests = "TargetLowerThanRequests"
}

/// One `updatePolicy.evictionRequirements` entry.
public struct EvictionRequirement: Hashable, Sendable {
  /// The resources checked; the requirement holds when any of them changes as required.
  public var resources: [ResourceName]
  /// The required direction.
  public var changeRequirement: EvictionChangeRequirement

  /// Creates a requirement.
  ///
  /// - Parameters:
  ///   - resources: The resources checked.
  ///   - changeRequirement: The required direction.
  public init(resources: [ResourceName], changeRequirement: EvictionChangeRequirement) {
    self.resources = resources
    self.changeRequirement = changeRequirement
  }
}

/// A VPA's `updatePolicy`.
public struct UpdatePolicy: Hashable, Sendable {
  /// The update mode; `nil` means ``UpdateMode/recreate``.
  public var updateMode: UpdateMode?
  /// The live replicas a group needs before the updater evicts (overrides `--min-replicas`).
  public var minReplicas: Int?
  /// Eviction requirements; `nil` means none.
  public var evictionRequirements: [EvictionRequirement]?
  /// Per-VPA quick-OOM threshold (only with the `PerVPAConfig` gate).
  public var evictAfterOOM: Duration?

  /// Creates an update policy.
  ///
  /// - Parameters:
  ///   - updateMode: The update mode.
  ///   - minReplicas: Minimum live replicas for eviction.
  ///   - evictionRequirements: Eviction requirements.
  ///   - evictAfterOOM: Per-VPA quick-OOM threshold.
  public init(
    updateMode: UpdateMode? = nil, minReplicas: Int? = nil,
    evictionRequirements: [EvictionRequirement]? = nil, evictAfterOOM: Duration? = nil
  ) {
    self.updateMode = updateMode
    self.minReplicas = minReplicas
    self.evictionRequirements = evictionRequirements
    self.evictAfterOOM = evictAfterOOM
  }

  /// The mode in force (upstream `GetUpdateMode`): Recreate when unset.
  public var effectiveUpdateMode: UpdateMode { updateMode ?? .recreate }
}

/// The parts of a `VerticalPodAutoscaler` object the capping processor and updater read.
public struct VerticalPodAutoscaler: Hashable, Sendable {
  /// The VPA's name.
  public var name: String
  /// The update policy.
  public var updatePolicy: UpdatePolicy
  /// The resource policy, or `nil`.
  public var resourcePolicy: PodResourcePolicy?
  /// The current recommendation (`status.recommendation`), or `nil`.
  public var recommendation: [RecommendedContainerResources]?
  /// Annotations (the integer-CPU post-processor reads
  /// `vpa-post-processor.kubernetes.io/<container>_integerCPU`).
  public var annotations: [String: String]

  /// Creates a VPA.
  ///
  /// - Parameters:
  ///   - name: The VPA's name.
  ///   - updatePolicy: The update policy.
  ///   - resourcePolicy: The resource policy.
  ///   - recommendation: The current recommendation.
  ///   - annotations: Annotations.
  public init(
    name: String = "vpa", updatePolicy: UpdatePolicy = UpdatePolicy(),
    resourcePolicy: PodResourcePolicy? = nil,
    recommendation: [RecommendedContainerResources]? = nil,
    annotations: [String: String] = [:]
  ) {
    self.name = name
    self.updatePolicy = updatePolicy
    self.resourcePolicy = resourcePolicy
    self.recommendation = recommendation
    self.annotations = annotations
  }
}
