/// The eviction budget per replica group (upstream `PodsEvictionRestriction`,
/// `updater/restriction/`): how many pods of each controller may be down at once.
public struct EvictionRestriction: Hashable, Sendable {
  struct GroupStats: Hashable, Sendable {
    var configured: Int
    var pending: Int
    var running: Int
    var evictionTolerance: Int
    var evicted: Int
  }

  private var groups: [String: GroupStats]
  private var podGroup: [String: String]

  /// Builds the budget from a VPA's live pods (upstream `GetCreatorMaps`).
  ///
  /// Groups with fewer live pods than `minReplicas` are not tracked, so their pods cannot be
  /// evicted. Pods without a controller are not tracked either.
  ///
  /// - Parameters:
  ///   - pods: The VPA's pods; terminated pods are ignored.
  ///   - configuredReplicas: Controller → its `replicas`; a controller missing here (a Job)
  ///     counts its live pods.
  ///   - minReplicas: The live pods a group needs (VPA `minReplicas`, else `--min-replicas`).
  ///   - evictionTolerance: The share of configured replicas that may be down (0.5).
  public init(
    pods: [VPAPod], configuredReplicas: [String: Int] = [:], minReplicas: Int = 2,
    evictionTolerance: Double = 0.5
  ) {
    var live: [String: [VPAPod]] = [:]
    for pod in pods where pod.phase != .terminated {
      guard let controller = pod.controller else { continue }
      live[controller, default: []].append(pod)
    }
    groups = [:]
    podGroup = [:]
    for (controller, replicas) in live where replicas.count >= minReplicas {
      let configured = configuredReplicas[controller] ?? replicas.count
      let tolerance = Double(configured) * evictionTolerance
      let pending = replicas.filter { $0.phase == .pending }.count
      groups[controller] = GroupStats(
        configured: configured, pending: pending, running: replicas.count - pending,
        evictionTolerance: tolerance.isFinite && tolerance >= 0 && tolerance < 1e15
          ? Int(tolerance) : 0,
        evicted: 0)
      for pod in replicas { podGroup[pod.name] = controller }
    }
  }

  /// Whether the pod may be evicted now (upstream `CanEvict`).
  ///
  /// - Parameter pod: A pod.
  /// - Returns: Whether evicting it keeps the group within its tolerance.
  public func canEvict(_ pod: VPAPod) -> Bool {
    guard let controller = podGroup[pod.name], let group = groups[controller] else { return false }
    if pod.phase == .pending { return true }
    let shouldBeAlive = group.configured - group.evictionTolerance
    let actuallyAlive = group.running - group.evicted
    if actuallyAlive > shouldBeAlive { return true }
    // With a tolerance that rounds to 0, one eviction is allowed when all pods run.
    return group.running == group.configured && group.evictionTolerance == 0 && group.evicted == 0
  }

  /// Records an eviction (upstream `Evict`, without the API call).
  ///
  /// - Parameter pod: The pod to evict.
  /// - Throws: ``VerticalAutoscalingError/podNotEvictable(pod:)`` for an untracked pod,
  ///   ``VerticalAutoscalingError/evictionBudgetExceeded(pod:)`` when ``canEvict(_:)`` is false.
  public mutating func evict(_ pod: VPAPod) throws(VerticalAutoscalingError) {
    guard let controller = podGroup[pod.name], groups[controller] != nil else {
      throw .podNotEvictable(pod: pod.name)
    }
    guard canEvict(pod) else { throw .evictionBudgetExceeded(pod: pod.name) }
    if pod.phase != .pending { groups[controller]?.evicted += 1 }
  }
}
