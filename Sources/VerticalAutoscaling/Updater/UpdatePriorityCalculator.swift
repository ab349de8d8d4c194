public import AutoscalingCore

/// The updater's flags, with upstream's defaults (`updater/main.go`, VPA 1.7).
public struct UpdaterConfiguration: Hashable, Sendable {
  /// `--pod-update-threshold` (0.1): the smallest `resourceDiff` worth an in-range update.
  public var minChangePriority: Double = 0.1
  /// `--in-recommendation-bounds-eviction-lifetime-threshold` (12 h): pods within range are
  /// left alone until they are this old.
  public var podLifetimeUpdateThreshold: Duration = .seconds(43_200)
  /// `--evict-after-oom-threshold` (10 min): an OOM kill after a shorter run is "quick".
  public var evictAfterOOMThreshold: Duration = .seconds(600)
  /// `--min-replicas` (2): groups with fewer live pods are never evicted.
  public var minReplicas: Int = 2
  /// `--eviction-tolerance` (0.5): the share of configured replicas that may be down.
  public var evictionTolerance: Double = 0.5
  /// `--updater-interval` (1 min): how often a replay should run the updater.
  public var updaterInterval: Duration = .seconds(60)
  /// The `InPlace` feature gate (alpha, off by default in 1.7).
  public var inPlaceFeatureGate: Bool = false
  /// The `PerVPAConfig` feature gate (alpha, off by default).
  public var perVPAConfig: Bool = false

  /// Creates the default configuration.
  public init() {}
}

/// A pod queued for update, with its priority.
public struct PrioritizedPod: Hashable, Sendable {
  /// The pod.
  public var pod: VPAPod
  /// Its priority.
  public var priority: PodPriority
  /// The capped recommendation it would get.
  public var recommendation: [RecommendedContainerResources]

  /// Creates a queued pod.
  ///
  /// - Parameters:
  ///   - pod: The pod.
  ///   - priority: Its priority.
  ///   - recommendation: The capped recommendation.
  public init(pod: VPAPod, priority: PodPriority, recommendation: [RecommendedContainerResources]) {
    self.pod = pod
    self.priority = priority
    self.recommendation = recommendation
  }
}

/// Decides which pods deserve an update and in what order (upstream
/// `UpdatePriorityCalculator`, `updater/priority/update_priority_calculator.go`).
public struct UpdatePriorityCalculator: Hashable, Sendable {
  /// The updater flags.
  public var configuration: UpdaterConfiguration

  /// Creates a calculator.
  ///
  /// - Parameter configuration: The updater flags.
  public init(configuration: UpdaterConfiguration = UpdaterConfiguration()) {
    self.configuration = configuration
  }

  /// Caps the VPA's recommendation for the pod, computes its priority and applies the
  /// admission rules (upstream `AddPod`).
  ///
  /// - Parameters:
  ///   - pod: The pod.
  ///   - vpa: The VPA with its recommendation and policies.
  ///   - containerLimitRange: The namespace's container LimitRange item, or `nil`.
  ///   - podLimitRange: The namespace's pod LimitRange item, or `nil`.
  ///   - lastInfeasibleAttempt: The target of the pod's last infeasible in-place attempt.
  ///   - now: The evaluation instant.
  /// - Returns: The queued pod, or `nil` when it should not be updated.
  public func prioritized(
    _ pod: VPAPod, vpa: VerticalPodAutoscaler, containerLimitRange: LimitRangeItem? = nil,
    podLimitRange: LimitRangeItem? = nil,
    lastInfeasibleAttempt: [RecommendedContainerResources]? = nil, at now: Instant
  ) -> PrioritizedPod? {
    let processed =
      CappingProcessor.apply(
        recommendation: vpa.recommendation, policy: vpa.resourcePolicy, pod: pod,
        containerLimitRange: containerLimitRange, podLimitRange: podLimitRange
      ).recommendations ?? []
    return prioritized(
      pod, vpa: vpa, processedRecommendation: processed,
      priority: PodPriority.of(pod: pod, recommendation: processed),
      lastInfeasibleAttempt: lastInfeasibleAttempt, at: now)
  }

