public import AutoscalingCore

/// The kind of controller that owns a pod.
public enum PodOwnerKind: String, Hashable, Sendable {
  /// A Deployment's ReplicaSet.
  case replicaSet = "ReplicaSet"
  /// A StatefulSet.
  case statefulSet = "StatefulSet"
  /// A DaemonSet (never provisioned for, never rescheduled).
  case daemonSet = "DaemonSet"
  /// A Job.
  case job = "Job"
  /// A Node (a static mirror pod: never rescheduled).
  case node = "Node"
}

/// A preferred pod (anti-)affinity term with its weight.
public struct WeightedPodAffinityTerm: Hashable, Sendable {
  /// The weight, 1–100.
  public var weight: Int
  /// The term.
  public var term: PodAffinityTerm

  /// Creates a weighted term.
  ///
  /// - Parameters:
  ///   - weight: The weight, 1–100.
  ///   - term: The term.
  public init(weight: Int, term: PodAffinityTerm) {
    self.weight = weight
    self.term = term
  }
}

/// A pod as Karpenter sees it: its spec, where it is bound (if anywhere), and the metadata
/// disruption reads (annotations, priority, owner).
public struct Pod: Hashable, Sendable {
  /// The name (unique within the namespace).
  public var name: String
  /// The namespace.
  public var namespace: String
  /// Containers, labels and placement constraints.
  public var template: PodTemplate
  /// Annotations (`karpenter.sh/do-not-disrupt`, `controller.kubernetes.io/pod-deletion-cost`).
  public var annotations: Labels
  /// `spec.priority`.
  public var priority: Int32
  /// The owning controller kind, or `nil` for a bare pod.
  public var ownerKind: PodOwnerKind?
  /// Host ports the pod binds (conflicting pods cannot share a node).
  public var hostPorts: [Int]
  /// Preferred pod affinity terms.
  public var preferredPodAffinity: [WeightedPodAffinityTerm]
  /// Preferred pod anti-affinity terms.
  public var preferredPodAntiAffinity: [WeightedPodAffinityTerm]
  /// `minDomains` per topology spread constraint, aligned with
  /// `template.topologySpreadConstraints` (`nil` entries or a short array mean unset).
  public var spreadMinDomains: [Int?]
  /// The node the pod is bound to, or `nil` when pending.
  public var nodeName: String?
  /// The creation time (queue tie-break).
  public var createdAt: Instant
  /// When the pod started, for duration-valued `do-not-disrupt`.
  public var startedAt: Instant?
  /// Whether the pod has finished (Succeeded or Failed).
  public var isTerminal: Bool
  /// Whether the pod is being deleted.
  public var isTerminating: Bool

  /// Creates a pod.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - namespace: The namespace.
  ///   - template: The spec.
  ///   - annotations: Annotations.
  ///   - priority: `spec.priority`.
  ///   - ownerKind: The owner kind, or `nil`.
  ///   - hostPorts: Host ports.
  ///   - preferredPodAffinity: Preferred pod affinity.
  ///   - preferredPodAntiAffinity: Preferred pod anti-affinity.
  ///   - spreadMinDomains: `minDomains` per spread constraint.
  ///   - nodeName: The bound node, or `nil` when pending.
  ///   - createdAt: Creation time.
  ///   - startedAt: Start time.
  ///   - isTerminal: Finished.
  ///   - isTerminating: Being deleted.
  public init(
    name: String, namespace: String = "default", template: PodTemplate, annotations: Labels = [:], priority: Int32 = 0,
    ownerKind: PodOwnerKind? = .replicaSet, hostPorts: [Int] = [], preferredPodAffinity: [WeightedPodAffinityTerm] = [],
    preferredPodAntiAffinity: [WeightedPodAffinityTerm] = [], spreadMinDomains: [Int?] = [], nodeName: String? = nil,
    createdAt: Instant = .epoch, startedAt: Instant? = nil, isTerminal: Bool = false, isTerminating: Bool = false
  ) {
    self.name = name
    self.namespace = namespace
    self.template = template
    self.annotations = annotations
    self.priority = priority
    self.ownerKind = ownerKind
    self.hostPorts = hostPorts
    self.preferredPodAffinity = preferredPodAffinity
    self.preferredPodAntiAffinity = preferredPodAntiAffinity
    self.spreadMinDomains = spreadMinDomains
    self.nodeName = nodeName
    self.createdAt = createdAt
    self.startedAt = startedAt
    self.isTerminal = isTerminal
    self.isTerminating = isTerminating
  }

