public import AutoscalingCore

/// What the updater does to one pod.
public struct PodUpdate: Hashable, Sendable {
  /// How the new requests are applied.
  public enum Action: String, Hashable, Sendable {
    /// Evict the pod; its controller recreates it and admission applies the recommendation.
    case evict
    /// Resize the pod in place (InPlaceOrRecreate and InPlace modes).
    case resizeInPlace
  }

  /// The pod's name.
  public var podName: String
  /// How the update is applied.
  public var action: Action
  /// The pod's priority.
  public var priority: PodPriority
  /// The capped recommendation the pod gets (its new requests are the targets).
  public var recommendation: [RecommendedContainerResources]

  /// Creates an update.
  ///
  /// - Parameters:
  ///   - podName: The pod's name.
  ///   - action: How the update is applied.
  ///   - priority: The pod's priority.
  ///   - recommendation: The capped recommendation.
  public init(
    podName: String, action: Action, priority: PodPriority,
    recommendation: [RecommendedContainerResources]
  ) {
    self.podName = podName
    self.action = action
    self.priority = priority
    self.recommendation = recommendation
  }
}

/// One updater pass over one VPA's pods.
public struct UpdaterDecision: Hashable, Sendable {
  /// The mode in force.
  public var updateMode: UpdateMode
  /// The updates, in the order the updater performs them.
  public var updates: [PodUpdate]
  /// Pods that qualified but were left alone because of the eviction budget, in priority order.
  public var deferredPods: [String]

  /// Creates a decision.
  ///
  /// - Parameters:
  ///   - updateMode: The mode in force.
  ///   - updates: The updates.
  ///   - deferredPods: Pods held back by the budget.
  public init(updateMode: UpdateMode, updates: [PodUpdate] = [], deferredPods: [String] = []) {
    self.updateMode = updateMode
    self.updates = updates
    self.deferredPods = deferredPods
  }
}

/// The VPA updater's decision for one VPA (upstream `updater.RunOnce` for one VPA, without
/// the API calls, the admission-controller status lease and the rate limiter, which is off by
/// default).
public struct Updater: Hashable, Sendable {
  /// The updater flags.
  public var configuration: UpdaterConfiguration

  /// Creates an updater.
  ///
  /// - Parameter configuration: The updater flags.
  public init(configuration: UpdaterConfiguration = UpdaterConfiguration()) {
    self.configuration = configuration
  }

  /// Decides which pods to evict or resize now.
  ///
  /// Off and Initial VPAs (and InPlace without its gate) get no updates. Otherwise the pods
  /// the eviction budget allows are capped and prioritized (``UpdatePriorityCalculator``),
  /// sorted, filtered by the eviction requirements (``EvictionAdmission``), and updated in
  /// order while the budget lasts (``EvictionRestriction``). In-place modes use the same
  /// budget; upstream's in-place feasibility checks (deferred, infeasible, fallback to
  /// eviction) are left to the caller, which knows whether a resize fits the node.
  ///
  /// - Parameters:
  ///   - vpa: The VPA with its recommendation and policies.
  ///   - pods: The pods the VPA targets.
  ///   - configuredReplicas: Controller → its `replicas` (missing: count live pods, as for Jobs).
  ///   - containerLimitRange: The namespace's container LimitRange item, or `nil`.
  ///   - podLimitRange: The namespace's pod LimitRange item, or `nil`.
  ///   - lastInfeasibleAttempts: Pod name → target of its last infeasible in-place resize.
  ///   - now: The evaluation instant.
  /// - Returns: The decision.
  public func decide(
    vpa: VerticalPodAutoscaler, pods: [VPAPod], configuredReplicas: [String: Int] = [:],
    containerLimitRange: LimitRangeItem? = nil, podLimitRange: LimitRangeItem? = nil,
    lastInfeasibleAttempts: [String: [RecommendedContainerResources]] = [:], at now: Instant
  ) -> UpdaterDecision {
    let mode = vpa.updatePolicy.effectiveUpdateMode
    guard mode.isUpdatedByUpdater(inPlaceFeatureGate: configuration.inPlaceFeatureGate) else {
      return UpdaterDecision(updateMode: mode)
    }
    let live = pods.filter { $0.phase != .terminated }
    var restriction = EvictionRestriction(
      pods: live, configuredReplicas: configuredReplicas,
      minReplicas: vpa.updatePolicy.minReplicas ?? configuration.minReplicas,
      evictionTolerance: configuration.evictionTolerance)
    let calculator = UpdatePriorityCalculator(configuration: configuration)
    var queued: [PrioritizedPod] = []
    for pod in live where restriction.canEvict(pod) {
      if let candidate = calculator.prioritized(
        pod, vpa: vpa, containerLimitRange: containerLimitRange, podLimitRange: podLimitRange,
        lastInfeasibleAttempt: lastInfeasibleAttempts[pod.name], at: now)
      {
        queued.append(candidate)
      }
    }
    let action: PodUpdate.Action =
      (mode == .inPlaceOrRecreate || mode == .inPlace) ? .resizeInPlace : .evict
    var decision = UpdaterDecision(updateMode: mode)
    for candidate in UpdatePriorityCalculator.sorted(queued)
    where EvictionAdmission.admits(
      candidate.pod, recommendation: candidate.recommendation,
      requirements: vpa.updatePolicy.evictionRequirements)
    {
      do {
        try restriction.evict(candidate.pod)
        decision.updates.append(
          PodUpdate(
            podName: candidate.pod.name, action: action, priority: candidate.priority,
            recommendation: candidate.recommendation))
      } catch {
        decision.deferredPods.append(candidate.pod.name)
      }
    }
    return decision
  }
}