  /// Applies the admission rules to a pod whose priority is already known.
  ///
  /// In InPlace mode a pod with an infeasible attempt is skipped unless some target went
  /// down. A pod is queued when it is outside the recommended range, or a container was OOM
  /// killed quickly (and the difference is non-zero), or it has lived past the lifetime
  /// threshold with a difference of at least the minimum change priority.
  ///
  /// - Parameters:
  ///   - pod: The pod.
  ///   - vpa: The VPA (mode, policy, per-VPA OOM threshold).
  ///   - processedRecommendation: The capped recommendation.
  ///   - priority: The pod's priority.
  ///   - lastInfeasibleAttempt: The target of the pod's last infeasible in-place attempt.
  ///   - now: The evaluation instant.
  /// - Returns: The queued pod, or `nil`.
  public func prioritized(
    _ pod: VPAPod, vpa: VerticalPodAutoscaler,
    processedRecommendation: [RecommendedContainerResources], priority: PodPriority,
    lastInfeasibleAttempt: [RecommendedContainerResources]? = nil, at now: Instant
  ) -> PrioritizedPod? {
    if vpa.updatePolicy.effectiveUpdateMode == .inPlace, let lastInfeasibleAttempt,
      !Self.hasLowerResourceRecommendation(
        lastAttempt: lastInfeasibleAttempt, newRecommendation: processedRecommendation)
    {
      return nil
    }
    let quickOOM = hasQuickOOM(pod, vpa: vpa)
    if !priority.outsideRecommendedRange && !quickOOM {
      guard let start = pod.startTime else { return nil }
      if now < start + configuration.podLifetimeUpdateThreshold { return nil }
      if priority.resourceDiff < configuration.minChangePriority { return nil }
    }
    if quickOOM && priority.resourceDiff == 0 { return nil }
    return PrioritizedPod(pod: pod, priority: priority, recommendation: processedRecommendation)
  }

  /// Whether an observed, non-Off container was OOM-killed after running less than the
  /// threshold (upstream's quick-OOM rule).
  ///
  /// - Parameters:
  ///   - pod: The pod.
  ///   - vpa: The VPA (policy and per-VPA threshold).
  /// - Returns: Whether a quick OOM happened.
  public func hasQuickOOM(_ pod: VPAPod, vpa: VerticalPodAutoscaler) -> Bool {
    var threshold = configuration.evictAfterOOMThreshold
    if configuration.perVPAConfig, let perVPA = vpa.updatePolicy.evictAfterOOM {
      threshold = perVPA
    }
    let observed = pod.observedContainers
    for status in pod.containerStatuses {
      if let observed, !observed.contains(status.name) { continue }
      if vpa.resourcePolicy?.policy(for: status.name)?.mode == .off { continue }
      if let termination = status.lastTermination, termination.reason == "OOMKilled",
        termination.finishedAt - termination.startedAt < threshold
      {
        return true
      }
    }
    return false
  }

  /// Whether some target resource of a container in both lists is strictly lower than in the
  /// last attempt (upstream `hasLowerResourceRecommendation`).
  ///
  /// - Parameters:
  ///   - lastAttempt: The last infeasible attempt's recommendation, or `nil`.
  ///   - newRecommendation: The new recommendation, or `nil`.
  /// - Returns: Whether anything went down.
  public static func hasLowerResourceRecommendation(
    lastAttempt: [RecommendedContainerResources]?,
    newRecommendation: [RecommendedContainerResources]?
  ) -> Bool {
    guard let lastAttempt, let newRecommendation else { return false }
    for container in newRecommendation {
      guard let previous = lastAttempt.first(where: { $0.containerName == container.containerName })
      else { continue }
      for (name, value) in container.target {
        if let old = previous.target[name], value < old { return true }
      }
    }
    return false
  }

  /// Orders queued pods by descending priority (upstream `GetSortedPods`); ties keep their
  /// input order (upstream's sort is not stable).
  ///
  /// - Parameter pods: The queued pods.
  /// - Returns: The pods, highest priority first.
  public static func sorted(_ pods: [PrioritizedPod]) -> [PrioritizedPod] {
    pods.enumerated().sorted { lhs, rhs in
      if rhs.element.priority.isLower(than: lhs.element.priority) { return true }
      if lhs.element.priority.isLower(than: rhs.element.priority) { return false }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }
}