  /// `namespace/name`, the identity used in plans.
  public var id: String { Self.id(namespace: namespace, name: name) }

  /// The identity of the pod `name` in `namespace`: `namespace/name`.
  static func id(namespace: String, name: String) -> String { "\(namespace)/\(name)" }

  /// Whether the pod is running or waiting (not finished, not being deleted).
  public var isActive: Bool { !isTerminal && !isTerminating }

  /// Whether consolidation must move this pod when its node goes (`IsReschedulable`): active
  /// (or a terminating StatefulSet pod), not owned by a DaemonSet or a Node.
  public var isReschedulable: Bool {
    if ownerKind == .daemonSet || ownerKind == .node { return false }
    return isActive || (isTerminating && ownerKind == .statefulSet)
  }

  /// The eviction cost (`EvictionCost`): `1 + deletionCost/2^27 + priority/2^25`, clamped to
  /// [−10, 10]; an unparsable `pod-deletion-cost` is ignored.
  public var evictionCost: Double {
    var cost = 1.0
    if let text = annotations[WellKnownLabel.podDeletionCost], let deletionCost = Double(text), deletionCost.isFinite {
      cost += deletionCost / 134_217_728
    }
    cost += Double(priority) / 33_554_432
    return Swift.min(Swift.max(cost, -10), 10)
  }

  /// Whether `karpenter.sh/do-not-disrupt` blocks disruption at `now` (`IsDoNotDisruptActive`):
  /// `"true"`, or a duration not yet elapsed since the pod started. Finished and terminating
  /// pods never block; a malformed value is ignored.
  ///
  /// - Parameter now: The current time.
  /// - Returns: `true` when the pod blocks disruption.
  public func blocksDisruption(now: Instant) -> Bool {
    guard isActive, let value = annotations[WellKnownLabel.doNotDisrupt] else { return false }
    if value == "true" { return true }
    guard let duration = try? parseDurationMilliseconds(value, object: "pod", field: "annotation") else { return false }
    let start = startedAt ?? createdAt
    return now.milliseconds(since: start) < duration
  }
}

/// A PodDisruptionBudget as disruption reads it.
public struct PodDisruptionBudget: Hashable, Sendable {
  /// The name.
  public var name: String
  /// The namespace of the pods it covers.
  public var namespace: String
  /// Which pods it covers.
  public var selector: LabelSelector
  /// `status.disruptionsAllowed`: how many covered pods may be evicted now.
  public var disruptionsAllowed: Int
  /// Whether the budget never allows an eviction (`maxUnavailable: 0`/`0%` or `minAvailable: 100%`).
  public var isFullyBlocking: Bool

  /// Creates a budget.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - namespace: The namespace.
  ///   - selector: Covered pods.
  ///   - disruptionsAllowed: Evictions allowed now.
  ///   - isFullyBlocking: Whether it never allows an eviction.
  public init(name: String, namespace: String = "default", selector: LabelSelector, disruptionsAllowed: Int, isFullyBlocking: Bool = false) {
    self.name = name
    self.namespace = namespace
    self.selector = selector
    self.disruptionsAllowed = disruptionsAllowed
    self.isFullyBlocking = isFullyBlocking
  }

  /// Whether the budget covers `pod` (same namespace, selector matches its labels).
  ///
  /// - Parameter pod: A pod.
  /// - Returns: `true` when covered.
  public func covers(_ pod: Pod) -> Bool { pod.namespace == namespace && selector.matches(pod.template.labels) }
}
